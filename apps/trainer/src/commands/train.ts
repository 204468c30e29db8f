/**
 * `pnpm train`: the batchnorm study. Flags → TrainConfig (options/), runExperiment (experiment/), the
 * comparison printed (report/terminal.ts). With --shard I/N it runs one shard instead (shard.ts); the
 * subcommands `pnpm train report <run-folder>` (shard.ts) and `pnpm train slurm` (slurm.ts) plug into
 * trainCommand.subcommands. Exit codes: 0 done, 1 data error or failure, 2 usage error, 130 interrupted
 * (a partial report marked incomplete is written first).
 */

import { type Summary, summaryToJson } from '../analysis/summary.js';
import type { CliIo, Command, Program } from '../cli/command.js';
import { parseFlags } from '../cli/parse.js';
import { errorContext } from '../cli/run.js';
import type { TrainConfig } from '../config.js';
import { type ExperimentEvent, runExperiment } from '../experiment/run-experiment.js';
import { UnwrittenFilesError } from '../experiment/write-outputs.js';
import { TRAIN_FLAGS } from '../options/flags.js';
import { configFromFlags } from '../options/parse.js';
import { renderTerminal } from '../report/terminal.js';
import { createProgress, progressMode } from './progress.js';
import { reportCommand, trainShard } from './shard.js';
import { slurmCommand } from './slurm.js';

function printSummary(summary: Summary, config: TrainConfig, io: CliIo): void {
  if (config.json) io.out(summaryToJson(summary).trimEnd());
  else io.out(`${renderTerminal(summary, { color: io.color ?? false })}\n`);
}

async function train(config: TrainConfig, io: CliIo): Promise<number> {
  const display = createProgress(progressMode(config.progress && !config.json, io.progress), io.progress);
  // The bin aborts on Ctrl-C: the bars go before the message, and the runs stop.
  io.signal?.addEventListener('abort', () => {
    display.stop();
    io.err('\ntrain: interrupted: stopping the runs and writing a partial report (Ctrl-C again to quit now)');
  });
  try {
    // A note (whose layers run, say) is printed whatever the display: the user must see it.
    const onProgress = (event: ExperimentEvent) => {
      if (event.type === 'note') io.err(`train: ${event.message}`);
      else display.update(event);
    };
    const outcome = await runExperiment(config, { onProgress, signal: io.signal });
    display.stop();
    printSummary(outcome.summary, config, io);
    if (!config.json)
      io.out(`Wrote ${outcome.files.report}\n      ${outcome.files.summary}\n      ${outcome.files.metrics}`);
    return outcome.summary.complete ? 0 : 130;
  } catch (error) {
    display.stop();
    // The study finished but some files could not be written: its results still reach the terminal.
    if (error instanceof UnwrittenFilesError) printSummary(error.summary, config, io);
    throw error;
  }
}

export const trainCommand: Command = {
  name: 'train',
  summary:
    "Trains CS231n's deep fully connected net with and without batch normalization and reports how the\n" +
    'convergence differs (summary.json, metrics.csv, report.html in the run folder).',
  // The study itself is the usual use; the Commands section of --help lists report and slurm.
  usage: '[options]',
  flags: TRAIN_FLAGS,
  subcommands: [reportCommand, slurmCommand],
  footer: ['Exit codes: 0 done, 1 data error or failure, 2 usage error, 130 interrupted (partial report).'],
  run: ({ values }, io) => {
    const config = configFromFlags(values);
    return config.shard === null ? train(config, io) : trainShard(config, io);
  },
};

export const trainProgram: Program = { name: 'train', invocation: 'pnpm train', root: trainCommand };

/** argv (without --help) → the config `pnpm train` would run; usage errors as the CLI reports them. */
export function parseTrainArgs(argv: readonly string[]): TrainConfig {
  return configFromFlags(parseFlags(trainCommand, argv, errorContext(trainProgram, [])).values);
}
