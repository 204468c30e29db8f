/**
 * Wrong dropout variants, for fingerprints only (never shipped to students): the reference's mask stream
 * (uniform u from createRng(seed)) with one known mistake each.
 */
import { createRng, greaterEqual, less, mul, rand, type Tensor } from '@backprop-lab/tensor';

function uniforms(x: Tensor, seed: number): Tensor {
  return rand(x.shape, createRng(seed));
}

/** Keeps with probability p but does not divide by p: E[out] = p·x, so test time would need scaling. */
export function dropoutNotInverted(x: Tensor, p: number, seed: number): Tensor {
  return mul(x, less(uniforms(x, seed), p));
}

/** Reads p as the probability of DROPPING a unit: keeps u >= p and scales by 1/(1 − p). */
export function dropoutDropProbability(x: Tensor, p: number, seed: number): Tensor {
  return mul(x, mul(greaterEqual(uniforms(x, seed), p), 1 / (1 - p)));
}

/**
 * What fraction of the units a dropout output kept, and the scale kept units were given, from its
 * output alone (x has no zeros): any mask stream, the same verdict.
 */
export function maskStatistics(out: Tensor, x: Tensor): { keptFraction: number; scales: number[] } {
  let kept = 0;
  const scales = new Set<number>();
  for (let i = 0; i < x.size; i++) {
    if (out.data[i] === 0) continue;
    kept++;
    scales.add(Number((out.data[i] / x.data[i]).toPrecision(8)));
  }
  return { keptFraction: kept / x.size, scales: [...scales] };
}
