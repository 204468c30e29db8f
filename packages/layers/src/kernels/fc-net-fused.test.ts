// The fused implementation against the readable one ('layers'), which is its oracle: every option, both
// dtypes, several steps (so batchnorm's running statistics and the dropout stream move), test mode and
// statistics. They run the same arithmetic in the same order, so the test asks for identical bits.
import {
  createRng,
  type DType,
  randn,
  reshape,
  setBackend,
  type Tensor,
  typescriptBackend,
} from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { FullyConnectedNet, type LossResult } from '../fc-net.js';
import type { FullyConnectedNetOptions } from '../fc-net-options.js';

const small = { hiddenDims: [7, 6, 5], inputDim: 12, numClasses: 4, weightScale: 0.3 };

function batch(N: number, dtype: DType, seed: number) {
  const rng = createRng(seed);
  const X = randn([N, small.inputDim], rng, dtype);
  const y = Int32Array.from({ length: N }, () => rng.int(small.numClasses));
  return { X, y };
}

const bits = (t: Tensor) => Array.from(t.data);

function expectSameResult(fused: LossResult, layers: LossResult): void {
  expect(fused.loss).toBe(layers.loss);
  expect(Object.keys(fused.grads)).toEqual(Object.keys(layers.grads));
  for (const name of Object.keys(layers.grads)) {
    expect(fused.grads[name].shape, name).toEqual(layers.grads[name].shape);
    expect(fused.grads[name].dtype, name).toBe(layers.grads[name].dtype);
    expect(bits(fused.grads[name]), name).toEqual(bits(layers.grads[name]));
  }
  expect(bits(fused.scores)).toEqual(bits(layers.scores));
  expect(fused.stats).toEqual(layers.stats);
}

/** Trains both nets a few SGD steps on the same batches and compares every result along the way. */
function compareTraining(options: Partial<FullyConnectedNetOptions>, dtype: DType): void {
  const make = (implementation: 'fused' | 'layers') =>
    new FullyConnectedNet({ ...small, seed: 3, dtype, ...options, implementation });
  const [fused, layers] = [make('fused'), make('layers')];
  for (let step = 0; step < 4; step++) {
    const { X, y } = batch(step === 2 ? 9 : 10, dtype, step);
    const collectStats = step % 2 === 1;
    const [a, b] = [fused.loss(X, y, { collectStats }), layers.loss(X, y, { collectStats })];
    expectSameResult(a, b);
    if (collectStats) expect(a.stats).toHaveLength((options.hiddenDims ?? small.hiddenDims).length);
    expect(bits(fused.loss(X))).toEqual(bits(layers.loss(X)));
    for (const name of Object.keys(fused.params)) {
      for (const net of [fused, layers]) {
        const w = net.params[name];
        const g = (net === fused ? a : b).grads[name];
        for (let i = 0; i < w.size; i++) w.data[i] -= 0.1 * g.data[i];
      }
    }
  }
  fused.bnParams.forEach((param, i) => {
    const other = layers.bnParams[i];
    expect(param.mode).toBe(other.mode);
    expect(bits(param.runningMean as Tensor)).toEqual(bits(other.runningMean as Tensor));
    expect(bits(param.runningVar as Tensor)).toEqual(bits(other.runningVar as Tensor));
  });
}

const variants: [string, Partial<FullyConnectedNetOptions>][] = [
  ['no normalization', {}],
  ['batchnorm', { normalization: 'batchnorm' }],
  ['layernorm', { normalization: 'layernorm' }],
  ['dropout from the net stream', { dropoutKeepRatio: 0.6 }],
  ['dropout with a fixed seed', { dropoutKeepRatio: 0.6, dropoutSeed: 5 }],
  ['batchnorm and dropout, reg', { normalization: 'batchnorm', dropoutKeepRatio: 0.7, reg: 0.3 }],
  ['layernorm and dropout, reg', { normalization: 'layernorm', dropoutKeepRatio: 0.7, reg: 0.3 }],
  ['no hidden layer (softmax classifier)', { hiddenDims: [], reg: 0.1 }],
];

