/**
 * `pnpm data <command>`: convert-cifar, inspect, generate. Parsing, work and error handling live in
 * ../data-cli (runDataCli); this file only passes argv and prints.
 */
import { runDataCli } from '../data-cli/main.js';

process.exitCode = await runDataCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
