import { type DType, dtypeOf, type TypedArray } from './dtype.js';
import { checkShape, describe, formatShape, type Shape, ShapeError, shapeSize } from './shape.js';

/** Nested arrays of numbers as `toArray()` returns them; a 0-d tensor gives a plain number. */
export type NestedArray = number | NestedArray[];

/**
 * A contiguous row-major n-d array over a Float64Array or Float32Array.
 * Ops never mutate a tensor; functions whose name ends in `InPlace` do, and say so.
 */
export class Tensor {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;

  constructor(data: TypedArray, shape: Shape) {
    // Any other array would pass for float64 here (dtypeOf), compute in JavaScript and be refused by
    // the native kernels: so one rule for all, at the door.
    if (!(data instanceof Float64Array || data instanceof Float32Array)) {
      throw new ShapeError(
        `Tensor: data must be a Float64Array or Float32Array, got ${describe(data)} (tensor(values) converts)`,
      );
    }
    checkShape('Tensor', 'shape', shape);
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new ShapeError(
        `Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${size}`,
      );
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtypeOf(data);
    this.size = size;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The single value of a tensor with one element. */
  item(): number {
    if (this.size !== 1)
      throw new ShapeError(
        `item: tensor of shape ${formatShape(this.shape)} has ${this.size} elements, not 1`,
      );
    return this.data[0];
  }

  /** Element at a full index, e.g. `t.get(i, j)`. */
  get(...index: number[]): number {
    return this.data[this.offsetOf('get', index)];
  }

  /** Sets one element. Mutates: meant for building inputs and for numerical gradient checks. */
  setInPlace(index: readonly number[], value: number): void {
    this.data[this.offsetOf('setInPlace', index)] = value;
  }

  toArray(): NestedArray {
    if (this.rank === 0) return this.data[0];
    const build = (axis: number, offset: number): NestedArray[] => {
      const dim = this.shape[axis];
      const out: NestedArray[] = new Array(dim);
      if (axis === this.rank - 1) {
        for (let i = 0; i < dim; i++) out[i] = this.data[offset + i];
        return out;
      }
      const stride = shapeSize(this.shape.slice(axis + 1));
      for (let i = 0; i < dim; i++) out[i] = build(axis + 1, offset + i * stride);
      return out;
    };
    return build(0, 0);
  }

  /** A deep copy with its own buffer. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  toString(): string {
    return `Tensor(${this.dtype} ${formatShape(this.shape)})`;
  }

  private offsetOf(op: string, index: readonly number[]): number {
    if (index.length !== this.rank) {
      throw new ShapeError(
        `${op}: index [${index.join(',')}] has ${index.length} entries for shape ${formatShape(this.shape)}`,
      );
    }
    let offset = 0;
    for (let axis = 0; axis < this.rank; axis++) {
      const i = index[axis];
      const dim = this.shape[axis];
      if (!Number.isInteger(i) || i < 0 || i >= dim) {
        throw new ShapeError(
          `${op}: index ${i} is out of range for axis ${axis} of shape ${formatShape(this.shape)}`,
        );
      }
      offset = offset * dim + i;
    }
    return offset;
  }
}
