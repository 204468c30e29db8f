import { allocateOutput, getBackend } from './backend.js';
import { formatShape, normalizeAxis, ShapeError, sameShape } from './shape.js';
import { Tensor } from './tensor.js';

export interface ReduceOptions {
  /** Axis to reduce (negative counts from the end); omit to reduce over every element. */
  axis?: number;
  /** Keep the reduced axis as a dimension of size 1 (so the result broadcasts against the input). */
  keepDims?: boolean;
}

/** What every reduction takes after the tensor: an axis as numpy writes it (`sum(x, 0)`), or options. */
export type ReduceArgument = number | ReduceOptions;

/** Reads `sum(x, 0)` as `sum(x, { axis: 0 })`; rejects anything else than an axis, axis and keepDims. */
function readOptions(op: string, argument: ReduceArgument | undefined): ReduceOptions {
  if (argument === undefined) return {};
  if (typeof argument === 'number') return { axis: argument };
  if (typeof argument !== 'object' || argument === null || Array.isArray(argument)) {
    throw new TypeError(
      `${op}: expected an axis or { axis, keepDims } after the tensor, got ${String(argument)}`,
    );
  }
  for (const key of Object.keys(argument)) {
    if (key !== 'axis' && key !== 'keepDims') {
      throw new TypeError(`${op}: unknown option '${key}' (options: axis, keepDims)`);
    }
  }
  if (argument.axis !== undefined && typeof argument.axis !== 'number') {
    throw new TypeError(`${op}: axis must be a number, got ${String(argument.axis)}`);
  }
  if (argument.keepDims !== undefined && typeof argument.keepDims !== 'boolean') {
    throw new TypeError(`${op}: keepDims must be a boolean, got ${String(argument.keepDims)}`);
  }
  return argument;
}

/**
 * Splits a tensor around `axis` into [outer, length, inner] so every reduction is one loop nest.
 * Without an axis the whole tensor is one run of `length = size`.
 */
function plan(op: string, t: Tensor, argument: ReduceArgument | undefined, allowEmpty: boolean) {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: input must be a Tensor`);
  const options = readOptions(op, argument);
  let outer = 1;
  let length = t.size;
  let inner = 1;
  let shape: number[] = options.keepDims ? t.shape.map(() => 1) : [];
  if (options.axis !== undefined) {
    const axis = normalizeAxis(op, options.axis, t.rank);
    for (let i = 0; i < axis; i++) outer *= t.shape[i];
    for (let i = axis + 1; i < t.rank; i++) inner *= t.shape[i];
    length = t.shape[axis];
    shape = options.keepDims
      ? t.shape.map((d, i) => (i === axis ? 1 : d))
      : t.shape.filter((_, i) => i !== axis);
  }
  if (length === 0 && !allowEmpty) {
    throw new ShapeError(`${op}: cannot reduce an empty axis of a tensor of shape ${formatShape(t.shape)}`);
  }
  return { outer, length, inner, shape };
}

type Fold = (values: ArrayLike<number>, start: number, length: number, stride: number) => number;

/** out[o, i] = fold over k of t[o, k, i], one output element at a time. */
function reduce(
  op: string,
  t: Tensor,
  argument: ReduceArgument | undefined,
  fold: Fold,
  allowEmpty: boolean,
) {
  const { outer, length, inner, shape } = plan(op, t, argument, allowEmpty);
  const out = allocateOutput(t.dtype, outer * inner);
  if (getBackend().reduce?.(op, out, t.data, outer, length, inner)) return new Tensor(out, shape);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) out[o * inner + i] = fold(t.data, o * length * inner + i, length, inner);
  }
  return new Tensor(out, shape);
}

// The summation-order contract: each output element is summed in float64, starting at +0, adding its
// inputs in index order along the axis; float32 results are rounded once, on the store. Walking an axis
// with elements after it (axis 0 of [N, D]) strides through memory, and that was measured as fast as
// keeping D running sums in memory order (the strided rows stay in cache), so there is one loop.
const foldSum: Fold = (v, start, n, stride) => {
  let s = 0;
  for (let k = 0; k < n; k++) s += v[start + k * stride];
  return s;
};

const foldVariance: Fold = (v, start, n, stride) => {
  const mu = foldSum(v, start, n, stride) / n;
  let s = 0;
  for (let k = 0; k < n; k++) {
    const d = v[start + k * stride] - mu;
    s += d * d;
  }
  return s / n;
};

export function sum(t: Tensor, axisOrOptions?: ReduceArgument): Tensor {
  return reduce('sum', t, axisOrOptions, foldSum, true);
}

export function mean(t: Tensor, axisOrOptions?: ReduceArgument): Tensor {
  return reduce('mean', t, axisOrOptions, (v, start, n, stride) => foldSum(v, start, n, stride) / n, false);
}

/** Biased variance (divides by N), as batchnorm uses; two passes for accuracy. */
export function variance(t: Tensor, axisOrOptions?: ReduceArgument): Tensor {
  return reduce('variance', t, axisOrOptions, foldVariance, false);
}

export function max(t: Tensor, axisOrOptions?: ReduceArgument): Tensor {
  return reduce(
    'max',
    t,
    axisOrOptions,
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

export function min(t: Tensor, axisOrOptions?: ReduceArgument): Tensor {
  return reduce(
    'min',
    t,
    axisOrOptions,
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
export function argmax(t: Tensor, axisOrOptions?: ReduceArgument): Tensor {
  return reduce(
    'argmax',
    t,
    axisOrOptions,
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

/**
 * Σ a·b over every element of two tensors of one shape and dtype, as a 0-d tensor of that dtype: numpy's
 * `vdot` (the flattened inner product). `vdot(W, W)` is ΣW² in one pass, without the array of squares that
 * `sum(square(W))` makes. The order: eight running sums in float64, element k into sum k mod 8 in index
 * order, added ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)); float32 results rounded once. Eight
 * independent sums let a CPU keep eight adds in flight, where one running sum waits for each add.
 */
export function vdot(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError('vdot: inputs must be Tensors');
  if (!sameShape(a.shape, b.shape)) {
    throw new ShapeError(`vdot: shapes differ: ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.dtype !== b.dtype) throw new ShapeError(`vdot: dtypes differ: ${a.dtype} and ${b.dtype}`);
  const out = allocateOutput(a.dtype, 1);
  out[0] = getBackend().vdot?.(a.data, b.data) ?? vdotLoop(a.data, b.data);
  return new Tensor(out, []);
}

function vdotLoop(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let [s0, s1, s2, s3, s4, s5, s6, s7] = [0, 0, 0, 0, 0, 0, 0, 0];
  const n = a.length;
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    s0 += a[k] * b[k];
    s1 += a[k + 1] * b[k + 1];
    s2 += a[k + 2] * b[k + 2];
    s3 += a[k + 3] * b[k + 3];
    s4 += a[k + 4] * b[k + 4];
    s5 += a[k + 5] * b[k + 5];
    s6 += a[k + 6] * b[k + 6];
    s7 += a[k + 7] * b[k + 7];
  }
  // The last n mod 8 elements go to the first sums, as element k goes to sum k mod 8.
  const s = [s0, s1, s2, s3, s4, s5, s6, s7];
  for (; k < n; k++) s[k & 7] += a[k] * b[k];
  return s[0] + s[1] + (s[2] + s[3]) + (s[4] + s[5] + (s[6] + s[7]));
}