describe("FullyConnectedNet: implementation 'fused' gives the bits of 'layers'", () => {
  for (const dtype of ['float64', 'float32'] as const) {
    for (const [label, options] of variants) {
      it(`${label}, ${dtype}: loss, gradients, scores, stats and running statistics`, () => {
        compareTraining(options, dtype);
      });
    }
  }

  // The default backend (native here) runs the fused net's loops in C; without them (wasm, TypeScript)
  // the fused net runs its own JavaScript loops, which must give the same bits too.
  it('does so on a backend without native layer loops, for every option and both dtypes', () => {
    const previous = setBackend(typescriptBackend);
    try {
      for (const dtype of ['float64', 'float32'] as const) {
        for (const [, options] of variants) compareTraining(options, dtype);
      }
    } finally {
      setBackend(previous);
    }
  });

  it('reads X of shape [N, d1..dk] as [N, D]', () => {
    const { X, y } = batch(6, 'float64', 1);
    const X4 = reshape(X, [6, 2, 3, 2]);
    const make = (implementation: 'fused' | 'layers') =>
      new FullyConnectedNet({ ...small, normalization: 'batchnorm', implementation });
    expectSameResult(make('fused').loss(X4, y), make('layers').loss(X4, y));
  });

  it('alternates batch sizes (three sizes, two workspaces kept) without mixing their buffers', () => {
    const make = (implementation: 'fused' | 'layers') =>
      new FullyConnectedNet({ ...small, normalization: 'layernorm', dropoutKeepRatio: 0.5, implementation });
    const [fused, layers] = [make('fused'), make('layers')];
    for (const N of [5, 8, 5, 3, 8, 3, 5]) {
      const { X, y } = batch(N, 'float64', N);
      expectSameResult(fused.loss(X, y), layers.loss(X, y));
    }
  });

  it('a batch of one falls back to the layers: same errors, same scores', () => {
    const { X, y } = batch(1, 'float64', 2);
    const bn = new FullyConnectedNet({ ...small, normalization: 'batchnorm' });
    expect(() => bn.loss(X, y)).toThrow(
      /batchnormForward of hidden layer 1: train mode needs at least 2 samples/,
    );
    const make = (implementation: 'fused' | 'layers') => new FullyConnectedNet({ ...small, implementation });
    expectSameResult(make('fused').loss(X, y), make('layers').loss(X, y));
  });
});

describe('FullyConnectedNet fused: results a caller holds stay its own', () => {
  it('gradients and scores of one call are not overwritten by the next', () => {
    const net = new FullyConnectedNet({ ...small, normalization: 'batchnorm' });
    const first = batch(10, 'float64', 1);
    const before = net.loss(first.X, first.y);
    const copy = Object.fromEntries(Object.entries(before.grads).map(([k, g]) => [k, bits(g)]));
    const scores = bits(before.scores);
    const other = batch(10, 'float64', 2);
    net.loss(other.X, other.y);
    net.loss(other.X);
    for (const [name, values] of Object.entries(copy)) expect(bits(before.grads[name]), name).toEqual(values);
    expect(bits(before.scores)).toEqual(scores);
  });

  it('is deterministic: two nets with one seed give the same bits over several steps', () => {
    const run = () => {
      const net = new FullyConnectedNet({
        ...small,
        normalization: 'batchnorm',
        dropoutKeepRatio: 0.8,
        dtype: 'float32',
      });
      const losses: number[] = [];
      for (let step = 0; step < 3; step++) {
        const { X, y } = batch(10, 'float32', step);
        const { loss, grads } = net.loss(X, y);
        losses.push(loss);
        for (const name of Object.keys(net.params)) {
          const w = net.params[name];
          for (let i = 0; i < w.size; i++) w.data[i] -= 0.05 * grads[name].data[i];
        }
      }
      return { losses, W1: bits(net.params.W1) };
    };
    expect(run()).toEqual(run());
  });

  it('sees parameters the caller replaced between calls', () => {
    const { X, y } = batch(10, 'float64', 4);
    const make = (implementation: 'fused' | 'layers') => new FullyConnectedNet({ ...small, implementation });
    const [fused, layers] = [make('fused'), make('layers')];
    fused.loss(X, y);
    const W2 = randn([7, 6], createRng(9));
    fused.params.W2 = W2;
    layers.params.W2 = W2.clone();
    expectSameResult(fused.loss(X, y), layers.loss(X, y));
  });

  it('rejects an unknown implementation, naming the option', () => {
    expect(() => new FullyConnectedNet({ ...small, implementation: 'gpu' as never })).toThrow(
      "FullyConnectedNet: options.implementation must be 'fused' or 'layers', got gpu",
    );
  });

  it('reports a bad bnParam as the layers do', () => {
    const { X, y } = batch(10, 'float64', 4);
    for (const implementation of ['fused', 'layers'] as const) {
      const net = new FullyConnectedNet({ ...small, normalization: 'batchnorm', implementation });
      net.bnParams[1].eps = -1;
      expect(() => net.loss(X, y)).toThrow(
        'batchnormForward: bnParam.eps must be a finite number > 0, got -1',
      );
    }
  });
});
