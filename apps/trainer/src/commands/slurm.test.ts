import { describe, expect, it } from 'vitest';
import { runCaptured } from '../testing/cli.js';
import { slurmRequest } from './slurm.js';
import { trainProgram } from './train.js';

describe('pnpm train slurm', () => {
  it('keeps the study flags for the tasks and takes the scheduler flags for itself', () => {
    const request = slurmRequest({
      experiment: 'init-sweep',
      shards: '4',
      out: '-init',
      time: '30:00',
      'array-limit': 2,
      progress: false,
      submit: true,
      wait: true,
    });
    expect(request.trainArgs).toEqual(['--experiment', 'init-sweep', '--out=-init', '--no-progress']);
    expect(request.options).toEqual({
      shards: 4,
      cpusPerTask: 1,
      partition: null,
      time: '30:00',
      arrayLimit: 2,
      jobName: 'backprop-lab-init-sweep',
      wait: true,
    });
    expect(request.submit).toBe(true);
  });

  it('prints the job script: one task per planned run by default, the user flags in every task', async () => {
    const { code, out, err } = await runCaptured(trainProgram, [
      'slurm',
      '--experiment',
      'init-sweep',
      '--out',
      '/tmp/study',
      '--time=30:00',
      '--epochs',
      '2',
      '--array-limit',
      '3',
    ]);
    expect([code, err]).toEqual([0, []]);
    const script = out.join('\n');
    // 20 weight scales × with and without batchnorm.
    expect(script).toContain('#SBATCH --array=0-39%3\n');
    expect(script).toContain('#SBATCH --time=30:00\n');
    expect(script).toMatch(
      /train\.ts --experiment init-sweep --out \/tmp\/study --epochs 2 --shard "\$SLURM_ARRAY_TASK_ID\/40"\n/,
    );
    expect(script).toMatch(/train\.ts report \/tmp\/study\n/);
  });
});
