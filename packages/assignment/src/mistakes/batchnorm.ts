/**
 * Wrong batchnorm variants, for fingerprints only (never shipped to students). Each is the reference with
 * one known mistake, built from the reference's own pieces where it can be.
 */
import { type BatchnormParam, batchnormForward } from '@backprop-lab/layers';
import { add, mean, mul, type Tensor, variance } from '@backprop-lab/tensor';

/** Train mode with the unbiased variance Σ(x−μ)²/(N−1): out and the running statistics it leaves. */
export function batchnormTrainUnbiased(x: Tensor, gamma: Tensor, beta: Tensor, param: BatchnormParam) {
  const N = x.shape[0];
  const mu = mean(x, { axis: 0 });
  const unbiased = mul(variance(x, { axis: 0 }), N / (N - 1));
  // Test mode normalises with whatever statistics it is given: here, the batch's with the wrong variance.
  const { out } = batchnormForward(x, gamma, beta, {
    mode: 'test',
    eps: param.eps,
    runningMean: mu,
    runningVar: unbiased,
  });
  const { runningMean, runningVar } = blend(param, mu, unbiased, param.momentum ?? 0.9);
  return { out, runningMean, runningVar };
}

/** running = (1 − momentum)·running + momentum·batch: the weights of old and new swapped. */
export function batchnormMomentumReversed(x: Tensor, param: BatchnormParam) {
  return blend(param, mean(x, { axis: 0 }), variance(x, { axis: 0 }), 1 - (param.momentum ?? 0.9));
}

function blend(param: BatchnormParam, mu: Tensor, batchVar: Tensor, keep: number) {
  return {
    runningMean: add(mul(keep, param.runningMean!), mul(1 - keep, mu)),
    runningVar: add(mul(keep, param.runningVar!), mul(1 - keep, batchVar)),
  };
}

/** Test mode normalising with the batch's statistics instead of the running ones. */
export function batchnormTestWithBatchStats(x: Tensor, gamma: Tensor, beta: Tensor, eps?: number): Tensor {
  return batchnormForward(x, gamma, beta, { mode: 'train', eps }).out;
}
