/**
 * Errors the bin turns into one line and an exit code: usage (bad flag, bad value, bad --config file)
 * exits 2, data (missing or malformed CSV) and output (run folder not writable) exit 1. Anything else is
 * a bug and keeps its stack.
 */
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
  // @backprop-lab/data's WriteError: a file it writes (the built-in dataset, a cache) cannot be written.
  if (error instanceof OutputError || (error instanceof Error && error.name === 'WriteError'))
    return 'output';
  return 'internal';
}

export function exitCodeFor(kind: ErrorKind): number {
  return kind === 'usage' ? 2 : 1;
}
