import {
  arange,
  type DType,
  equal,
  formatShape,
  ShapeError,
  type Tensor,
  tensor,
} from '@backprop-lab/tensor';
import { expectMatrix } from './validate.js';

/** Class labels, one per row of the scores: integers in [0, C). */
export type Labels = Int32Array | readonly number[];

/** Checks scores [N, C] and labels y [N]; returns N and C. */
export function checkScoresAndLabels(op: string, scores: Tensor, y: Labels): { N: number; C: number } {
  expectMatrix(op, 'scores', scores);
  const [N, C] = scores.shape;
  if (!(y instanceof Int32Array) && !Array.isArray(y)) {
    throw new TypeError(
      `${op}: y must be an Int32Array or an array of numbers, got ${y === null ? 'null' : typeof y}`,
    );
  }
  if (y.length !== N) {
    throw new ShapeError(
      `${op}: y has ${y.length} labels but scores ${formatShape(scores.shape)} has ${N} rows`,
    );
  }
  const bad = y.findIndex((label: number) => !Number.isInteger(label) || label < 0 || label >= C);
  if (bad >= 0) {
    throw new RangeError(
      `${op}: y[${bad}] = ${String(y[bad])} is not a class index in [0, ${C}) for scores ${formatShape(scores.shape)}`,
    );
  }
  if (N === 0) throw new ShapeError(`${op}: scores ${formatShape(scores.shape)} has no rows to average over`);
  return { N, C };
}

/**
 * onehot [N, C]: 1 at [n, y[n]], else 0, in the scores' dtype. Multiplying by it picks each row's correct
 * class, as numpy's scores[arange(N), y] does: a column of labels [N, 1] compared with the classes [C].
 */
export function oneHot(y: Labels, C: number, dtype: DType): Tensor {
  return equal(tensor(Array.from(y), [y.length, 1], dtype), arange(0, C, 1, dtype));
}
