/**
 * `data <command>`: the programmatic entry of the data CLI. Tests call runDataCli directly; the bin only
 * passes argv and prints. Errors become one line `data: <message>`: exit 2 for usage mistakes (unknown
 * command or flag, bad value), 1 for data and file errors.
 */
import { DataError, printable, WriteError } from '@backprop-lab/data';
import { CliUsageError, type CommandSpec, commandHelp, type OptionValues, parseCommandArgs } from './args.js';
import { convertCifarSpec, runConvertCifar } from './convert-cifar.js';
import { generateSpec, runGenerate } from './generate.js';
import { inspectSpec, runInspect } from './inspect.js';
import type { CliIo } from './io.js';

interface Command {
  spec: CommandSpec;
  run(values: OptionValues, positionals: string[], io: CliIo): Promise<void>;
}

const COMMANDS: Command[] = [
  { spec: convertCifarSpec, run: runConvertCifar },
  { spec: inspectSpec, run: runInspect },
  { spec: generateSpec, run: runGenerate },
];

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  return [
    'Usage: data <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.brief}`),
    '',
    'Run `data <command> --help` for its options.',
  ].join('\n');
}

/** Runs one command; returns the process exit code. */
export async function runDataCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  try {
    if (!command) {
      throw new CliUsageError(
        `unknown command ${JSON.stringify(name)} (commands: ${COMMANDS.map((c) => c.spec.name).join(', ')})`,
      );
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(commandHelp(command.spec));
      return 0;
    }
    const { values, positionals } = parseCommandArgs(command.spec, rest);
    await command.run(values, positionals, io);
    return 0;
  } catch (error) {
    // One line, and nothing in it that a terminal would take as a control sequence.
    io.err(`data: ${printable(errorLine(error).replace(/\s*\n\s*/g, ' '))}`);
    return error instanceof CliUsageError ? 2 : 1;
  }
}

function errorLine(error: unknown): string {
  if (error instanceof DataError || error instanceof WriteError || error instanceof CliUsageError)
    return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  const path = (error as NodeJS.ErrnoException).path;
  if (code === 'ENOENT' && path) return `${path}: no such file or folder`;
  if (code === 'EISDIR' && path) return `${path}: is a folder, expected a file`;
  if (code === 'EACCES' && path) return `${path}: permission denied`;
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
