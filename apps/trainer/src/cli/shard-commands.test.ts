import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { runShard } from '../experiment/run-shard.js';
import { tinyConfig, writeTinyDataset } from '../testing/tiny-data.js';
import { parseSlurmArgs, reportCommand } from './shard-commands.js';

describe('pnpm train report', () => {
  it('writes the report of the runs present, names the missing ones and exits 1', async () => {
    const root = tempDirSync('trainer-report-cli');
    const out = join(root, 'study');
    const data = writeTinyDataset(join(root, 'data'));
    await runShard(tinyConfig(data, out, { seeds: [1], epochs: 1, shard: { index: 0, count: 2 } }));
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`err: ${line}`) };
    expect(await reportCommand([out], io)).toBe(1);
    expect(lines[0]).toMatch(new RegExp(`^Wrote ${join(out, 'report.html')}\n`));
    expect(lines.at(-1)).toBe(
      'err: train: report: 1 of 2 runs are missing (batchnorm-s1); run their shards again (runs already saved are skipped), then the report',
    );
    await runShard(tinyConfig(data, out, { seeds: [1], epochs: 1, shard: { index: 1, count: 2 } }));
    expect(await reportCommand([out], io)).toBe(0);
    await expect(reportCommand([], io)).rejects.toThrow(
      'report: expected one argument, the run folder (pnpm train report <run-folder>)',
    );
  });
});

describe('pnpm train slurm arguments', () => {
  it('keeps the study flags for the tasks and takes the scheduler flags for itself', () => {
    const request = parseSlurmArgs([
      '--experiment',
      'init-sweep',
      '--shards',
      '4',
      '--out',
      'runs/init',
      '--time=30:00',
      '--array-limit',
      '2',
      '--submit',
      '--wait',
    ]);
    expect(request.trainArgs).toEqual(['--experiment', 'init-sweep', '--out', 'runs/init']);
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
    // One task per planned run by default: 20 weight scales × with and without batchnorm.
    expect(parseSlurmArgs(['--experiment', 'init-sweep', '--out', 'x']).options.shards).toBe(40);
  });

  it('names each mistake in one line', () => {
    const cases: [string[], string][] = [
      [
        ['--experiment', 'init-sweep'],
        'slurm: --out <dir> is required: the run folder every task of the array shares',
      ],
      [['--out', 'x', '--shard', '0/2'], 'slurm: leave out --shard: each array task gets its own'],
      [['--out', 'x', '--wait'], 'slurm: --wait needs --submit (it waits for the submitted jobs)'],
      [['--out', 'x', '--shards', '0'], 'slurm: --shards: expected an integer in [1, 6], got "0"'],
      [
        ['--out', 'x', '--partition', 'a b'],
        'slurm: --partition "a b": letters, digits and . : + , - _ only',
      ],
      [['--out', 'x', '--time'], 'slurm: --time needs a value'],
      [['--out', 'x', '--lr', 'fast'], '--lr: expected'],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseSlurmArgs(argv)).toThrow(UsageError);
      expect(() => parseSlurmArgs(argv)).toThrow(message);
    }
  });
});
