/**
 * runCli: the one way every command of the app runs. Finds the (sub)command from argv, prints --help,
 * parses the flags, calls the command, and turns any error into one line `<program>: <message>` on
 * stderr with its exit code: 2 for a usage mistake, 1 for everything else. Never throws.
 */
import { classifyError, errorLine, exitCodeFor, UsageError } from '../errors.js';
import type { CliIo, Program } from './command.js';
import { renderHelp } from './help.js';
import { type ErrorContext, nearest, parseFlags, wantsHelp } from './parse.js';

/** The command argv names (subcommand words first) and the words that led to it. */
function findCommand(program: Program, argv: readonly string[]) {
  let command = program.root;
  const path: string[] = [];
  let rest = argv;
  while (command.subcommands?.length && rest.length > 0) {
    const sub = command.subcommands.find((candidate) => candidate.name === rest[0]);
    if (!sub) break;
    command = sub;
    path.push(sub.name);
    rest = rest.slice(1);
  }
  return { command, path, rest };
}

/** How the usage errors of the command at `path` begin (`inspect: `) and end (` (see ... --help)`). */
export function errorContext(program: Program, path: readonly string[]): ErrorContext {
  return {
    prefix: path.map((word) => `${word}: `).join(''),
    hint: ` (see ${[program.invocation, ...path].join(' ')} --help)`,
  };
}

export async function runCli(program: Program, argv: readonly string[], io: CliIo): Promise<number> {
  const { command, path, rest } = findCommand(program, argv);
  try {
    if (wantsHelp(rest)) {
      io.out(renderHelp(program, command, path));
      return 0;
    }
    if (!command.run) {
      // A command that only groups others: bare, it shows its help as a usage error.
      const [word] = rest;
      if (word === 'help') {
        io.out(renderHelp(program, command, path));
        return 0;
      }
      if (word === undefined || word.startsWith('-')) {
        io.err(renderHelp(program, command, path));
        return 2;
      }
      const names = command.subcommands!.map((sub) => sub.name);
      const hit = nearest(word, names);
      const guess = hit === null ? '' : `did you mean ${hit}? `;
      throw new UsageError(`unknown command ${JSON.stringify(word)} (${guess}commands: ${names.join(', ')})`);
    }
    const input = parseFlags(command, rest, errorContext(program, path));
    return (await command.run(input, io)) ?? 0;
  } catch (error) {
    // One line, and nothing in it that a terminal would take as a control sequence.
    io.err(errorLine(program.name, error));
    return exitCodeFor(classifyError(error));
  }
}
