import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { writeFileAtomic } from '@backprop-lab/fs-atomic';
import { type DType, type RngState, Tensor } from '@backprop-lab/tensor';
import { describe } from './check.js';
import { HeaderReader } from './checkpoint-read.js';
import { UPDATE_RULE_NAMES, type UpdateRuleName } from './rules.js';
import type { Sampling } from './solver-options.js';

/**
 * A checkpoint file is one line of JSON (the header), a newline, then the raw bytes of every tensor,
 * little-endian, each starting at a multiple of 8 bytes counted from the byte after the newline.
 * Inside the header a tensor appears as `{ "$tensor": i }`, an index into `header.tensors`, which gives
 * its dtype, shape and byteOffset. Numbers are exact in JSON (JavaScript prints the shortest string that
 * reads back to the same double), so the histories and the RNG state survive bit for bit.
 */
export const CHECKPOINT_FORMAT = 'backprop-lab/optim checkpoint';
export const CHECKPOINT_VERSION = 1;

/** An optimizer config value as checkpoints can hold it. */
export type ConfigValue = number | string | boolean | Tensor;

/** The Solver's options as saved: everything but the progress callback and a rule function. */
export interface CheckpointOptions {
  updateRule: UpdateRuleName | 'custom';
  optimConfig: Record<string, number>;
  lrDecay: number;
  batchSize: number;
  numEpochs: number;
  numTrainSamples: number | null;
  numValSamples: number | null;
  checkpointEvery: number;
  seed: number;
  sampling: Sampling;
  /** Absent in checkpoints written before the option existed (read as null). */
  maxLoss?: number | null;
}

/** A batchnorm layer's running statistics (null before its first train-mode pass). */
export type BnStats = { runningMean: Tensor | null; runningVar: Tensor | null };

/** Everything a Solver needs to go on exactly where it stopped (always at an epoch end). */
export interface CheckpointState {
  options: CheckpointOptions;
  numTrain: number;
  numVal: number;
  epoch: number;
  iteration: number;
  rng: RngState;
  params: Record<string, Tensor>;
  bestParams: Record<string, Tensor> | null;
  optimConfigs: Record<string, Record<string, ConfigValue>>;
  /** model.bnParams' running statistics, one entry per batchnorm layer (null before its first pass). */
  bnStats: BnStats[];
  /** bnStats as they were with bestParams; null or absent when there is no best yet (or an older file). */
  bestBnStats?: BnStats[] | null;
  lossHistory: number[];
  trainAccHistory: number[];
  valAccHistory: number[];
  bestValAcc: number;
}

interface TensorEntry {
  dtype: DType;
  shape: number[];
  byteOffset: number;
}

const NEWLINE = 0x0a;

function checkByteOrder(fn: string): void {
  // Tensor bytes are copied as they sit in memory; every platform Node supports today is little-endian.
  if (endianness() !== 'LE') throw new Error(`${fn}: checkpoints need a little-endian machine`);
}

