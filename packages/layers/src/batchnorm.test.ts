import { numericalGradientArray, relError } from '@backprop-lab/gradcheck';
import {
  add,
  createRng,
  mean,
  mul,
  ones,
  randn,
  ShapeError,
  sum,
  type Tensor,
  tensor,
  variance,
  zeros,
} from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { type BatchnormParam, batchnormForward } from './batchnorm.js';
import { batchnormBackward, batchnormBackwardAlt } from './batchnorm-backward.js';

const rng = createRng(2016);
/** x = 5·randn(4, 5) + 12, as the CS231n notebook. */
const x = add(mul(randn([4, 5], rng), 5), 12);
const gamma = randn([5], rng);
const beta = randn([5], rng);
const dout = randn([4, 5], rng);
const train = (): BatchnormParam => ({ mode: 'train' });

describe('batchnormForward (train)', () => {
  it('normalizes each feature to mean 0 and std 1 with γ = 1, β = 0', () => {
    const data = add(mul(randn([200, 3], rng), tensor([1, 5, 20])), tensor([11, -12, 23]));
    const { out } = batchnormForward(data, ones([3]), zeros([3]), train());
    for (const m of mean(out, { axis: 0 }).data) expect(Math.abs(m)).toBeLessThan(1e-12);
    for (const v of variance(out, { axis: 0 }).data) expect(v).toBeCloseTo(1, 4);
  });

  it('shifts and scales by β and γ', () => {
    const data = randn([200, 3], rng);
    const { out } = batchnormForward(data, tensor([1, 2, 3]), tensor([11, 12, 13]), train());
    expect(Array.from(mean(out, { axis: 0 }).data).map((m) => Number(m.toFixed(10)))).toEqual([11, 12, 13]);
    const std = Array.from(variance(out, { axis: 0 }).data, Math.sqrt);
    std.forEach((s, j) => {
      expect(s).toBeCloseTo(j + 1, 3);
    });
  });

  it('stores updated running statistics on bnParam (momentum 0.9, biased variance)', () => {
    const bnParam = train();
    batchnormForward(x, gamma, beta, bnParam);
    const mu = mean(x, { axis: 0 });
    const sigma2 = variance(x, { axis: 0 });
    expect(relError(bnParam.runningMean!, mul(mu, 0.1))).toBeLessThan(1e-14);
    expect(relError(bnParam.runningVar!, mul(sigma2, 0.1))).toBeLessThan(1e-14);
  });

  it('refuses a batch of one sample', () => {
    expect(() => batchnormForward(tensor([[1, 2, 3, 4, 5]]), gamma, beta, train())).toThrow(
      'batchnormForward: train mode needs at least 2 samples, got x of shape [1,5] (the batch variance of one sample is 0 by construction)',
    );
  });
});

describe('batchnormForward (test)', () => {
  it('uses the running statistics, which approach the data’s after many train passes', () => {
    const bnParam = train();
    const shift = tensor([12, -3]);
    const scale = tensor([5, 0.5]);
    for (let step = 0; step < 200; step++) {
      batchnormForward(add(mul(randn([50, 2], rng), scale), shift), ones([2]), zeros([2]), bnParam);
    }
    expect(bnParam.runningMean!.data[0]).toBeCloseTo(12, 0);
    expect(bnParam.runningMean!.data[1]).toBeCloseTo(-3, 1);
    expect(Math.sqrt(bnParam.runningVar!.data[0])).toBeCloseTo(5, 0);

    const before = { mean: bnParam.runningMean, var: bnParam.runningVar };
    const batch = add(mul(randn([100, 2], rng), scale), shift);
    const testParam: BatchnormParam = { ...bnParam, mode: 'test' };
    const { out } = batchnormForward(batch, ones([2]), zeros([2]), testParam);
    // Exactly (x − running mean) / √(running var + ε): no batch statistics involved.
    const j = 1;
    const expected =
      (batch.get(7, j) - bnParam.runningMean!.data[j]) / Math.sqrt(bnParam.runningVar!.data[j] + 1e-5);
    expect(out.get(7, j)).toBeCloseTo(expected, 12);
    for (const m of mean(out, { axis: 0 }).data) expect(Math.abs(m)).toBeLessThan(0.3);
    expect(testParam.runningMean).toBe(before.mean); // test mode writes nothing back
  });

  it('starts from zeros(D) when no running statistics exist', () => {
    const bnParam: BatchnormParam = { mode: 'test' };
    const { out } = batchnormForward(tensor([[1e-3, 0]]), ones([2]), zeros([2]), bnParam);
    expect(out.get(0, 0)).toBeCloseTo(1e-3 / Math.sqrt(1e-5), 12);
    expect(bnParam.runningMean).toBeUndefined();
  });
});

