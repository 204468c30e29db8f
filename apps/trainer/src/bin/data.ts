/**
 * `pnpm data <command>`: the commands are in ../data-cli (dataProgram), run through the CLI kit. This
 * file only wires Ctrl-C (or kill) mid-write: stop at once, and leave neither the half-written temporary
 * file nor a target behind (every file is written to a temporary and renamed only once complete). Exit
 * 130 for SIGINT, 143 for SIGTERM (128 + the signal's number, as a shell reports them).
 */
import { removePendingTemporaryFiles } from '@backprop-lab/fs-atomic';
import { runMain } from '../cli/main.js';
import { dataProgram } from '../data-cli/main.js';

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    removePendingTemporaryFiles();
    console.error('data: interrupted');
    process.exit(code);
  });
}

await runMain(dataProgram);
