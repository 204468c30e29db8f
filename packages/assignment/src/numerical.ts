/**
 * Centered differences (float64, h = 1e-5) at a seeded sample of at most NUMERICAL_SAMPLES entries of an
 * input: the cost stays bounded whatever sizes a grader picks (a [64, 64] weight would take 8192 passes
 * through the net). The comparison with the reference still covers every entry.
 */
import { DEFAULT_H, evaluateAt, sampleOffsets } from '@backprop-lab/gradcheck';
import { sameShape, Tensor, zeros } from '@backprop-lab/tensor';

export const NUMERICAL_SAMPLES = 48;

/** The entries of x to differentiate: all of them up to `samples`, else a seeded sample of that many. */
export function entriesToCheck(seed: number, x: Tensor, samples = NUMERICAL_SAMPLES): number[] {
  return sampleOffsets(x.size, samples, seed);
}

/**
 * What a backward should give, as far as centered differences of f at `entries` say: their values there,
 * and the student's own values elsewhere (so only the sampled entries can differ). f reads x, which is
 * perturbed in place one entry at a time and restored bit for bit.
 */
export function numericalAt(
  f: (x: Tensor) => number,
  x: Tensor,
  entries: readonly number[],
  actual: unknown,
): Tensor {
  const usable = actual instanceof Tensor && sameShape(actual.shape, x.shape) && actual.dtype === x.dtype;
  const expected = usable ? actual.clone() : zeros(x.shape, x.dtype);
  for (const i of entries) {
    const plus = evaluateAt(x, i, DEFAULT_H, f);
    const minus = evaluateAt(x, i, -DEFAULT_H, f);
    expected.data[i] = (plus - minus) / (2 * DEFAULT_H);
  }
  return expected;
}