describe('batchnorm backward', () => {
  const forward = (t: Tensor, g = gamma, b = beta) => batchnormForward(t, g, b, train()).out;
  const { cache } = batchnormForward(x, gamma, beta, train());
  const graph = batchnormBackward(dout, cache);
  const alt = batchnormBackwardAlt(dout, cache);
  const numeric = {
    dx: numericalGradientArray((t) => forward(t), x, dout),
    dgamma: numericalGradientArray((t) => forward(x, t), gamma, dout),
    dbeta: numericalGradientArray((t) => forward(x, gamma, t), beta, dout),
  };

  for (const [name, grads] of [
    ['graph form', graph],
    ['simplified form', alt],
  ] as const) {
    it(`${name}: dx, dgamma, dbeta match numerical gradients on x = 5·randn(4,5)+12`, () => {
      expect(relError(grads.dx, numeric.dx)).toBeLessThan(1e-8);
      expect(relError(grads.dgamma, numeric.dgamma)).toBeLessThan(1e-8);
      expect(relError(grads.dbeta, numeric.dbeta)).toBeLessThan(1e-8);
    });
  }

  it('the two forms agree to 1e-12 in float64', () => {
    expect(relError(graph.dx, alt.dx)).toBeLessThan(1e-12);
    expect(relError(graph.dgamma, alt.dgamma)).toBeLessThan(1e-12);
    expect(relError(graph.dbeta, alt.dbeta)).toBeLessThan(1e-12);
  });

  it("the graph form's steps are its named intermediates: dx = dx1 + dx2, dsq spreads dvariance over the rows", () => {
    const { steps } = graph;
    expect(Object.keys(steps!)).toEqual([
      'dgammax',
      'dxhat',
      'divar',
      'dxmu1',
      'dsqrtvar',
      'dvariance',
      'dsq',
      'dxmu2',
      'dx1',
      'dmu',
      'dx2',
    ]);
    expect(relError(add(steps!.dx1, steps!.dx2), graph.dx)).toBe(0);
    expect(relError(mul(steps!.dsq, 4), add(zeros([4, 5]), steps!.dvariance))).toBeLessThan(1e-15);
  });

  it('dx has zero batch mean in every feature (docs/batchnorm-backward.md, section 4)', () => {
    for (const grads of [graph, alt]) {
      for (const total of sum(grads.dx, { axis: 0 }).data) expect(Math.abs(total)).toBeLessThan(1e-12);
    }
  });

  it('the two forms agree on a larger batch too', () => {
    const big = add(mul(randn([64, 33], rng), 3), -7);
    const g = randn([33], rng);
    const { cache: bigCache } = batchnormForward(big, g, randn([33], rng), train());
    const dy = randn([64, 33], rng);
    expect(relError(batchnormBackward(dy, bigCache).dx, batchnormBackwardAlt(dy, bigCache).dx)).toBeLessThan(
      1e-12,
    );
  });

  it('refuses a test-mode cache and a dout of the wrong shape', () => {
    const { cache: testCache } = batchnormForward(x, gamma, beta, { mode: 'test' });
    expect(() => batchnormBackward(dout, testCache)).toThrow(
      'batchnormBackward: cache comes from a test-mode forward; backward needs the batch statistics of a train-mode forward',
    );
    expect(() => batchnormBackwardAlt(zeros([4, 4]), cache)).toThrow(
      'batchnormBackwardAlt: dout has shape [4,4] but the forward output has shape [4,5]',
    );
  });
});

describe('batchnormForward errors', () => {
  it('names the argument and both shapes', () => {
    expect(() => batchnormForward(zeros([3, 5]), ones([4]), zeros([5]), train())).toThrow(ShapeError);
    expect(() => batchnormForward(zeros([3, 5]), ones([4]), zeros([5]), train())).toThrow(
      'batchnormForward: gamma has shape [4] but x has 5 features ([3,5])',
    );
    expect(() => batchnormForward(zeros([3, 5]), ones([5]), zeros([5, 1]), train())).toThrow(
      'batchnormForward: beta has shape [5,1] but x has 5 features ([3,5])',
    );
    expect(() =>
      batchnormForward(zeros([3, 5]), ones([5]), zeros([5]), { mode: 'train', runningMean: zeros([2]) }),
    ).toThrow('batchnormForward: bnParam.runningMean has shape [2] but x has 5 features ([3,5])');
    expect(() => batchnormForward(zeros([15]), ones([5]), zeros([5]), train())).toThrow(
      'batchnormForward: x must be 2-d [N, D], got shape [15]',
    );
  });

  it('rejects bad modes, values and unknown keys', () => {
    const run = (param: unknown) => () => batchnormForward(x, gamma, beta, param as BatchnormParam);
    expect(run({ mode: 'eval' })).toThrow(
      `batchnormForward: bnParam.mode must be 'train' or 'test', got "eval"`,
    );
    expect(run({ mode: 'train', eps: 0 })).toThrow(
      'batchnormForward: bnParam.eps must be a finite number > 0, got 0',
    );
    expect(run({ mode: 'train', momentum: 1.5 })).toThrow(
      'batchnormForward: bnParam.momentum must be a number >= 0 and <= 1, got 1.5',
    );
    expect(run({ mode: 'train', running_mean: 0 })).toThrow(
      "batchnormForward: bnParam has unknown key 'running_mean' (known: mode, eps, momentum, runningMean, runningVar)",
    );
    expect(() => batchnormForward(x, ones([5], 'float32'), beta, train())).toThrow(
      'batchnormForward: dtypes differ: gamma is float32, x is float64',
    );
  });

  it('keeps float32 throughout, running statistics included', () => {
    const bnParam = train();
    const { out } = batchnormForward(
      zeros([3, 2], 'float32'),
      ones([2], 'float32'),
      zeros([2], 'float32'),
      bnParam,
    );
    expect(out.dtype).toBe('float32');
    expect(bnParam.runningVar!.dtype).toBe('float32');
  });
});
