/**
 * `pnpm train`: parse the flags, run the experiment, print the comparison. All the work is in
 * runExperiment; this file only parses, shows progress and prints. `--shard`, `report` and `slurm` go to
 * cli/shard-commands.ts. Exit codes: 0 done, 1 data error
 * or failure, 2 usage error, 130 interrupted (a partial report marked incomplete is written first).
 */
import { createProgress, progressMode } from '../cli/progress.js';
import { type CommandIo, reportCommand, shardCommand, slurmCommand } from '../cli/shard-commands.js';
import type { TrainConfig } from '../config.js';
import { classifyError, errorLine, exitCodeFor } from '../errors.js';
import { runExperiment } from '../experiment/run-experiment.js';
import { UnwrittenFilesError } from '../experiment/write-outputs.js';
import { renderHelp } from '../options/help.js';
import { parseArgs } from '../options/parse.js';
import type { Summary } from '../report/summary.js';
import { summaryToJson } from '../report/summary.js';
import { renderTerminal } from '../report/terminal.js';

function fail(error: unknown): never {
  process.stderr.write(`${errorLine('train', error)}\n`);
  process.exit(exitCodeFor(classifyError(error)));
}

// `pnpm train --json | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  fail(error);
});
// Whatever escapes main (a throw in an event handler) still ends in one line.
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

function printSummary(summary: Summary, config: TrainConfig): void {
  if (config.json) process.stdout.write(summaryToJson(summary));
  else {
    const color = process.stdout.isTTY && !process.env.NO_COLOR;
    process.stdout.write(`${renderTerminal(summary, { color })}\n\n`);
  }
}

const io: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  progress: process.stderr,
};

/** `pnpm train report|slurm ...` (see cli/shard-commands.ts). */
async function subcommand(name: string, argv: string[]): Promise<number> {
  try {
    return name === 'report' ? await reportCommand(argv, io) : await slurmCommand(argv, io);
  } catch (error) {
    fail(error);
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'report' || argv[0] === 'slurm') return subcommand(argv[0], argv.slice(1));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    fail(error);
  }
  if (parsed.kind === 'help') {
    process.stdout.write(`${renderHelp()}\n`);
    return 0;
  }
  const { config } = parsed;
  const display = createProgress(
    progressMode(config.progress && !config.json, process.stderr),
    process.stderr,
  );
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) {
      // A second Ctrl-C: leave now. Files are written atomically, so none is left half-written.
      process.stderr.write('\ntrain: interrupted again, quitting without the partial report\n');
      process.exit(130);
    }
    display.stop();
    process.stderr.write(
      config.shard === null
        ? '\ntrain: interrupted: stopping the runs and writing a partial report (Ctrl-C again to quit now)\n'
        : '\ntrain: interrupted: stopping the runs; the saved ones stay and a re-run skips them\n',
    );
    controller.abort();
  });
  if (config.shard !== null) {
    try {
      return await shardCommand(config, { ...io, signal: controller.signal });
    } catch (error) {
      fail(error);
    }
  }
  try {
    const outcome = await runExperiment(config, { onProgress: display.update, signal: controller.signal });
    display.stop();
    printSummary(outcome.summary, config);
    if (!config.json)
      process.stdout.write(
        `Wrote ${outcome.files.report}\n      ${outcome.files.summary}\n      ${outcome.files.metrics}\n`,
      );
    return outcome.summary.complete ? 0 : 130;
  } catch (error) {
    display.stop();
    // The study finished but some files could not be written: its results still reach the terminal.
    if (error instanceof UnwrittenFilesError) printSummary(error.summary, config);
    fail(error);
  }
}

process.exitCode = await main();
