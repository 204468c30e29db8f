/**
 * `pnpm data <command>`: convert-cifar, inspect, generate. Parsing, work and error handling live in
 * ../data-cli (runDataCli); this file only passes argv and prints.
 */
import { removePendingTemporaryFiles } from '@backprop-lab/data';
import { runDataCli } from '../data-cli/main.js';

// `pnpm data inspect big.csv | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// Ctrl-C (or kill) mid-write: stop at once, and leave neither the half-written temporary file nor a
// target behind (every file is written to a temporary and renamed only once complete). Exit 130 for
// SIGINT, 143 for SIGTERM (128 + the signal's number, as a shell reports them).
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

process.exitCode = await runDataCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