/** The file's bytes for a state. Throws naming the key when an optimizer config holds something unsavable. */
export function encodeCheckpoint(state: CheckpointState): Buffer {
  checkByteOrder('encodeCheckpoint');
  const tensors: TensorEntry[] = [];
  const chunks: Buffer[] = [];
  let byteLength = 0;
  const ref = (t: Tensor): { $tensor: number } => {
    const padding = (8 - (byteLength % 8)) % 8;
    if (padding > 0) chunks.push(Buffer.alloc(padding));
    byteLength += padding;
    tensors.push({ dtype: t.dtype, shape: [...t.shape], byteOffset: byteLength });
    chunks.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    byteLength += t.data.byteLength;
    return { $tensor: tensors.length - 1 };
  };
  const statsRefs = ({ runningMean, runningVar }: BnStats) => ({
    runningMean: runningMean === null ? null : ref(runningMean),
    runningVar: runningVar === null ? null : ref(runningVar),
  });
  const refs = (record: Record<string, Tensor>) =>
    Object.fromEntries(Object.entries(record).map(([name, t]) => [name, ref(t)]));
  const optimConfigs = Object.fromEntries(
    Object.entries(state.optimConfigs).map(([name, config]) => [
      name,
      Object.fromEntries(
        Object.entries(config).map(([key, value]) => {
          if (value instanceof Tensor) return [key, ref(value)];
          if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
            return [key, value];
          throw new TypeError(
            `encodeCheckpoint: optimizer config '${key}' of parameter '${name}' is ${describe(value)}: only numbers, strings, booleans and Tensors can be saved`,
          );
        }),
      ),
    ]),
  );
  const header = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    byteOrder: 'little-endian',
    tensors,
    options: state.options,
    numTrain: state.numTrain,
    numVal: state.numVal,
    epoch: state.epoch,
    iteration: state.iteration,
    rng: state.rng,
    params: refs(state.params),
    bestParams: state.bestParams === null ? null : refs(state.bestParams),
    optimConfigs,
    bnStats: state.bnStats.map(statsRefs),
    bestBnStats: state.bestBnStats ? state.bestBnStats.map(statsRefs) : null,
    lossHistory: state.lossHistory,
    trainAccHistory: state.trainAccHistory,
    valAccHistory: state.valAccHistory,
    bestValAcc: state.bestValAcc,
  };
  // Tensors were registered while building the header above, so `tensors` is complete here.
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...chunks]);
}

/** Parses a checkpoint's bytes; `source` (a path) names the file in errors. Throws a CheckpointError. */
export function decodeCheckpoint(bytes: Uint8Array, source: string): CheckpointState {
  checkByteOrder('decodeCheckpoint');
  const read = new HeaderReader(source);
  const end = bytes.indexOf(NEWLINE);
  if (end < 0) read.fail('', 'is not a backprop-lab checkpoint (no header line)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes.subarray(0, end)).toString('utf8'));
  } catch (error) {
    return read.fail('', `is not a backprop-lab checkpoint (header: ${(error as Error).message})`);
  }
  const header = read.object(parsed, 'header');
  if (header.format !== CHECKPOINT_FORMAT)
    read.fail('', `is not a backprop-lab checkpoint (format ${describe(header.format)})`);
  if (header.version !== CHECKPOINT_VERSION)
    read.fail('', `has version ${describe(header.version)}; this build reads version ${CHECKPOINT_VERSION}`);
  const tensors = read.tensors(header.tensors, bytes.subarray(end + 1));
  const params = read.tensorRecord(header.params, 'params', tensors);
  const bestParams =
    header.bestParams === null ? null : read.tensorRecord(header.bestParams, 'bestParams', tensors);
  for (const [name, t] of Object.entries(bestParams ?? {})) {
    if (params[name] === undefined)
      read.fail(`bestParams.${name}`, 'has no parameter of that name in params');
    read.sameAs(t, params[name], `bestParams.${name}`, `params.${name}`);
  }
  return {
    options: readOptions(read, header.options),
    numTrain: read.integer(header.numTrain, 'numTrain', 1),
    numVal: read.integer(header.numVal, 'numVal', 1),
    epoch: read.integer(header.epoch, 'epoch'),
    iteration: read.integer(header.iteration, 'iteration'),
    rng: read.rng(header.rng, 'rng'),
    params,
    bestParams,
    optimConfigs: readOptimConfigs(read, header.optimConfigs, params, tensors),
    bnStats: readBnStats(read, header.bnStats, 'bnStats', tensors),
    bestBnStats:
      header.bestBnStats === undefined || header.bestBnStats === null
        ? null
        : readBnStats(read, header.bestBnStats, 'bestBnStats', tensors),
    lossHistory: read.numbers(header.lossHistory, 'lossHistory'),
    trainAccHistory: read.numbers(header.trainAccHistory, 'trainAccHistory'),
    valAccHistory: read.numbers(header.valAccHistory, 'valAccHistory'),
    bestValAcc: read.number(header.bestValAcc, 'bestValAcc'),
  };
}

