/** Seeded inputs for the checks: the same seed and sizes give the same numbers, bit for bit. */
import { add, mul, type Rng, randn, type Tensor } from '@backprop-lab/tensor';

/** randn(shape)·scale + shift, float64. */
export function normal(rng: Rng, shape: readonly number[], scale = 1, shift = 0): Tensor {
  return add(mul(randn(shape, rng), scale), shift);
}

/** N labels in [0, C). */
export function labels(rng: Rng, N: number, C: number): Int32Array {
  return Int32Array.from({ length: N }, () => rng.int(C));
}
