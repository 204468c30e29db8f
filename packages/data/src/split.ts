/**
 * Train / validation / test splits. `splitDataset` shuffles with a seeded RNG (optionally per class, so
 * every split keeps the class proportions); `cs231nSplit` takes rows in order, as the CS231n notebooks do.
 */
import {
  createRng,
  formatShape,
  gatherRows,
  permutation,
  type Rng,
  ShapeError,
  Tensor,
} from '@backprop-lab/tensor';
import { checkCount, checkOptionKeys } from './errors.js';

/** X [N, D] with labels y [N]. */
export interface Dataset {
  X: Tensor;
  y: Int32Array;
}

export interface Splits {
  train: Dataset;
  val: Dataset;
  test: Dataset;
}

export interface SplitSizes {
  train: number;
  val: number;
  test?: number;
}

export interface SplitOptions {
  /** Rows per split; their sum may be less than N (the rest is left out). */
  sizes?: SplitSizes;
  /** Fractions of N per split; when they sum to 1 every row is used (largest remainders get the leftovers). */
  fractions?: SplitSizes;
  seed: number;
  /** Keep each class's share of rows in every split (default false: one plain shuffle). */
  stratified?: boolean;
}

const SPLITS = ['train', 'val', 'test'] as const;

export function splitDataset(X: Tensor, y: Int32Array, options: SplitOptions): Splits {
  const fn = 'splitDataset';
  checkDataset(fn, X, y);
  checkOptionKeys(fn, options, ['sizes', 'fractions', 'seed', 'stratified']);
  if (options === undefined || !Number.isInteger(options.seed)) {
    throw new TypeError(`${fn}: options.seed must be an integer, got ${String(options?.seed)}`);
  }
  const counts = splitCounts(fn, y.length, options);
  const rng = createRng(options.seed);
  const indices = options.stratified
    ? stratifiedIndices(y, counts, rng)
    : plainIndices(y.length, counts, rng);
  const take = (rows: Int32Array): Dataset => ({
    X: gatherRows(X, rows),
    y: Int32Array.from(rows, (i) => y[i]),
  });
  return { train: take(indices[0]), val: take(indices[1]), test: take(indices[2]) };
}

function splitCounts(fn: string, n: number, options: SplitOptions): number[] {
  const { sizes, fractions } = options;
  if ((sizes === undefined) === (fractions === undefined))
    throw new TypeError(`${fn}: give exactly one of sizes or fractions`);
  const given = (sizes ?? fractions)!;
  checkOptionKeys(`${fn}: ${sizes ? 'sizes' : 'fractions'}`, given, SPLITS);
  const values = SPLITS.map((name) => given[name] ?? 0);
  let counts: number[];
  if (sizes) {
    counts = values.map((v, i) => checkCount(fn, `sizes.${SPLITS[i]}`, v));
  } else {
    values.forEach((v, i) => {
      if (typeof v !== 'number' || !(v >= 0 && v <= 1))
        throw new RangeError(`${fn}: fractions.${SPLITS[i]} must be in [0, 1], got ${v}`);
    });
    const total = values.reduce((a, b) => a + b, 0);
    if (total > 1 + 1e-9) throw new RangeError(`${fn}: fractions sum to ${total}, more than 1`);
    counts = apportion(
      values.map((v) => v * n),
      Math.abs(total - 1) <= 1e-9 ? n : undefined,
    );
  }
  const sum = counts.reduce((a, b) => a + b, 0);
  if (sum > n)
    throw new RangeError(`${fn}: sizes ${counts.join('+')} = ${sum} exceed the ${n} rows available`);
  return counts;
}

