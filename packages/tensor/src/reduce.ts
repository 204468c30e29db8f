import { allocate } from './dtype.js';
import { formatShape, normalizeAxis, ShapeError } from './shape.js';
import { Tensor } from './tensor.js';

export interface ReduceOptions {
  /** Axis to reduce (negative counts from the end); omit to reduce over every element. */
  axis?: number;
  /** Keep the reduced axis as a dimension of size 1 (so the result broadcasts against the input). */
  keepDims?: boolean;
}

/**
 * Splits a tensor around `axis` into [outer, length, inner] so every reduction is one loop nest.
 * Without an axis the whole tensor is one run of `length = size`.
 */
function plan(op: string, t: Tensor, options: ReduceOptions) {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: input must be a Tensor`);
  if (options.axis === undefined) {
    const shape = options.keepDims ? t.shape.map(() => 1) : [];
    return { outer: 1, length: t.size, inner: 1, shape };
  }
  const axis = normalizeAxis(op, options.axis, t.rank);
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= t.shape[i];
  for (let i = axis + 1; i < t.rank; i++) inner *= t.shape[i];
  const shape = options.keepDims
    ? t.shape.map((d, i) => (i === axis ? 1 : d))
    : t.shape.filter((_, i) => i !== axis);
  return { outer, length: t.shape[axis], inner, shape };
}

function reduce(
  op: string,
  t: Tensor,
  options: ReduceOptions,
  fold: (values: ArrayLike<number>, start: number, length: number, stride: number) => number,
  allowEmpty: boolean,
): Tensor {
  const { outer, length, inner, shape } = plan(op, t, options);
  if (length === 0 && !allowEmpty) {
    throw new ShapeError(`${op}: cannot reduce an empty axis of a tensor of shape ${formatShape(t.shape)}`);
  }
  const out = allocate(t.dtype, outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) out[o * inner + i] = fold(t.data, o * length * inner + i, length, inner);
  }
  return new Tensor(out, shape);
}

const foldSum = (v: ArrayLike<number>, start: number, n: number, stride: number): number => {
  let s = 0;
  for (let k = 0; k < n; k++) s += v[start + k * stride];
  return s;
};

export function sum(t: Tensor, options: ReduceOptions = {}): Tensor {
  return reduce('sum', t, options, foldSum, true);
}

export function mean(t: Tensor, options: ReduceOptions = {}): Tensor {
  return reduce('mean', t, options, (v, start, n, stride) => foldSum(v, start, n, stride) / n, false);
}

/** Biased variance (divides by N), as batchnorm uses; two passes for accuracy. */
export function variance(t: Tensor, options: ReduceOptions = {}): Tensor {
  return reduce(
    'variance',
    t,
    options,
    (v, start, n, stride) => {
      const mu = foldSum(v, start, n, stride) / n;
      let s = 0;
      for (let k = 0; k < n; k++) {
        const d = v[start + k * stride] - mu;
        s += d * d;
      }
      return s / n;
    },
    false,
  );
}

export function max(t: Tensor, options: ReduceOptions = {}): Tensor {
  return reduce(
    'max',
    t,
    options,
    (v, start, n, stride) => {
      let m = -Infinity;
      for (let k = 0; k < n; k++) {
        const x = v[start + k * stride];
        if (x > m || Number.isNaN(x)) m = x;
        if (Number.isNaN(m)) return m;
      }
      return m;
    },
    false,
  );
}

export function min(t: Tensor, options: ReduceOptions = {}): Tensor {
  return reduce(
    'min',
    t,
    options,
    (v, start, n, stride) => {
      let m = Infinity;
      for (let k = 0; k < n; k++) {
        const x = v[start + k * stride];
        if (x < m || Number.isNaN(x)) m = x;
        if (Number.isNaN(m)) return m;
      }
      return m;
    },
    false,
  );
}

/** Index of the first maximum along the axis (or in the flattened tensor), as numbers in the input's dtype. */
export function argmax(t: Tensor, options: ReduceOptions = {}): Tensor {
  return reduce(
    'argmax',
    t,
    options,
    (v, start, n, stride) => {
      let best = 0;
      let m = v[start];
      for (let k = 1; k < n; k++) {
        const x = v[start + k * stride];
        if (x > m) {
          m = x;
          best = k;
        }
      }
      return best;
    },
    false,
  );
}
