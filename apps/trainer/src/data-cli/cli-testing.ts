/** What data-cli tests share: the CLI called in-process, and tempDir (test-support's, re-exported). */
import { runCaptured } from '../testing/cli.js';
import { dataProgram } from './main.js';

export { tempDir } from '@backprop-lab/test-support';

/** Runs `pnpm data <argv>` in this process and collects its exit code and output lines. */
export function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  return runCaptured(dataProgram, argv);
}
