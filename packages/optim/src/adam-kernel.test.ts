import {
  createRng,
  getBackend,
  nativeBackend,
  randn,
  setBackend,
  shutdownWasmThreads,
  type Tensor,
  typescriptBackend,
  wasmAvailable,
  wasmBackend,
} from '@backprop-lab/tensor';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { adamInPlace } from './adam.js';

// adamInPlace runs tensor's momentStepInPlace, which the native backend hands to its C loop and the wasm
// and TypeScript backends run in JavaScript: every backend must give the JavaScript loop's bits.
const initial = getBackend();
afterEach(() => {
  setBackend(initial);
});
afterAll(() => shutdownWasmThreads());

function train(dtype: 'float32' | 'float64', shape: number[]): Tensor[] {
  const rng = createRng(7);
  const w = randn(shape, rng, dtype);
  let config = {};
  for (let step = 0; step < 5; step++) {
    const dw = randn(shape, rng, dtype);
    config = adamInPlace(w, dw, { ...config, learningRate: 1e-2 }).config;
  }
  const { m, v } = config as { m: Tensor; v: Tensor };
  return [w, m, v];
}

const KERNELS = [
  ...(wasmAvailable() ? [{ name: 'wasm', make: (threads: number) => wasmBackend({ threads }) }] : []),
  // The native kernels are built by pnpm install on these machines (tensor's tests say so plainly).
  { name: 'native', make: (threads: number) => nativeBackend({ threads }) },
];

describe.each(KERNELS)('adam on the $name backend', ({ make }) => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: w, m and v bit-identical to the JavaScript loop over 5 steps`, () => {
      // [3072, 12]: large enough for the native kernel to split it over two threads.
      for (const [shape, threads] of [
        [[3072, 12], 2],
        [[3072, 10], 1],
        [[257], 1],
        [[100], 1],
      ] as const) {
        setBackend(typescriptBackend);
        const expected = train(dtype, [...shape]);
        setBackend(make(threads));
        const actual = train(dtype, [...shape]);
        for (let i = 0; i < 3; i++) {
          const [a, e] = [actual[i].data, expected[i].data];
          expect(a.length).toBe(e.length);
          let same = true;
          for (let j = 0; j < a.length; j++) if (!Object.is(a[j], e[j])) same = false;
          expect(same, `${['w', 'm', 'v'][i]} ${shape}`).toBe(true);
        }
      }
    });
  }
});
