/** What data-cli tests share: the CLI called in-process, and tempDir (test-support's, re-exported). */
import { runDataCli } from './main.js';

export { tempDir } from '@backprop-lab/test-support';

/** Runs `data <argv>` in this process and collects its exit code and output lines. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDataCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}
