/**
 * Affine (fully connected) layer. Shapes: N batch, D = d1·…·dk input features, M outputs.
 *   out = x·W + b      x [N, d1..dk] (read as [N, D]), W [D, M], b [M]  →  out [N, M]
 *   dx = dout·Wᵀ,  dW = xᵀ·dout,  db = Σₙ dout
 */
import { add, formatShape, matmul, ShapeError, sum, Tensor } from '@backprop-lab/tensor';
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

/** The same buffer under another shape of the same size: a view, not reshape's copy. */
function view(t: Tensor, shape: readonly number[]): Tensor {
  return new Tensor(t.data, shape);
}

/** out = x·W + b.   x [N, d1..dk], W [D, M], b [M]  →  out [N, M] */
export function affineForward(x: Tensor, W: Tensor, b: Tensor): { out: Tensor; cache: AffineCache } {
  const op = 'affineForward';
  expectTensor(op, 'x', x);
  expectTensor(op, 'W', W);
  expectTensor(op, 'b', b);
  if (x.rank < 2)
    throw new ShapeError(`${op}: x must be [N, d1..dk] (rank >= 2), got shape ${formatShape(x.shape)}`);
  const N = x.shape[0];
  const xFlat = view(x, [N, N === 0 ? 0 : x.size / N]);
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
  const out = add(matmul(xFlat, W), b); // b [M] broadcasts over the N rows
  return { out, cache: { x, xFlat, W, outShape: out.shape } };
}

/** dout [N, M]  →  dx [N, d1..dk], dW [D, M], db [M] */
export function affineBackward(dout: Tensor, cache: AffineCache): { dx: Tensor; dW: Tensor; db: Tensor } {
  const { x, xFlat, W } = cache;
  expectShape('affineBackward', 'dout', dout, cache.outShape, x.dtype, 'the forward output');
  // transA/transB read Wᵀ and xᵀ in place: no transposed copy is made.
  const dx = matmul(dout, W, { transB: true }); // [N, D]
  const dW = matmul(xFlat, dout, { transA: true }); // [D, M]
  const db = sum(dout, { axis: 0 }); // b was broadcast over the rows: its gradient sums them
  return { dx: view(dx, x.shape), dW, db };
}
