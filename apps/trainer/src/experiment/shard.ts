/**
 * Shards: a study's planned runs split among N independent tasks (a SLURM job array, a CI matrix). Run i of
 * the plan belongs to shard i mod N, so every run lands in exactly one shard, the shards' sizes differ by
 * at most one, and neighbouring runs (the same sweep point: similar cost) go to different tasks.
 */
import type { RunSpec, Shard } from '../config.js';

export function shardOf(run: Pick<RunSpec, 'index'>, count: number): number {
  return run.index % count;
}

export function runsOfShard<T extends Pick<RunSpec, 'index'>>(runs: readonly T[], shard: Shard): T[] {
  return runs.filter((run) => shardOf(run, shard.count) === shard.index);
}

/** Cores SLURM gave this task (`--cpus-per-task`), or null outside SLURM. */
export function slurmCpus(env: NodeJS.ProcessEnv = process.env): number | null {
  const value = Number(env.SLURM_CPUS_PER_TASK);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}
