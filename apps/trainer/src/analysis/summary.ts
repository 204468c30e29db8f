/**
 * summary.json: the whole experiment in one document (schema: docs/report-schema.md). Everything except
 * `meta` is a pure function of the config, the data and the seeds, so two runs with the same seeds give
 * identical files apart from `meta`.
 */
import type { Experiment, Norm, TrainConfig } from '../config.js';
import type { LayersInfo } from '../student/student-layers.js';
import type { Comparison, RunResult, Sweep } from './types.js';

export const SCHEMA_VERSION = 2;

/** The part of TrainConfig that decides the numbers (output and execution options are left out). */
export type StudyConfig = Omit<TrainConfig, 'out' | 'overwrite' | 'json' | 'progress' | 'workers' | 'shard'>;

export function studyConfig(config: TrainConfig): StudyConfig {
  const {
    out: _out,
    overwrite: _overwrite,
    json: _json,
    progress: _progress,
    workers: _workers,
    shard: _shard,
    ...study
  } = config;
  return study;
}

export interface SplitInfo {
  /** The path as given, or the built-in dataset's path. */
  path: string;
  builtIn: boolean;
  rows: number;
  features: number;
}

export interface DataInfo {
  train: SplitInfo;
  val: SplitInfo;
  test: SplitInfo | null;
  numClasses: number;
  /** How the features were transformed before training; see apps/trainer/README.md. */
  preprocessing: string;
}

export interface RunMeta {
  startedAt: string;
  finishedAt: string;
  wallTimeMs: number;
  workers: number;
  node: string;
  /** The tensor backend's name, e.g. native-avx2-2t (timings depend on it, results do not). */
  backend: string;
}

export interface Summary {
  schemaVersion: number;
  experiment: Experiment;
  /** False when interrupted (Ctrl-C / abort): only the runs that finished are in `runs`. */
  complete: boolean;
  plannedRuns: number;
  /** Ids of planned runs that did not finish (empty when complete). */
  missingRuns: string[];
  norms: Norm[];
  /** A minibatch loss above this (10 · ln C) or not finite marks a run diverged. */
  maxLoss: number;
  config: StudyConfig;
  /** Whose layers the nets ran: the reference's, or a student kit's (with what fell back). */
  layers: LayersInfo;
  data: DataInfo;
  runs: RunResult[];
  comparison: Comparison | null;
  sweep: Sweep | null;
  conclusion: string[];
  /** Timestamps and execution details: the only part that differs between runs with the same seeds. */
  meta: RunMeta;
}

/** JSON with non-finite numbers kept readable: NaN and ±Infinity become null (JSON has no NaN). */
export function summaryToJson(summary: Summary): string {
  return `${JSON.stringify(summary, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}
