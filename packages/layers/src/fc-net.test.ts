import { numericalGradient, relError } from '@backprop-lab/gradcheck';
import { astype, createRng, matmul, mean, mul, randn, type Tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { affineForward } from './affine.js';
import { FullyConnectedNet } from './fc-net.js';
import type { FullyConnectedNetOptions } from './fc-net-options.js';
import { reluForward } from './relu.js';
import { softmaxLoss } from './softmax.js';

const rng = createRng(231);
const X = randn([2, 15], rng);
const y = Int32Array.from({ length: 2 }, () => rng.int(10));
const small = { hiddenDims: [20, 30], inputDim: 15, numClasses: 10, weightScale: 5e-2 };

/** Relative error of every parameter's gradient against centered differences of net.loss. */
function gradientErrors(net: FullyConnectedNet, Xb: Tensor, yb: Int32Array) {
  const { grads } = net.loss(Xb, yb);
  const errors: Record<string, { relError: number; analytic: Tensor; numeric: Tensor }> = {};
  for (const name of Object.keys(net.params)) {
    const numeric = numericalGradient(() => net.loss(Xb, yb).loss, net.params[name], { h: 1e-5 });
    errors[name] = { relError: relError(grads[name], numeric), analytic: grads[name], numeric };
  }
  return errors;
}

const maxAbs = (t: Tensor) => Math.max(...Array.from(t.data, Math.abs));

// The reference's check (docs/reference.md): N=2, D=15, hidden [20, 30], C=10, weight scale 5e-2, float64, h = 1e-5.
// Thresholds are what this check measures (seed 0), with about a 5× margin:
// - non-W parameters ≤ 1e-6; W's ≤ 2e-5 (tiny entries meet the 1e-8 floor of rel_error, as in CS231n).
// - batchnorm at N=2: every feature normalizes to ±1, so dW1 is tiny and its rel error is roundoff-
//   dominated (measured 8e-4 at reg 0, 5e-6 at reg 3.14; CS231n's notebook shows W1 ~1e-4 too); the b's
//   feeding batchnorm have a true gradient of exactly 0, checked in absolute terms. N=10 below is strict.
const cases: { label: string; options: Partial<FullyConnectedNetOptions>; W: [number, number] }[] = [
  { label: 'no normalization', options: {}, W: [2e-5, 2e-5] },
  { label: 'batchnorm', options: { normalization: 'batchnorm' }, W: [5e-3, 5e-5] },
  { label: 'layernorm', options: { normalization: 'layernorm' }, W: [2e-5, 2e-5] },
  {
    label: 'dropout 0.5 (fixed seed)',
    options: { dropoutKeepRatio: 0.5, dropoutSeed: 123 },
    W: [2e-5, 2e-5],
  },
];

describe('FullyConnectedNet gradient check (docs/reference.md)', () => {
  for (const { label, options, W } of cases) {
    for (const [r, reg] of [0, 3.14].entries()) {
      it(`${label}, reg ${reg}: every parameter matches its numerical gradient`, () => {
        const net = new FullyConnectedNet({ ...small, reg, seed: 0, ...options });
        const errors = gradientErrors(net, X, y);
        expect(Object.keys(errors).sort()).toEqual(Object.keys(net.params).sort());
        for (const [name, { relError: error, analytic, numeric }] of Object.entries(errors)) {
          if (options.normalization === 'batchnorm' && /^b[12]$/.test(name)) {
            expect(maxAbs(analytic), name).toBeLessThan(1e-12);
            expect(maxAbs(numeric), name).toBeLessThan(1e-9);
          } else {
            expect(error, name).toBeLessThan(name.startsWith('W') ? W[r] : 1e-6);
          }
        }
      });
    }
  }

  it('batchnorm on a batch of 10: every W, gamma, beta below 2e-6 (measured ≤ 7e-7)', () => {
    const rows = createRng(10);
    const X10 = randn([10, 15], rows);
    const y10 = Int32Array.from({ length: 10 }, () => rows.int(10));
    for (const reg of [0, 3.14]) {
      const net = new FullyConnectedNet({ ...small, reg, normalization: 'batchnorm' });
      for (const [name, { relError: error, analytic }] of Object.entries(gradientErrors(net, X10, y10))) {
        if (/^b[12]$/.test(name)) expect(maxAbs(analytic), name).toBeLessThan(1e-12);
        else expect(error, `${name} at reg ${reg}`).toBeLessThan(2e-6);
      }
    }
  });
});

describe('FullyConnectedNet forward', () => {
  it('initializes W ~ N(0, weightScale²), b = 0, gamma = 1, beta = 0, bit-identically per seed', () => {
    const net = new FullyConnectedNet({
      hiddenDims: [200],
      inputDim: 300,
      normalization: 'batchnorm',
      seed: 5,
    });
    const again = new FullyConnectedNet({
      hiddenDims: [200],
      inputDim: 300,
      normalization: 'batchnorm',
      seed: 5,
    });
    expect(again.params.W1.data.every((v, i) => v === net.params.W1.data[i])).toBe(true);
    const W1 = net.params.W1.data;
    const std = Math.sqrt(Array.from(W1).reduce((s, v) => s + v * v, 0) / W1.length);
    expect(std).toBeCloseTo(1e-2, 3);
    expect(Object.keys(net.params).sort()).toEqual(['W1', 'W2', 'b1', 'b2', 'beta1', 'gamma1']);
    expect(net.params.W2.shape).toEqual([200, 10]);
    expect(net.params.gamma1.data.every((v) => v === 1)).toBe(true);
    expect(net.params.b2.data.every((v) => v === 0)).toBe(true);
  });

  it('test mode (no labels) really uses the running statistics', () => {
    const net = new FullyConnectedNet({ ...small, normalization: 'batchnorm', seed: 1 });
    const batch = randn([8, 15], createRng(3));
    const labels = new Int32Array(8);
    const { scores: trainScores } = net.loss(batch, labels);
    const testScores = net.loss(batch);
    expect(testScores.shape).toEqual([8, 10]);
    // After one pass the running stats are 0.1 × the batch's, far from it: scores must differ.
    expect(relError(testScores, trainScores)).toBeGreaterThan(1e-3);
    // Replacing the running statistics changes test-mode scores, and test mode writes nothing back.
    const before = net.bnParams[0].runningMean;
    net.bnParams[0].runningMean = mul(before!, 3);
    expect(relError(net.loss(batch), testScores)).toBeGreaterThan(1e-3);
    expect(net.bnParams[0].runningMean).not.toBe(before);
    expect(net.bnParams[0].mode).toBe('test');
  });

  it('turns dropout off at test time and draws new masks each training pass unless dropoutSeed is set', () => {
    const plain = new FullyConnectedNet({ ...small, seed: 4 });
    const dropped = new FullyConnectedNet({ ...small, seed: 4, dropoutKeepRatio: 0.5 });
    expect(dropped.loss(X).data).toEqual(plain.loss(X).data);
    const first = dropped.loss(X, y).loss;
    expect(dropped.loss(X, y).loss).not.toBe(first);
    const replay = new FullyConnectedNet({ ...small, seed: 4, dropoutKeepRatio: 0.5 });
    expect(replay.loss(X, y).loss).toBe(first); // same seed, same stream
    const fixed = new FullyConnectedNet({ ...small, seed: 4, dropoutKeepRatio: 0.5, dropoutSeed: 1 });
    expect(fixed.loss(X, y).loss).toBe(fixed.loss(X, y).loss);
  });

  it('adds 0.5·reg·ΣW² to the loss (W only)', () => {
    const base = new FullyConnectedNet({ ...small, normalization: 'layernorm', seed: 2 });
    const withReg = new FullyConnectedNet({ ...small, normalization: 'layernorm', seed: 2, reg: 0.7 });
    let squares = 0;
    for (const name of ['W1', 'W2', 'W3']) for (const v of base.params[name].data) squares += v * v;
    expect(withReg.loss(X, y).loss - base.loss(X, y).loss).toBeCloseTo(0.5 * 0.7 * squares, 12);
  });

  it('works in float32: parameters, scores and gradients', () => {
    const net = new FullyConnectedNet({ ...small, dtype: 'float32', normalization: 'batchnorm' });
    const X32 = astype(X, 'float32');
    expect(net.params.W1.dtype).toBe('float32');
    expect(net.loss(X32).dtype).toBe('float32');
    const { loss, grads } = net.loss(X32, y);
    expect(Number.isFinite(loss)).toBe(true);
    expect(grads.gamma1.dtype).toBe('float32');
    expect(net.bnParams[0].runningVar!.dtype).toBe('float32');
    expect(() => net.loss(X, y)).toThrow(
      "FullyConnectedNet.loss: X is float64 but the net's parameters are float32 (convert with astype)",
    );
  });

  it('accepts X [N, d1..dk] and reads params that callers replaced', () => {
    const net = new FullyConnectedNet({ hiddenDims: [4], inputDim: 6, numClasses: 3, seed: 8 });
    const X3 = randn([2, 3, 2], createRng(1));
    const before = net.loss(X3, [0, 2]).loss;
    net.params.W1 = mul(net.params.W1, 10);
    expect(net.loss(X3, [0, 2]).loss).not.toBe(before);
  });

  it('reports per-hidden-layer statistics on request', () => {
    const net = new FullyConnectedNet({ ...small, seed: 3, reg: 0.1 });
    const { grads, stats } = net.loss(X, y, { collectStats: true });
    expect(stats).toHaveLength(2);
    const norm = (t: Tensor) => Math.sqrt(Array.from(t.data).reduce((s, v) => s + v * v, 0));
    expect(stats![1].layer).toBe(2);
    expect(stats![1].gradNorm).toBeCloseTo(norm(grads.W2), 14);
    for (const s of stats!) {
      expect(s.activationMean).toBeGreaterThanOrEqual(0); // after ReLU
      expect(s.activationStd).toBeGreaterThan(0);
      expect(s.activationGradNorm).toBeGreaterThan(0);
    }
    expect(net.loss(X, y).stats).toBeUndefined();
  });
});

describe('FullyConnectedNet statistics tensors', () => {
  it('activation is the hidden ReLU output [N, H] and activationGrad the gradient arriving at it', () => {
    const net = new FullyConnectedNet({
      hiddenDims: [7],
      inputDim: 15,
      numClasses: 10,
      weightScale: 0.3,
      seed: 6,
    });
    const { stats, scores } = net.loss(X, y, { collectStats: true });
    const [{ activation, activationGrad, activationMean, activationGradNorm }] = stats!;
    const hidden = reluForward(affineForward(X, net.params.W1, net.params.b1).out).out;
    expect(activation.shape).toEqual([2, 7]);
    expect(Array.from(activation.data)).toEqual(Array.from(hidden.data));
    // Above the hidden layer sit only the output affine and the softmax: ∂L/∂h = dscores·W2ᵀ.
    const dscores = softmaxLoss(scores, y).dx;
    const expected = matmul(dscores, net.params.W2, { transB: true });
    expect(activationGrad.shape).toEqual([2, 7]);
    expect(Array.from(activationGrad.data)).toEqual(Array.from(expected.data));
    expect(activationMean).toBe(mean(activation).item());
    expect(activationGradNorm).toBeCloseTo(Math.hypot(...activationGrad.data), 14);
  });

  it('with dropout, activation is taken before the mask and activationGrad after its backward', () => {
    const net = new FullyConnectedNet({ ...small, seed: 6, dropoutKeepRatio: 0.5, dropoutSeed: 9 });
    const { stats } = net.loss(X, y, { collectStats: true });
    for (const { activation, activationGrad } of stats!) {
      expect(activationGrad.shape).toEqual(activation.shape);
      // Units the mask dropped pass no gradient back, but their activation is still there.
      expect(activation.data.some((v, i) => v > 0 && activationGrad.data[i] === 0)).toBe(true);
    }
  });
});

describe('FullyConnectedNet errors', () => {
  it('validates every option and rejects unknown keys', () => {
    const make = (options: object) => () => new FullyConnectedNet(options as FullyConnectedNetOptions);
    expect(make({ hiddenDims: [10], hidden_dims: [3] })).toThrow(
      "FullyConnectedNet: options has unknown key 'hidden_dims'",
    );
    expect(make({ hiddenDims: [10, 0] })).toThrow(
      'FullyConnectedNet: options.hiddenDims must be an array of integers >= 1, got [10,0]',
    );
    expect(make({ hiddenDims: [10], normalization: 'groupnorm' })).toThrow(
      "FullyConnectedNet: options.normalization must be 'none', 'batchnorm' or 'layernorm', got groupnorm",
    );
    expect(make({ hiddenDims: [10], dropoutKeepRatio: 0 })).toThrow(
      'FullyConnectedNet: options.dropoutKeepRatio must be a number > 0 and <= 1, got 0',
    );
    expect(make({ hiddenDims: [10], reg: -1 })).toThrow(
      'FullyConnectedNet: options.reg must be a finite number >= 0, got -1',
    );
    expect(make({ hiddenDims: [10], weightScale: 0 })).toThrow(
      'FullyConnectedNet: options.weightScale must be a finite number > 0',
    );
    expect(make({ hiddenDims: [10], dtype: 'int8' })).toThrow(
      "FullyConnectedNet: options.dtype must be 'float64' or 'float32', got int8",
    );
    expect(make({ hiddenDims: [10], seed: 1.5 })).toThrow(
      'FullyConnectedNet: options.seed must be an integer, got 1.5',
    );
    expect(make({ hiddenDims: [10], numClasses: 1 })).toThrow(
      'FullyConnectedNet: options.numClasses must be an integer >= 2, got 1',
    );
    expect(make({ hiddenDims: [10], inputDim: 0 })).toThrow(
      'FullyConnectedNet: options.inputDim must be an integer >= 1, got 0',
    );
  });

  it('names X’s shape, replaced parameters and labels', () => {
    const net = new FullyConnectedNet({ ...small });
    expect(() => net.loss(randn([2, 16], createRng(0)))).toThrow(
      'FullyConnectedNet.loss: X has shape [2,16] but the net expects [N, 15] (inputDim 15)',
    );
    net.params.W2 = randn([30, 20], createRng(0));
    expect(() => net.loss(X, y)).toThrow(
      'FullyConnectedNet.loss: params.W2 has shape [30,20] but the net needs [20,30]',
    );
    const other = new FullyConnectedNet({ ...small });
    other.params.w1 = other.params.W1;
    expect(() => other.loss(X)).toThrow("FullyConnectedNet.loss: params has unknown key 'w1'");
    expect(() => new FullyConnectedNet({ ...small }).loss(X, [0, 10])).toThrow(
      'softmaxLoss: y[1] = 10 is not a class index in [0, 10) for scores [2,10]',
    );
    expect(() => new FullyConnectedNet({ ...small }).loss(X, y, { stats: true } as never)).toThrow(
      "FullyConnectedNet.loss: options has unknown key 'stats' (known: collectStats)",
    );
  });

  it('refuses a batchnorm training batch of one sample, naming the layer', () => {
    const net = new FullyConnectedNet({ ...small, normalization: 'batchnorm' });
    expect(() => net.loss(randn([1, 15], createRng(0)), [3])).toThrow(
      'FullyConnectedNet.loss: batchnormForward of hidden layer 1: train mode needs at least 2 samples, got X of shape [1,15]',
    );
  });
});
