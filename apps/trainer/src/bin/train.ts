/**
 * `pnpm train`: the command is commands/train.ts, run through the CLI kit. This file only wires Ctrl-C:
 * the first stops the runs and lets a partial report be written (exit 130); a second quits at once
 * (files are written atomically, so none is left half-written).
 */
import { runMain } from '../cli/main.js';
import { trainProgram } from '../commands/train.js';

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) {
    process.stderr.write('\ntrain: interrupted again, quitting without the partial report\n');
    process.exit(130);
  }
  // The command says what stopping means (a partial report, or a shard's saved runs kept).
  controller.abort();
});

await runMain(trainProgram, { signal: controller.signal });
