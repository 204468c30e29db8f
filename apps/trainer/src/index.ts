/**
 * @backprop-lab/trainer: the programmatic side of the app's commands. `runExperiment(config)` does the
 * whole `pnpm train` job (data, training on a worker pool, comparison, report files), `runGradchecks`
 * the checks of `pnpm gradcheck`, `runDataCommand(argv, io)` a `pnpm data` command. The bins only parse
 * and print, all through the CLI kit exported below (Command, runCli, renderHelp, renderTable...), which
 * other apps use to build their commands the same way.
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
export type { CliIo, Command, FlagSpec, ParsedInput, Program } from './cli/command.js';
export { flagText, renderHelp } from './cli/help.js';
export { interruptSignal, runMain } from './cli/main.js';
export { parseFlags, suggest, wantsHelp } from './cli/parse.js';
export { errorContext, runCli } from './cli/run.js';
export { type Align, renderTable, type TableOptions } from './cli/table.js';
export {
  boolean,
  integer,
  list,
  number,
  oneOf,
  orNull,
  type Parser,
  path,
  ValueError,
} from './cli/values.js';
export { gradcheckCommand, gradcheckProgram } from './commands/gradcheck.js';
export { parseTrainArgs, trainCommand, trainProgram } from './commands/train.js';
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
export { dataCommand, dataProgram, runDataCommand } from './data-cli/main.js';
export {
  classifyError,
  errorLine,
  exitCodeFor,
  OutputError,
  TrainerDataError,
  UsageError,
} from './errors.js';
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
export { type RunData, type TrainSettings, trainRun } from './experiment/train-run.js';
export { type GradcheckOptions, runGradchecks } from './gradcheck/run.js';
export type { CheckRow } from './gradcheck/types.js';
export { openRunFolder, type RunFolder } from './io/run-folder.js';
export { renderOptionsMarkdown, TRAIN_FLAGS } from './options/flags.js';
export { configFromFlags, defaultConfig } from './options/parse.js';
export { OPTIONS, type OptionSpec } from './options/table.js';
export { renderReport } from './report/html.js';
export { metricsCsv } from './report/metrics-csv.js';
export { type SlurmJob, type SlurmOptions, slurmScript } from './slurm/script.js';
