/**
 * `pnpm data <command>`: convert-cifar, inspect, generate. Parsing, work and error handling live in
 * ../data-cli (runDataCli); this file only passes argv and prints.
 */
import { runDataCli } from '../data-cli/main.js';

// `pnpm data inspect big.csv | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runDataCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
