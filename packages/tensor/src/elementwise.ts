import { broadcastShapes, broadcastStrides, forEachBroadcast } from './broadcast.js';
import { allocate, type DType } from './dtype.js';
import { ShapeError, sameShape } from './shape.js';
import { Tensor } from './tensor.js';

/** A tensor or a plain number (a scalar takes the other operand's dtype). */
export type Operand = Tensor | number;

/**
 * Mixing dtypes is an error, not a silent promotion: a float32 model fed float64 data would otherwise
 * quietly run at float64 cost, or lose precision in a gradient check. Convert explicitly with `astype`.
 */
function resultDType(op: string, a: Operand, b: Operand): DType {
  if (a instanceof Tensor && b instanceof Tensor && a.dtype !== b.dtype) {
    throw new ShapeError(`${op}: dtypes differ: a is ${a.dtype}, b is ${b.dtype} (convert one with astype)`);
  }
  if (a instanceof Tensor) return a.dtype;
  if (b instanceof Tensor) return b.dtype;
  return 'float64';
}

function asTensor(value: Operand, dtype: DType): Tensor {
  if (value instanceof Tensor) return value;
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}

function checkOperand(op: string, name: string, value: unknown): void {
  if (!(value instanceof Tensor) && typeof value !== 'number') {
    throw new TypeError(`${op}: ${name} must be a Tensor or a number, got ${typeof value}`);
  }
}

/** Applies a binary function elementwise with broadcasting. The building block of every binary op. */
export function binary(op: string, a: Operand, b: Operand, fn: (x: number, y: number) => number): Tensor {
  checkOperand(op, 'a', a);
  checkOperand(op, 'b', b);
  const dtype = resultDType(op, a, b);
  const ta = asTensor(a, dtype);
  const tb = asTensor(b, dtype);
  const outShape = broadcastShapes(op, ta.shape, tb.shape);
  const out = allocate(dtype, ta.size === 0 || tb.size === 0 ? 0 : outShape.reduce((p, d) => p * d, 1));
  const x = ta.data;
  const y = tb.data;
  if (sameShape(ta.shape, tb.shape)) {
    for (let i = 0; i < out.length; i++) out[i] = fn(x[i], y[i]);
  } else if (tb.size === 1) {
    const s = y[0];
    for (let i = 0; i < out.length; i++) out[i] = fn(x[i % x.length], s);
  } else if (ta.size === 1) {
    const s = x[0];
    for (let i = 0; i < out.length; i++) out[i] = fn(s, y[i % y.length]);
  } else {
    const strides = [broadcastStrides(ta.shape, outShape), broadcastStrides(tb.shape, outShape)];
    forEachBroadcast(outShape, strides, (i, off) => {
      out[i] = fn(x[off[0]], y[off[1]]);
    });
  }
  return new Tensor(out, outShape);
}

/** Applies a unary function elementwise. */
export function unary(op: string, a: Tensor, fn: (x: number) => number): Tensor {
  if (!(a instanceof Tensor)) throw new TypeError(`${op}: a must be a Tensor`);
  const out = allocate(a.dtype, a.size);
  const x = a.data;
  for (let i = 0; i < out.length; i++) out[i] = fn(x[i]);
  return new Tensor(out, a.shape);
}

export const add = (a: Operand, b: Operand): Tensor => binary('add', a, b, (x, y) => x + y);
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', a, b, (x, y) => x - y);
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', a, b, (x, y) => x * y);
export const div = (a: Operand, b: Operand): Tensor => binary('div', a, b, (x, y) => x / y);
export const pow = (a: Operand, b: Operand): Tensor => binary('pow', a, b, (x, y) => x ** y);
/** Elementwise max. Note for ReLU: the gradient of maximum(x, 0) at exactly 0 is a convention, see relu. */
export const maximum = (a: Operand, b: Operand): Tensor => binary('maximum', a, b, Math.max);
export const minimum = (a: Operand, b: Operand): Tensor => binary('minimum', a, b, Math.min);

// Comparisons return masks of 1 and 0 in the operands' dtype, usable directly in mul and where.
export const greater = (a: Operand, b: Operand): Tensor => binary('greater', a, b, (x, y) => (x > y ? 1 : 0));
export const greaterEqual = (a: Operand, b: Operand): Tensor =>
  binary('greaterEqual', a, b, (x, y) => (x >= y ? 1 : 0));
export const less = (a: Operand, b: Operand): Tensor => binary('less', a, b, (x, y) => (x < y ? 1 : 0));
export const lessEqual = (a: Operand, b: Operand): Tensor =>
  binary('lessEqual', a, b, (x, y) => (x <= y ? 1 : 0));
export const equal = (a: Operand, b: Operand): Tensor => binary('equal', a, b, (x, y) => (x === y ? 1 : 0));
export const notEqual = (a: Operand, b: Operand): Tensor =>
  binary('notEqual', a, b, (x, y) => (x !== y ? 1 : 0));

export const neg = (a: Tensor): Tensor => unary('neg', a, (x) => -x);
export const exp = (a: Tensor): Tensor => unary('exp', a, Math.exp);
export const log = (a: Tensor): Tensor => unary('log', a, Math.log);
export const sqrt = (a: Tensor): Tensor => unary('sqrt', a, Math.sqrt);
export const abs = (a: Tensor): Tensor => unary('abs', a, Math.abs);
export const square = (a: Tensor): Tensor => unary('square', a, (x) => x * x);

/** Picks `a` where `condition` is non-zero, else `b`, all three broadcast together. */
export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  if (!(condition instanceof Tensor)) throw new TypeError('where: condition must be a Tensor');
  checkOperand('where', 'a', a);
  checkOperand('where', 'b', b);
  const dtype = resultDType('where', a, b);
  const ta = asTensor(a, dtype);
  const tb = asTensor(b, dtype);
  const abShape = broadcastShapes('where', ta.shape, tb.shape);
  const outShape = broadcastShapes('where', condition.shape, abShape, ['condition', 'a/b']);
  const size = outShape.reduce((p, d) => p * d, 1);
  const out = allocate(dtype, size);
  const strides = [condition.shape, ta.shape, tb.shape].map((s) => broadcastStrides(s, outShape));
  const c = condition.data;
  forEachBroadcast(outShape, strides, (i, off) => {
    out[i] = c[off[0]] !== 0 ? ta.data[off[1]] : tb.data[off[2]];
  });
  return new Tensor(out, outShape);
}
