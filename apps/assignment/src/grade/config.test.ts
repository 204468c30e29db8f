// grader.json is read like untrusted input: every mistake is one line naming the key; left-out keys keep
// their defaults; the defaults sum to 100 points.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, defaultConfigJson, parseConfig, readConfig } from './config.js';
import { hiddenRuns, VISIBLE_RUN } from './hidden.js';

const parse = (value: unknown) => parseConfig(JSON.stringify(value), 'grader.json');

describe('grader config', () => {
  it('defaults: a point value for every exercise, 100 in all, three hidden runs', () => {
    expect(Object.keys(DEFAULT_CONFIG.points)).toEqual(EXERCISES.map((e) => e.id));
    expect(Object.values(DEFAULT_CONFIG.points).reduce((a, b) => a + b, 0)).toBe(100);
    expect(DEFAULT_CONFIG.hiddenRuns).toHaveLength(3);
    expect(parseConfig(defaultConfigJson(), 'grader.json')).toEqual(DEFAULT_CONFIG);
    expect(parse({})).toEqual(DEFAULT_CONFIG);
  });

  it('keeps the defaults of the keys a file leaves out', () => {
    const config = parse({ points: { affine: 20 }, limits: { callSeconds: 2 }, seed: 7 });
    expect(config.points).toEqual({ ...DEFAULT_CONFIG.points, affine: 20 });
    expect(config.limits).toEqual({ ...DEFAULT_CONFIG.limits, callSeconds: 2 });
    expect(config.seed).toBe(7);
    expect(config.hiddenRuns).toEqual(DEFAULT_CONFIG.hiddenRuns);
  });

  it.each([
    [
      { point: {} },
      'unknown key point (known: points, visibleWeight, hiddenVisibility, seed, hiddenRuns, limits)',
    ],
    [{ points: { batchnorm: 3 } }, 'unknown key points.batchnorm (known: affine, relu,'],
    [{ points: { affine: -1 } }, 'points.affine must be a number >= 0, got -1'],
    [{ points: { affine: '8' } }, 'points.affine must be a number >= 0, got "8"'],
    [{ points: [] }, 'points must be an object, got a list'],
    [{ points: Object.fromEntries(EXERCISES.map((e) => [e.id, 0])) }, 'points are all 0: nothing to grade'],
    [{ visibleWeight: 1.5 }, 'visibleWeight must be a number in [0, 1], got 1.5'],
    [
      { hiddenVisibility: 'never' },
      'hiddenVisibility must be one of hidden, after_due_date, after_published, got "never"',
    ],
    [{ seed: 1.5 }, 'seed must be an integer in [0, 1099511627776], got 1.5'],
    [{ hiddenRuns: [{ N: 3, D: 4, M: 2, C: 2 }] }, 'hiddenRuns[0].N must be an integer in [4, 64], got 3'],
    [{ hiddenRuns: [{ N: 8, D: 4, M: 2 }] }, 'hiddenRuns[0] has no C'],
    [{ hiddenRuns: [{ N: 8, D: 4, M: 2, C: 2, K: 1 }] }, 'unknown key hiddenRuns[0].K (known: N, D, M, C)'],
    [{ limits: { memoryMb: 'lots' } }, 'limits.memoryMb must be an integer in [64, 65536], got "lots"'],
    [{ limits: { cpu: 1 } }, 'unknown key limits.cpu (known: callSeconds, memoryMb, submissionSeconds)'],
    [[], 'the file must be an object, got a list'],
  ])('%j is refused in one line naming the key', (value, message) => {
    expect(() => parse(value)).toThrow(`--config grader.json: ${message}`);
    try {
      parse(value);
    } catch (error) {
      expect((error as Error).name).toBe('UsageError');
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('names the line and column of a JSON syntax error, and a file that is missing', () => {
    expect(() => parseConfig('{\n  "seed": 1,\n}', 'g.json')).toThrow(
      /^--config g\.json: not valid JSON: .*line 3, column 1/,
    );
    const dir = tempDirSync('grade-config');
    expect(() => readConfig(join(dir, 'none.json'))).toThrow(
      `--config ${join(dir, 'none.json')}: no such file`,
    );
    writeFileSync(join(dir, 'g.json'), '{ "visibleWeight": 0.5 }');
    expect(readConfig(join(dir, 'g.json')).visibleWeight).toBe(0.5);
  });

  it('derives the hidden seeds from the grader seed: repeatable, never the visible seed', () => {
    const runs = hiddenRuns(DEFAULT_CONFIG);
    expect(hiddenRuns(DEFAULT_CONFIG)).toEqual(runs);
    expect(runs.map((run) => run.sizes)).toEqual(DEFAULT_CONFIG.hiddenRuns);
    expect(new Set(runs.map((run) => run.seed)).size).toBe(3);
    expect(runs.map((run) => run.seed)).not.toContain(VISIBLE_RUN.seed);
    expect(hiddenRuns({ ...DEFAULT_CONFIG, seed: 1 }).map((run) => run.seed)).not.toEqual(
      runs.map((run) => run.seed),
    );
  });
});
