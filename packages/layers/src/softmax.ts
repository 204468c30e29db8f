/**
 * Softmax cross-entropy loss. Shapes: N batch, C classes.
 *   pₙ = softmax(sₙ),  loss = (1/N) Σₙ −log pₙ[yₙ],  dx = (p − onehot(y)) / N
 * Rows are shifted by their max first: softmax is unchanged and exp cannot overflow.
 */
import { allocate, Tensor } from '@backprop-lab/tensor';
import { checkScoresAndLabels, type Labels } from './labels.js';

/** scores [N, C], y [N]  →  loss, dx [N, C] */
export function softmaxLoss(scores: Tensor, y: Labels): { loss: number; dx: Tensor } {
  const { N, C } = checkScoresAndLabels('softmaxLoss', scores, y);
  const s = scores.data;
  const dx = allocate(scores.dtype, scores.size);
  let loss = 0;
  for (let n = 0; n < N; n++) {
    const row = n * C;
    let rowMax = s[row];
    for (let c = 1; c < C; c++) if (s[row + c] > rowMax) rowMax = s[row + c];
    let total = 0;
    for (let c = 0; c < C; c++) total += Math.exp(s[row + c] - rowMax);
    // −log p[y] = log Σ exp(s − max) − (s[y] − max): the log-sum-exp form keeps tiny p[y] finite.
    loss += Math.log(total) - (s[row + y[n]] - rowMax);
    for (let c = 0; c < C; c++) dx[row + c] = Math.exp(s[row + c] - rowMax) / total / N;
    dx[row + y[n]] -= 1 / N;
  }
  return { loss: loss / N, dx: new Tensor(dx, scores.shape) };
}
