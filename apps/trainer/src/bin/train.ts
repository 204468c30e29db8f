/**
 * `pnpm train`: the command is commands/train.ts, run through the CLI kit. The first Ctrl-C stops the
 * runs and lets a partial report be written (exit 130); a second quits at once.
 */
import { interruptSignal, runMain } from '../cli/main.js';
import { trainProgram } from '../commands/train.js';

// The command says what stopping means (a partial report, or a shard's saved runs kept).
await runMain(trainProgram, { signal: interruptSignal('train', 'without the partial report') });
