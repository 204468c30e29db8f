/**
 * How a failed write is told: one line naming the file and the cause, with the errno code for programs.
 */

/**
 * Control characters (C0, DEL, C1: ESC and CSI start terminal escape sequences), line and paragraph
 * separators, and bidirectional overrides (which make text display in another order than it reads).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unprintable character written as a `\uXXXX` escape, safe to print to a terminal. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The errno code of a file-system error ('ENOSPC'), or undefined for anything else (Node's ERR_*, a bug). */
function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** Node's words for an fs error ("no space left on device"), without the syscall and path it repeats. */
function nodeReason(error: unknown): string | undefined {
  return /^[A-Z]+: ([^,]+)/.exec(String((error as Error | undefined)?.message))?.[1];
}

/** "ENOSPC: no space left on device" from a Node fs error, without the syscall and path it repeats. */
export function describeFsError(error: unknown): string {
  const { code, message } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== 'string') return String(message ?? error);
  const reason = nodeReason(error);
  return reason ? `${code}: ${reason}` : code;
}

/**
 * Where an atomic write gives an errno code another meaning than Node's words say: EEXIST is about the
 * temporary name, not the target, and ENOENT means the folder (or our temporary file) went away.
 */
const WRITE_REASONS: Record<string, string> = {
  EEXIST: 'no fresh temporary file could be created',
  ENOENT: 'the folder or the temporary file disappeared',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'the target is a folder',
};

/** A write that failed in the file system, as one line: `<path>: cannot write (<code>: <reason>)`. */
export class WriteError extends Error {
  override name = 'WriteError';
  readonly path: string;
  /** The errno code, e.g. 'ENOSPC'. */
  readonly code: string;
  /** The parenthesised part of the message, e.g. 'ENOSPC: no space left on device'. */
  readonly reason: string;
  constructor(path: string, code: string, reason: string, options?: ErrorOptions) {
    super(`${printable(path)}: cannot write (${reason})`, options);
    this.path = path;
    this.code = code;
    this.reason = reason;
  }
}

/** `error` as a WriteError about `path` if it is a file-system error; anything else passes unchanged. */
export function toWriteError(path: string, error: unknown): unknown {
  if (error instanceof WriteError) return error;
  const code = errnoCode(error);
  if (code === undefined) return error;
  const words = WRITE_REASONS[code] ?? nodeReason(error) ?? 'file system error';
  return new WriteError(path, code, `${code}: ${words}`, { cause: error });
}
