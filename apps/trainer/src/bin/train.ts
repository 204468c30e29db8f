/**
 * `pnpm train`: parse the flags, run the experiment, print the comparison. All the work is in
 * runExperiment; this file only parses, shows progress and prints. Exit codes: 0 done, 1 data error
 * or failure, 2 usage error, 130 interrupted (a partial report marked incomplete is written first).
 */
import { createProgress, progressMode } from '../cli/progress.js';
import { classifyError, exitCodeFor } from '../errors.js';
import { runExperiment } from '../experiment/run-experiment.js';
import { renderHelp } from '../options/help.js';
import { parseArgs } from '../options/parse.js';
import { summaryToJson } from '../report/summary.js';
import { renderTerminal } from '../report/terminal.js';

function fail(error: unknown): never {
  const kind = classifyError(error);
  const message = error instanceof Error ? error.message : String(error);
  // Usage and data errors are the user's to fix: one line. Anything else is a bug: keep the stack.
  if (kind === 'internal')
    process.stderr.write(`train: internal error: ${error instanceof Error ? error.stack : message}\n`);
  else process.stderr.write(`train: ${message}\n`);
  process.exit(exitCodeFor(kind));
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
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
      '\ntrain: interrupted: stopping the runs and writing a partial report (Ctrl-C again to quit now)\n',
    );
    controller.abort();
  });
  try {
    const outcome = await runExperiment(config, { onProgress: display.update, signal: controller.signal });
    display.stop();
    if (config.json) process.stdout.write(summaryToJson(outcome.summary));
    else {
      const color = process.stdout.isTTY && !process.env.NO_COLOR;
      process.stdout.write(`${renderTerminal(outcome.summary, { color })}\n\n`);
      process.stdout.write(
        `Wrote ${outcome.files.report}\n      ${outcome.files.summary}\n      ${outcome.files.metrics}\n`,
      );
    }
    return outcome.summary.complete ? 0 : 130;
  } catch (error) {
    display.stop();
    fail(error);
  }
}

process.exitCode = await main();
