import { describe, expect, it } from 'vitest';
import { ValueError } from '../cli/values.js';
import { defaultConfig } from '../options/parse.js';
import { formatShard, shard as parseShard } from '../options/shard-value.js';
import { planRuns } from './plan.js';
import { runsOfShard, slurmCpus } from './shard.js';

describe('shards', () => {
  const specs = planRuns(defaultConfig('init-sweep'));

  it('puts every run of the plan in exactly one shard, for N = 1..5', () => {
    expect(specs).toHaveLength(40);
    for (let count = 1; count <= 5; count++) {
      const shards = Array.from({ length: count }, (_, index) => runsOfShard(specs, { index, count }));
      const ids = shards.flat().map((spec) => spec.id);
      expect(ids.sort()).toEqual(specs.map((spec) => spec.id).sort());
      expect(new Set(ids).size).toBe(specs.length);
      // Balanced: sizes differ by at most one.
      const sizes = shards.map((shard) => shard.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('assigns the same runs on every call (by plan index, not by time or order of finishing)', () => {
    expect(runsOfShard(specs, { index: 1, count: 4 }).map((spec) => spec.id)).toEqual(
      runsOfShard(planRuns(defaultConfig('init-sweep')), { index: 1, count: 4 }).map((spec) => spec.id),
    );
    expect(runsOfShard(specs, { index: 1, count: 4 })[0].index).toBe(1);
  });

  it('parses I/N from a flag or an object, and names the mistake', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard({ index: 0, count: 1 })).toEqual({ index: 0, count: 1 });
    expect(formatShard({ index: 3, count: 5 })).toBe('3/5');
    for (const bad of ['4/4', '1/0', '-1/3', '1', 'a/b', '1.5/3', { index: 2 }, 7]) {
      expect(() => parseShard(bad)).toThrow(ValueError);
    }
    expect(() => parseShard('4/4')).toThrow('expected I/N with 0 <= I < N, e.g. 0/4, got "4/4"');
  });

  it('reads the cores SLURM gave the task', () => {
    expect(slurmCpus({ SLURM_CPUS_PER_TASK: '3' })).toBe(3);
    expect(slurmCpus({})).toBeNull();
    expect(slurmCpus({ SLURM_CPUS_PER_TASK: 'x' })).toBeNull();
  });
});