/** Integer parts of `ideal`; when `total` is given, the leftovers go to the largest fractional parts. */
function apportion(ideal: number[], total?: number, capacity?: number[]): number[] {
  const counts = ideal.map((v) => Math.floor(v + 1e-9));
  if (total === undefined) return counts;
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = ideal
    .map((_, i) => i)
    .sort((a, b) => ideal[b] - Math.floor(ideal[b]) - (ideal[a] - Math.floor(ideal[a])) || a - b);
  while (left > 0) {
    let gave = false;
    for (const i of order) {
      if (left === 0) break;
      if (capacity && counts[i] >= capacity[i]) continue;
      counts[i]++;
      left--;
      gave = true;
    }
    if (!gave) break;
  }
  return counts;
}

function plainIndices(n: number, counts: number[], rng: Rng): Int32Array[] {
  const order = permutation(n, rng);
  let start = 0;
  return counts.map((count) => order.slice(start, (start += count)));
}

function stratifiedIndices(y: Int32Array, counts: number[], rng: Rng): Int32Array[] {
  const byClass = new Map<number, number[]>();
  y.forEach((label, i) => {
    const list = byClass.get(label);
    if (list) list.push(i);
    else byClass.set(label, [i]);
  });
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const shuffled = classes.map((label) => {
    const members = byClass.get(label)!;
    return Array.from(permutation(members.length, rng), (k) => members[k]);
  });
  const used = new Array<number>(classes.length).fill(0);
  const result: Int32Array[] = [];
  for (const count of counts) {
    // Each class gives count · n_c / n rows, rounded so the split gets exactly `count`.
    const ideal = shuffled.map((members) => (count * members.length) / y.length);
    const capacity = shuffled.map((members, c) => members.length - used[c]);
    const quota = apportion(ideal, count, capacity);
    const picked: number[] = [];
    shuffled.forEach((members, c) => {
      picked.push(...members.slice(used[c], used[c] + quota[c]));
      used[c] += quota[c];
    });
    // Mix the classes, which are still in blocks.
    const mix = permutation(picked.length, rng);
    result.push(Int32Array.from(mix, (k) => picked[k]));
  }
  return result;
}

/**
 * CS231n's split, rows taken in order (no shuffling): train = rows 0..49,000−1, val = the next 1,000, and
 * test = the first 1,000 rows of `test` when given (CIFAR-10's test batch), else the next 1,000 rows.
 * With fewer rows the same 49 : 1 (: 1) proportions are kept, at least one row for val and test.
 */
export function cs231nSplit(data: Dataset, test?: Dataset): Splits & { sizes: Required<SplitSizes> } {
  const fn = 'cs231nSplit';
  checkDataset(fn, data.X, data.y);
  if (test) checkDataset(fn, test.X, test.y);
  const n = data.y.length;
  const parts = test ? 50 : 51;
  const minimum = test ? 2 : 3;
  if (n < minimum) throw new RangeError(`${fn}: needs at least ${minimum} rows, got ${n}`);
  const numVal = n >= parts * 1000 ? 1000 : Math.max(1, Math.floor(n / parts));
  const numTest = test ? Math.min(1000, test.y.length) : numVal;
  const numTrain = Math.min(49000, n - numVal - (test ? 0 : numTest));
  const range = (d: Dataset, start: number, count: number): Dataset => {
    const rows = Int32Array.from({ length: count }, (_, i) => start + i);
    return { X: gatherRows(d.X, rows), y: d.y.slice(start, start + count) };
  };
  return {
    train: range(data, 0, numTrain),
    val: range(data, numTrain, numVal),
    test: test ? range(test, 0, numTest) : range(data, numTrain + numVal, numTest),
    sizes: { train: numTrain, val: numVal, test: numTest },
  };
}

function checkDataset(fn: string, X: unknown, y: unknown): void {
  if (!(X instanceof Tensor) || X.rank < 1) throw new TypeError(`${fn}: X must be a Tensor [N, ...]`);
  if (!(y instanceof Int32Array)) throw new TypeError(`${fn}: y must be an Int32Array`);
  if (X.shape[0] !== y.length) {
    throw new ShapeError(
      `${fn}: X has ${X.shape[0]} rows (${formatShape(X.shape)}) but y has ${y.length} labels`,
    );
  }
}
