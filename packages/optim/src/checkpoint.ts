import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import { allocate, type DType, isDType, type RngState, Tensor } from '@backprop-lab/tensor';
import { describe } from './check.js';
import type { UpdateRuleName } from './rules.js';
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
  bnStats: { runningMean: Tensor | null; runningVar: Tensor | null }[];
  /** bnStats as they were with bestParams; null or absent when there is no best yet (or an older file). */
  bestBnStats?: { runningMean: Tensor | null; runningVar: Tensor | null }[] | null;
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
  const statsRefs = ({
    runningMean,
    runningVar,
  }: {
    runningMean: Tensor | null;
    runningVar: Tensor | null;
  }) => ({
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

/** Parses a checkpoint's bytes; `source` (a path) names the file in errors. */
export function decodeCheckpoint(bytes: Uint8Array, source: string): CheckpointState {
  checkByteOrder('decodeCheckpoint');
  const fail = (why: string): never => {
    throw new Error(`decodeCheckpoint: ${source} ${why}`);
  };
  const end = bytes.indexOf(NEWLINE);
  if (end < 0) fail('is not a backprop-lab checkpoint (no header line)');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(0, end)).toString('utf8'));
  } catch (error) {
    return fail(`is not a backprop-lab checkpoint (header: ${(error as Error).message})`);
  }
  if (header?.format !== CHECKPOINT_FORMAT)
    fail(`is not a backprop-lab checkpoint (format ${describe(header?.format)})`);
  if (header.version !== CHECKPOINT_VERSION) {
    fail(`has version ${describe(header.version)}; this build reads version ${CHECKPOINT_VERSION}`);
  }
  const body = bytes.subarray(end + 1);
  const entries = header.tensors as TensorEntry[];
  const tensors = entries.map((entry, i) => {
    if (!isDType(entry.dtype)) fail(`has tensor ${i} of unknown dtype ${describe(entry.dtype)}`);
    const size = entry.shape.reduce((p, d) => p * d, 1);
    const data = allocate(entry.dtype, size);
    const stop = entry.byteOffset + data.byteLength;
    if (stop > body.length)
      fail(`is truncated: tensor ${i} needs bytes ${entry.byteOffset}..${stop} of ${body.length}`);
    // Copy rather than view: the body need not be 8-byte aligned in memory.
    new Uint8Array(data.buffer).set(body.subarray(entry.byteOffset, stop));
    return new Tensor(data, entry.shape);
  });
  const tensorAt = (value: unknown): Tensor => {
    const index = (value as { $tensor?: unknown })?.$tensor;
    if (typeof index !== 'number' || tensors[index] === undefined)
      fail(`refers to a missing tensor ${describe(index)}`);
    return tensors[index as number];
  };
  type SavedStats = { runningMean: unknown; runningVar: unknown };
  const statsAt = ({ runningMean, runningVar }: SavedStats) => ({
    runningMean: runningMean === null ? null : tensorAt(runningMean),
    runningVar: runningVar === null ? null : tensorAt(runningVar),
  });
  const record = (value: unknown) =>
    Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, tensorAt(v)]));
  const optimConfigs = Object.fromEntries(
    Object.entries(header.optimConfigs as Record<string, Record<string, unknown>>).map(([name, config]) => [
      name,
      Object.fromEntries(
        Object.entries(config).map(([k, v]) => [
          k,
          typeof v === 'object' && v !== null ? tensorAt(v) : (v as ConfigValue),
        ]),
      ),
    ]),
  );
  return {
    options: header.options as CheckpointOptions,
    numTrain: header.numTrain as number,
    numVal: header.numVal as number,
    epoch: header.epoch as number,
    iteration: header.iteration as number,
    rng: header.rng as RngState,
    params: record(header.params),
    bestParams: header.bestParams === null ? null : record(header.bestParams),
    optimConfigs,
    bnStats: (header.bnStats as SavedStats[]).map(statsAt),
    bestBnStats: header.bestBnStats ? (header.bestBnStats as SavedStats[]).map(statsAt) : null,
    lossHistory: header.lossHistory as number[],
    trainAccHistory: header.trainAccHistory as number[],
    valAccHistory: header.valAccHistory as number[],
    bestValAcc: header.bestValAcc as number,
  };
}

let tempCounter = 0;

/**
 * Writes `path` atomically: the bytes go to a temporary file in the same folder, are flushed to disk,
 * and the file is renamed over `path`. A crash leaves the old checkpoint or the new one, never half of one.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  tempCounter += 1;
  const temp = `${path}.${process.pid}.${tempCounter}.tmp`;
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

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
