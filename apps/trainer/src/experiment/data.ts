/**
 * Loads the three splits, preprocesses them as CS231n (the training split's mean image subtracted from
 * every split) and places them in SharedArrayBuffers, so every worker thread reads the same memory.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import {
  type CsvDataset,
  DEFAULT_DATASET_DIR,
  readCsvDataset,
  subtractMeanImageInPlace,
} from '@backprop-lab/data';
import { type DType, sliceRows, Tensor } from '@backprop-lab/tensor';
import type { DataInfo, SplitInfo } from '../analysis/summary.js';
import type { TrainConfig } from '../config.js';
import { TrainerDataError, UsageError } from '../errors.js';
import { builtInDataset } from './default-data.js';
import type { RunData } from './train-run.js';

export interface SharedSplit {
  X: SharedArrayBuffer;
  y: SharedArrayBuffer;
  rows: number;
  features: number;
}

/** What the worker threads receive: buffers are shared, not copied. */
export interface SharedData {
  dtype: DType;
  numClasses: number;
  train: SharedSplit;
  val: SharedSplit;
  test: SharedSplit | null;
}

export const PREPROCESSING =
  'mean image of the training rows subtracted from every split; no scaling, so features stay in the ' +
  "file's units (pixels 0-255 for CIFAR-like data), as CS231n's get_CIFAR10_data";

type SplitName = 'train' | 'val' | 'test';

async function readSplit(
  name: SplitName,
  path: string,
  dtype: DType,
  maxRows: number | null,
  builtIn: boolean,
): Promise<CsvDataset> {
  if (!existsSync(path)) throw new TrainerDataError(`--${name} ${path}: no such file`);
  if (!statSync(path).isFile()) throw new TrainerDataError(`--${name} ${path}: not a file`);
  let split: CsvDataset;
  if (!builtIn) split = await readCsvDataset(path, { dtype, ...(maxRows === null ? {} : { maxRows }) });
  else {
    // The built-in files are read whole through the binary cache (datasets/.cache, git-ignored; about 0.1 s
    // once warm) and cut here, so every --num-train shares one cache entry. A user's folders stay untouched.
    const whole = await readCsvDataset(path, { dtype, cache: true });
    split =
      maxRows === null || maxRows >= whole.X.shape[0]
        ? whole
        : { ...whole, X: sliceRows(whole.X, 0, maxRows), y: whole.y.slice(0, maxRows) };
  }
  const rows = split.X.shape[0];
  // Never train on fewer rows than asked for without saying so: the summary records --num-train.
  if (maxRows !== null && rows < maxRows) {
    const file = builtIn ? `the built-in training split (${displayPath(path, true)})` : `--train ${path}`;
    throw new UsageError(
      `--num-train ${maxRows}: ${file} has only ${rows} rows; use --num-train ${rows} or less, or --num-train all`,
    );
  }
  return split;
}

/**
 * The path as the summary records it: a user's path exactly as given, a built-in file relative to the
 * repository root (`datasets/synthetic-train.csv`), so summaries from different checkouts compare equal.
 */
export function displayPath(path: string, builtIn: boolean): string {
  if (!builtIn) return path;
  const root = dirname(resolve(DEFAULT_DATASET_DIR));
  const inside = relative(root, path);
  if (inside.startsWith('..') || isAbsolute(inside)) return path;
  return inside.split(sep).join('/');
}

function share(split: CsvDataset, dtype: DType): SharedSplit {
  const [rows, features] = split.X.shape;
  const bytes = dtype === 'float32' ? 4 : 8;
  const X = new SharedArrayBuffer(rows * features * bytes);
  (dtype === 'float32' ? new Float32Array(X) : new Float64Array(X)).set(split.X.data);
  const y = new SharedArrayBuffer(rows * 4);
  new Int32Array(y).set(split.y);
  return { X, y, rows, features };
}

export interface LoadedData {
  shared: SharedData;
  info: DataInfo;
  /** The split whose largest label sets the class count, as `--val <path>` (for error messages). */
  labelSource: string;
}

export async function loadSharedData(config: TrainConfig): Promise<LoadedData> {
  // --train and --val come together (checked with the options); --test is optional with them.
  const defaults = config.train === null ? await builtInDataset() : null;
  const pick = (name: SplitName): { path: string; builtIn: boolean } | null => {
    if (defaults) return { path: defaults[name], builtIn: true };
    const given = config[name];
    return given === null ? null : { path: given, builtIn: false };
  };
  const sources = { train: pick('train')!, val: pick('val')!, test: pick('test') };
  const train = await readSplit(
    'train',
    sources.train.path,
    config.dtype,
    config.numTrain,
    sources.train.builtIn,
  );
  const val = await readSplit('val', sources.val.path, config.dtype, null, sources.val.builtIn);
  const test = sources.test
    ? await readSplit('test', sources.test.path, config.dtype, null, sources.test.builtIn)
    : null;
  const features = train.X.shape[1];
  for (const [name, split] of [
    ['val', val],
    ['test', test],
  ] as const) {
    if (split && split.X.shape[1] !== features) {
      throw new TrainerDataError(
        `--${name} ${sources[name]!.path}: ${split.X.shape[1]} feature columns, but --train ${sources.train.path} has ${features}`,
      );
    }
  }
  subtractMeanImageInPlace(train.X, val.X, ...(test ? [test.X] : []));
  const numClasses = Math.max(train.numClasses, val.numClasses, test?.numClasses ?? 0);
  if (numClasses < 2) {
    const files = [`--train ${sources.train.path}`, `--val ${sources.val.path}`];
    if (sources.test) files.push(`--test ${sources.test.path}`);
    throw new TrainerDataError(
      `${files.join(', ')}: every label is 0, so there is only one class; a classifier needs at least 2 ` +
        '(labels 0, 1, ...)',
    );
  }
  const labelSplit = (['train', 'val', 'test'] as const).find(
    (name) => ({ train, val, test })[name]?.numClasses === numClasses,
  )!;
  const info = (name: SplitName, split: CsvDataset): SplitInfo => ({
    path: displayPath(sources[name]!.path, sources[name]!.builtIn),
    builtIn: sources[name]!.builtIn,
    rows: split.X.shape[0],
    features: split.X.shape[1],
  });
  return {
    shared: {
      dtype: config.dtype,
      numClasses,
      train: share(train, config.dtype),
      val: share(val, config.dtype),
      test: test ? share(test, config.dtype) : null,
    },
    info: {
      train: info('train', train),
      val: info('val', val),
      test: test ? info('test', test) : null,
      numClasses,
      preprocessing: PREPROCESSING,
    },
    labelSource: `--${labelSplit} ${sources[labelSplit]!.path}`,
  };
}

/** Tensors over the shared buffers (no copy): what each worker trains on. */
export function attachSharedData(shared: SharedData): RunData {
  const attach = (split: SharedSplit) => {
    const X = shared.dtype === 'float32' ? new Float32Array(split.X) : new Float64Array(split.X);
    return { X: new Tensor(X, [split.rows, split.features]), y: new Int32Array(split.y) };
  };
  return {
    train: attach(shared.train),
    val: attach(shared.val),
    test: shared.test ? attach(shared.test) : null,
    numClasses: shared.numClasses,
  };
}
