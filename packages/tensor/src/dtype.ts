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
