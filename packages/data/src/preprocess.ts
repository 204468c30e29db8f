/**
 * Preprocessing as in CS231n: subtract the mean image of the training split from every split, then
 * optionally scale each colour channel. Statistics always come from the training split only; using the
 * validation or test rows would leak them into training.
 *
 * Channels: CIFAR rows are [N, 3072] = 1024 red, then 1024 green, then 1024 blue values, so channel c is
 * the column block [c·D/channels, (c+1)·D/channels).
 */
import { allocate, formatShape, ShapeError, Tensor } from '@backprop-lab/tensor';
import { checkOptionKeys } from './errors.js';

/** The per-feature mean over the rows of x [N, D] → [D], accumulated in float64. */
export function meanImage(x: Tensor): Tensor {
  const [rows, features] = matrixShape('meanImage', 'x', x);
  if (rows === 0) throw new ShapeError(`meanImage: x has no rows (${formatShape(x.shape)})`);
  const sum = new Float64Array(features);
  for (let i = 0; i < rows; i++) {
    const offset = i * features;
    for (let j = 0; j < features; j++) sum[j] += x.data[offset + j];
  }
  const mean = allocate(x.dtype, features);
  for (let j = 0; j < features; j++) mean[j] = sum[j] / rows;
  return new Tensor(mean, [features]);
}

/**
 * mean = mean image of train [N, D]; returns every split minus it (new tensors) and the mean [D].
 * others: the validation and test splits, each [M, D].
 */
export function subtractMeanImage(
  train: Tensor,
  ...others: Tensor[]
): { mean: Tensor; train: Tensor; others: Tensor[] } {
  const mean = meanImage(train);
  const subtract = (x: Tensor, name: string) => {
    checkFeatures('subtractMeanImage', name, x, mean.shape[0]);
    const out = x.clone();
    subtractRowVectorInPlace(out, mean);
    return out;
  };
  return { mean, train: subtract(train, 'train'), others: others.map((x, i) => subtract(x, `others[${i}]`)) };
}

/** Same as subtractMeanImage but overwrites the inputs (a full CIFAR copy is 600 MB-1.2 GB). */
export function subtractMeanImageInPlace(train: Tensor, ...others: Tensor[]): Tensor {
  const mean = meanImage(train);
  for (const [i, x] of others.entries())
    checkFeatures('subtractMeanImageInPlace', `others[${i}]`, x, mean.shape[0]);
  for (const x of [train, ...others]) subtractRowVectorInPlace(x, mean);
  return mean;
}

export interface ScaleOptions {
  /** 'std': divide each channel by its standard deviation over train; a number: divide everything by it (e.g. 255). */
  by: 'std' | number;
  /** Channels in a row: default 3 for 3072-column rows, else 1. */
  channels?: number;
}

/**
 * Divides each channel of every split by a per-channel scale taken from train [N, D] alone.
 * Returns new tensors and the scales (one per channel).
 */
export function scalePerChannel(
  train: Tensor,
  others: readonly Tensor[],
  options: ScaleOptions,
): { scale: number[]; train: Tensor; others: Tensor[] } {
  const fn = 'scalePerChannel';
  checkOptionKeys(fn, options, ['by', 'channels']);
  const [, features] = matrixShape(fn, 'train', train);
  const channels = options.channels ?? (features === 3072 ? 3 : 1);
  if (!Number.isInteger(channels) || channels < 1 || features % channels !== 0) {
    throw new RangeError(`${fn}: channels must be a positive divisor of D = ${features}, got ${channels}`);
  }
  const { by } = options;
  if (by !== 'std' && (typeof by !== 'number' || !(by > 0) || !Number.isFinite(by))) {
    throw new RangeError(`${fn}: by must be 'std' or a positive number, got ${String(by)}`);
  }
  const scale = by === 'std' ? channelStd(train, channels) : new Array<number>(channels).fill(by);
  scale.forEach((s, c) => {
    if (!(s > 0))
      throw new RangeError(`${fn}: channel ${c} of train has standard deviation ${s}; cannot divide by it`);
  });
  const apply = (x: Tensor, name: string) => {
    checkFeatures(fn, name, x, features);
    const out = x.clone();
    const block = features / channels;
    for (let offset = 0; offset < out.size; offset += features) {
      for (let c = 0; c < channels; c++) {
        const inverse = 1 / scale[c];
        for (let j = offset + c * block; j < offset + (c + 1) * block; j++) out.data[j] *= inverse;
      }
    }
    return out;
  };
  return { scale, train: apply(train, 'train'), others: others.map((x, i) => apply(x, `others[${i}]`)) };
}

/** Population standard deviation of each channel over all rows and pixels of x [N, D]. */
export function channelStd(x: Tensor, channels: number): number[] {
  const [rows, features] = matrixShape('channelStd', 'x', x);
  const block = features / channels;
  const result: number[] = [];
  for (let c = 0; c < channels; c++) {
    // Two passes (mean, then squared deviations) avoid the cancellation of E[x²] − E[x]².
    let sum = 0;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < block; j++) sum += x.data[i * features + c * block + j];
    const mean = sum / (rows * block);
    let squares = 0;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < block; j++) {
        const d = x.data[i * features + c * block + j] - mean;
        squares += d * d;
      }
    }
    result.push(Math.sqrt(squares / (rows * block)));
  }
  return result;
}

function subtractRowVectorInPlace(x: Tensor, row: Tensor): void {
  const features = row.shape[0];
  for (let offset = 0; offset < x.size; offset += features) {
    for (let j = 0; j < features; j++) x.data[offset + j] -= row.data[j];
  }
}

function matrixShape(fn: string, name: string, x: unknown): [number, number] {
  if (!(x instanceof Tensor)) throw new TypeError(`${fn}: ${name} must be a Tensor, got ${typeof x}`);
  if (x.rank !== 2)
    throw new ShapeError(`${fn}: ${name} must be 2-d [N, D], got shape ${formatShape(x.shape)}`);
  return [x.shape[0], x.shape[1]];
}

function checkFeatures(fn: string, name: string, x: unknown, features: number): void {
  const [, d] = matrixShape(fn, name, x);
  if (d !== features) {
    throw new ShapeError(
      `${fn}: ${name} has ${d} features (${formatShape((x as Tensor).shape)}) but train has ${features}`,
    );
  }
}
