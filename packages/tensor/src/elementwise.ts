import { allocateOutput, getBackend } from './backend.js';
import { broadcastShapes, broadcastStrides, forEachBroadcast } from './broadcast.js';
import { allocate, type DType } from './dtype.js';
import { compiledLoop, planLoop } from './kernels/elementwise-loops.js';
import { ShapeError, shapeSize } from './shape.js';
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

/**
 * Applies a binary function elementwise with broadcasting, calling fn per element along numpy's strided
 * walk: the algorithmic reference the ops' fast loops are tested against, and their fallback.
 */
export function binary(op: string, a: Operand, b: Operand, fn: (x: number, y: number) => number): Tensor {
  const { ta, tb, outShape, out } = binaryOperands(op, a, b);
  const x = ta.data;
  const y = tb.data;
  const strides = [broadcastStrides(ta.shape, outShape), broadcastStrides(tb.shape, outShape)];
  forEachBroadcast(outShape, strides, (i, off) => {
    out[i] = fn(x[off[0]], y[off[1]]);
  });
  return new Tensor(out, outShape);
}

function binaryOperands(op: string, a: Operand, b: Operand) {
  checkOperand(op, 'a', a);
  checkOperand(op, 'b', b);
  const dtype = resultDType(op, a, b);
  const ta = asTensor(a, dtype);
  const tb = asTensor(b, dtype);
  const outShape = broadcastShapes(op, ta.shape, tb.shape);
  const out = allocateOutput(dtype, shapeSize(outShape));
  return { ta, tb, outShape, out };
}

/** Applies a unary function elementwise, calling fn per element: the reference of the unary ops. */
export function unary(op: string, a: Tensor, fn: (x: number) => number): Tensor {
  if (!(a instanceof Tensor)) throw new TypeError(`${op}: a must be a Tensor`);
  const out = allocate(a.dtype, a.size);
  const x = a.data;
  for (let i = 0; i < out.length; i++) out[i] = fn(x[i]);
  return new Tensor(out, a.shape);
}

/**
 * An elementwise op: `expression` (in x, and y for a binary op) is what its fast loop computes per
 * element, `fn` the same arithmetic as a function for the reference path; tests hold them to the same bits.
 */
interface BinaryOp {
  name: string;
  expression: string;
  fn: (x: number, y: number) => number;
}
interface UnaryOp {
  name: string;
  expression: string;
  fn: (x: number) => number;
}

function binaryOp({ name, expression, fn }: BinaryOp): (a: Operand, b: Operand) => Tensor {
  return (a, b) => {
    const { ta, tb, outShape, out } = binaryOperands(name, a, b);
    const plan = out.length > 0 ? planLoop(outShape, [ta.shape, tb.shape]) : null;
    if (!plan) return binary(name, ta, tb, fn);
    const { rows, cols, patterns } = plan;
    if (getBackend().elementwise?.binary(name, out, rows, cols, patterns, ta.data, tb.data)) {
      return new Tensor(out, outShape);
    }
    const loop = compiledLoop(expression, ['x', 'y'], patterns, [out, ta.data, tb.data]);
    if (!loop) return binary(name, ta, tb, fn);
    loop(out, rows, cols, ta.data, tb.data);
    return new Tensor(out, outShape);
  };
}

function unaryOp({ name, expression, fn }: UnaryOp): (a: Tensor) => Tensor {
  return (a) => {
    if (!(a instanceof Tensor)) throw new TypeError(`${name}: a must be a Tensor`);
    const out = allocateOutput(a.dtype, a.size);
    if (getBackend().elementwise?.unary(name, out, a.data)) return new Tensor(out, a.shape);
    const loop = compiledLoop(expression, ['x'], ['full'], [out, a.data]);
    if (!loop) return unary(name, a, fn);
    loop(out, 1, a.size, a.data);
    return new Tensor(out, a.shape);
  };
}

