/** layernormForward / layernormBackward: x [N, D], gamma, beta [D]; statistics per sample over its D features. */
import {
  type BatchnormTrainCache,
  batchnormBackwardAlt,
  batchnormForward,
  type LayernormCache,
  layernormBackward,
  layernormForward,
} from '@backprop-lab/layers';
import { mul } from '@backprop-lab/tensor';
import type { ExerciseRun } from '../context.js';
import { normal } from '../inputs.js';
import { detect, type Fingerprint } from '../mistakes/detect.js';
import { checkPair } from '../pair.js';

export function checkLayernorm(run: ExerciseRun): void {
  const { rng } = run;
  const { N, D } = run.sizes;
  const x = normal(rng, [N, D], 2, 1);
  const gamma = normal(rng, [D], 0.5, 1);
  const beta = normal(rng, [D]);
  const result = checkPair(run, {
    forwardName: 'layernormForward',
    backwardName: 'layernormBackward',
    inputs: { x, gamma, beta },
    forward: (fn, inputs) => fn(inputs.x, inputs.gamma, inputs.beta, {}),
    referenceForward: layernormForward,
    referenceBackward: layernormBackward,
    grads: [
      ['dx', 'x'],
      ['dgamma', 'gamma'],
      ['dbeta', 'beta'],
    ],
    dout: normal(rng, [N, D]),
  });
  const { dout } = result;
  // The batch-axis variant is batchnorm itself: the same formula with μ and σ² taken over the N rows.
  const overBatch = batchnormForward(x, gamma, beta, { mode: 'train' });
  const overBatchGrads = batchnormBackwardAlt(dout, overBatch.cache as BatchnormTrainCache);
  const xhat = (result.reference.cache as LayernormCache).xhat;
  const student = { out: result.out, ...result.grads };
  const mistakes: Fingerprint[] = [
    {
      id: 'layernorm-over-batch-axis',
      mistake: 'the mean and variance are taken over the batch axis (that is batchnorm)',
      fix: 'layernorm normalises each sample over its D features: mean and variance along axis 1, kept [N, 1] to broadcast',
      outputs: { out: overBatch.out },
    },
    {
      id: 'layernorm-backward-over-batch-axis',
      mistake: "dx sums over the batch axis, as batchnorm's backward does",
      fix: 'the per-sample sums run over the features (axis 1) and the 1/N becomes 1/D',
      outputs: { dx: overBatchGrads.dx },
    },
    {
      id: 'layernorm-dgamma-not-summed',
      mistake: 'dgamma is dout · xhat [N, D]: it is not summed over the batch',
      fix: 'gamma and beta are still per feature [D]: their gradients sum over the N rows, dgamma = Σn dout · xhat',
      outputs: { dgamma: mul(dout, xhat) },
    },
  ];
  detect(run, student, result.out === undefined ? mistakes.slice(1) : mistakes);
}
