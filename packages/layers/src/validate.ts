/**
 * Checks at the layer boundary. Every message names the layer, the argument and the shapes or values at
 * fault, e.g. `batchnormForward: gamma has shape [4] but x has 5 features ([3,5])`.
 */
import { type DType, formatShape, ShapeError, Tensor } from '@backprop-lab/tensor';

export function expectTensor(op: string, name: string, value: unknown): asserts value is Tensor {
  if (!(value instanceof Tensor)) {
    throw new TypeError(`${op}: ${name} must be a Tensor, got ${value === null ? 'null' : typeof value}`);
  }
}

/** x [N, D]: a 2-d tensor with at least one row. */
export function expectMatrix(op: string, name: string, value: unknown): asserts value is Tensor {
  expectTensor(op, name, value);
  if (value.rank !== 2) {
    throw new ShapeError(`${op}: ${name} must be 2-d [N, D], got shape ${formatShape(value.shape)}`);
  }
}

/** A per-feature vector [D] that must match x's D features (gamma, beta, running statistics). */
export function expectFeatureVector(
  op: string,
  name: string,
  value: unknown,
  x: Tensor,
): asserts value is Tensor {
  expectTensor(op, name, value);
  const features = x.shape[x.rank - 1];
  if (value.rank !== 1 || value.shape[0] !== features) {
    throw new ShapeError(
      `${op}: ${name} has shape ${formatShape(value.shape)} but x has ${features} features (${formatShape(x.shape)})`,
    );
  }
  expectSameDType(op, name, value, 'x', x);
}

/**
 * Upstream gradients have exactly the forward output's shape and dtype; `what` names the expected side,
 * e.g. "the forward output".
 */
export function expectShape(
  op: string,
  name: string,
  value: unknown,
  shape: readonly number[],
  dtype: DType,
  what: string,
): asserts value is Tensor {
  expectTensor(op, name, value);
  if (value.rank !== shape.length || value.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(
      `${op}: ${name} has shape ${formatShape(value.shape)} but ${what} has shape ${formatShape(shape)}`,
    );
  }
  if (value.dtype !== dtype) {
    throw new ShapeError(
      `${op}: dtypes differ: ${name} is ${value.dtype}, ${what} is ${dtype} (convert one with astype)`,
    );
  }
}

/** Mixing dtypes is an error, as in every tensor op: convert explicitly with astype. */
export function expectSameDType(
  op: string,
  name: string,
  value: Tensor,
  otherName: string,
  other: Tensor,
): void {
  if (value.dtype !== other.dtype) {
    throw new ShapeError(
      `${op}: dtypes differ: ${name} is ${value.dtype}, ${otherName} is ${other.dtype} (convert one with astype)`,
    );
  }
}

/** Config objects: unknown keys are errors, not silently ignored. */
export function expectKnownKeys(op: string, name: string, value: unknown, known: readonly string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${op}: ${name} must be an object, got ${value === null ? 'null' : typeof value}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${op}: ${name} has unknown key '${key}' (known: ${known.join(', ')})`);
    }
  }
}

export type Mode = 'train' | 'test';

export function expectMode(op: string, name: string, value: unknown): Mode {
  if (value !== 'train' && value !== 'test') {
    throw new RangeError(
      `${op}: ${name} must be 'train' or 'test', got ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return value;
}

/** A finite number above `low` (or at least `low`), and at most `high`; undefined takes the fallback. */
export function expectNumber(
  op: string,
  name: string,
  value: unknown,
  fallback: number,
  range: { low: number; high?: number; lowOpen?: boolean },
): number {
  if (value === undefined) return fallback;
  const { low, high = Number.POSITIVE_INFINITY, lowOpen = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (lowOpen ? value > low : value >= low) &&
    value <= high;
  if (!ok) {
    const bound = `${lowOpen ? '>' : '>='} ${low}`;
    const wanted = Number.isFinite(high) ? `a number ${bound} and <= ${high}` : `a finite number ${bound}`;
    throw new RangeError(`${op}: ${name} must be ${wanted}, got ${String(value)}`);
  }
  return value as number;
}
