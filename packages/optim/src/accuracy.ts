import { argmax, formatShape, gatherRows, type Rng, sliceRows, Tensor } from '@backprop-lab/tensor';
import { describe } from './check.js';
import type { Model } from './model.js';

export interface AccuracyOptions {
  /** Check a random subset of this many rows (all rows if null or if N is not larger). */
  numSamples?: number | null;
  /** Rows scored per call of model.loss(X), to bound memory. Default 100. */
  batchSize?: number;
  /** Draws the subset; needed only when one is drawn. */
  rng?: Rng;
}

/**
 * Fraction of rows whose highest score is the label: mean(argmax(scores, axis 1) == y), with the
 * scores [N, C] from model.loss(X) in test mode. X [N, ...], y [N].
 */
export function checkAccuracy(model: Model, X: Tensor, y: Int32Array, options: AccuracyOptions = {}): number {
  const { numSamples = null, batchSize = 100, rng } = options;
  const rows = X.shape[0];
  if (y.length !== rows) {
    throw new RangeError(
      `checkAccuracy: y has ${y.length} labels but X ${formatShape(X.shape)} has ${rows} rows`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`checkAccuracy: batchSize must be an integer >= 1, got ${describe(batchSize)}`);
  }
  let subset: Int32Array | null = null;
  if (numSamples !== null && rows > numSamples) {
    if (rng === undefined)
      throw new TypeError(`checkAccuracy: numSamples ${numSamples} < ${rows} rows needs an rng`);
    subset = sampleWithoutReplacement(rows, numSamples, rng);
  }
  const count = subset === null ? rows : subset.length;
  let correct = 0;
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    const batch = subset === null ? sliceRows(X, start, end) : gatherRows(X, subset.subarray(start, end));
    const scores = model.loss(batch);
    if (!(scores instanceof Tensor) || scores.rank !== 2 || scores.shape[0] !== end - start) {
      throw new TypeError(
        `checkAccuracy: model.loss(X) must return scores [N, C] with N = ${end - start}, got ${describe(scores)}`,
      );
    }
    const predicted = argmax(scores, { axis: 1 }).data;
    for (let i = 0; i < predicted.length; i++) {
      const row = subset === null ? start + i : subset[start + i];
      if (predicted[i] === y[row]) correct++;
    }
  }
  return correct / count;
}

/**
 * k distinct indices of 0..n-1 in random order: the first k steps of a Fisher-Yates shuffle.
 * (CS231n draws its accuracy subsample with replacement; distinct rows estimate accuracy a little better.)
 */
export function sampleWithoutReplacement(n: number, k: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order.slice(0, k);
}
