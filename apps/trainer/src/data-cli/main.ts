/**
 * `pnpm data <command>`: convert-cifar, inspect, generate, as subcommands of one kit Command. Tests and
 * other code call runDataCommand directly; the bin only passes argv and prints. Errors become one line
 * `data: <message>`: exit 2 for usage mistakes (unknown command or flag, bad value), 1 for data and file
 * errors.
 */
import type { CliIo, Command, Program } from '../cli/command.js';
import { runCli } from '../cli/run.js';
import { convertCifarCommand } from './convert-cifar.js';
import { generateCommand } from './generate.js';
import { inspectCommand } from './inspect.js';

export const dataCommand: Command = {
  name: 'data',
  summary: 'Makes, converts and inspects the dataset CSVs the trainer reads.',
  flags: [],
  subcommands: [convertCifarCommand, inspectCommand, generateCommand],
};

export const dataProgram: Program = { name: 'data', invocation: 'pnpm data', root: dataCommand };

/** Runs `pnpm data <argv>`; returns the process exit code. Prints only through `io`. */
export function runDataCommand(argv: readonly string[], io: CliIo): Promise<number> {
  return runCli(dataProgram, argv, io);
}
