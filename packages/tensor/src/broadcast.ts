import { formatShape, type Shape, ShapeError, stridesOf } from './shape.js';

/** numpy broadcasting: align shapes at the right; each pair of dims must match or one must be 1. */
export function broadcastShapes(
  op: string,
  a: Shape,
  b: Shape,
  names: [string, string] = ['a', 'b'],
): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes do not broadcast: ${names[0]} ${formatShape(a)} vs ${names[1]} ${formatShape(b)} (axis ${i} of the result: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` read as if broadcast to `outShape`: broadcast axes get stride 0. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, axis) => {
    const i = axis - offset;
    return i < 0 || shape[i] === 1 ? 0 : own[i];
  });
}

/**
 * Visits every element of `outShape` in row-major order, calling `visit(outIndex, offsets...)` with each
 * input's flat offset. The innermost axis is a plain loop so V8 keeps it tight.
 */
export function forEachBroadcast(
  outShape: Shape,
  inputStrides: readonly number[][],
  visit: (outIndex: number, offsets: Int32Array) => void,
): void {
  const rank = outShape.length;
  const count = inputStrides.length;
  const offsets = new Int32Array(count);
  let total = 1;
  for (const dim of outShape) total *= dim;
  if (total === 0) return;
  if (rank === 0) {
    visit(0, offsets);
    return;
  }
  const counter = new Array<number>(rank).fill(0);
  const inner = outShape[rank - 1];
  const innerStrides = inputStrides.map((s) => s[rank - 1]);
  for (let out = 0; out < total; out += inner) {
    const base = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      let off = 0;
      for (let axis = 0; axis < rank - 1; axis++) off += counter[axis] * inputStrides[k][axis];
      base[k] = off;
    }
    for (let j = 0; j < inner; j++) {
      for (let k = 0; k < count; k++) offsets[k] = base[k] + j * innerStrides[k];
      visit(out + j, offsets);
    }
    for (let axis = rank - 2; axis >= 0; axis--) {
      if (++counter[axis] < outShape[axis]) break;
      counter[axis] = 0;
    }
  }
}
