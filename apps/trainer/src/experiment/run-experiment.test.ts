import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DATASET_DIR } from '@backprop-lab/data';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../analysis/summary.js';
import type { Norm } from '../config.js';
import { METRICS_HEADER } from '../report/metrics-csv.js';
import { tinyConfig, writeTinyDataset } from '../testing/tiny-data.js';
import { displayPath } from './data.js';
import { type ExperimentEvent, runExperiment } from './run-experiment.js';

const root = tempDirSync('trainer-run');
const data = writeTinyDataset(join(root, 'data'));

function readSummary(dir: string): Summary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
}

function withoutMeta(summary: Summary): Omit<Summary, 'meta'> {
  const { meta: _meta, ...rest } = summary;
  return rest;
}

describe('runExperiment (compare, tiny data)', () => {
  it('writes summary.json, metrics.csv and report.html with every run and the comparison', async () => {
    const out = join(root, 'basic');
    const events: ExperimentEvent['type'][] = [];
    const { summary, files } = await runExperiment(tinyConfig(data, out), {
      onProgress: (event) => events.push(event.type),
    });
    expect(summary.complete).toBe(true);
    expect(summary.runs.map((run) => run.id)).toEqual(['none-s1', 'batchnorm-s1', 'none-s2', 'batchnorm-s2']);
    const run = summary.runs[1];
    expect(run.status).toBe('completed');
    // 90 rows / batch 10 = 9 iterations per epoch, 3 epochs.
    expect(run.lossHistory).toHaveLength(27);
    expect(run.accIterations).toEqual([1, 9, 18, 27]);
    expect(run.valAccHistory).toHaveLength(4);
    expect(run.bestValAcc).toBe(Math.max(...run.valAccHistory));
    expect(run.layerStats.layers).toHaveLength(3);
    expect(run.layerStats.iterations).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 26]);
    expect(summary.comparison?.variants.map((variant) => variant.norm)).toEqual(['none', 'batchnorm']);
    expect(summary.data.train.rows).toBe(90);
    expect(readSummary(out).runs).toHaveLength(4);
    const csv = readFileSync(files.metrics, 'utf8').trim().split('\n');
    expect(csv[0]).toBe(METRICS_HEADER);
    expect(csv).toContain(`batchnorm-s1,1,0,loss,${run.lossHistory[0]}`);
    expect(readFileSync(files.report, 'utf8')).toContain('data-chart="loss"');
    expect(readdirSync(out).sort()).toEqual(['metrics.csv', 'report.html', 'summary.json']);
    expect(events[0]).toBe('data');
    expect(events).toContain('iteration');
    expect(events.filter((type) => type === 'run-done')).toHaveLength(4);
  });

  it('gives identical files from 1 and 2 workers (apart from meta)', async () => {
    const one = join(root, 'one');
    const two = join(root, 'two');
    // --num-train 60 also covers reading only the first rows of a user's file.
    await runExperiment(tinyConfig(data, one, { workers: 1, numTrain: 60 }));
    await runExperiment(tinyConfig(data, two, { workers: 2, numTrain: 60 }));
    expect(readSummary(one).data.train.rows).toBe(60);
    expect(readSummary(one).runs[0].lossHistory).toHaveLength(18);
    expect(withoutMeta(readSummary(two))).toEqual(withoutMeta(readSummary(one)));
    expect(readFileSync(join(two, 'metrics.csv'), 'utf8')).toBe(
      readFileSync(join(one, 'metrics.csv'), 'utf8'),
    );
    expect(readSummary(two).meta.workers).toBe(2);
    expect(readSummary(two).meta.backend).toMatch(/^native-/);
  });

  it('writes a partial report marked incomplete when aborted, and no temp files', async () => {
    const out = join(root, 'aborted');
    const controller = new AbortController();
    const { summary } = await runExperiment(
      tinyConfig(data, out, { seeds: [1, 2, 3, 4, 5, 6], epochs: 40 }),
      {
        signal: controller.signal,
        onProgress: (event) => {
          if (event.type === 'run-done') controller.abort();
        },
      },
    );
    expect(summary.complete).toBe(false);
    expect(summary.runs.length).toBeGreaterThanOrEqual(1);
    expect(summary.runs.length).toBeLessThan(12);
    expect(summary.missingRuns.length).toBe(12 - summary.runs.length);
    expect(summary.conclusion[0]).toMatch(/^Interrupted: \d+ of 12 runs finished/);
    expect(readSummary(out).complete).toBe(false);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('data-incomplete="true"');
    expect(readdirSync(out).sort()).toEqual(['metrics.csv', 'report.html', 'summary.json']);
  });

  it('a huge but finite first loss (weight scale 1) is divergence at iteration 0, before any update', async () => {
    const { summary } = await runExperiment(
      tinyConfig(data, join(root, 'huge'), { norms: ['none'], seeds: [1], weightScale: 1, optimizer: 'sgd' }),
    );
    const [run] = summary.runs;
    expect(run.status).toBe('diverged');
    expect(run.divergedAt).toBe(0);
    expect(run.lossHistory).toHaveLength(1);
    expect(Number.isFinite(run.lossHistory[0]) && run.lossHistory[0] > summary.maxLoss).toBe(true);
    expect(summary.comparison?.variants[0].diverged).toBe(1);
    expect(summary.conclusion.join(' ')).toMatch(/1 of 1 run diverged: .*\(none-s1 at iteration 0;/);
  });

  it('reports a diverged run as diverged and completes the others', async () => {
    const out = join(root, 'diverged');
    const { summary } = await runExperiment(
      tinyConfig(data, out, {
        experiment: 'lr-sweep',
        lrs: [1e-3, 1e4],
        norms: ['none'],
        seeds: [1],
        optimizer: 'sgd',
        // Small enough that the first loss is below the bound: weight scale 1 starts above it already.
        weightScale: 0.1,
      }),
    );
    const [slow, fast] = summary.runs;
    expect(slow.status).toBe('completed');
    expect(fast.status).toBe('diverged');
    // Diverged means a loss not finite or above 10 · ln C, at the 0-based iteration of that loss.
    expect(summary.maxLoss).toBeCloseTo(10 * Math.log(summary.data.numClasses), 12);
    expect(fast.lossHistory).toHaveLength(fast.divergedAt! + 1);
    const last = fast.lossHistory[fast.divergedAt!];
    expect(!Number.isFinite(last) || last > summary.maxLoss).toBe(true);
    expect(fast.lossHistory.slice(0, -1).every((loss) => loss <= summary.maxLoss)).toBe(true);
    expect(fast.finalLoss).toBeNull();
    expect(fast.finalTestAcc).toBeNull();
    expect(summary.sweep?.points.map((point) => point.diverged)).toEqual([0, 1]);
    expect(summary.conclusion.join(' ')).toMatch(
      /1 of 2 runs diverged: .*\(none-lr10000-s1 at iteration \d+;/,
    );
    // JSON has no NaN: the diverged loss is stored as null.
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).not.toContain('NaN');
  });

  it('fails on a missing data file with a DataError naming the flag and path, writing nothing', async () => {
    const out = join(root, 'missing');
    const config = tinyConfig({ ...data, val: join(root, 'nope.csv') }, out);
    await expect(runExperiment(config)).rejects.toMatchObject({
      name: 'DataError',
      message: `--val ${join(root, 'nope.csv')}: no such file`,
    });
    expect(existsSync(out)).toBe(false);
  });

  it('fails before training when the run folder cannot be created', async () => {
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, '');
    const events: string[] = [];
    await expect(
      runExperiment(tinyConfig(data, join(blocker, 'out')), {
        onProgress: (event) => events.push(event.type),
      }),
    ).rejects.toMatchObject({
      name: 'OutputError',
      message: `--out ${join(blocker, 'out')}: cannot create or write the run folder (a file is in the way)`,
    });
    expect(events).not.toContain('start');
  });

  it('rejects unknown config keys and bad values programmatically', async () => {
    const config = tinyConfig(data, join(root, 'bad'));
    await expect(runExperiment({ ...config, learningRate: 1 } as never)).rejects.toThrow(
      'runExperiment: unknown config key "learningRate"',
    );
    await expect(runExperiment({ ...config, lr: -1 })).rejects.toThrow(
      'runExperiment: config.lr (--lr): expected a number > 0, got -1',
    );
  });

  it('rejects --num-train beyond the file naming both numbers, before creating the run folder', async () => {
    const out = join(root, 'too-many');
    await expect(runExperiment(tinyConfig(data, out, { numTrain: 200 }))).rejects.toMatchObject({
      name: 'UsageError',
      message: `--num-train 200: --train ${data.train} has only 90 rows; use --num-train 90 or less, or --num-train all`,
    });
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a batch larger than all the rows of the file (--num-train all) as a usage error', async () => {
    await expect(
      runExperiment(tinyConfig(data, join(root, 'big-batch'), { numTrain: null, batchSize: 100 })),
    ).rejects.toMatchObject({
      name: 'UsageError',
      message: expect.stringMatching(
        /^--batch-size 100: a batch size of 100 is larger than the 90 training rows/,
      ),
    });
  });

  it('rejects data with a single class as a DataError naming the files', async () => {
    const oneClass = join(root, 'one-class.csv');
    writeFileSync(oneClass, 'label,a,b\n0,1,2\n0,3,4\n0,5,6\n');
    const out = join(root, 'one-class');
    const config = tinyConfig({ train: oneClass, val: oneClass, test: oneClass }, out, { batchSize: 2 });
    await expect(runExperiment(config)).rejects.toMatchObject({
      name: 'DataError',
      message: expect.stringMatching(new RegExp(`^--train ${oneClass}, --val .*only one class`)),
    });
    expect(existsSync(out)).toBe(false);
  });

  it('removes the run folder it created when the run fails before writing anything', async () => {
    const out = join(root, 'fails', 'nested');
    const failing = runExperiment(tinyConfig(data, out), {
      onProgress: (event) => {
        if (event.type === 'start') throw new Error('boom');
      },
    });
    await expect(failing).rejects.toThrow('boom');
    expect(existsSync(join(root, 'fails'))).toBe(false);
  });

  it('refuses an --out folder that holds files unless overwrite is set, which replaces them', async () => {
    const out = join(root, 'again');
    const small = { seeds: [1], epochs: 1, norms: ['none'] as Norm[] };
    await runExperiment(tinyConfig(data, out, small));
    const first = readFileSync(join(out, 'summary.json'), 'utf8');
    await expect(runExperiment(tinyConfig(data, out, { ...small, epochs: 2 }))).rejects.toMatchObject({
      name: 'OutputError',
      message: `--out ${out}: the folder is not empty (metrics.csv, report.html, summary.json); give --overwrite to replace its files, or another --out`,
    });
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(first);
    await runExperiment(tinyConfig(data, out, { ...small, epochs: 2, overwrite: true }));
    expect(readSummary(out).config.epochs).toBe(2);
    expect(readdirSync(out).sort()).toEqual(['metrics.csv', 'report.html', 'summary.json']);
  });

  it('refuses a second run into the folder a first run is writing, even with overwrite', async () => {
    const out = join(root, 'shared');
    let second: Promise<unknown> | undefined;
    await runExperiment(tinyConfig(data, out, { seeds: [1], epochs: 1 }), {
      onProgress: (event) => {
        // Caught at once (the rejection comes while the first run still trains), checked below.
        if (event.type === 'start')
          second = runExperiment(tinyConfig(data, out, { overwrite: true })).catch((error: unknown) => error);
      },
    });
    expect(await second).toMatchObject({
      name: 'OutputError',
      message: expect.stringMatching(new RegExp(`^--out ${out}: in use by run ${process.pid} on `)),
    });
    expect(readSummary(out).config.seeds).toEqual([1]);
    expect(readdirSync(out).sort()).toEqual(['metrics.csv', 'report.html', 'summary.json']);
  });

  it('names the file whose label is so large that the net cannot be built', async () => {
    const huge = join(root, 'huge-label.csv');
    const lines = readFileSync(data.val, 'utf8').split('\n');
    lines[2] = lines[2].replace(/^\d+/, '2000000000');
    writeFileSync(huge, lines.join('\n'));
    const out = join(root, 'huge-label-run');
    await expect(runExperiment(tinyConfig({ ...data, val: huge }, out))).rejects.toMatchObject({
      name: 'DataError',
      message: expect.stringMatching(
        new RegExp(
          `^--val ${huge}: the largest label is 2000000000, so the net would need 2000000001 output classes \\(`,
        ),
      ),
    });
    expect(existsSync(out)).toBe(false);
  });

  it('records the data paths as given', async () => {
    const out = join(root, 'paths');
    const { summary } = await runExperiment(
      tinyConfig(data, out, { seeds: [1], epochs: 1, norms: ['none'] }),
    );
    expect(summary.data.train).toMatchObject({ path: data.train, builtIn: false, rows: 90 });
    expect(summary.data.test?.path).toBe(data.test);
  });
});

describe('displayPath', () => {
  it('stores built-in files relative to the repository root and user paths as given', () => {
    expect(displayPath(join(DEFAULT_DATASET_DIR, 'synthetic-train.csv'), true)).toBe(
      'datasets/synthetic-train.csv',
    );
    expect(displayPath('../my data/train.csv', false)).toBe('../my data/train.csv');
  });
});
