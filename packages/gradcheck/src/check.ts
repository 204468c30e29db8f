import { createRng, formatShape, ShapeError, Tensor } from '@backprop-lab/tensor';
import { DEFAULT_H, evaluateAt, numericalGradient } from './numerical.js';
import { checkKeys, integer, nonNegativeNumber, positiveInteger, positiveNumber } from './options.js';
import { unravelIndex, worstRelError } from './rel-error.js';

/** Default pass mark: relative errors below 1e-6 are what correct float64 layers reach here. */
export const DEFAULT_THRESHOLD = 1e-6;

export type CheckMethod = 'full' | 'sparse' | 'directional';

/** A gradient check's verdict, as data: the library prints nothing. */
export interface GradCheckResult {
  method: CheckMethod;
  /** Worst relative error over what was checked (NaN if any value was NaN). */
  relError: number;
  /** Where it occurs: a multi-index into x, or [direction] for a directional check. */
  worstIndex: number[];
  /** The analytic value there (for a directional check: analytic · v). */
  analytic: number;
  /** The numerical value there (for a directional check: (f(x + h·v) − f(x − h·v)) / 2h). */
  numeric: number;
  threshold: number;
  /** relError <= threshold (false when relError is NaN). */
  ok: boolean;
  /** Elements (full, sparse) or directions (directional) compared. */
  checked: number;
  /** Calls made to f. */
  evaluations: number;
}

interface CommonOptions {
  /** Step of the centered difference. Default 1e-5. */
  h?: number;
  /** Pass mark for relError. Default 1e-6. */
  threshold?: number;
}

export interface SparseCheckOptions extends CommonOptions {
  /** Elements sampled (without replacement; all of them if k >= x.size). Default 10. */
  k?: number;
  /** Seed of the sampling. Default 0. */
  seed?: number;
}

export interface DirectionalCheckOptions extends CommonOptions {
  /** Random unit directions tried. Default 4. */
  directions?: number;
  /** Seed of the directions. Default 0. */
  seed?: number;
}

export type CheckGradientOptions =
  | ({ method?: 'full' } & CommonOptions)
  | ({ method: 'sparse' } & SparseCheckOptions)
  | ({ method: 'directional' } & DirectionalCheckOptions);

type ScalarFunction = (x: Tensor) => number;

