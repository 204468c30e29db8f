/**
 * Checks, before any worker starts, that the net the data asks for can be built: the last layer has one
 * column per class, and the class count is the largest label + 1, so one stray label such as 2000000000
 * asks for billions of weights. Without this check the worker dies deep inside a typed-array allocation.
 */
import { constants } from 'node:buffer';
import { totalmem } from 'node:os';
import type { DType } from '@backprop-lab/tensor';
import { TrainerDataError, UsageError } from '../errors.js';

/**
 * A run keeps about this many copies of the weights: parameters, gradients, two optimizer moments (Adam)
 * and the best parameters so far.
 */
const COPIES = 5;

export interface NetShape {
  features: number;
  hidden: readonly number[];
  numClasses: number;
  dtype: DType;
  workers: number;
}

/** `labelSource` names the file whose largest label set the class count, for the message. */
export function checkNetSize(net: NetShape, labelSource: string): void {
  const dims = [net.features, ...net.hidden, net.numClasses];
  const bytesPer = net.dtype === 'float32' ? 4 : 8;
  let weights = 0;
  let largest = 0;
  for (let i = 0; i + 1 < dims.length; i++) {
    const count = dims[i] * dims[i + 1] + dims[i + 1];
    weights += count;
    largest = Math.max(largest, count);
  }
  const needed = weights * bytesPer * COPIES * net.workers;
  if (largest * bytesPer <= constants.MAX_LENGTH && needed <= totalmem()) return;
  const last = net.hidden.at(-1) ?? net.features;
  const size = `${formatCount(weights)} weights, about ${formatBytes(needed)} for ${net.workers} worker(s)`;
  const memory = `this machine has ${formatBytes(totalmem())}`;
  // The class count is the usual culprit (one huge label); otherwise the hidden sizes are.
  if ((last + 1) * net.numClasses === largest)
    throw new TrainerDataError(
      `${labelSource}: the largest label is ${net.numClasses - 1}, so the net would need ${net.numClasses} ` +
        `output classes (${size}; ${memory}); labels must be 0..C-1 for C classes`,
    );
  throw new UsageError(
    `--hidden ${net.hidden.join(',')}: the net would need ${size}; ${memory}; use smaller hidden layers`,
  );
}

function formatCount(count: number): string {
  return count >= 1e6 ? `${(count / 1e6).toPrecision(3)} million` : String(count);
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
