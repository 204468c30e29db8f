import { allocateOutput, getBackend } from './backend.js';
import { formatShape, ShapeError } from './shape.js';
import { Tensor } from './tensor.js';

export interface MatmulOptions {
  /** Use aᵀ: a is stored [K, M]. */
  transA?: boolean;
  /** Use bᵀ: b is stored [N, K]. */
  transB?: boolean;
}

/** op(a) [M, K] · op(b) [K, N] → [M, N] for 2-d tensors; transposes are read in place, never copied. */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const { m, n, k } = matmulDims('matmul', a, b, options);
  const out = allocateOutput(a.dtype, m * n);
  getBackend().matmul(a.data, b.data, out, m, n, k, options.transA ?? false, options.transB ?? false);
  return new Tensor(out, [m, n]);
}

/** Validates a matmul and returns its sizes: M rows, N columns, K inner. */
export function matmulDims(
  op: string,
  a: Tensor,
  b: Tensor,
  options: MatmulOptions,
): { m: number; n: number; k: number } {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError(`${op}: a and b must be Tensors`);
  for (const key of Object.keys(options)) {
    if (key !== 'transA' && key !== 'transB') throw new TypeError(`${op}: unknown option '${key}'`);
  }
  if (a.rank !== 2) throw new ShapeError(`${op}: a must be 2-d, got shape ${formatShape(a.shape)}`);
  if (b.rank !== 2) throw new ShapeError(`${op}: b must be 2-d, got shape ${formatShape(b.shape)}`);
  if (a.dtype !== b.dtype) throw new ShapeError(`${op}: dtypes differ: a is ${a.dtype}, b is ${b.dtype}`);
  const [m, ka] = options.transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [kb, n] = options.transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (ka !== kb) {
    const ta = options.transA ? 'ᵀ' : '';
    const tb = options.transB ? 'ᵀ' : '';
    throw new ShapeError(
      `${op}: inner dimensions differ: a${ta} ${formatShape(a.shape)} vs b${tb} ${formatShape(b.shape)} (${ka} vs ${kb})`,
    );
  }
  return { m, n, k: ka };
}
