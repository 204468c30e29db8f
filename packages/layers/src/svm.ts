/**
 * Multiclass SVM (hinge) loss with margin 1. Shapes: N batch, C classes.
 *   loss = (1/N) Σₙ Σ_{j≠yₙ} max(0, sₙⱼ − sₙ[yₙ] + 1)
 *   dx[n, j] = 1/N for every j ≠ yₙ with a positive margin; dx[n, yₙ] = −(their count)/N
 */
import { allocate, Tensor } from '@backprop-lab/tensor';
import { checkScoresAndLabels, type Labels } from './labels.js';

/** scores [N, C], y [N]  →  loss, dx [N, C] */
export function svmLoss(scores: Tensor, y: Labels): { loss: number; dx: Tensor } {
  const { N, C } = checkScoresAndLabels('svmLoss', scores, y);
  const s = scores.data;
  const dx = allocate(scores.dtype, scores.size);
  let loss = 0;
  for (let n = 0; n < N; n++) {
    const row = n * C;
    const correct = s[row + y[n]];
    let violations = 0;
    for (let c = 0; c < C; c++) {
      if (c === y[n]) continue;
      const margin = s[row + c] - correct + 1;
      // A margin of exactly 0 is the hinge's kink: it contributes no gradient, as CS231n (margins > 0).
      if (margin > 0) {
        loss += margin;
        dx[row + c] = 1 / N;
        violations += 1;
      }
    }
    dx[row + y[n]] = -violations / N;
  }
  return { loss: loss / N, dx: new Tensor(dx, scores.shape) };
}
