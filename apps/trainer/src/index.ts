/**
 * @backprop-lab/trainer: the programmatic side of `pnpm train`. `runExperiment(config)` does the whole
 * job (data, training on a worker pool, comparison, report files); the bin only parses and prints.
 */

export { compareRuns } from './analysis/compare.js';
export { SCHEMA_VERSION, type Summary, summaryToJson } from './analysis/summary.js';
export { summarizeSweep } from './analysis/sweep.js';
export type {
  Comparison,
  LayerSeries,
  LayerStats,
  RunResult,
  Stat,
  Sweep,
  SweepPoint,
  VariantComparison,
} from './analysis/types.js';
export {
  EXPERIMENTS,
  type Experiment,
  NORMS,
  type Norm,
  OPTIMIZERS,
  type Optimizer,
  type RunSpec,
  type TrainConfig,
} from './config.js';
export { classifyError, exitCodeFor, OutputError, TrainerDataError, UsageError } from './errors.js';
export { planRuns } from './experiment/plan.js';
export {
  type ExperimentEvent,
  type ExperimentOptions,
  type ExperimentOutcome,
  runExperiment,
} from './experiment/run-experiment.js';
export { type RunData, type TrainSettings, trainRun } from './experiment/train-run.js';
export { renderHelp, renderOptionsMarkdown } from './options/help.js';
export { defaultConfig, parseArgs } from './options/parse.js';
export { OPTIONS, type OptionSpec } from './options/table.js';
export { renderReport } from './report/html.js';
export { metricsCsv } from './report/metrics-csv.js';
