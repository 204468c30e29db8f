import { allocate } from './dtype.js';
import { formatShape, type Shape, ShapeError, shapeSize } from './shape.js';
import { Tensor } from './tensor.js';

/** Same data in a new shape (a copy). One dimension may be -1 and is inferred. */
export function reshape(t: Tensor, shape: Shape): Tensor {
  const inferred = [...shape];
  const unknown = inferred.indexOf(-1);
  if (unknown !== inferred.lastIndexOf(-1))
    throw new ShapeError(`reshape: only one dimension may be -1, got ${formatShape(shape)}`);
  if (unknown >= 0) {
    const known = shapeSize(inferred.filter((_, i) => i !== unknown));
    if (known === 0 || t.size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot reshape ${formatShape(t.shape)} (${t.size} elements) into ${formatShape(shape)}`,
      );
    }
    inferred[unknown] = t.size / known;
  }
  if (inferred.some((d) => !Number.isInteger(d) || d < 0) || shapeSize(inferred) !== t.size) {
    throw new ShapeError(
      `reshape: cannot reshape ${formatShape(t.shape)} (${t.size} elements) into ${formatShape(shape)}`,
    );
  }
  return new Tensor(t.data.slice(), inferred);
}

/** The 2-d transpose [M, N] → [N, M], materialized. matmul never needs it: use its transA/transB. */
export function transpose(t: Tensor): Tensor {
  if (t.rank !== 2)
    throw new ShapeError(`transpose: expected a 2-d tensor, got shape ${formatShape(t.shape)}`);
  const [rows, cols] = t.shape;
  const out = allocate(t.dtype, t.size);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = t.data[i * cols + j];
  return new Tensor(out, [cols, rows]);
}

/** Rows picked by index along axis 0, e.g. a minibatch: x [N, ...], indices [B] → [B, ...]. */
export function gatherRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  if (t.rank < 1) throw new ShapeError('gatherRows: expected a tensor of rank >= 1, got a scalar');
  const rows = t.shape[0];
  const rowSize = rows === 0 ? 0 : t.size / rows;
  const out = allocate(t.dtype, indices.length * rowSize);
  for (let r = 0; r < indices.length; r++) {
    const index = indices[r];
    if (!Number.isInteger(index) || index < 0 || index >= rows) {
      throw new ShapeError(
        `gatherRows: index ${index} at position ${r} is out of range for ${rows} rows (shape ${formatShape(t.shape)})`,
      );
    }
    out.set(t.data.subarray(index * rowSize, (index + 1) * rowSize), r * rowSize);
  }
  return new Tensor(out, [indices.length, ...t.shape.slice(1)]);
}

/** Rows start..end-1 along axis 0 (a copy). */
export function sliceRows(t: Tensor, start: number, end: number = t.shape[0]): Tensor {
  if (t.rank < 1) throw new ShapeError('sliceRows: expected a tensor of rank >= 1, got a scalar');
  const rows = t.shape[0];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > rows || start > end) {
    throw new ShapeError(
      `sliceRows: rows ${start}..${end} are out of range for shape ${formatShape(t.shape)}`,
    );
  }
  const rowSize = rows === 0 ? 0 : t.size / rows;
  return new Tensor(t.data.slice(start * rowSize, end * rowSize), [end - start, ...t.shape.slice(1)]);
}

/** Flattens every axis after the first: [N, d1, ..., dk] → [N, d1·...·dk]. */
export function flattenRows(t: Tensor): Tensor {
  if (t.rank < 1) throw new ShapeError('flattenRows: expected a tensor of rank >= 1, got a scalar');
  return reshape(t, [t.shape[0], t.shape[0] === 0 ? 0 : t.size / t.shape[0]]);
}
