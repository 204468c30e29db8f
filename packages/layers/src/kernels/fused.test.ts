// Each fused kernel against the readable layer function it mirrors, value for value (Object.is: −0 and
// NaN count), in both dtypes, on random data and on the values where a shortcut would go wrong:
// NaN, ±∞, ±0, subnormals and numbers whose double overflows.
import { createRng, type DType, randn, Tensor, type TypedArray } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { type BatchnormTrainCache, batchnormForward, batchStatistics } from '../batchnorm.js';
import { batchnormBackwardAlt } from '../batchnorm-backward.js';
import { dropoutBackward, dropoutForward } from '../dropout.js';
import { layernormBackward, layernormForward } from '../layernorm.js';
import { reluBackward, reluForward } from '../relu.js';
import {
  biasAddInPlace,
  biasReluInPlace,
  columnSumsInto,
  dropoutInto,
  mulInPlace,
  relu,
  reluBackwardInPlace,
} from './fused-layers.js';
import {
  batchnormBackwardInPlace,
  batchnormReluInPlace,
  layernormBackwardInPlace,
  layernormReluInPlace,
} from './fused-norm.js';

const SPECIAL = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0,
  -0,
  5e-324,
  -5e-324,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1e308,
  2 ** -1074 * 3,
  1,
  -1,
  0.1,
  -0.1,
];
const DTYPES: DType[] = ['float64', 'float32'];

function same(got: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) {
      throw new Error(`${label}: element ${i} is ${got[i]}, the readable form gives ${want[i]}`);
    }
  }
}

const copyOf = (t: Tensor): TypedArray => t.data.slice();

describe('relu()', () => {
  it('equals Math.max(v, 0) on every special value and their neighbours', () => {
    for (const v of SPECIAL) {
      for (const w of [v, v * (1 + 2 ** -52), v / 2, -v])
        expect(Object.is(relu(w), Math.max(w, 0)), `${w}`).toBe(true);
    }
  });
});

describe.each(DTYPES)('fused layer kernels, %s', (dtype) => {
  const rng = createRng(dtype === 'float64' ? 1 : 2);
  const [N, H] = [6, 5];
  const withSpecials = (t: Tensor) => {
    SPECIAL.forEach((v, i) => {
      t.data[(i * 7) % t.size] = v;
    });
    return t;
  };

  it('biasReluInPlace = affine bias add, then reluForward', () => {
    const a = withSpecials(randn([N, H], rng, dtype));
    const b = randn([H], rng, dtype);
    const withBias = copyOf(a);
    for (let i = 0; i < withBias.length; i++) withBias[i] += b.data[i % H];
    const want = reluForward(new Tensor(withBias, [N, H])).out.data;
    const got = copyOf(a);
    biasReluInPlace(got, b.data);
    same(got, want, 'relu(a + b)');
    const plain = copyOf(a);
    biasAddInPlace(plain, b.data);
    same(plain, withBias, 'a + b');
  });

  it('reluBackwardInPlace, reading the ReLU output, = reluBackward reading its input', () => {
    const x = withSpecials(randn([N, H], rng, dtype));
    const dout = withSpecials(randn([N, H], rng, dtype));
    dout.data[3] = -0;
    const { out, cache } = reluForward(x);
    const got = copyOf(dout);
    reluBackwardInPlace(got, out.data);
    same(got, reluBackward(dout, cache).data, 'dx');
  });

  it('dropoutInto and mulInPlace = dropoutForward and dropoutBackward, same stream', () => {
    const x = withSpecials(randn([N, H], rng, dtype));
    const want = dropoutForward(x, { p: 0.6, mode: 'train', seed: 4 });
    const [mask, out] = [copyOf(x), copyOf(x)];
    dropoutInto(x.data, 0.6, createRng(4), mask, out);
    same(out, want.out.data, 'out');
    same(mask, (want.cache.mask as Tensor).data, 'mask');
    const dout = withSpecials(randn([N, H], rng, dtype));
    const dx = copyOf(dout);
    mulInPlace(dx, mask);
    same(dx, dropoutBackward(dout, want.cache).data, 'dx');
  });

  it('columnSumsInto = affineBackward db', () => {
    const dout = randn([N, H], rng, dtype);
    const db = new (dout.data.constructor as Float64ArrayConstructor)(H).fill(7);
    columnSumsInto(db, dout.data);
    const want = new (dout.data.constructor as Float64ArrayConstructor)(H);
    for (let i = 0; i < dout.size; i++) want[i % H] += dout.data[i];
    same(db, want, 'db');
  });

  it('batchnorm: normalize + ReLU in place, then backward in place = batchnormForward, reluForward, batchnormBackwardAlt', () => {
    const x = randn([N, H], rng, dtype);
    for (let i = 0; i < x.size; i++) x.data[i] = 3 * x.data[i] + 10;
    const [gamma, beta] = [randn([H], rng, dtype), randn([H], rng, dtype)];
    const param = { mode: 'train' as const };
    const { out, cache } = batchnormForward(x, gamma, beta, param);
    const train = cache as BatchnormTrainCache;
    const { mu: mean } = batchStatistics(x);
    const a = copyOf(x);
    const [sqrtvar, ivar, relued] = [copyOf(gamma), copyOf(gamma), copyOf(x)];
    batchnormReluInPlace(a, mean, train.variance.data, gamma.data, beta.data, 1e-5, sqrtvar, ivar, relued);
    same(a, train.xhat.data, 'xhat');
    same(ivar, train.ivar.data, 'ivar');
    same(sqrtvar, train.sqrtvar.data, 'sqrtvar');
    same(relued, reluForward(out).out.data, 'relu(out)');

    const dout = randn([N, H], rng, dtype);
    const want = batchnormBackwardAlt(dout, cache);
    const [dx, dgamma, dbeta] = [copyOf(dout), copyOf(gamma).fill(9), copyOf(gamma).fill(9)];
    batchnormBackwardInPlace(dx, a, gamma.data, ivar, dgamma, dbeta);
    same(dx, want.dx.data, 'dx');
    same(dgamma, want.dgamma.data, 'dgamma');
    same(dbeta, want.dbeta.data, 'dbeta');
  });

  it('layernorm: normalize + ReLU in place, then backward in place = layernormForward, reluForward, layernormBackward', () => {
    const x = randn([N, H], rng, dtype);
    const [gamma, beta] = [randn([H], rng, dtype), randn([H], rng, dtype)];
    const { out, cache } = layernormForward(x, gamma, beta);
    const a = copyOf(x);
    const [ivar, relued] = [copyOf(cache.ivar), copyOf(x)];
    layernormReluInPlace(a, gamma.data, beta.data, 1e-5, ivar, relued);
    same(a, cache.xhat.data, 'xhat');
    same(ivar, cache.ivar.data, 'ivar');
    same(relued, reluForward(out).out.data, 'relu(out)');

    const dout = randn([N, H], rng, dtype);
    const want = layernormBackward(dout, cache);
    const [dx, dgamma, dbeta] = [copyOf(dout), copyOf(gamma).fill(9), copyOf(gamma).fill(9)];
    layernormBackwardInPlace(dx, a, gamma.data, ivar, dgamma, dbeta);
    same(dx, want.dx.data, 'dx');
    same(dgamma, want.dgamma.data, 'dgamma');
    same(dbeta, want.dbeta.data, 'dbeta');
  });
});
