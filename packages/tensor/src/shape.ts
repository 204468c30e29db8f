/** Shape helpers shared by every op. A shape is a list of non-negative integer dimensions. */
export type Shape = readonly number[];

export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function shapeSize(shape: Shape): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major strides in elements: the last axis is contiguous. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

export function checkShape(op: string, arg: string, shape: Shape): void {
  if (!Array.isArray(shape)) {
    throw new ShapeError(
      `${op}: ${arg} must be an array of dimensions such as [2, 3], got ${describe(shape)}`,
    );
  }
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new ShapeError(
        `${op}: ${arg} has an invalid shape ${formatShape(shape)}: dimensions must be integers >= 0`,
      );
    }
  }
}

/** A value as an error message shows it: short, with its type where String() would hide it. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || typeof value !== 'object') return String(value);
  return value.constructor?.name ?? 'an object';
}

/** Thrown for every shape or dtype mistake; the message names the op, the argument and the shapes. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** Resolves a possibly negative axis against a rank, or throws naming the op. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}
