/**
 * `pnpm train --shard` as a real process killed with SIGKILL mid-study (no handler runs: what a pre-empted
 * or timed-out task gets), then run again: the folder holds only whole runs, the re-run skips them, and
 * the report equals the one-machine report.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { parseTrainArgs } from '../commands/train.js';
import { reportRunFolder } from '../experiment/report-from-runs.js';
import { runExperiment } from '../experiment/run-experiment.js';
import { readStoredStudy } from '../experiment/run-store.js';
import { comparableReport } from '../testing/comparable-report.js';
import { writeTinyDataset } from '../testing/tiny-data.js';

const BIN = fileURLToPath(new URL('./train.ts', import.meta.url));
// node with tsx's loader in the same process (the tsx CLI runs a child, which SIGKILL would orphan).
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const root = tempDirSync('trainer-shard-kill');
const data = writeTinyDataset(join(root, 'data'));
const study = [
  ...['--train', data.train, '--val', data.val, '--test', data.test, '--num-train', 'all'],
  ...['--hidden', '16,16,16', '--epochs', '3', '--batch-size', '10', '--stats-every', '3'],
  ...['--experiment', 'lr-sweep', '--lrs', '1e-3,1e4', '--seeds', '1,2', '--optimizer', 'sgd'],
  ...['--weight-scale', '0.1', '--workers', '1', '--no-progress'],
];

function shard(out: string, onRunSaved?: (kill: () => void) => void) {
  const child = spawn(process.execPath, [
    '--import',
    TSX_LOADER,
    BIN,
    ...study,
    '--out',
    out,
    '--shard',
    '0/1',
  ]);
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const runs = join(out, 'runs');
  const poll = setInterval(() => {
    if (onRunSaved && existsSync(runs) && readdirSync(runs).some((name) => !name.startsWith('.')))
      onRunSaved(() => child.kill('SIGKILL'));
  }, 20);
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) =>
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stdout });
    }),
  );
}

describe('pnpm train --shard, killed and run again', () => {
  it('keeps the whole runs, skips them on the re-run, and the report equals the one-machine one', async () => {
    await runExperiment(parseTrainArgs([...study, '--out', join(root, 'one-machine')]));

    const out = join(root, 'sharded');
    const killed = await shard(out, (kill) => kill());
    expect(killed.signal).toBe('SIGKILL');
    const kept = readStoredStudy(out).runs.size;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(8);

    const again = await shard(out);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `shard 0/1: 8 runs; ${8 - kept} trained and saved, ${kept} already in ${out}`,
    );
    await reportRunFolder(out);
    expect(comparableReport(out)).toEqual(comparableReport(join(root, 'one-machine')));
  }, 120_000);
});
