/**
 * Figures that let a person check a dataset at a glance: rows, columns, class counts, value statistics
 * (per colour channel for 3072-column CIFAR-like rows).
 */
import type { Tensor } from '@backprop-lab/tensor';

export interface ValueStats {
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
}

export interface DatasetSummary {
  rows: number;
  features: number;
  numClasses: number;
  classNames?: string[];
  /** Rows per class 0..numClasses-1. */
  classCounts: number[];
  /** Over every value of X. */
  values: ValueStats;
  /** For CIFAR-like rows (D = 3072): red, green, blue. */
  channels?: (ValueStats & { channel: string })[];
}

export const RGB_CHANNELS = ['red', 'green', 'blue'] as const;

export function summarizeDataset(data: {
  X: Tensor;
  y: Int32Array;
  numClasses: number;
  classNames?: string[];
}): DatasetSummary {
  const { X, y, numClasses } = data;
  const [rows, features] = X.shape;
  const classCounts = new Array<number>(numClasses).fill(0);
  for (const label of y) classCounts[label]++;
  const summary: DatasetSummary = {
    rows,
    features,
    numClasses,
    ...(data.classNames ? { classNames: data.classNames } : {}),
    classCounts,
    values: blockStats(X, 0, features),
  };
  if (features === 3072) {
    summary.channels = RGB_CHANNELS.map((channel, c) => ({
      channel,
      ...blockStats(X, c * 1024, (c + 1) * 1024),
    }));
  }
  return summary;
}

/** Statistics of columns [from, to) over every row of X [N, D], in two passes (mean, then deviations). */
export function blockStats(X: Tensor, from: number, to: number): ValueStats {
  const [rows, features] = X.shape;
  const data = X.data;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = i * features + from; j < i * features + to; j++) {
      const v = data[j];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
  }
  const count = rows * (to - from);
  const mean = count > 0 ? sum / count : Number.NaN;
  let squares = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = i * features + from; j < i * features + to; j++) {
      const d = data[j] - mean;
      squares += d * d;
    }
  }
  return { min, max, mean, std: count > 0 ? Math.sqrt(squares / count) : Number.NaN };
}
