import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { studyConfig } from '../analysis/summary.js';
import { defaultConfig } from '../options/parse.js';
import { fakeRun } from '../testing/fake-runs.js';
import { readStoredStudy, recordStudy, runFile, savedRunIds, saveRun, type TaskRecord } from './run-store.js';

const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const RACE_WRITER = fileURLToPath(new URL('../testing/race-writer.ts', import.meta.url));
const root = tempDirSync('trainer-run-store');
const data = {
  train: { path: 'train.csv', builtIn: false, rows: 90, features: 12 },
  val: { path: 'val.csv', builtIn: false, rows: 30, features: 12 },
  test: null,
  numClasses: 3,
  preprocessing: 'none',
};
const task: TaskRecord = {
  id: 'abc',
  shard: '0/1',
  host: 'h',
  workers: 1,
  node: 'v20',
  backend: 'b',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
};

describe('run store', () => {
  it('reads back NaN, ±Infinity and -0 as the numbers they were, finite numbers bit for bit', () => {
    const dir = join(root, 'numbers');
    const config = studyConfig(defaultConfig('compare'));
    const hash = recordStudy(dir, { config, data, runIds: ['none-s1'] });
    const run = {
      ...{ ...fakeRun({ norm: 'none', seed: 1 }), id: 'none-s1' },
      lossHistory: [0.1 + 0.2, Number.NaN, Infinity, -Infinity, -0, 5e-324],
    };
    expect(saveRun(dir, hash, task, run)).toBe(true);
    const stored = readStoredStudy(dir).runs.get('none-s1');
    expect(stored?.task).toEqual(task);
    const back = stored!.run.lossHistory;
    expect(back.map((x) => (Object.is(x, -0) ? '-0' : String(x)))).toEqual([
      '0.30000000000000004',
      'NaN',
      'Infinity',
      '-Infinity',
      '-0',
      '5e-324',
    ]);
    expect(stored!.run).toEqual(run);
  });

  it('never replaces a saved run, and keeps the study of the first shard', () => {
    const dir = join(root, 'keep');
    const config = studyConfig(defaultConfig('compare'));
    const hash = recordStudy(dir, { config, data, runIds: ['none-s1'] });
    expect(recordStudy(dir, { config, data, runIds: ['none-s1'] })).toBe(hash);
    const run = { ...fakeRun({ norm: 'none', seed: 1 }), id: 'none-s1' };
    expect(saveRun(dir, hash, task, run)).toBe(true);
    const text = readFileSync(runFile(dir, 'none-s1'), 'utf8');
    expect(saveRun(dir, hash, { ...task, id: 'other' }, { ...run, bestValAcc: 0.123 })).toBe(false);
    expect(readFileSync(runFile(dir, 'none-s1'), 'utf8')).toBe(text);
    expect(() => recordStudy(dir, { config: { ...config, lr: 0.5 }, data, runIds: ['none-s1'] })).toThrow(
      `--out ${dir}: the folder holds the runs of another study (${join(dir, 'study.json')} differs at config.lr); give these shards another --out`,
    );
  });

  it('ignores temp files a killed writer left, and refuses a run file of another study', () => {
    const dir = join(root, 'foreign');
    const config = studyConfig(defaultConfig('compare'));
    const hash = recordStudy(dir, { config, data, runIds: ['none-s1', 'none-s2'] });
    writeFileSync(join(dir, 'runs', '.none-s2.json.0123456789abcdef.tmp'), '{"half": ');
    saveRun(dir, hash, task, { ...fakeRun({ norm: 'none', seed: 1 }), id: 'none-s1' });
    expect([...savedRunIds(dir)]).toEqual(['none-s1']);
    expect(readStoredStudy(dir).runs.size).toBe(1);
    saveRun(dir, 'not-this-study', task, { ...fakeRun({ norm: 'none', seed: 1 }), id: 'none-s2' });
    expect(() => readStoredStudy(dir)).toThrow(
      `${runFile(dir, 'none-s2')}: run none-s2 belongs to another study than ${join(dir, 'study.json')}; move it out of the folder`,
    );
  });

  it('creates each file exactly once and whole when processes race for the same files', async () => {
    const dir = join(root, 'race');
    mkdirSync(dir, { recursive: true });
    const writers = ['a', 'b', 'c', 'd'];
    const counts = await Promise.all(
      writers.map(
        (writer) =>
          new Promise<number>((resolve, reject) => {
            execFile(TSX, [RACE_WRITER, dir, writer, '30'], (error, stdout) =>
              error ? reject(error) : resolve(Number(stdout)),
            );
          }),
      ),
    );
    // Every file created by exactly one writer, and each holds one writer's text whole.
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(30);
    expect(readdirSync(dir).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `f${i}.json`).sort());
    for (let i = 0; i < 30; i++) {
      const { writer, i: index, pad } = JSON.parse(readFileSync(join(dir, `f${i}.json`), 'utf8'));
      expect(index).toBe(i);
      expect(pad).toBe(String(writer).repeat(200_000));
    }
  });

  it('says what a folder without study.json is', () => {
    expect(() => readStoredStudy(join(root, 'nothing'))).toThrow(
      `${join(root, 'nothing')} is not a sharded run folder: no study.json (a shard writes it when it starts)`,
    );
  });
});