function checkArguments(op: string, f: unknown, x: unknown, analytic: unknown): asserts x is Tensor {
  if (typeof f !== 'function') throw new TypeError(`${op}: f must be a function, got ${typeof f}`);
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: x must be a Tensor, got ${typeof x}`);
  if (!(analytic instanceof Tensor))
    throw new TypeError(`${op}: analytic must be a Tensor, got ${typeof analytic}`);
  if (analytic.shape.join() !== x.shape.join() || analytic.rank !== x.rank) {
    throw new ShapeError(
      `${op}: analytic has shape ${formatShape(analytic.shape)} but x has shape ${formatShape(x.shape)}`,
    );
  }
}

function evaluate(op: string, f: ScalarFunction, x: Tensor, i: number, delta: number): number {
  const value = evaluateAt(x, i, delta, f);
  if (typeof value !== 'number') throw new TypeError(`${op}: f must return a number, got ${typeof value}`);
  return value;
}

function verdict(
  method: CheckMethod,
  fields: Omit<GradCheckResult, 'method' | 'ok' | 'threshold'>,
  threshold: number,
): GradCheckResult {
  return { method, ...fields, threshold, ok: fields.relError <= threshold };
}

/** Compares every element of the analytic gradient with its centered difference (2 evaluations each). */
export function fullGradCheck(
  f: ScalarFunction,
  x: Tensor,
  analytic: Tensor,
  options: CommonOptions = {},
): GradCheckResult {
  const op = 'fullGradCheck';
  checkArguments(op, f, x, analytic);
  checkKeys(op, options, ['h', 'threshold']);
  const h = positiveNumber(op, 'h', options.h, DEFAULT_H);
  const threshold = nonNegativeNumber(op, 'threshold', options.threshold, DEFAULT_THRESHOLD);
  const numeric = numericalGradient(f, x, { h });
  const worst = worstRelError(analytic, numeric, op);
  return verdict(
    'full',
    {
      relError: worst.value,
      worstIndex: worst.offset < 0 ? [] : unravelIndex(worst.offset, x.shape),
      analytic: worst.offset < 0 ? 0 : analytic.data[worst.offset],
      numeric: worst.offset < 0 ? 0 : numeric.data[worst.offset],
      checked: x.size,
      evaluations: 2 * x.size,
    },
    threshold,
  );
}

/** k distinct offsets in [0, size), by a partial Fisher-Yates shuffle (all of them when k >= size). */
export function sampleOffsets(size: number, k: number, seed: number): number[] {
  const rng = createRng(seed);
  const order = Array.from({ length: size }, (_, i) => i);
  const count = Math.min(k, size);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(size - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count);
}

/** Checks k seeded random elements only: 2k evaluations, for parameters too large to check whole. */
export function sparseGradCheck(
  f: ScalarFunction,
  x: Tensor,
  analytic: Tensor,
  options: SparseCheckOptions = {},
): GradCheckResult {
  const op = 'sparseGradCheck';
  checkArguments(op, f, x, analytic);
  checkKeys(op, options, ['h', 'threshold', 'k', 'seed']);
  const h = positiveNumber(op, 'h', options.h, DEFAULT_H);
  const threshold = nonNegativeNumber(op, 'threshold', options.threshold, DEFAULT_THRESHOLD);
  const k = positiveInteger(op, 'k', options.k, 10);
  const seed = integer(op, 'seed', options.seed, 0);
  const offsets = sampleOffsets(x.size, k, seed);
  const numeric = offsets.map((i) => (evaluate(op, f, x, i, h) - evaluate(op, f, x, i, -h)) / (2 * h));
  const picked = offsets.map((i) => analytic.data[i]);
  const worst = worstRelError(
    new Tensor(Float64Array.from(picked), [picked.length]),
    new Tensor(Float64Array.from(numeric), [numeric.length]),
    op,
  );
  return verdict(
    'sparse',
    {
      relError: worst.value,
      worstIndex: worst.offset < 0 ? [] : unravelIndex(offsets[worst.offset], x.shape),
      analytic: worst.offset < 0 ? 0 : picked[worst.offset],
      numeric: worst.offset < 0 ? 0 : numeric[worst.offset],
      checked: offsets.length,
      evaluations: 2 * offsets.length,
    },
    threshold,
  );
}

/**
 * Checks the gradient along a few seeded random unit directions v: the directional derivative
 * (f(x + h·v) − f(x − h·v)) / 2h against analytic · v. Two evaluations per direction instead of two per
 * element (the idea of torch.autograd.gradcheck's fast mode). Any error not orthogonal to v shows up.
 */
export function directionalGradCheck(
  f: ScalarFunction,
  x: Tensor,
  analytic: Tensor,
  options: DirectionalCheckOptions = {},
): GradCheckResult {
  const op = 'directionalGradCheck';
  checkArguments(op, f, x, analytic);
  checkKeys(op, options, ['h', 'threshold', 'directions', 'seed']);
  const h = positiveNumber(op, 'h', options.h, DEFAULT_H);
  const threshold = nonNegativeNumber(op, 'threshold', options.threshold, DEFAULT_THRESHOLD);
  const directions = positiveInteger(op, 'directions', options.directions, 4);
  const rng = createRng(integer(op, 'seed', options.seed, 0));
  const saved = x.data.slice();
  const along = (v: Float64Array, step: number): number => {
    for (let i = 0; i < x.size; i++) x.data[i] = saved[i] + step * v[i];
    try {
      const value = f(x);
      if (typeof value !== 'number')
        throw new TypeError(`${op}: f must return a number, got ${typeof value}`);
      return value;
    } finally {
      x.data.set(saved); // exact restore, whatever f did
    }
  };
  const analyticValues: number[] = [];
  const numericValues: number[] = [];
  for (let d = 0; d < directions; d++) {
    const v = unitDirection(x.size, rng);
    let dot = 0;
    for (let i = 0; i < x.size; i++) dot += analytic.data[i] * v[i];
    analyticValues.push(dot);
    numericValues.push((along(v, h) - along(v, -h)) / (2 * h));
  }
  const worst = worstRelError(
    new Tensor(Float64Array.from(analyticValues), [directions]),
    new Tensor(Float64Array.from(numericValues), [directions]),
    op,
  );
  return verdict(
    'directional',
    {
      relError: worst.value,
      worstIndex: [worst.offset],
      analytic: analyticValues[worst.offset],
      numeric: numericValues[worst.offset],
      checked: directions,
      evaluations: 2 * directions,
    },
    threshold,
  );
}

function unitDirection(size: number, rng: ReturnType<typeof createRng>): Float64Array {
  const v = new Float64Array(size);
  let norm = 0;
  for (let i = 0; i < size; i++) {
    v[i] = rng.normal();
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < size; i++) v[i] /= norm;
  return v;
}

/**
 * One entry point for the three checks: `method` 'full' (default), 'sparse' or 'directional', with that
 * method's options. f: x ↦ number (use `scalarize(f, dout)` for a layer's array output); analytic [shape of x].
 */
export function checkGradient(
  f: ScalarFunction,
  x: Tensor,
  analytic: Tensor,
  options: CheckGradientOptions = {},
): GradCheckResult {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`checkGradient: options must be an object, got ${String(options)}`);
  }
  const { method = 'full', ...rest } = options;
  if (method === 'full') return fullGradCheck(f, x, analytic, rest);
  if (method === 'sparse') return sparseGradCheck(f, x, analytic, rest);
  if (method === 'directional') return directionalGradCheck(f, x, analytic, rest);
  throw new RangeError(
    `checkGradient: method must be 'full', 'sparse' or 'directional', got ${String(method)}`,
  );
}
