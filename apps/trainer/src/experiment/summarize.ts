/**
 * A study's Summary from its planned runs and the results that exist. The one place a summary is built:
 * runExperiment calls it with the results its pool returned, `pnpm train report` with the run files of a
 * sharded folder, so the same RunResults give the same summary (everything but `meta`) bit for bit.
 */

import { compareRuns } from '../analysis/compare.js';
import { writeConclusion } from '../analysis/conclusion.js';
import { divergenceBound } from '../analysis/stats.js';
import {
  type DataInfo,
  type RunMeta,
  SCHEMA_VERSION,
  type StudyConfig,
  type Summary,
} from '../analysis/summary.js';
import { summarizeSweep } from '../analysis/sweep.js';
import type { RunResult } from '../analysis/types.js';
import type { RunSpec } from '../config.js';
import type { LayersInfo } from '../student/student-layers.js';
import { sweepParameter } from './plan.js';

export interface SummaryInput {
  config: StudyConfig;
  /** Whose layers ran (the reference's, or a student kit's with --layers). */
  layers: LayersInfo;
  data: DataInfo;
  /** The plan, in its order (planRuns). */
  specs: readonly RunSpec[];
  /** One entry per spec, by plan index; undefined for a run that did not finish. */
  results: readonly (RunResult | undefined)[];
  meta: RunMeta;
}

export function buildSummary({ config, layers, data, specs, results, meta }: SummaryInput): Summary {
  const runs = specs.map((_, i) => results[i]).filter((run): run is RunResult => run !== undefined);
  const missingRuns = specs.filter((_, i) => results[i] === undefined).map((spec) => spec.id);
  const complete = missingRuns.length === 0;
  const parameter = sweepParameter(config);
  const comparison =
    parameter === null && runs.length > 0
      ? compareRuns(runs, {
          norms: config.norms,
          lossThreshold: config.lossThreshold,
          valThreshold: config.valThreshold,
        })
      : null;
  const sweep = parameter !== null && runs.length > 0 ? summarizeSweep(runs, parameter, config.norms) : null;
  return {
    schemaVersion: SCHEMA_VERSION,
    experiment: config.experiment,
    complete,
    plannedRuns: specs.length,
    missingRuns,
    norms: [...config.norms],
    maxLoss: divergenceBound(data.numClasses),
    config,
    layers,
    data,
    runs,
    comparison,
    sweep,
    conclusion: writeConclusion({
      experiment: config.experiment,
      norms: config.norms,
      runs,
      plannedRuns: specs.length,
      complete,
      comparison,
      sweep,
      numClasses: data.numClasses,
    }),
    meta,
  };
}
