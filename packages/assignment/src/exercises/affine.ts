/** affineForward / affineBackward: x [N, D], W [D, M], b [M]. */
import { affineBackward, affineForward } from '@backprop-lab/layers';
import { mul, sum } from '@backprop-lab/tensor';
import type { ExerciseRun } from '../context.js';
import { normal } from '../inputs.js';
import { detect } from '../mistakes/detect.js';
import { checkPair } from '../pair.js';

export function checkAffine(run: ExerciseRun): void {
  const { rng } = run;
  const { N, D, M } = run.sizes;
  const inputs = { x: normal(rng, [N, D]), W: normal(rng, [D, M], 0.5), b: normal(rng, [M]) };
  const dout = normal(rng, [N, M]);
  const result = checkPair(run, {
    forwardName: 'affineForward',
    backwardName: 'affineBackward',
    inputs,
    forward: (fn, { x, W, b }) => fn(x, W, b),
    referenceForward: affineForward,
    referenceBackward: affineBackward,
    grads: [
      ['dx', 'x'],
      ['dW', 'W'],
      ['db', 'b'],
    ],
    dout,
  });
  if (!result.grads) return;
  detect(run, result.grads, [
    {
      id: 'affine-db-not-summed',
      mistake: 'db is dout itself [N, M]: it is not summed over the batch',
      fix: 'b was added to every row, so its gradient sums dout over the rows: db = sum(dout, { axis: 0 })',
      outputs: { db: dout },
    },
    {
      id: 'affine-db-mean',
      mistake: 'db averages dout over the batch instead of summing it',
      fix: 'the loss already averaged over N; db = sum(dout, { axis: 0 }), not mean',
      outputs: { db: mul(sum(dout, { axis: 0 }), 1 / N) },
    },
  ]);
}
