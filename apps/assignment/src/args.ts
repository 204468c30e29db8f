/** `pnpm assignment` arguments: `init <dir> [--only id,...]`. Kept small for the shared CLI kit to absorb. */
import { parseArgs } from 'node:util';
import { selectExercises } from './generate.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: pnpm assignment init <dir> [--only <exercise,...>]
  Writes a student kit into <dir> (new or empty): stubs in src/, the toolkit in vendor/, check.ts, README.md.`;

export interface InitCommand {
  command: 'init';
  dir: string;
  only: string[];
}

export function parseAssignmentArgs(argv: readonly string[]): InitCommand | { command: 'help' } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError(`pnpm assignment: ${(error as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  const [command, dir, ...extra] = positionals;
  if (command !== 'init') {
    throw new UsageError(
      command === undefined
        ? 'pnpm assignment: give a command (init)'
        : `pnpm assignment: unknown command '${command}' (commands: init)`,
    );
  }
  if (dir === undefined)
    throw new UsageError('pnpm assignment init: give the kit folder, e.g. pnpm assignment init my-kit');
  if (extra.length) throw new UsageError(`pnpm assignment init: unexpected argument '${extra[0]}'`);
  const only = typeof values.only === 'string' ? values.only.split(',').filter(Boolean) : [];
  try {
    selectExercises(only);
  } catch (error) {
    throw new UsageError(`pnpm assignment init ${(error as Error).message}`);
  }
  return { command: 'init', dir, only };
}
