/**
 * @backprop-lab/trainer: the programmatic side of `pnpm train`. `runExperiment(config)` does the whole
 * job (data, training on a worker pool, comparison, report files); the bin only parses and prints.
 */
export {
  EXPERIMENTS,
  type Experiment,
  NORMS,
  type Norm,
  OPTIMIZERS,
  type Optimizer,
  type RunSpec,
  type Shard,
  type TrainConfig,
} from './config.js';
export { classifyError, exitCodeFor, OutputError, TrainerDataError, UsageError } from './errors.js';
export { compareRuns } from './experiment/compare.js';
export { planRuns } from './experiment/plan.js';
export { type ReportOutcome, reportRunFolder, summarizeRunFolder } from './experiment/report-from-runs.js';
export {
  type ExperimentEvent,
  type ExperimentOptions,
  type ExperimentOutcome,
  runExperiment,
} from './experiment/run-experiment.js';
export { runShard, type ShardOutcome } from './experiment/run-shard.js';
export { runsOfShard } from './experiment/shard.js';
export { summarizeSweep } from './experiment/sweep.js';
export { type RunData, type TrainSettings, trainRun } from './experiment/train-run.js';
export type {
  Comparison,
  LayerSeries,
  LayerStats,
  RunResult,
  Stat,
  Sweep,
  SweepPoint,
  VariantComparison,
} from './experiment/types.js';
export { renderHelp, renderOptionsMarkdown } from './options/help.js';
export { defaultConfig, parseArgs } from './options/parse.js';
export { OPTIONS, type OptionSpec } from './options/table.js';
export { renderReport } from './report/html.js';
export { metricsCsv } from './report/metrics-csv.js';
export { SCHEMA_VERSION, type Summary, summaryToJson } from './report/summary.js';
export { type SlurmJob, type SlurmOptions, slurmScript } from './slurm/script.js';
