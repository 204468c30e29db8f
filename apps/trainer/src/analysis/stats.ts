/** Small statistics used by the comparison: mean ± std, smoothing, threshold crossings, curve area. */
import type { Stat } from './types.js';

/**
 * The loss above which a run counts as diverged: ten times the loss of guessing uniformly over C classes
 * (ln C). Far above anything a run that still learns reaches, so crossing it means the run blew up.
 */
export function divergenceBound(numClasses: number): number {
  return 10 * Math.log(numClasses);
}

/** Mean and sample standard deviation (n − 1); a single value has std 0, none gives nulls. */
export function stat(values: readonly number[]): Stat {
  const n = values.length;
  if (n === 0) return { mean: null, std: null, n: 0 };
  const mean = values.reduce((total, value) => total + value, 0) / n;
  if (n === 1) return { mean, std: 0, n };
  const squares = values.reduce((total, value) => total + (value - mean) ** 2, 0);
  return { mean, std: Math.sqrt(squares / (n - 1)), n };
}

/** Trailing mean over the last `window` entries (fewer at the start), so each point uses only the past. */
export function trailingMean(values: readonly number[], window: number): number[] {
  const out = new Array<number>(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += values[i];
    if (i >= window) total -= values[i - window];
    out[i] = total / Math.min(i + 1, window);
  }
  return out;
}

/** Iterations run until the curve first is ≤ threshold (index + 1), or null if it never is. */
export function firstBelow(curve: readonly number[], threshold: number): number | null {
  const index = curve.findIndex((value) => value <= threshold);
  return index < 0 ? null : index + 1;
}

/** The x at which `values` first is ≥ threshold, or null. */
export function firstAtLeast(
  xs: readonly number[],
  values: readonly number[],
  threshold: number,
): number | null {
  const index = values.findIndex((value) => value >= threshold);
  return index < 0 ? null : xs[index];
}

/** Trapezoidal area under a curve sampled once per iteration, divided by its span: the mean level. */
export function meanArea(curve: readonly number[]): number {
  if (curve.length === 1) return curve[0];
  let area = 0;
  for (let i = 1; i < curve.length; i++) area += (curve[i - 1] + curve[i]) / 2;
  return area / (curve.length - 1);
}

/** Rounds to `digits` significant digits in the given direction (thresholds read better rounded). */
export function roundSignificant(value: number, digits: number, direction: 'up' | 'down'): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(Math.abs(value))));
  const scaled = value * scale;
  // A tiny tolerance keeps 1.5 from rounding up to 1.6 through floating-point noise.
  const rounded = direction === 'up' ? Math.ceil(scaled - 1e-9) : Math.floor(scaled + 1e-9);
  return Number((rounded / scale).toPrecision(digits));
}
