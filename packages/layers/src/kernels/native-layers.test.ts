// The native backend's LayerKernels (tensor's Backend.layers, C in @backprop-lab/tensor-native) against the
// JavaScript loops they replace, value for value (Object.is: −0 and NaN count), in both dtypes, on random
// data with special values sprinkled in (NaN, ±∞, ±0, subnormals, overflow).
import {
  createRng,
  type DType,
  getBackend,
  type LayerKernels,
  randn,
  Tensor,
  type TypedArray,
} from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { batchStatistics } from '../batchnorm.js';
import { biasAddInPlace, biasReluInPlace, columnSumsInto, reluBackwardInPlace } from './fused-layers.js';
import { batchnormBackwardInPlace, batchnormReluInPlace } from './fused-norm.js';

const SPECIAL = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0,
  -0,
  5e-324,
  -5e-324,
  1e308,
  -1e308,
];
const SHAPES: [number, number][] = [
  [6, 5],
  [200, 100],
  [7, 33],
];

/** Puts each special value into `data`, `step` elements apart (wrapping). */
function sprinkle(data: TypedArray, step: number): void {
  for (const [i, v] of SPECIAL.entries()) data[(i * step) % data.length] = v;
}

function same(got: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i]))
      throw new Error(`${label}: element ${i} is ${got[i]}, JavaScript gives ${want[i]}`);
  }
}

function native(): LayerKernels {
  const kernels = getBackend().layers;
  if (!kernels)
    throw new Error(
      `backend ${getBackend().name} has no layer kernels (the native one should be the default)`,
    );
  return kernels;
}

describe.each(['float64', 'float32'] as DType[])('native layer kernels, %s', (dtype) => {
  const rng = createRng(dtype === 'float64' ? 11 : 12);

  it.each(SHAPES)(
    'batchStatistics, normalize + ReLU and backward equal the JavaScript loops on [%i, %i]',
    (N, H) => {
      for (const specials of [false, true]) {
        const x = randn([N, H], rng, dtype);
        for (let i = 0; i < x.size; i++) x.data[i] = 3 * x.data[i] + 10;
        if (specials) sprinkle(x.data, 13);
        const [gamma, beta] = [randn([H], rng, dtype), randn([H], rng, dtype)];
        if (specials) gamma.data[1 % H] = -0;
        const label = `${specials ? 'with' : 'without'} special values`;

        const want = batchStatistics(x);
        const [mean, variance] = [want.mu.slice().fill(7), want.variance.slice().fill(7)];
        native().batchStatistics(x.data, H, mean, variance);
        same(mean, want.mu, `${label}: mean`);
        same(variance, want.variance, `${label}: variance`);

        const a = x.data.slice();
        const [sqrtvar, ivar, out] = [gamma.data.slice(), gamma.data.slice(), x.data.slice()];
        batchnormReluInPlace(a, want.mu, want.variance, gamma.data, beta.data, 1e-5, sqrtvar, ivar, out);
        const a2 = x.data.slice();
        const [sqrtvar2, ivar2, out2] = [gamma.data.slice(), gamma.data.slice(), x.data.slice()];
        native().batchnormRelu(a2, mean, variance, gamma.data, beta.data, sqrtvar2, ivar2, out2, 1e-5);
        same(a2, a, `${label}: x̂`);
        same(sqrtvar2, sqrtvar, `${label}: sqrtvar`);
        same(ivar2, ivar, `${label}: ivar`);
        same(out2, out, `${label}: relu(γ·x̂ + β)`);

        const dout = randn([N, H], rng, dtype);
        if (specials) sprinkle(dout.data, 5);
        const [dx, dgamma, dbeta] = [dout.data.slice(), gamma.data.slice(), gamma.data.slice()];
        batchnormBackwardInPlace(dx, a, gamma.data, ivar, dgamma, dbeta);
        const [dx2, dgamma2, dbeta2] = [dout.data.slice(), gamma.data.slice(), gamma.data.slice()];
        native().batchnormBackward(dx2, a2, gamma.data, ivar2, dgamma2, dbeta2);
        same(dx2, dx, `${label}: dx`);
        same(dgamma2, dgamma, `${label}: dgamma`);
        same(dbeta2, dbeta, `${label}: dbeta`);
      }
    },
  );

  it.each(SHAPES)(
    'bias + ReLU, bias add, ReLU backward and column sums equal the JavaScript loops on [%i, %i]',
    (N, H) => {
      const a = randn([N, H], rng, dtype).data;
      const b = randn([H], rng, dtype).data;
      sprinkle(a, 3);
      sprinkle(b, 2);
      for (const relu of [true, false]) {
        const [want, got] = [a.slice(), a.slice()];
        (relu ? biasReluInPlace : biasAddInPlace)(want, b);
        native().biasRelu(got, b, relu);
        same(got, want, relu ? 'relu(a + b)' : 'a + b');
      }
      const out = a.slice();
      biasReluInPlace(out, b);
      const dh = randn([N, H], rng, dtype).data;
      sprinkle(dh, 7);
      dh[1] = -0;
      const [want, got] = [dh.slice(), dh.slice()];
      reluBackwardInPlace(want, out);
      native().reluBackward(got, out);
      same(got, want, 'relu backward');
      const [sumsWant, sumsGot] = [b.slice().fill(3), b.slice().fill(3)];
      columnSumsInto(sumsWant, dh);
      native().columnSums(sumsGot, dh);
      same(sumsGot, sumsWant, 'column sums');
    },
  );

  it('l2 returns the in-order Σ w² of the JavaScript loop and adds reg·w to dw', () => {
    for (const specials of [false, true]) {
      const w = randn([3072, 10], rng, dtype).data;
      const dw = randn([3072, 10], rng, dtype).data;
      if (specials) sprinkle(w, 101);
      const want = dw.slice();
      let squares = 0;
      for (let i = 0; i < w.length; i++) {
        squares += w[i] * w[i];
        want[i] += 1e-3 * w[i];
      }
      const got = dw.slice();
      const result = native().l2(w, got, 1e-3);
      expect(Object.is(result, squares)).toBe(true);
      same(got, want, 'dw');
    }
  });

  it('refuses mismatched shapes instead of reading past an array', () => {
    const a = randn([4, 3], rng, dtype).data as TypedArray;
    const v = a.slice(0, 3);
    expect(() => native().batchStatistics(a, 5, v, v)).toThrow(/bnStats: a must be \[n, h\]/);
    expect(() => native().batchnormBackward(a, a.slice(0, 6), v, v, v, v)).toThrow(/bnBackward/);
    expect(() => native().l2(a, v, 1)).toThrow(/differ in length/);
    expect(() => native().reluBackward(a, [1] as never)).toThrow(
      'reluBackward: arrays must be Float64Array or Float32Array',
    );
    const other = dtype === 'float64' ? new Float32Array(12) : new Float64Array(12);
    expect(() => native().columnSums(v, other)).toThrow('columnSums: arrays must have one element type');
    expect(new Tensor(a, [4, 3]).size).toBe(12);
  });
});
