import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { runShard } from '../experiment/run-shard.js';
import { runCaptured } from '../testing/cli.js';
import { tinyConfig, writeTinyDataset } from '../testing/tiny-data.js';
import { trainProgram } from './train.js';

describe('pnpm train report', () => {
  it('writes the report of the runs present, names the missing ones and exits 1', async () => {
    const root = tempDirSync('trainer-report-cli');
    const out = join(root, 'study');
    const data = writeTinyDataset(join(root, 'data'));
    await runShard(tinyConfig(data, out, { seeds: [1], epochs: 1, shard: { index: 0, count: 2 } }));
    const partial = await runCaptured(trainProgram, ['report', out]);
    expect(partial.code).toBe(1);
    expect(partial.out[0]).toMatch(new RegExp(`^Wrote ${join(out, 'report.html')}\n`));
    expect(partial.err).toEqual([
      'train: report: 1 of 2 runs are missing (batchnorm-s1); run their shards again (runs already saved are skipped), then the report',
    ]);
    await runShard(tinyConfig(data, out, { seeds: [1], epochs: 1, shard: { index: 1, count: 2 } }));
    const whole = await runCaptured(trainProgram, ['report', out]);
    expect([whole.code, whole.err]).toEqual([0, []]);
  });
});

describe('pnpm train --shard', () => {
  it('trains the shard into --out and says what it saved; a second call skips it', async () => {
    const root = tempDirSync('trainer-shard-cli');
    const out = join(root, 'study');
    const data = writeTinyDataset(join(root, 'data'));
    const argv = [
      ...['--train', data.train, '--val', data.val, '--hidden', '8', '--epochs', '1', '--num-train', 'all'],
      ...['--seeds', '1', '--workers', '1', '--out', out, '--shard', '1/2'],
    ];
    const first = await runCaptured(trainProgram, argv);
    expect(first).toEqual({
      code: 0,
      out: [`shard 1/2: 1 runs; 1 trained and saved, 0 already in ${out}`],
      err: [],
    });
    const again = await runCaptured(trainProgram, argv);
    expect(again.out).toEqual([`shard 1/2: 1 runs; 0 trained and saved, 1 already in ${out}`]);
  });

  it('refuses --layers: the shards would not record whose layers ran (one line, exit 2)', async () => {
    const root = tempDirSync('trainer-shard-layers');
    const argv = ['--layers', join(root, 'kit'), '--out', join(root, 'study'), '--shard', '1/2'];
    expect(await runCaptured(trainProgram, argv)).toEqual({
      code: 2,
      out: [],
      err: ['train: --shard 1/2: --layers is not supported in a sharded study yet (run it on one machine)'],
    });
  });
});
