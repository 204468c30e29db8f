/**
 * batchnormBackward (the graph form, optionally returning its named steps) and batchnormBackwardAlt (the
 * simplified expression): dout [N, D] → dx [N, D], dgamma [D], dbeta [D], on a train-mode forward's cache.
 */
import {
  type BatchnormGraphGrads,
  type BatchnormParam,
  type BatchnormTrainCache,
  batchnormBackward,
  batchnormBackwardAlt,
  batchnormForward,
} from '@backprop-lab/layers';
import { mul } from '@backprop-lab/tensor';
import type { ExerciseRun, StudentFunction } from '../context.js';
import { normal } from '../inputs.js';
import { detect } from '../mistakes/detect.js';
import { checkPair, type PairResult } from '../pair.js';
import { checkSteps } from './batchnorm-steps.js';

function checkForm(run: ExerciseRun, backwardName: string, referenceBackward: StudentFunction): PairResult {
  const { rng } = run;
  const { N, D } = run.sizes;
  return checkPair(run, {
    forwardName: 'batchnormForward',
    backwardName,
    inputs: { x: normal(rng, [N, D], 2, 1), gamma: normal(rng, [D], 0.5, 1), beta: normal(rng, [D]) },
    forward: (fn, { x, gamma, beta }) => fn(x, gamma, beta, { mode: 'train' } satisfies BatchnormParam),
    referenceForward: batchnormForward,
    referenceBackward,
    grads: [
      ['dx', 'x'],
      ['dgamma', 'gamma'],
      ['dbeta', 'beta'],
    ],
    dout: normal(rng, [N, D]),
  });
}

/** The mistakes both forms can make, as the reference's values with that one mistake. */
function detectMistakes(run: ExerciseRun, result: PairResult): void {
  if (!result.grads) return;
  const { dout } = result;
  const cache = result.reference.cache as BatchnormTrainCache;
  const steps = batchnormBackward(dout, cache).steps!;
  detect(run, result.grads, [
    {
      id: 'batchnorm-dgamma-not-summed',
      mistake: 'dgamma is dout · xhat [N, D]: it is not summed over the batch',
      fix: 'gamma [D] was broadcast over the N rows, so its gradient sums them: dgamma = Σn dout · xhat',
      outputs: { dgamma: mul(dout, cache.xhat) },
    },
    {
      id: 'batchnorm-dbeta-not-summed',
      mistake: 'dbeta is dout [N, D]: it is not summed over the batch',
      fix: 'beta [D] was broadcast over the N rows, so its gradient sums them: dbeta = Σn dout',
      outputs: { dbeta: dout },
    },
    {
      id: 'batchnorm-mean-path-dropped',
      mistake: 'dx leaves out the path through the batch mean μ (dx is dx1 alone)',
      fix: 'μ depends on every x: add dx2 = (1/N)·dmu with dmu = −Σn dx1 (or use the simplified expression, whose −Σdy term is that path)',
      outputs: { dx: steps.dx1 },
    },
  ]);
}

export function checkBatchnormBackward(run: ExerciseRun): void {
  const result = checkForm(run, 'batchnormBackward', batchnormBackward);
  if (result.backward !== undefined && typeof result.backward === 'object' && result.backward !== null) {
    const reference = result.reference.backward as BatchnormGraphGrads;
    checkSteps(run, (result.backward as { steps?: unknown }).steps, reference.steps!);
  }
  detectMistakes(run, result);
}

export function checkBatchnormBackwardAlt(run: ExerciseRun): void {
  const result = checkForm(run, 'batchnormBackwardAlt', batchnormBackwardAlt);
  detectMistakes(run, result);
}
