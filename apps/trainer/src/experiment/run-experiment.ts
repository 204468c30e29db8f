import { getBackend } from '@backprop-lab/tensor';
import type { RunSpec, TrainConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { openDefaultRunFolder, openRunFolder, type RunFolder } from '../io/run-folder.js';
import { type DataInfo, type Summary, studyConfig } from '../report/summary.js';
import type { SharedData } from './data.js';
import type { ExperimentOptions } from './events.js';
import { poolSize, prepareStudy } from './prepare.js';
import { buildSummary } from './summarize.js';
import { trainRuns } from './train-runs.js';
import { type OutputFiles, writeOutputs } from './write-outputs.js';

export type { ExperimentEvent, ExperimentOptions } from './events.js';

export interface ExperimentOutcome {
  summary: Summary;
  outDir: string;
  files: OutputFiles;
}

export async function runExperiment(
  config: TrainConfig,
  options: ExperimentOptions = {},
): Promise<ExperimentOutcome> {
  if (config?.shard != null)
    throw new UsageError(
      'runExperiment: config.shard is set; a shard runs with runShard (experiment/run-shard.ts)',
    );
  const { onProgress } = options;
  const now = options.now ?? (() => new Date());
  const started = now();
  const startedMs = performance.now();
  const study = await prepareStudy(config, (message) => onProgress?.({ type: 'data', message }));
  const { shared, info, specs } = study;
  const workers = await poolSize(config, study, specs.length);
  // Before training, so an unusable or busy folder fails in a second rather than after the runs. Held
  // (locked) until the files are written.
  const folder: RunFolder =
    config.out === null
      ? openDefaultRunFolder(started, config.experiment)
      : openRunFolder(config.out, config.overwrite);
  const outDir = folder.dir;
  try {
    const outcome = await runAndWrite(config, options, {
      shared,
      info,
      specs,
      workers,
      outDir,
      started,
      startedMs,
    });
    folder.close();
    return outcome;
  } catch (error) {
    // A run that fails before writing anything leaves no empty folder behind.
    folder.close({ failed: true });
    throw error;
  }
}

interface Prepared {
  shared: SharedData;
  info: DataInfo;
  specs: RunSpec[];
  workers: number;
  outDir: string;
  started: Date;
  startedMs: number;
}

async function runAndWrite(
  config: TrainConfig,
  options: ExperimentOptions,
  { shared, info, specs, workers, outDir, started, startedMs }: Prepared,
): Promise<ExperimentOutcome> {
  const { onProgress, signal } = options;
  const now = options.now ?? (() => new Date());
  onProgress?.({
    type: 'start',
    totalRuns: specs.length,
    workers,
    outDir,
    runIds: specs.map((spec) => spec.id),
  });

  const outcome = await trainRuns(config, shared, specs, { workers, signal, onProgress });
  onProgress?.({ type: 'writing', outDir });
  const summary = buildSummary({
    config: studyConfig(config),
    data: info,
    specs,
    results: outcome.results,
    meta: {
      startedAt: started.toISOString(),
      finishedAt: now().toISOString(),
      wallTimeMs: Math.round(performance.now() - startedMs),
      workers,
      node: process.version,
      // Worker threads start with the same default, so this names the kernels every run used.
      backend: getBackend().name,
    },
  });
  const files = await writeOutputs(outDir, summary);
  return { summary, outDir, files };
}
