/** batchnormForward in train mode (out, running statistics) and test mode: x [N, D], gamma, beta [D]. */
import { type BatchnormParam, batchnormForward } from '@backprop-lab/layers';
import { abs, type Tensor } from '@backprop-lab/tensor';
import { compare, FORWARD_THRESHOLD } from '../compare.js';
import { type ExerciseRun, field } from '../context.js';
import { normal } from '../inputs.js';
import {
  batchnormMomentumReversed,
  batchnormTestWithBatchStats,
  batchnormTrainUnbiased,
} from '../mistakes/batchnorm.js';
import { detect } from '../mistakes/detect.js';
import { checkFloat32 } from '../pair.js';

const NAME = 'batchnormForward';
const RESULT = '{ out, cache }';

export function checkBatchnormForward(run: ExerciseRun): void {
  const { rng } = run;
  const { N, D } = run.sizes;
  // Far from zero mean and unit variance, so a missing normalisation step cannot pass by chance.
  const x = normal(rng, [N, D], 3, 5);
  const gamma = normal(rng, [D], 0.5, 1);
  const beta = normal(rng, [D]);
  const runningMean = normal(rng, [D]);
  const runningVar = abs(normal(rng, [D], 1, 1));
  const trainParam = (): BatchnormParam => ({
    mode: 'train',
    momentum: 0.8,
    runningMean: runningMean.clone(),
    runningVar: runningVar.clone(),
  });
  const testParam = (): BatchnormParam => ({
    mode: 'test',
    runningMean: runningMean.clone(),
    runningVar: runningVar.clone(),
  });

  const call = (param: BatchnormParam) =>
    run.call(NAME, (fn) => {
      const out = field<Tensor>(NAME, fn(x.clone(), gamma.clone(), beta.clone(), param), 'out', RESULT);
      return { out, runningMean: param.runningMean, runningVar: param.runningVar };
    });

  const refTrainParam = trainParam();
  const reference = batchnormForward(x, gamma, beta, refTrainParam);
  const train = call(trainParam());
  if (train) {
    run.add(compare('out (train)', 'reference', train.out, reference.out, FORWARD_THRESHOLD));
    run.add(
      compare('runningMean', 'reference', train.runningMean, refTrainParam.runningMean!, FORWARD_THRESHOLD),
    );
    run.add(
      compare('runningVar', 'reference', train.runningVar, refTrainParam.runningVar!, FORWARD_THRESHOLD),
    );
  }
  if (train) {
    checkFloat32(run, {
      forwardName: NAME,
      inputs: { x, gamma, beta },
      forward: (fn, inputs) => fn(inputs.x, inputs.gamma, inputs.beta, { mode: 'train' }),
    });
  }
  const referenceTest = batchnormForward(x, gamma, beta, testParam()).out;
  const test = call(testParam());
  if (test) run.add(compare('out (test)', 'reference', test.out, referenceTest, FORWARD_THRESHOLD));

  const unbiased = batchnormTrainUnbiased(x, gamma, beta, trainParam());
  const reversed = batchnormMomentumReversed(x, trainParam());
  detect(
    run,
    {
      trainOut: train?.out,
      runningMean: train?.runningMean,
      runningVar: train?.runningVar,
      testOut: test?.out,
    },
    [
      {
        id: 'batchnorm-unbiased-variance',
        mistake: 'the batch variance divides by N − 1 (unbiased) instead of N',
        fix: "batchnorm normalises with the biased variance (1/N) Σ (x − μ)², as numpy's var() and the paper do",
        outputs: { trainOut: unbiased.out },
      },
      {
        id: 'batchnorm-momentum-reversed',
        mistake:
          'the running averages give the new batch the weight `momentum` and the old value 1 − momentum',
        fix: 'running = momentum · running + (1 − momentum) · batch: momentum is how much of the OLD value survives',
        outputs: { runningMean: reversed.runningMean, runningVar: reversed.runningVar },
      },
      {
        id: 'batchnorm-test-uses-batch-stats',
        mistake: "test mode normalises with the batch's mean and variance",
        fix: 'in test mode use bnParam.runningMean and bnParam.runningVar, and do not update them',
        outputs: { testOut: batchnormTestWithBatchStats(x, gamma, beta) },
      },
    ],
  );
}
