import { formatShape, ShapeError, type Tensor } from '@backprop-lab/tensor';
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
  for (let n = 0; n < N; n++) {
    const label = y[n];
    if (!Number.isInteger(label) || label < 0 || label >= C) {
      throw new RangeError(
        `${op}: y[${n}] = ${String(label)} is not a class index in [0, ${C}) for scores ${formatShape(scores.shape)}`,
      );
    }
  }
  if (N === 0) throw new ShapeError(`${op}: scores ${formatShape(scores.shape)} has no rows to average over`);
  return { N, C };
}
