/** Wrong softmax variants, for fingerprints only: never shipped to students as solution text. */
import { div, exp, log, mul, sub, sum, type Tensor, tensor } from '@backprop-lab/tensor';

/** Softmax without the max shift: exp overflows to Infinity once a score passes ~709. */
export function softmaxLossUnshifted(scores: Tensor, y: Int32Array): { loss: number; dx: Tensor } {
  const [N, C] = scores.shape;
  const expScores = exp(scores);
  const probs = div(expScores, sum(expScores, { axis: 1, keepDims: true }));
  const onehot = tensor(
    Array.from({ length: N * C }, (_, i) => (y[Math.floor(i / C)] === i % C ? 1 : 0)),
    [N, C],
  );
  const loss = -sum(mul(log(probs), onehot)).item() / N;
  return { loss, dx: div(sub(probs, onehot), N) };
}