/** One { runningMean, runningVar } entry per batchnorm layer, each a tensor reference or null. */
function readBnStats(read: HeaderReader, value: unknown, field: string, tensors: Tensor[]): BnStats[] {
  return read.array(value, field).map((raw, i) => {
    const stats = read.object(raw, `${field}[${i}]`);
    const stat = (key: 'runningMean' | 'runningVar') =>
      stats[key] === null ? null : read.tensorRef(stats[key], `${field}[${i}].${key}`, tensors);
    return { runningMean: stat('runningMean'), runningVar: stat('runningVar') };
  });
}

function readOptions(read: HeaderReader, value: unknown): CheckpointOptions {
  const options = read.object(value, 'options');
  const optimConfig = read.object(options.optimConfig, 'options.optimConfig');
  return {
    updateRule: read.oneOf(options.updateRule, 'options.updateRule', [
      ...UPDATE_RULE_NAMES,
      'custom',
    ] as const),
    optimConfig: Object.fromEntries(
      Object.entries(optimConfig).map(([key, v]) => [key, read.number(v, `options.optimConfig.${key}`)]),
    ),
    lrDecay: read.number(options.lrDecay, 'options.lrDecay'),
    batchSize: read.integer(options.batchSize, 'options.batchSize', 1),
    numEpochs: read.integer(options.numEpochs, 'options.numEpochs'),
    numTrainSamples: read.integerOrNull(options.numTrainSamples, 'options.numTrainSamples', 1),
    numValSamples: read.integerOrNull(options.numValSamples, 'options.numValSamples', 1),
    checkpointEvery: read.integer(options.checkpointEvery, 'options.checkpointEvery', 1),
    seed: read.integer(options.seed, 'options.seed'),
    sampling: read.oneOf(options.sampling, 'options.sampling', ['shuffle', 'replacement'] as const),
    // Older files have no maxLoss: leave it absent rather than invent one.
    ...(options.maxLoss === undefined
      ? {}
      : { maxLoss: options.maxLoss === null ? null : read.number(options.maxLoss, 'options.maxLoss') }),
  };
}

/** Per-parameter optimizer state; a tensor in it (Adam's m, v) has its parameter's dtype and shape. */
function readOptimConfigs(
  read: HeaderReader,
  value: unknown,
  params: Record<string, Tensor>,
  tensors: readonly Tensor[],
): Record<string, Record<string, ConfigValue>> {
  const configs = read.object(value, 'optimConfigs');
  return Object.fromEntries(
    Object.entries(configs).map(([name, raw]) => {
      const field = `optimConfigs.${name}`;
      if (params[name] === undefined) read.fail(field, 'has no parameter of that name in params');
      const config = read.object(raw, field);
      const entries = Object.entries(config).map(([key, v]): [string, ConfigValue] => {
        if (typeof v === 'string' || typeof v === 'boolean') return [key, v];
        if (typeof v === 'number') return [key, read.number(v, `${field}.${key}`)];
        const t = read.tensorRef(v, `${field}.${key}`, tensors);
        read.sameAs(t, params[name], `${field}.${key}`, `params.${name}`);
        return [key, t];
      });
      return [name, Object.fromEntries(entries)];
    }),
  );
}

/**
 * Writes `path` atomically (@backprop-lab/fs-atomic): a crash or a full disk leaves the old checkpoint or
 * the new one, never half of one. Missing folders are created.
 */
export async function saveCheckpoint(path: string, state: CheckpointState): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(state));
}

export async function loadCheckpoint(path: string): Promise<CheckpointState> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`loadCheckpoint: cannot read ${path} (${(error as Error).message})`, { cause: error });
  }
  return decodeCheckpoint(bytes, path);
}
