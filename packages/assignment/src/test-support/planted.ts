/**
 * Student implementations with one planted mistake each: the reference with that one bug, written the way
 * a student would write it (not through the package's own wrong variants, which would match trivially).
 */
import {
  type BatchnormParam,
  type BatchnormTrainCache,
  batchnormBackwardAlt,
  batchnormForward,
  type DropoutParam,
  FullyConnectedNet,
  type Labels,
  type LossResult,
} from '@backprop-lab/layers';
import {
  add,
  createRng,
  div,
  exp,
  greaterEqual,
  less,
  mean,
  mul,
  rand,
  sqrt,
  square,
  sub,
  sum,
  type Tensor,
  zeros,
} from '@backprop-lab/tensor';

export type BatchnormBug = 'unbiased' | 'momentum-reversed' | 'test-uses-batch';

/** batchnormForward written out op by op, with one bug. */
export function plantedBatchnormForward(bug: BatchnormBug) {
  return (x: Tensor, gamma: Tensor, beta: Tensor, param: BatchnormParam) => {
    const [N, D] = x.shape;
    const momentum = param.momentum ?? 0.9;
    const runningMean = param.runningMean ?? zeros([D], x.dtype);
    const runningVar = param.runningVar ?? zeros([D], x.dtype);
    const batch = param.mode === 'train' || bug === 'test-uses-batch';
    const mu = batch ? mean(x, { axis: 0 }) : runningMean;
    const squares = sum(square(sub(x, mean(x, { axis: 0 }))), { axis: 0 });
    const batchVar = div(squares, bug === 'unbiased' ? N - 1 : N);
    const variance = batch ? batchVar : runningVar;
    const xhat = div(sub(x, mu), sqrt(add(variance, 1e-5)));
    if (param.mode === 'train') {
      const [keep, take] = bug === 'momentum-reversed' ? [1 - momentum, momentum] : [momentum, 1 - momentum];
      param.runningMean = add(mul(keep, runningMean), mul(take, mu));
      param.runningVar = add(mul(keep, runningVar), mul(take, variance));
    }
    return {
      out: add(mul(gamma, xhat), beta),
      cache: batchnormForward(x, gamma, beta, { mode: 'train' }).cache,
    };
  };
}

/** Softmax loss without the max shift: exp(scores) straight away. */
export function softmaxLossNoShift(scores: Tensor, y: Labels): { loss: number; dx: Tensor } {
  const [N, C] = scores.shape;
  const expScores = exp(scores);
  const probs = div(expScores, sum(expScores, { axis: 1, keepDims: true }));
  const dx = probs.clone();
  let loss = 0;
  for (let n = 0; n < N; n++) {
    loss -= Math.log(probs.data[n * C + y[n]]);
    dx.data[n * C + y[n]] -= 1;
  }
  return { loss: loss / N, dx: div(dx, N) };
}

export type DropoutBug = 'not-inverted' | 'drop-probability' | 'drop-probability-own-stream';

export function plantedDropoutForward(bug: DropoutBug) {
  return (x: Tensor, param: DropoutParam) => {
    if (param.mode === 'test') return { out: x, cache: { mask: null } };
    const u = rand(x.shape, createRng(param.seed!));
    const { p } = param;
    let mask: Tensor;
    if (bug === 'not-inverted') mask = less(u, p);
    else if (bug === 'drop-probability') mask = div(greaterEqual(u, p), 1 - p);
    else mask = div(less(u, 1 - p), 1 - p); // the same misreading with another draw of the mask
    return { out: mul(x, mask), cache: { mask } };
  };
}

export function plantedDropoutBackward(dout: Tensor, cache: { mask: Tensor | null }): Tensor {
  return cache.mask === null ? dout : mul(dout, cache.mask);
}

export type AdamBug = 'no-bias-correction' | 't-after-use';

/** Adam as a loop over the weights, as a student would port CS231n's numpy, with one bug. */
export function plantedAdam(bug: AdamBug) {
  return (w: Tensor, dw: Tensor, config: Record<string, unknown> = {}) => {
    const lr = (config.learningRate as number) ?? 1e-3;
    const beta1 = (config.beta1 as number) ?? 0.9;
    const beta2 = (config.beta2 as number) ?? 0.999;
    const epsilon = (config.epsilon as number) ?? 1e-8;
    const m = ((config.m as Tensor) ?? zeros(w.shape)).clone();
    const v = ((config.v as Tensor) ?? zeros(w.shape)).clone();
    let t = (config.t as number) ?? 0;
    if (bug !== 't-after-use') t += 1;
    const next = w.clone();
    for (let i = 0; i < w.size; i++) {
      m.data[i] = beta1 * m.data[i] + (1 - beta1) * dw.data[i];
      v.data[i] = beta2 * v.data[i] + (1 - beta2) * dw.data[i] ** 2;
      const mHat = bug === 'no-bias-correction' ? m.data[i] : m.data[i] / (1 - beta1 ** t);
      const vHat = bug === 'no-bias-correction' ? v.data[i] : v.data[i] / (1 - beta2 ** t);
      next.data[i] -= (lr * mHat) / (Math.sqrt(vHat) + epsilon);
    }
    if (bug === 't-after-use') t += 1;
    return { w: next, config: { learningRate: lr, beta1, beta2, epsilon, m, v, t } };
  };
}

export type NetBug = 'l2-gradient-missing' | 'l2-on-gamma-beta';

/** The reference net whose loss moves the L2 gradient term. */
export function plantedNet(bug: NetBug) {
  return class extends FullyConnectedNet {
    override loss(X: Tensor): Tensor;
    override loss(X: Tensor, y: Labels): LossResult;
    override loss(X: Tensor, y?: Labels): Tensor | LossResult {
      if (y === undefined) return super.loss(X);
      const result = super.loss(X, y);
      const { reg } = this.options;
      for (const name of Object.keys(result.grads)) {
        const param = this.params[name];
        if (bug === 'l2-gradient-missing' && name.startsWith('W'))
          result.grads[name] = sub(result.grads[name], mul(param, reg));
        if (bug === 'l2-on-gamma-beta' && /^(gamma|beta)/.test(name))
          result.grads[name] = add(result.grads[name], mul(param, reg));
      }
      return result;
    }
  };
}

/** Layernorm that normalises over the batch axis: batchnorm's forward and backward under layernorm's names. */
export const layernormOverBatch = {
  layernormForward: (x: Tensor, gamma: Tensor, beta: Tensor) =>
    batchnormForward(x, gamma, beta, { mode: 'train' }),
  layernormBackward: (dout: Tensor, cache: BatchnormTrainCache) => batchnormBackwardAlt(dout, cache),
};
