/**
 * Affine (fully connected) layer. Shapes: N batch, D = d1·…·dk input features, M outputs.
 *   out = x·W + b      x [N, d1..dk] (read as [N, D]), W [D, M], b [M]  →  out [N, M]
 *   dx = dout·Wᵀ,  dW = xᵀ·dout,  db = Σₙ dout
 */
import { allocate, formatShape, matmul, ShapeError, Tensor } from '@backprop-lab/tensor';
import { expectSameDType, expectShape, expectTensor } from './validate.js';

export interface AffineCache {
  /** The input as given [N, d1..dk]; dx takes its shape. */
  x: Tensor;
  /** The same data viewed as [N, D] (shares x's buffer: ops never mutate). */
  xFlat: Tensor;
  W: Tensor;
  /** Output shape [N, M], checked against dout. */
  outShape: readonly number[];
}

/** Views x [N, d1..dk] as [N, D] without copying. */
function flatten(x: Tensor): Tensor {
  if (x.rank === 2) return x;
  const rows = x.shape[0];
  return new Tensor(x.data, [rows, rows === 0 ? 0 : x.size / rows]);
}

/** out = x·W + b.   x [N, d1..dk], W [D, M], b [M]  →  out [N, M] */
export function affineForward(x: Tensor, W: Tensor, b: Tensor): { out: Tensor; cache: AffineCache } {
  const op = 'affineForward';
  expectTensor(op, 'x', x);
  expectTensor(op, 'W', W);
  expectTensor(op, 'b', b);
  if (x.rank < 2)
    throw new ShapeError(`${op}: x must be [N, d1..dk] (rank >= 2), got shape ${formatShape(x.shape)}`);
  const xFlat = flatten(x);
  const D = xFlat.shape[1];
  if (W.rank !== 2 || W.shape[0] !== D) {
    throw new ShapeError(
      `${op}: W has shape ${formatShape(W.shape)} but x ${formatShape(x.shape)} has ${D} features per sample (W must be [${D}, M])`,
    );
  }
  const M = W.shape[1];
  if (b.rank !== 1 || b.shape[0] !== M) {
    throw new ShapeError(
      `${op}: b has shape ${formatShape(b.shape)} but W ${formatShape(W.shape)} has ${M} outputs`,
    );
  }
  expectSameDType(op, 'W', W, 'x', x);
  expectSameDType(op, 'b', b, 'x', x);
  const out = matmul(xFlat, W);
  // The bias add is a plain loop: a broadcasting add would allocate a second [N, M] array.
  const o = out.data;
  const bias = b.data;
  for (let row = 0; row < o.length; row += M) for (let j = 0; j < M; j++) o[row + j] += bias[j];
  return { out, cache: { x, xFlat, W, outShape: out.shape } };
}

/** dout [N, M]  →  dx [N, d1..dk], dW [D, M], db [M] */
export function affineBackward(dout: Tensor, cache: AffineCache): { dx: Tensor; dW: Tensor; db: Tensor } {
  const { x, xFlat, W } = cache;
  expectShape('affineBackward', 'dout', dout, cache.outShape, x.dtype, 'the forward output');
  const dxFlat = matmul(dout, W, { transB: true });
  const dW = matmul(xFlat, dout, { transA: true });
  const M = W.shape[1];
  const db = allocate(dout.dtype, M);
  const g = dout.data;
  for (let row = 0; row < g.length; row += M) for (let j = 0; j < M; j++) db[j] += g[row + j];
  return { dx: new Tensor(dxFlat.data, x.shape), dW, db: new Tensor(db, [M]) };
}
