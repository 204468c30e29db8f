/**
 * `pnpm train slurm --submit --wait` on a real SLURM: a one-machine cluster (scripts/slurm-single-node.sh)
 * runs the study as a job array plus a report job, and the report equals the one-machine run's (as defined
 * in experiment/report-from-runs.ts). Needs root and Debian's slurm packages: when they are missing the
 * test installs them; only where that is impossible (no root, no apt) is it skipped, saying why.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { parseTrainArgs } from '../commands/train.js';
import { runExperiment } from '../experiment/run-experiment.js';
import { comparableReport } from '../testing/comparable-report.js';
import { writeTinyDataset } from '../testing/tiny-data.js';

const CLUSTER = fileURLToPath(new URL('../../../../scripts/slurm-single-node.sh', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/train.ts', import.meta.url));
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');

const hasSlurm = () =>
  ['slurmctld', 'slurmd', 'sbatch', 'munged'].every(
    (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0,
  );

/** Why the cluster cannot run here, or null when it can (installing the packages if need be). */
function unavailable(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (hasSlurm()) return process.getuid?.() === 0 ? null : 'slurmd must run as root and this is not root';
  if (process.getuid?.() !== 0) return 'the slurm packages are missing and installing them needs root';
  const install = spawnSync('bash', [CLUSTER, 'install'], { encoding: 'utf8' });
  if (install.status !== 0 || !hasSlurm())
    return `apt-get could not install the slurm packages (${(install.stderr || '').trim().split('\n').at(-1)})`;
  return null;
}

const why = unavailable();
if (why !== null) console.warn(`SKIPPED the real-SLURM test: ${why} (scripts/slurm-single-node.sh install)`);

describe.skipIf(why !== null)('pnpm train slurm on a one-machine SLURM cluster', () => {
  it('runs the study as a job array and a report job, the report equal to the one-machine report', async () => {
    const root = tempDirSync('trainer-slurm');
    const data = writeTinyDataset(join(root, 'data'));
    // 8 runs, one diverging; float64.
    const study = [
      ...['--train', data.train, '--val', data.val, '--test', data.test, '--num-train', 'all'],
      ...['--hidden', '16,16,16', '--epochs', '3', '--batch-size', '10', '--stats-every', '3'],
      ...['--experiment', 'lr-sweep', '--lrs', '1e-3,1e4', '--seeds', '1,2', '--optimizer', 'sgd'],
      ...['--weight-scale', '0.1'],
    ];
    await runExperiment(parseTrainArgs([...study, '--out', join(root, 'one-machine'), '--workers', '2']));

    const out = join(root, 'sharded');
    const slurm = [...study, '--out', out, '--shards', '3', '--cpus-per-task', '2', '--submit', '--wait'];
    const started = performance.now();
    const run = spawnSync('bash', [CLUSTER, 'run', process.execPath, TSX_CLI, BIN, 'slurm', ...slurm], {
      encoding: 'utf8',
      env: { ...process.env, CPUS: '4' },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`real SLURM: 3 array tasks + report job, cluster start to teardown ${seconds} s`);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^shards: job \d+ \(array 0-2\)$/m);
    expect(comparableReport(out)).toEqual(comparableReport(join(root, 'one-machine')));

    // Three tasks wrote the runs, each with the two cores SLURM gave it.
    const tasks = readdirSync(join(out, 'runs')).map(
      (name) => JSON.parse(readFileSync(join(out, 'runs', name), 'utf8')).task,
    );
    expect(new Set(tasks.map((task) => task.shard))).toEqual(new Set(['0/3', '1/3', '2/3']));
    expect(tasks.every((task) => task.workers === 2)).toBe(true);
    expect(readdirSync(join(out, 'slurm-logs')).sort()).toEqual([
      'report.out',
      'shard-0.out',
      'shard-1.out',
      'shard-2.out',
      'submit.sh',
    ]);
  }, 300_000);
});
