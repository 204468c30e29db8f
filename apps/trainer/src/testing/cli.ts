/** Any kit program run in this process, its output collected: how tests see a command as a user does. */
import type { Program } from '../cli/command.js';
import { runCli } from '../cli/run.js';

export interface Captured {
  code: number;
  /** Lines written to stdout and stderr. */
  out: string[];
  err: string[];
}

export async function runCaptured(program: Program, argv: readonly string[]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(program, argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}
