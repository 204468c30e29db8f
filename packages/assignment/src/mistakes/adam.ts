/**
 * Adam with a known mistake, for fingerprints only (never shipped to students). Written with tensor ops,
 * one step per call, the CS231n order: t += 1; m, v; bias-corrected m̂, v̂; w −= lr·m̂/(√v̂ + ε).
 */
import type { AdamConfig } from '@backprop-lab/optim';
import { add, div, mul, sqrt, square, sub, type Tensor } from '@backprop-lab/tensor';

export type AdamMistake = 'no-bias-correction' | 't-incremented-after-use';

export function adamWithMistake(w: Tensor, dw: Tensor, state: AdamConfig, mistake: AdamMistake): Tensor {
  const { learningRate, beta1, beta2, epsilon } = state;
  // The mistake: the correction reads t before this step counts itself (1 − β⁰ = 0 on the first step).
  const t = mistake === 't-incremented-after-use' ? state.t : state.t + 1;
  const m = add(mul(beta1, state.m), mul(1 - beta1, dw));
  const v = add(mul(beta2, state.v), mul(1 - beta2, square(dw)));
  const mHat = mistake === 'no-bias-correction' ? m : div(m, 1 - beta1 ** t);
  const vHat = mistake === 'no-bias-correction' ? v : div(v, 1 - beta2 ** t);
  return sub(w, div(mul(learningRate, mHat), add(sqrt(vHat), epsilon)));
}
