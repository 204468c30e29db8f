import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../options/parse.js';
import { planRuns } from './plan.js';

describe('planRuns', () => {
  it('compare: every seed × every norm, norms of a seed side by side', () => {
    const runs = planRuns(defaultConfig());
    expect(runs.map((run) => run.id)).toEqual([
      'none-s1',
      'batchnorm-s1',
      'none-s2',
      'batchnorm-s2',
      'none-s3',
      'batchnorm-s3',
    ]);
    expect(runs.map((run) => run.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(runs[0]).toMatchObject({
      weightScale: 0.02,
      batchSize: 50,
      lr: 0.001,
      sweepValue: null,
      hidden: [100, 100, 100, 100, 100],
    });
  });

  it('sweeps set the swept field per point', () => {
    const batch = planRuns(defaultConfig('batch-sweep'));
    expect(batch).toHaveLength(9);
    expect(batch.map((run) => run.batchSize)).toEqual([5, 5, 5, 10, 10, 10, 50, 50, 50]);
    expect(batch[1]).toMatchObject({ id: 'batchnorm-bs5-s1', sweepValue: 5 });
    const init = planRuns(defaultConfig('init-sweep'));
    expect(init).toHaveLength(40);
    expect(init[0]).toMatchObject({
      id: 'none-ws1e-4-s1',
      weightScale: 1e-4,
      hidden: [50, 50, 50, 50, 50, 50, 50],
    });
    const lr = planRuns({ ...defaultConfig('lr-sweep'), lrs: [0.01], seeds: [4] });
    expect(lr.map((run) => [run.id, run.lr])).toEqual([
      ['none-lr0.01-s4', 0.01],
      ['batchnorm-lr0.01-s4', 0.01],
    ]);
  });
});
