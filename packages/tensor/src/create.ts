import { allocate, allocateFor, type DType, isDType, type TypedArray } from './dtype.js';
import type { Rng } from './rng.js';
import { checkShape, describe, formatShape, type Shape, ShapeError, shapeSize } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

/** Values `tensor()` accepts: a number, nested arrays, a flat array or a typed array. */
export type TensorLike = NestedArray | readonly number[] | TypedArray;

function checkDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype))
    throw new ShapeError(`${op}: dtype must be 'float64' or 'float32', got ${String(dtype)}`);
  return dtype;
}

/**
 * Builds a tensor from nested arrays, a flat array or a typed array.
 * Given a shape, flat values are laid out in it; without one, the nesting gives the shape.
 * The dtype defaults to the typed array's own, else float64. Values are always copied.
 */
export function tensor(values: TensorLike, shape?: Shape, dtype?: DType): Tensor {
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (ArrayBuffer.isView(values)) {
    flat = values as TypedArray;
    inferred = [flat.length];
    dtype ??= values instanceof Float32Array ? 'float32' : 'float64';
  } else {
    inferred = inferShape(values as NestedArray);
    flat = flatten(values as NestedArray, inferred);
  }
  const type = checkDType('tensor', dtype ?? 'float64');
  const finalShape = shape ?? inferred;
  checkShape('tensor', 'shape', finalShape);
  if (shapeSize(finalShape) !== flat.length) {
    throw new ShapeError(`tensor: ${flat.length} values do not fill shape ${formatShape(finalShape)}`);
  }
  const data = allocate(type, flat.length);
  data.set(flat);
  return new Tensor(data, finalShape);
}

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

function flatten(values: NestedArray, shape: number[]): number[] {
  const out: number[] = [];
  const walk = (node: NestedArray, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') throw new ShapeError(`tensor: ragged nested array at ${path || 'top'}`);
      out.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new ShapeError(
        `tensor: ragged nested array at ${path || 'top'}: expected ${shape[depth]} entries`,
      );
    }
    for (let i = 0; i < node.length; i++) walk(node[i], depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, '');
  return out;
}

export function full(shape: Shape, value: number, dtype: DType = 'float64'): Tensor {
  return filled('full', shape, value, dtype);
}

export function zeros(shape: Shape, dtype: DType = 'float64'): Tensor {
  return filled('zeros', shape, 0, dtype);
}

export function ones(shape: Shape, dtype: DType = 'float64'): Tensor {
  return filled('ones', shape, 1, dtype);
}

function filled(op: string, shape: Shape, value: number, dtype: DType): Tensor {
  if (typeof value !== 'number') throw new TypeError(`${op}: value must be a number, got ${describe(value)}`);
  const data = allocateShape(op, shape, dtype);
  data.fill(value);
  return new Tensor(data, shape);
}

/** A zeroed array for `shape`, checked: the messages name the op and its shape argument. */
function allocateShape(op: string, shape: Shape, dtype: unknown): TypedArray {
  checkShape(op, 'shape', shape);
  return allocateFor(op, `shape ${formatShape(shape)}`, checkDType(op, dtype), shapeSize(shape));
}

/** [start, start+step, ...) below stop, as numpy.arange. */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float64'): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step))
    throw new RangeError(`arange: step must be finite and non-zero, got ${step}`);
  const count = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocateFor('arange', `[${start}, ${stop}) by ${step}`, checkDType('arange', dtype), count);
  for (let i = 0; i < count; i++) data[i] = start + i * step;
  return new Tensor(data, [count]);
}

/** `count` evenly spaced values from start to stop inclusive, as numpy.linspace. */
export function linspace(start: number, stop: number, count: number, dtype: DType = 'float64'): Tensor {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`linspace: count must be an integer >= 0, got ${count}`);
  const data = allocateFor('linspace', `count ${count}`, checkDType('linspace', dtype), count);
  const step = count > 1 ? (stop - start) / (count - 1) : 0;
  for (let i = 0; i < count; i++) data[i] = start + i * step;
  if (count > 1) data[count - 1] = stop;
  return new Tensor(data, [count]);
}

/** Standard normal samples drawn from `rng`, in row-major order. */
export function randn(shape: Shape, rng: Rng, dtype: DType = 'float64'): Tensor {
  checkRng('randn', rng);
  const data = allocateShape('randn', shape, dtype);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return new Tensor(data, shape);
}

/** Uniform samples in [low, high) drawn from `rng`. */
export function rand(shape: Shape, rng: Rng, dtype: DType = 'float64', low = 0, high = 1): Tensor {
  checkRng('rand', rng);
  const data = allocateShape('rand', shape, dtype);
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rng.uniform();
  return new Tensor(data, shape);
}

function checkRng(op: string, rng: unknown): void {
  const candidate = rng as Partial<Rng> | null;
  if (typeof candidate?.normal !== 'function' || typeof candidate?.uniform !== 'function') {
    throw new TypeError(`${op}: rng must be a generator from createRng(seed), got ${describe(rng)}`);
  }
}

/** Same values in another dtype (a copy, even when the dtype is unchanged). */
export function astype(t: Tensor, dtype: DType): Tensor {
  const data = allocate(checkDType('astype', dtype), t.size);
  data.set(t.data);
  return new Tensor(data, t.shape);
}