export const add = binaryOp({ name: 'add', expression: 'x + y', fn: (x, y) => x + y });
export const sub = binaryOp({ name: 'sub', expression: 'x - y', fn: (x, y) => x - y });
export const mul = binaryOp({ name: 'mul', expression: 'x * y', fn: (x, y) => x * y });
export const div = binaryOp({ name: 'div', expression: 'x / y', fn: (x, y) => x / y });
export const pow = binaryOp({ name: 'pow', expression: 'x ** y', fn: (x, y) => x ** y });
// maximum and minimum give Math.max's and Math.min's results: NaN if either operand is NaN, and among
// equal values +0 beats −0 for max (1/x tells them apart), −0 for min. The common case, x ≠ y, picks
// through `pick` (elementwise-loops.ts) rather than branching; on ReLU's random signs that is 2× faster.
const choose = (condition: string) => `(pick[0] = y, pick[1] = x, pick[+(${condition})])`;
/** Elementwise max. Note for ReLU: the gradient of maximum(x, 0) at exactly 0 is a convention, see relu. */
export const maximum = binaryOp({
  name: 'maximum',
  expression: `(x === y || x !== x || y !== y ? (x === y ? (x === 0 && 1 / x < 0 ? y : x) : NaN) : ${choose('x > y')})`,
  fn: Math.max,
});
export const minimum = binaryOp({
  name: 'minimum',
  expression: `(x === y || x !== x || y !== y ? (x === y ? (x === 0 && 1 / x > 0 ? y : x) : NaN) : ${choose('x < y')})`,
  fn: Math.min,
});

// Comparisons return masks of 1 and 0 in the operands' dtype, usable directly in mul and where. +(bool)
// compiles without a branch (4× faster than `? 1 : 0` on random data).
const compare = (name: string, operator: string, fn: BinaryOp['fn']) =>
  binaryOp({ name, expression: `+(x ${operator} y)`, fn });
export const greater = compare('greater', '>', (x, y) => (x > y ? 1 : 0));
export const greaterEqual = compare('greaterEqual', '>=', (x, y) => (x >= y ? 1 : 0));
export const less = compare('less', '<', (x, y) => (x < y ? 1 : 0));
export const lessEqual = compare('lessEqual', '<=', (x, y) => (x <= y ? 1 : 0));
export const equal = compare('equal', '===', (x, y) => (x === y ? 1 : 0));
export const notEqual = compare('notEqual', '!==', (x, y) => (x !== y ? 1 : 0));

export const neg = unaryOp({ name: 'neg', expression: '-x', fn: (x) => -x });
export const exp = unaryOp({ name: 'exp', expression: 'Math.exp(x)', fn: Math.exp });
export const log = unaryOp({ name: 'log', expression: 'Math.log(x)', fn: Math.log });
export const sqrt = unaryOp({ name: 'sqrt', expression: 'Math.sqrt(x)', fn: Math.sqrt });
export const abs = unaryOp({ name: 'abs', expression: 'Math.abs(x)', fn: Math.abs });
export const square = unaryOp({ name: 'square', expression: 'x * x', fn: (x) => x * x });

/** Picks `a` where `condition` is non-zero, else `b`, all three broadcast together. */
export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  const { tc, ta, tb, outShape, out } = whereOperands(condition, a, b);
  const plan = out.length > 0 ? planLoop(outShape, [tc.shape, ta.shape, tb.shape]) : null;
  if (!plan) return whereReference(tc, ta, tb);
  const { rows, cols, patterns } = plan;
  if (getBackend().elementwise?.where(out, rows, cols, patterns, tc.data, ta.data, tb.data)) {
    return new Tensor(out, outShape);
  }
  const loop = compiledLoop(choose('m !== 0'), ['m', 'x', 'y'], patterns, [out, tc.data, ta.data, tb.data]);
  if (!loop) return whereReference(tc, ta, tb);
  loop(out, rows, cols, tc.data, ta.data, tb.data);
  return new Tensor(out, outShape);
}

/** where along numpy's strided walk: the reference of its fast loop. */
export function whereReference(condition: Tensor, a: Operand, b: Operand): Tensor {
  const { tc, ta, tb, outShape, out } = whereOperands(condition, a, b);
  const strides = [tc.shape, ta.shape, tb.shape].map((s) => broadcastStrides(s, outShape));
  const [m, x, y] = [tc.data, ta.data, tb.data];
  forEachBroadcast(outShape, strides, (i, off) => {
    out[i] = m[off[0]] !== 0 ? x[off[1]] : y[off[2]];
  });
  return new Tensor(out, outShape);
}

function whereOperands(condition: Tensor, a: Operand, b: Operand) {
  if (!(condition instanceof Tensor)) throw new TypeError('where: condition must be a Tensor');
  checkOperand('where', 'a', a);
  checkOperand('where', 'b', b);
  const dtype = resultDType('where', a, b);
  const ta = asTensor(a, dtype);
  const tb = asTensor(b, dtype);
  const abShape = broadcastShapes('where', ta.shape, tb.shape);
  const outShape = broadcastShapes('where', condition.shape, abShape, ['condition', 'a/b']);
  return { tc: condition, ta, tb, outShape, out: allocateOutput(dtype, shapeSize(outShape)) };
}
