/** Where a command's output goes: the bin passes console lines, tests pass arrays. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}
