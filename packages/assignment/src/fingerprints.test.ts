// Every mistake fingerprint: a student implementation with that one planted bug, and the check must name
// the mistake (and fail the exercise). The planted code is in test-support/planted.ts.
import { type BatchnormTrainCache, batchnormBackward, batchnormBackwardAlt } from '@backprop-lab/layers';
import { mul, sum, type Tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { runChecks } from './run-checks.js';
import {
  layernormOverBatch,
  plantedAdam,
  plantedBatchnormForward,
  plantedDropoutBackward,
  plantedDropoutForward,
  plantedNet,
  softmaxLossNoShift,
} from './test-support/planted.js';
import { withImpl } from './test-support/reference-impl.js';

type Grads = { dx: Tensor; dgamma: Tensor; dbeta: Tensor };
const backwardWith = (change: (g: Grads, dout: Tensor, cache: BatchnormTrainCache) => Partial<Grads>) => ({
  batchnormBackward: (dout: Tensor, cache: BatchnormTrainCache) => {
    const g = batchnormBackward(dout, cache);
    return { ...g, ...change(g, dout, cache) };
  },
  batchnormBackwardAlt: (dout: Tensor, cache: BatchnormTrainCache) => {
    const g = batchnormBackwardAlt(dout, cache);
    return { ...g, ...change(g, dout, cache) };
  },
});

const cases: [string, string[], Record<string, unknown>, string][] = [
  [
    'batchnorm: dgamma not summed over the batch',
    ['batchnorm-backward', 'batchnorm-backward-alt'],
    backwardWith((_, dout, cache) => ({ dgamma: mul(dout, cache.xhat) })),
    'batchnorm-dgamma-not-summed',
  ],
  [
    'batchnorm: dbeta not summed over the batch',
    ['batchnorm-backward', 'batchnorm-backward-alt'],
    backwardWith((_, dout) => ({ dbeta: dout })),
    'batchnorm-dbeta-not-summed',
  ],
  [
    'batchnorm: the path through the mean dropped from dx',
    ['batchnorm-backward'],
    backwardWith((g) => ({ dx: (g as ReturnType<typeof batchnormBackward>).steps!.dx1 })),
    'batchnorm-mean-path-dropped',
  ],
  [
    'batchnorm: unbiased (N−1) variance',
    ['batchnorm-forward'],
    { batchnormForward: plantedBatchnormForward('unbiased') },
    'batchnorm-unbiased-variance',
  ],
  [
    'batchnorm: running-average momentum reversed',
    ['batchnorm-forward'],
    { batchnormForward: plantedBatchnormForward('momentum-reversed') },
    'batchnorm-momentum-reversed',
  ],
  [
    'batchnorm: test mode normalising with batch statistics',
    ['batchnorm-forward'],
    { batchnormForward: plantedBatchnormForward('test-uses-batch') },
    'batchnorm-test-uses-batch-stats',
  ],
  [
    'dropout: not inverted',
    ['dropout'],
    { dropoutForward: plantedDropoutForward('not-inverted'), dropoutBackward: plantedDropoutBackward },
    'dropout-not-inverted',
  ],
  [
    'dropout: p read as drop probability',
    ['dropout'],
    { dropoutForward: plantedDropoutForward('drop-probability'), dropoutBackward: plantedDropoutBackward },
    'dropout-p-as-drop-probability',
  ],
  [
    'dropout: p read as drop probability, another mask stream',
    ['dropout'],
    {
      dropoutForward: plantedDropoutForward('drop-probability-own-stream'),
      dropoutBackward: plantedDropoutBackward,
    },
    'dropout-p-as-drop-probability',
  ],
  [
    'softmax: no max shift (large scores)',
    ['softmax'],
    { softmaxLoss: softmaxLossNoShift },
    'softmax-no-max-shift',
  ],
  [
    'adam: no bias correction',
    ['adam'],
    { adam: plantedAdam('no-bias-correction') },
    'adam-no-bias-correction',
  ],
  [
    'adam: t incremented after use',
    ['adam'],
    { adam: plantedAdam('t-after-use') },
    'adam-t-incremented-after-use',
  ],
  [
    'fc-net: L2 gradient missing',
    ['fc-net'],
    { FullyConnectedNet: plantedNet('l2-gradient-missing') },
    'fc-net-l2-gradient-missing',
  ],
  [
    'fc-net: L2 applied to gamma/beta',
    ['fc-net'],
    { FullyConnectedNet: plantedNet('l2-on-gamma-beta') },
    'fc-net-l2-on-gamma-beta',
  ],
  ['layernorm: over the batch axis', ['layernorm'], layernormOverBatch, 'layernorm-over-batch-axis'],
  [
    'layernorm: dgamma not summed over the batch',
    ['layernorm'],
    {
      layernormBackward: (dout: Tensor, cache: { xhat: Tensor }) => ({
        ...(withImpl({}).layernormBackward as (d: Tensor, c: unknown) => Grads)(dout, cache),
        dgamma: mul(dout, cache.xhat),
      }),
    },
    'layernorm-dgamma-not-summed',
  ],
  [
    'affine: db not summed',
    ['affine'],
    {
      affineBackward: (dout: Tensor, cache: unknown) => ({
        ...(withImpl({}).affineBackward as (d: Tensor, c: unknown) => object)(dout, cache),
        db: dout,
      }),
    },
    'affine-db-not-summed',
  ],
  [
    'softmax: dx not divided by N',
    ['softmax'],
    {
      softmaxLoss: (s: Tensor, y: Int32Array) => {
        const r = (withImpl({}).softmaxLoss as typeof softmaxLossNoShift)(s, y);
        return { ...r, dx: mul(r.dx, s.shape[0]) };
      },
    },
    'softmax-dx-not-averaged',
  ],
];

describe('mistake fingerprints', () => {
  it.each(cases)('%s is named', (_, only, changes, mistake) => {
    for (const seed of [0, 1]) {
      const report = runChecks(withImpl(changes), { only, seed });
      for (const exercise of report.exercises) {
        expect(exercise.status, `${exercise.id} seed ${seed}`).toBe('fail');
        expect(
          exercise.mistakes.map((m) => m.id),
          `${exercise.id} seed ${seed}`,
        ).toContain(mistake);
      }
      expect(report.ok).toBe(false);
    }
  });

  it('names no mistake when the student is right', () => {
    const report = runChecks(withImpl({}), {});
    expect(report.exercises.flatMap((e) => e.mistakes)).toEqual([]);
  });

  it('names no fingerprint for a wrong answer that is none of the known mistakes', () => {
    const report = runChecks(withImpl(backwardWith((g) => ({ dbeta: mul(sum(g.dbeta), 0) }))), {
      only: ['batchnorm-backward-alt'],
    });
    expect(report.exercises[0].status).toBe('fail');
    expect(report.exercises[0].mistakes).toEqual([]);
  });
});
