/**
 * A sharded study's report equals the one-machine report of the same study (the definition is in
 * report-from-runs.ts): summary.json but `meta`, metrics.csv byte for byte, report.html but its meta line.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Shard, TrainConfig } from '../config.js';
import { type ComparableReport, comparableReport } from '../testing/comparable-report.js';
import { tinyConfig, writeTinyDataset } from '../testing/tiny-data.js';
import { reportRunFolder } from './report-from-runs.js';
import { runExperiment } from './run-experiment.js';
import { runShard } from './run-shard.js';

const root = tempDirSync('trainer-shards');
const data = writeTinyDataset(join(root, 'data'));

/** 8 runs, one of them diverging (its last loss may be NaN or Infinity), float64. */
function study(out: string, shard: Shard | null = null): TrainConfig {
  return tinyConfig(data, out, {
    experiment: 'lr-sweep',
    lrs: [1e-3, 1e4],
    seeds: [1, 2],
    optimizer: 'sgd',
    weightScale: 0.1,
    shard,
  });
}

let oneMachine: ComparableReport;
beforeAll(async () => {
  const out = join(root, 'one-machine');
  const { summary } = await runExperiment(study(out));
  expect(summary.runs.map((run) => run.status)).toContain('diverged');
  oneMachine = comparableReport(out);
}, 120_000);

describe('report of a sharded study', () => {
  it('equals the one-machine report, from shards run one after another', async () => {
    const out = join(root, 'three');
    for (let index = 0; index < 3; index++) {
      const outcome = await runShard(study(out, { index, count: 3 }));
      expect(outcome.complete).toBe(true);
      expect(outcome.saved).toEqual(outcome.runIds);
    }
    const { summary } = await reportRunFolder(out);
    expect(summary.complete).toBe(true);
    expect(summary.meta.workers).toBe(3);
    const sharded = comparableReport(out);
    expect(sharded.summary).toEqual(oneMachine.summary);
    expect(sharded.metrics).toBe(oneMachine.metrics);
    expect(sharded.report).toBe(oneMachine.report);
    expect(sharded.report).toContain('<p>Started (meta)</p>');
  });

  it('lists the missing runs, and after a killed shard is re-run equals the one-machine report', async () => {
    const out = join(root, 'killed');
    const controller = new AbortController();
    const first = await runShard(study(out, { index: 0, count: 2 }), {
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'run-done') controller.abort();
      },
    });
    expect(first.complete).toBe(false);
    expect(first.saved.length).toBeGreaterThanOrEqual(1);
    expect(first.saved.length).toBeLessThan(4);
    // Only whole files: no temp file is left by the runs that were stopped.
    expect(readdirSync(join(out, 'runs')).every((name) => !name.startsWith('.'))).toBe(true);
    const partial = await reportRunFolder(out);
    expect(partial.summary.complete).toBe(false);
    expect(partial.summary.missingRuns).toHaveLength(8 - first.saved.length);
    expect(partial.summary.conclusion[0]).toMatch(
      new RegExp(`^Interrupted: ${first.saved.length} of 8 runs finished`),
    );

    const again = await runShard(study(out, { index: 0, count: 2 }));
    expect(again.skipped).toEqual(first.saved);
    expect([...again.skipped, ...again.saved].sort()).toEqual([...again.runIds].sort());
    await runShard(study(out, { index: 1, count: 2 }));
    await reportRunFolder(out);
    expect(comparableReport(out)).toEqual(oneMachine);
  });

  it('equals the one-machine report when shards write into one folder at the same time', async () => {
    const out = join(root, 'together');
    // The same shard twice as well: a re-submitted task running beside the first.
    const outcomes = await Promise.all([
      runShard(study(out, { index: 0, count: 2 }), {}),
      runShard(study(out, { index: 1, count: 2 }), {}),
      runShard(study(out, { index: 1, count: 2 }), {}),
    ]);
    expect(outcomes.every((outcome) => outcome.complete)).toBe(true);
    await reportRunFolder(out);
    expect(comparableReport(out)).toEqual(oneMachine);
    expect(readdirSync(join(out, 'runs'))).toHaveLength(8);
  });

  it('refuses a shard of another study in the folder, and a shard without --out', async () => {
    const out = join(root, 'mixed');
    await runShard({ ...study(out, { index: 0, count: 4 }), epochs: 1 });
    await expect(runShard(study(out, { index: 1, count: 4 }))).rejects.toThrow(
      `--out ${out}: the folder holds the runs of another study (${join(out, 'study.json')} differs at config.epochs)`,
    );
    await expect(runShard({ ...study(out, { index: 1, count: 4 }), out: null })).rejects.toThrow(
      '--shard 1/4 needs --out <dir>: the run folder every shard of the study shares',
    );
    await expect(runExperiment(study(out, { index: 1, count: 4 }))).rejects.toThrow('config.shard is set');
  });
});
