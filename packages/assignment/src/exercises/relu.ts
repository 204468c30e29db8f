/** reluForward / reluBackward: x [any shape]. */
import { reluBackward, reluForward } from '@backprop-lab/layers';
import type { ExerciseRun } from '../context.js';
import { normal } from '../inputs.js';
import { checkPair } from '../pair.js';

export function checkRelu(run: ExerciseRun): void {
  const { rng } = run;
  const { N, D } = run.sizes;
  const x = normal(rng, [N, D]);
  // A centered difference across the kink at 0 reads half the slope: keep every x a step away from it.
  for (let i = 0; i < x.size; i++) if (Math.abs(x.data[i]) < 1e-3) x.data[i] = 0.5;
  checkPair(run, {
    forwardName: 'reluForward',
    backwardName: 'reluBackward',
    inputs: { x },
    forward: (fn, inputs) => fn(inputs.x),
    referenceForward: reluForward,
    referenceBackward: reluBackward,
    grads: [['dx', 'x']],
    dout: normal(rng, [N, D]),
    // reluBackward returns dx itself.
    readGrads: (_fn, value) => ({ dx: value }),
  });
}
