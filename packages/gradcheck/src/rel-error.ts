import { formatShape, ShapeError, Tensor } from '@backprop-lab/tensor';

/** What relError compares: a tensor, or a plain number (a 0-d value). */
export type Comparable = Tensor | number;

function asValues(
  op: string,
  name: string,
  value: unknown,
): { data: ArrayLike<number>; shape: readonly number[] } {
  if (value instanceof Tensor) return { data: value.data, shape: value.shape };
  if (typeof value === 'number') return { data: [value], shape: [] };
  throw new TypeError(`${op}: ${name} must be a Tensor or a number, got ${typeof value}`);
}

/** The worst elementwise relative error and the flat offset where it occurs (-1 for empty inputs). */
export function worstRelError(
  a: Comparable,
  b: Comparable,
  op = 'relError',
): { value: number; offset: number } {
  const left = asValues(op, 'a', a);
  const right = asValues(op, 'b', b);
  if (left.shape.length !== right.shape.length || left.shape.some((d, i) => d !== right.shape[i])) {
    throw new ShapeError(
      `${op}: shapes differ: a ${formatShape(left.shape)} vs b ${formatShape(right.shape)}`,
    );
  }
  let value = 0;
  let offset = left.data.length > 0 ? 0 : -1;
  for (let i = 0; i < left.data.length; i++) {
    const x = left.data[i];
    const y = right.data[i];
    const error = Math.abs(x - y) / Math.max(1e-8, Math.abs(x) + Math.abs(y));
    // A NaN anywhere must surface, not lose every comparison and vanish.
    if (Number.isNaN(error)) return { value: Number.NaN, offset: i };
    if (error > value) {
      value = error;
      offset = i;
    }
  }
  return { value, offset };
}

/**
 * rel_error(a, b) = max over elements of |a − b| / max(1e-8, |a| + |b|), as CS231n.
 * The 1e-8 floor keeps two near-zero gradients from dividing by zero (so tiny entries read large errors).
 * Tensors of any dtype may be compared (a measurement, not an op); shapes must match. NaN anywhere gives NaN.
 */
export function relError(a: Comparable, b: Comparable): number {
  return worstRelError(a, b).value;
}

/** Flat row-major offset → multi-index, e.g. 5 in [2, 3] → [1, 2]. */
export function unravelIndex(offset: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = offset % shape[axis];
    offset = Math.floor(offset / shape[axis]);
  }
  return index;
}
