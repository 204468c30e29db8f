/** A complete Summary from fake runs, for report tests (compare or a sweep). */

import { compareRuns } from '../analysis/compare.js';
import { writeConclusion } from '../analysis/conclusion.js';
import { divergenceBound } from '../analysis/stats.js';
import { SCHEMA_VERSION, type Summary, studyConfig } from '../analysis/summary.js';
import { summarizeSweep } from '../analysis/sweep.js';
import type { RunResult } from '../analysis/types.js';
import type { Experiment, Norm } from '../config.js';
import { defaultConfig } from '../options/parse.js';
import { REFERENCE_LAYERS } from '../student/student-layers.js';
import { fakeCompareRuns, fakeRun } from './fake-runs.js';

export function fakeSummary(experiment: Experiment = 'compare', { complete = true } = {}): Summary {
  const norms: Norm[] =
    experiment === 'batch-sweep' ? ['none', 'batchnorm', 'layernorm'] : ['none', 'batchnorm'];
  let runs: RunResult[];
  if (experiment === 'compare') runs = fakeCompareRuns(norms, [1, 2, 3]);
  else {
    const values = experiment === 'batch-sweep' ? [5, 10, 50] : [1e-4, 1e-3, 1e-2, 1e-1, 1];
    runs = values.flatMap((value, i) =>
      norms.map((norm) =>
        fakeRun({
          norm,
          seed: 1,
          sweepValue: value,
          rate: norm === 'none' ? 0.002 + 0.04 * Math.exp(-((i - 2) ** 2)) : 0.03 + 0.002 * i,
          diverged: experiment === 'lr-sweep' && norm === 'none' && i === values.length - 1,
        }),
      ),
    );
  }
  const planned = runs.length;
  if (!complete) runs = runs.slice(0, 2);
  const parameter =
    experiment === 'init-sweep' ? 'weightScale' : experiment === 'batch-sweep' ? 'batchSize' : 'lr';
  const comparison =
    experiment === 'compare' ? compareRuns(runs, { norms, lossThreshold: null, valThreshold: null }) : null;
  const sweep = experiment === 'compare' ? null : summarizeSweep(runs, parameter, norms);
  return {
    schemaVersion: SCHEMA_VERSION,
    experiment,
    complete,
    plannedRuns: planned,
    missingRuns: complete ? [] : ['x'],
    norms,
    maxLoss: divergenceBound(10),
    config: studyConfig(defaultConfig(experiment)),
    layers: REFERENCE_LAYERS,
    data: {
      train: { path: 'datasets/synthetic-train.csv', builtIn: true, rows: 1000, features: 3072 },
      val: { path: 'datasets/synthetic-val.csv', builtIn: true, rows: 1000, features: 3072 },
      test: null,
      numClasses: 10,
      preprocessing: 'mean image subtracted',
    },
    runs,
    comparison,
    sweep,
    conclusion: writeConclusion({
      experiment,
      norms,
      runs,
      plannedRuns: planned,
      complete,
      comparison,
      sweep,
      numClasses: 10,
    }),
    meta: {
      startedAt: '2025-01-01T00:00:00.000Z',
      finishedAt: '2025-01-01T00:00:10.000Z',
      wallTimeMs: 10_000,
      workers: 2,
      node: 'v20',
      backend: 'native-avx2-2t',
    },
  };
}
