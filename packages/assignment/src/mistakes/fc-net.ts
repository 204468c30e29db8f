/**
 * FullyConnectedNet.loss with a known L2 mistake, for fingerprints only (never shipped to students): the
 * reference's result with the regularisation term moved.
 */
import type { LossResult } from '@backprop-lab/layers';
import { add, mul, sub, type Tensor } from '@backprop-lab/tensor';

/** The W gradients without reg·W: the penalty is in the loss but not in its gradient. */
export function l2GradientMissing(reference: LossResult, params: Record<string, Tensor>, reg: number) {
  return mapGrads(reference, params, /^W\d+$/, (grad, value) => sub(grad, mul(value, reg)));
}

/** reg·gamma and reg·beta added to their gradients: the normalisation's scale and shift penalised too. */
export function l2OnGammaBeta(reference: LossResult, params: Record<string, Tensor>, reg: number) {
  return mapGrads(reference, params, /^(gamma|beta)\d+$/, (grad, value) => add(grad, mul(value, reg)));
}

function mapGrads(
  reference: LossResult,
  params: Record<string, Tensor>,
  names: RegExp,
  change: (grad: Tensor, value: Tensor) => Tensor,
): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const name of Object.keys(reference.grads)) {
    if (names.test(name)) out[`grads.${name}`] = change(reference.grads[name], params[name]);
  }
  return out;
}
