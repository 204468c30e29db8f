/**
 * Shards: a study's planned runs split among N independent tasks (a SLURM job array, a CI matrix). Run i of
 * the plan belongs to shard i mod N, so every run lands in exactly one shard, the shards' sizes differ by
 * at most one, and neighbouring runs (the same sweep point: similar cost) go to different tasks.
 */
import type { RunSpec } from '../config.js';
import { ValueError } from '../options/values.js';

export interface Shard {
  /** 0-based: the task's index, e.g. SLURM_ARRAY_TASK_ID. */
  index: number;
  count: number;
}

export function shardOf(run: Pick<RunSpec, 'index'>, count: number): number {
  return run.index % count;
}

export function runsOfShard<T extends Pick<RunSpec, 'index'>>(runs: readonly T[], shard: Shard): T[] {
  return runs.filter((run) => shardOf(run, shard.count) === shard.index);
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** `--shard I/N` (a string) or `{ index, count }` (a --config file or a programmatic config). */
export function parseShard(raw: unknown): Shard {
  const shape = 'expected I/N with 0 <= I < N, e.g. 0/4';
  let index: unknown;
  let count: unknown;
  if (typeof raw === 'string') {
    const match = /^(\d+)\/(\d+)$/.exec(raw.trim());
    if (!match) throw new ValueError(`${shape}, got ${JSON.stringify(raw)}`);
    [index, count] = [Number(match[1]), Number(match[2])];
  } else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    ({ index, count } = raw as Record<string, unknown>);
  }
  if (
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(count) ||
    (count as number) < 1 ||
    (index as number) < 0 ||
    (index as number) >= (count as number)
  )
    throw new ValueError(
      `${shape}, got ${typeof raw === 'string' ? JSON.stringify(raw) : JSON.stringify(raw)}`,
    );
  return { index: index as number, count: count as number };
}

/** Cores SLURM gave this task (`--cpus-per-task`), or null outside SLURM. */
export function slurmCpus(env: NodeJS.ProcessEnv = process.env): number | null {
  const value = Number(env.SLURM_CPUS_PER_TASK);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}
