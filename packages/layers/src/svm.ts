/**
 * Multiclass SVM (hinge) loss with margin 1. Shapes: N batch, C classes.
 *   loss = (1/N) Σₙ Σ_{j≠yₙ} max(0, sₙⱼ − sₙ[yₙ] + 1)
 *   dx[n, j] = 1/N for every j ≠ yₙ with a positive margin; dx[n, yₙ] = −(their count)/N
 */
import { add, div, greater, maximum, mul, sub, sum, type Tensor, where } from '@backprop-lab/tensor';
import { checkScoresAndLabels, type Labels, oneHot } from './labels.js';

/** scores [N, C], y [N]  →  loss, dx [N, C] */
export function svmLoss(scores: Tensor, y: Labels): { loss: number; dx: Tensor } {
  const { N, C } = checkScoresAndLabels('svmLoss', scores, y);
  const rows = { axis: 1, keepDims: true };
  const onehot = oneHot(y, C, scores.dtype); // [N, C]
  const correct = sum(mul(scores, onehot), rows); // [N, 1] sₙ[yₙ]
  // The correct class is no violation of its own margin.
  const margins = where(onehot, 0, maximum(add(sub(scores, correct), 1), 0)); // [N, C]
  const loss = sum(margins).item() / N;
  // Strictly > 0: a margin of exactly 0 is the hinge's kink and contributes no gradient, as CS231n.
  const violated = greater(margins, 0); // [N, C]
  const dx = div(sub(violated, mul(onehot, sum(violated, rows))), N);
  return { loss, dx };
}
