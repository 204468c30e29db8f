/**
 * Comparisons that turn a student's value into a CheckLine: type, shape and dtype first (each with its
 * own one-line message), then NaN, then CS231n's relative error.
 */
import { unravelIndex, worstRelError } from '@backprop-lab/gradcheck';
import { formatShape, Tensor } from '@backprop-lab/tensor';
import type { CheckLine } from './report.js';

/** Forward values against the reference: the same math in another op order differs by ~1e-15. */
export const FORWARD_THRESHOLD = 1e-9;
/** Analytic gradients against the reference's. */
export const REFERENCE_THRESHOLD = 1e-8;
/**
 * Analytic against centered differences (h = 1e-5, float64): a right backward gives ~1e-9 or less here;
 * a wrong one gives 1e-3 and up.
 */
export const NUMERICAL_THRESHOLD = 1e-6;
/**
 * Entries below this in absolute error pass whatever their relative error: a true gradient of 0 (a bias
 * before batchnorm) is compared with round-off on both sides.
 */
export const ABSOLUTE_FLOOR = 1e-9;

export function describe(value: unknown): string {
  if (value instanceof Tensor) return `a ${value.dtype} tensor of shape ${formatShape(value.shape)}`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'number' ? `the number ${value}` : typeof value;
}

function firstNonFinite(t: Tensor): number {
  return t.data.findIndex((v) => !Number.isFinite(v));
}

function maxAbsError(a: Tensor | number, b: Tensor | number): number {
  const left = typeof a === 'number' ? [a] : a.data;
  const right = typeof b === 'number' ? [b] : b.data;
  let worst = 0;
  for (let i = 0; i < left.length; i++) worst = Math.max(worst, Math.abs(left[i] - right[i]));
  return worst;
}

/**
 * `what` (e.g. 'dx') of the student's against `expected`; entries within `floor` in absolute error pass
 * whatever their relative error; `against` names the other side ('reference',
 * 'numerical (your forward)'). The expected value fixes the shape and dtype.
 */
export function compare(
  what: string,
  against: string,
  actual: unknown,
  expected: Tensor | number,
  threshold: number,
  floor = ABSOLUTE_FLOOR,
): CheckLine {
  const name = `${what} vs ${against}`;
  const fail = (detail: string): CheckLine => ({ name, pass: false, relError: null, threshold, detail });
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return fail(`${what} should be a number, got ${describe(actual)}`);
    if (!Number.isFinite(actual)) return fail(`${what} is ${actual}; the ${against} is ${expected}`);
  } else {
    if (!(actual instanceof Tensor)) {
      return fail(
        `${what} should be a tensor of shape ${formatShape(expected.shape)}, got ${describe(actual)}`,
      );
    }
    if (formatShape(actual.shape) !== formatShape(expected.shape)) {
      return fail(
        `${what} has shape ${formatShape(actual.shape)} but should have ${formatShape(expected.shape)}`,
      );
    }
    if (actual.dtype !== expected.dtype)
      return fail(`${what} is ${actual.dtype} but should be ${expected.dtype}`);
    const bad = firstNonFinite(actual);
    if (bad >= 0) {
      const at = formatShape(unravelIndex(bad, actual.shape));
      return fail(`${what} has ${actual.data[bad]} at ${at}`);
    }
  }
  const { value, offset } = worstRelError(actual as Tensor | number, expected);
  const pass = value <= threshold || maxAbsError(actual as Tensor | number, expected) <= floor;
  const line: CheckLine = { name, pass, relError: value, threshold };
  if (!pass && typeof expected !== 'number') {
    const at = formatShape(unravelIndex(offset, expected.shape));
    const mine = (actual as Tensor).data[offset];
    line.detail = `${what}${at} is ${mine.toPrecision(6)}, the ${against} gives ${expected.data[offset].toPrecision(6)}`;
  } else if (!pass) {
    line.detail = `${what} is ${(actual as number).toPrecision(8)}, the ${against} gives ${(expected as number).toPrecision(8)}`;
  }
  return line;
}

/** A check that is a yes/no fact rather than a comparison, e.g. 'loss is finite for large scores'. */
export function fact(name: string, pass: boolean, detail?: string): CheckLine {
  return pass
    ? { name, pass, relError: null, threshold: null }
    : { name, pass, relError: null, threshold: null, detail };
}

/**
 * Whether a student's value is the same as a wrong variant's: same shape, and equal to 1e-6 relative
 * error, where a NaN or infinity must sit where the variant has the same one.
 */
export function sameValues(actual: unknown, variant: Tensor | number): boolean {
  if (typeof variant === 'number') {
    if (typeof actual !== 'number') return false;
    return sameNumber(actual, variant);
  }
  if (!(actual instanceof Tensor) || formatShape(actual.shape) !== formatShape(variant.shape)) return false;
  for (let i = 0; i < variant.size; i++) if (!sameNumber(actual.data[i], variant.data[i])) return false;
  return true;
}

function sameNumber(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b))
    return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  return Math.abs(a - b) <= 1e-6 * Math.max(1e-8, Math.abs(a) + Math.abs(b));
}
