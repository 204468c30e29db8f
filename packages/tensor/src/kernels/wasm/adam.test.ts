import { afterAll, describe, expect, it } from 'vitest';
import type { AdamKernelArgs } from '../../backend.js';
import { randn } from '../../create.js';
import type { DType, TypedArray } from '../../dtype.js';
import { createRng } from '../../rng.js';
import { ADAM_CHUNK, ADAM_PARALLEL_MIN, adamWasm } from './adam.js';
import { shutdownWasmThreads, wasmBackend, wasmThreadsRunning } from './wasm-backend.js';

afterAll(() => shutdownWasmThreads());

/** The reference: packages/optim's adamStep loop, operation for operation. */
function adamReference(w: TypedArray, dw: TypedArray, m: TypedArray, v: TypedArray, args: AdamKernelArgs) {
  const { lr, beta1, beta2, epsilon, inverseCorrection1, inverseCorrection2 } = args;
  for (let i = 0; i < w.length; i++) {
    const g = dw[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * (g * g);
    const mHat = m[i] * inverseCorrection1;
    const vHat = v[i] * inverseCorrection2;
    w[i] -= (lr * mHat) / (Math.sqrt(vHat) + epsilon);
  }
}

const argsAt = (t: number, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8): AdamKernelArgs => ({
  lr,
  beta1,
  beta2,
  epsilon,
  inverseCorrection1: 1 / (1 - beta1 ** t),
  inverseCorrection2: 1 / (1 - beta2 ** t),
});

/** Bit-level equality (Object.is also tells +0 from -0). */
function sameBits(x: TypedArray, y: TypedArray): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

function state(dtype: DType, n: number, seed: number) {
  const rng = createRng(seed);
  const w = randn([n], rng, dtype).data;
  const m = randn([n], rng, dtype).data.map((x) => x * 0.1);
  const v = randn([n], rng, dtype).data.map((x) => x * x * 0.01);
  return { w, m, v };
}

describe('adamWasm: the SIMD Adam update gives the JavaScript loop’s bits', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: odd lengths, several chunks, several steps`, () => {
      for (const n of [1, 2, 3, 255, 256, ADAM_CHUNK - 1, ADAM_CHUNK + 1, 2 * ADAM_CHUNK + 7]) {
        const expected = state(dtype, n, n);
        const actual = state(dtype, n, n);
        const rng = createRng(1000 + n);
        for (let t = 1; t <= 4; t++) {
          const dw = randn([n], rng, dtype).data.map((x) => x * 10 ** (t - 3));
          adamReference(expected.w, dw, expected.m, expected.v, argsAt(t));
          expect(adamWasm(actual.w, dw, actual.m, actual.v, argsAt(t))).toBe(true);
        }
        expect(sameBits(actual.w, expected.w), `w, n = ${n}`).toBe(true);
        expect(sameBits(actual.m, expected.m), `m, n = ${n}`).toBe(true);
        expect(sameBits(actual.v, expected.v), `v, n = ${n}`).toBe(true);
      }
    });

    it(`${dtype}: zeros, signed zeros, subnormals, huge values, ±∞ and other settings`, () => {
      const tiny = dtype === 'float32' ? 1e-45 : 5e-324;
      const huge = dtype === 'float32' ? 3e38 : 1.7e308;
      const values = [0, -0, tiny, -tiny, huge, -huge, 1e-20, -1e-20, Infinity, -Infinity, 1, -1, 0.5];
      const Make = dtype === 'float32' ? Float32Array : Float64Array;
      const n = values.length;
      const dw = Make.from(values);
      const w0 = Make.from(values.map((_, i) => values[(i + 3) % n]));
      const m0 = Make.from(values.map((_, i) => values[(i + 5) % n]));
      const v0 = Make.from(values.map((_, i) => Math.abs(values[(i + 7) % n])));
      for (const args of [argsAt(1), argsAt(7, 1e-2, 0.5, 0.9, 0), argsAt(3, 0, 0, 0, 1e-8)]) {
        const [we, me, ve] = [w0.slice(), m0.slice(), v0.slice()];
        const [wa, ma, va] = [w0.slice(), m0.slice(), v0.slice()];
        adamReference(we, dw, me, ve, args);
        adamWasm(wa, dw, ma, va, args);
        // NaN payloads aside (none of the arithmetic here makes one that JS would tell apart), the bits.
        for (const [x, y] of [
          [wa, we],
          [ma, me],
          [va, ve],
        ]) {
          expect(Array.from(x).map(String)).toEqual(Array.from(y).map(String));
          expect(sameBits(x, y)).toBe(true);
        }
      }
    });
  }

  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: split over two threads, the same bits`, () => {
      const backend = wasmBackend({ threads: 2 });
      for (const n of [ADAM_PARALLEL_MIN, ADAM_PARALLEL_MIN + 1, 3 * ADAM_PARALLEL_MIN + 5]) {
        const expected = state(dtype, n, n);
        const actual = state(dtype, n, n);
        const rng = createRng(2000 + n);
        for (let t = 1; t <= 3; t++) {
          const dw = randn([n], rng, dtype).data;
          adamReference(expected.w, dw, expected.m, expected.v, argsAt(t));
          expect(backend.adam?.(actual.w, dw, actual.m, actual.v, argsAt(t))).toBe(true);
        }
        expect(wasmThreadsRunning()).toBeGreaterThanOrEqual(1);
        expect(sameBits(actual.w, expected.w), `w, n = ${n}`).toBe(true);
        expect(sameBits(actual.m, expected.m), `m, n = ${n}`).toBe(true);
        expect(sameBits(actual.v, expected.v), `v, n = ${n}`).toBe(true);
      }
    });
  }

  it('backs the wasm backend’s adam hook where it pays: float32, or float64 split over threads', () => {
    const single = wasmBackend({ threads: 1 });
    const threaded = wasmBackend({ threads: 2 });
    const f32 = state('float32', 1000, 1);
    const f64 = state('float64', ADAM_PARALLEL_MIN, 1);
    expect(single.adam?.(f32.w, f32.w.slice(), f32.m, f32.v, argsAt(1))).toBe(true);
    expect(single.adam?.(f64.w, f64.w.slice(), f64.m, f64.v, argsAt(1))).toBe(false);
    expect(threaded.adam?.(f64.w, f64.w.slice(), f64.m, f64.v, argsAt(1))).toBe(true);
    const small64 = state('float64', ADAM_PARALLEL_MIN - 1, 1);
    expect(threaded.adam?.(small64.w, small64.w.slice(), small64.m, small64.v, argsAt(1))).toBe(false);
    const bias = state('float32', 100, 1);
    expect(single.adam?.(bias.w, bias.w.slice(), bias.m, bias.v, argsAt(1))).toBe(false);
  });
});
