/** Element types a Tensor can hold. float64 is the default (gradient checks need it). */
export type DType = 'float64' | 'float32';
export type TypedArray = Float64Array | Float32Array;

export const DTYPES: readonly DType[] = ['float64', 'float32'];

export function isDType(value: unknown): value is DType {
  return value === 'float64' || value === 'float32';
}

export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
}

export function dtypeOf(data: TypedArray): DType {
  return data instanceof Float32Array ? 'float32' : 'float64';
}

/**
 * allocate for an op's result of `size` elements: a size past what one typed array can hold (or memory
 * can give) is reported naming the op and the argument that asked for it, not as V8's bare RangeError.
 */
export function allocateFor(op: string, arg: string, dtype: DType, size: number): TypedArray {
  const bytes = size * (dtype === 'float32' ? 4 : 8);
  try {
    return allocate(dtype, size);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new RangeError(
      `${op}: ${arg} needs ${size} ${dtype} elements (${(bytes / 2 ** 30).toFixed(1)} GiB), more than one array can hold here`,
    );
  }
}
