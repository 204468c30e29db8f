import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type SlurmJob, type SlurmOptions, shellQuote, slurmScript } from './script.js';

const job: SlurmJob = {
  train: ['/usr/bin/node', '/repo/tsx/cli.mjs', '/repo/apps/trainer/src/bin/train.ts'],
  args: ['--experiment', 'init-sweep', '--train', "my data/it's.csv", '--out', 'runs/init'],
  outDir: '/shared/runs/init',
  workDir: '/home/me/lab',
};
const options: SlurmOptions = {
  shards: 4,
  cpusPerTask: 2,
  partition: 'debug',
  time: '1:00:00',
  arrayLimit: 2,
  jobName: 'backprop-lab-init-sweep',
  wait: true,
};

describe('slurmScript', () => {
  const script = slurmScript(job, options);

  it('submits an array of one task per shard, then the report after all of them', () => {
    expect(script).toContain('#SBATCH --array=0-3%2\n');
    expect(script).toContain(
      '#SBATCH --cpus-per-task=2\n#SBATCH --partition=debug\n#SBATCH --time=1:00:00\n',
    );
    expect(script).toContain('#SBATCH --chdir=/home/me/lab\n');
    expect(script).toContain(
      `exec /usr/bin/node /repo/tsx/cli.mjs /repo/apps/trainer/src/bin/train.ts --experiment init-sweep --train 'my data/it'\\''s.csv' --out runs/init --shard "$SLURM_ARRAY_TASK_ID/4"\n`,
    );
    expect(script).toContain(`sbatch --parsable --dependency="afterany:\${shards%%;*}" --wait <<'REPORT'`);
    expect(script).toContain('train.ts report /shared/runs/init\n');
    expect(script).toContain('#SBATCH --output=/shared/runs/init/slurm-logs/shard-%a.out\n');
  });

  it('leaves out what is not asked for', () => {
    const plain = slurmScript(job, {
      ...options,
      partition: null,
      time: null,
      arrayLimit: null,
      wait: false,
    });
    expect(plain).toContain('#SBATCH --array=0-3\n');
    expect(plain).not.toMatch(/--partition|--time|--wait/);
  });

  it('is valid bash', () => {
    const check = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('quotes words for the shell, and refuses a path an #SBATCH line cannot hold', () => {
    expect(shellQuote('--lrs')).toBe('--lrs');
    expect(shellQuote("a b'c")).toBe(`'a b'\\''c'`);
    expect(shellQuote('$HOME')).toBe(`'$HOME'`);
    expect(() => slurmScript({ ...job, outDir: '/shared/my runs' }, options)).toThrow(
      '--out /shared/my runs/slurm-logs/shard-%a.out: SLURM job scripts cannot hold blanks or quotes in this path; use another folder',
    );
  });
});
