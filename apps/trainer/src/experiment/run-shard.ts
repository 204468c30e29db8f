/**
 * runShard: one shard of a study (`pnpm train --shard I/N --out dir`). Trains the shard's planned runs
 * that the shared folder does not hold yet and saves each as soon as it finishes (run-store.ts), so a
 * task that is killed or pre-empted loses only the runs in flight and a re-run picks up where it stopped.
 * Writes no report: `pnpm train report dir` (reportRunFolder) does, from whatever runs are present.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { getBackend } from '@backprop-lab/tensor';
import { studyConfig } from '../analysis/summary.js';
import type { TrainConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { formatShard } from '../options/shard-value.js';
import type { ExperimentOptions } from './events.js';
import { poolSize, prepareStudy } from './prepare.js';
import { recordStudy, savedRunIds, saveRun, type TaskRecord } from './run-store.js';
import { runsOfShard } from './shard.js';
import { trainRuns } from './train-runs.js';

export interface ShardOutcome {
  outDir: string;
  shard: string;
  /** The shard's planned runs, the ones found already saved, and the ones this call saved. */
  runIds: string[];
  skipped: string[];
  saved: string[];
  /** True when every run of the shard is now in the folder (false after an abort). */
  complete: boolean;
}

export async function runShard(config: TrainConfig, options: ExperimentOptions = {}): Promise<ShardOutcome> {
  const { shard } = config;
  if (shard == null) throw new UsageError('runShard: config.shard is not set (--shard I/N)');
  const name = formatShard(shard);
  if (config.out === null)
    throw new UsageError(`--shard ${name} needs --out <dir>: the run folder every shard of the study shares`);
  if (config.overwrite)
    throw new UsageError(
      `--shard ${name}: --overwrite does not apply (runs already in --out are kept and skipped)`,
    );
  // What ran is recorded in the summary; the shards' run files do not carry it yet.
  if (config.layers !== null)
    throw new UsageError(
      `--shard ${name}: --layers is not supported in a sharded study yet (run it on one machine)`,
    );
  const { onProgress, signal } = options;
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const study = await prepareStudy(config, (message) => onProgress?.({ type: 'data', message }));
  const outDir = resolve(config.out);
  const studyHash = recordStudy(outDir, {
    config: studyConfig(config),
    data: study.info,
    runIds: study.specs.map((spec) => spec.id),
  });
  const mine = runsOfShard(study.specs, shard);
  const present = savedRunIds(outDir);
  const todo = mine.filter((spec) => !present.has(spec.id));
  const workers = await poolSize(config, study, todo.length);
  const task: Omit<TaskRecord, 'finishedAt'> = {
    id: randomBytes(8).toString('hex'),
    shard: name,
    host: hostname(),
    workers,
    node: process.version,
    backend: getBackend().name,
    startedAt,
  };
  onProgress?.({
    type: 'start',
    totalRuns: todo.length,
    workers,
    outDir,
    runIds: todo.map((spec) => spec.id),
  });
  const saved: string[] = [];
  const outcome = await trainRuns(config, study.shared, todo, {
    workers,
    signal,
    onProgress,
    onRun: (_, run) => {
      // Saved at once (synchronously, so a Ctrl-C cannot land between the run and its file).
      if (saveRun(outDir, studyHash, { ...task, finishedAt: now().toISOString() }, run)) saved.push(run.id);
    },
  });
  return {
    outDir,
    shard: name,
    runIds: mine.map((spec) => spec.id),
    skipped: mine.filter((spec) => present.has(spec.id)).map((spec) => spec.id),
    saved,
    complete: !outcome.aborted,
  };
}
