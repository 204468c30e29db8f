/**
 * Softmax cross-entropy loss. Shapes: N batch, C classes.
 *   pₙ = softmax(sₙ),  loss = (1/N) Σₙ −log pₙ[yₙ],  dx = (p − onehot(y)) / N
 * Rows are shifted by their max first: softmax is unchanged and exp cannot overflow.
 */
import { div, exp, log, max, mul, sub, sum, type Tensor } from '@backprop-lab/tensor';
import { checkScoresAndLabels, type Labels, oneHot } from './labels.js';

/** scores [N, C], y [N]  →  loss, dx [N, C] */
export function softmaxLoss(scores: Tensor, y: Labels): { loss: number; dx: Tensor } {
  const { N, C } = checkScoresAndLabels('softmaxLoss', scores, y);
  const rows = { axis: 1, keepDims: true };
  const shifted = sub(scores, max(scores, rows)); // [N, C], each row's max is 0
  const expShifted = exp(shifted); // [N, C]
  const Z = sum(expShifted, rows); // [N, 1]
  // log p = shifted − log Z: the log-sum-exp form keeps a tiny p[y] finite where log(exp(...)) would not.
  const logProbs = sub(shifted, log(Z)); // [N, C]
  const probs = div(expShifted, Z); // [N, C]
  const onehot = oneHot(y, C, scores.dtype); // [N, C]
  const loss = -sum(mul(logProbs, onehot)).item() / N;
  const dx = div(sub(probs, onehot), N);
  return { loss, dx };
}
