/**
 * Errors the bins turn into one line and an exit code: usage (bad flag, bad value, bad --config file)
 * exits 2, data (missing or malformed CSV) and output (run folder not writable, a full disk) exit 1.
 * Anything else is a bug: still one line, with the stack only when BACKPROP_LAB_DEBUG is set.
 */
import { printable } from '@backprop-lab/fs-atomic';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A data file the run cannot use. The data package's own DataError is treated the same way. */
export class TrainerDataError extends Error {
  override name = 'DataError';
}

/** The run folder cannot be created or written (permissions, a file in the way, a full disk). */
export class OutputError extends Error {
  override name = 'OutputError';
}

export type ErrorKind = 'usage' | 'data' | 'output' | 'internal';

export function classifyError(error: unknown): ErrorKind {
  if (error instanceof UsageError) return 'usage';
  // @backprop-lab/data throws DataError (file, line, column in the message); match it by name so the app
  // also recognises it when it crossed a worker boundary as a plain object.
  if (error instanceof Error && error.name === 'DataError') return 'data';
  // --layers: the student's kit does not load, throws, or fails its gradient check. Their input, like a
  // data file: one line, exit 1. Matched by name, as it is thrown in a worker thread.
  if (error instanceof Error && error.name === 'StudentLayersError') return 'data';
  // @backprop-lab/fs-atomic's WriteError: a file cannot be written (the app's own, data's, a checkpoint).
  if (error instanceof OutputError || (error instanceof Error && error.name === 'WriteError'))
    return 'output';
  // A file-system error nobody wrapped (EACCES, ENOSPC, EMFILE...): the machine's state, not a bug.
  if (error instanceof Error && /^E[A-Z]+$/.test(String((error as NodeJS.ErrnoException).code)))
    return 'output';
  return 'internal';
}

export function exitCodeFor(kind: ErrorKind): number {
  return kind === 'usage' ? 2 : 1;
}

/** A file-system error nobody wrapped, in words: the path and what is wrong with it. */
function fsErrorText(error: NodeJS.ErrnoException): string | null {
  const { code, path } = error;
  if (!path) return null;
  if (code === 'ENOENT') return `${path}: no such file or folder`;
  if (code === 'EISDIR') return `${path}: is a folder, expected a file`;
  if (code === 'EACCES') return `${path}: permission denied`;
  return null;
}

/**
 * The one line a bin prints for `error`: `<program>: <message>`, newlines folded so a message that
 * carries several (a wrapped library error) still reads as one line, and control characters escaped
 * (paths and values come from outside).
 */
export function errorLine(program: string, error: unknown, env = process.env): string {
  const kind = classifyError(error);
  const text =
    (error instanceof Error && fsErrorText(error)) ||
    (error instanceof Error ? error.message : String(error));
  const message = printable(text.replace(/\s*\n\s*/g, ' '));
  if (kind !== 'internal') return `${program}: ${message}`;
  const name = error instanceof Error ? error.name : 'Error';
  if (env.BACKPROP_LAB_DEBUG && error instanceof Error && error.stack)
    return `${program}: internal error: ${error.stack}`;
  return `${program}: internal error (a bug, please report it): ${name}: ${message} (BACKPROP_LAB_DEBUG=1 shows the stack)`;
}
