import { linspace, reshape, type Tensor } from '@backprop-lab/tensor';

/** CS231n's fixed inputs: linspace(start, stop, N·D) laid out as [N, D] = [4, 5]. */
export function grid(start: number, stop: number): Tensor {
  return reshape(linspace(start, stop, 20), [4, 5]);
}

/** CS231n's rel_error: max over elements of |a−b| / max(1e-8, |a|+|b|). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relError: lengths differ (${a.length} vs ${b.length})`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1e-8, Math.abs(a[i]) + Math.abs(b[i])));
  }
  return worst;
}

/** Largest |a−b| over elements. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Published values carry 8 decimals: agreeing on every digit means within half a unit of the last. */
export const HALF_LAST_DIGIT = 5e-9 + 1e-15;
