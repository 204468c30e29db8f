/**
 * Inverted dropout. Any shape. p is the probability of KEEPING a unit (CS231n 2018+).
 *   train: mask = (u < p) / p,  out = x · mask     (E[out] = x, so test time needs no rescaling)
 *   test:  out = x
 *   dx = dout · mask (train), dout (test)
 */
import { astype, createRng, less, mul, type Rng, rand, type Tensor } from '@backprop-lab/tensor';
import {
  expectKnownKeys,
  expectMode,
  expectNumber,
  expectShape,
  expectTensor,
  type Mode,
} from './validate.js';

export interface DropoutParam {
  /** Keep probability in (0, 1]; 1 keeps everything. */
  p: number;
  mode: Mode;
  /** Train mode draws the mask from createRng(seed): the same seed, the same mask (gradient checks). */
  seed?: number;
  /** Or from this stream, which advances (training: a new mask each step). Give seed or rng, not both. */
  rng?: Rng;
}

export interface DropoutCache {
  mode: Mode;
  /** [shape of x] 0 or 1/p (train mode only). */
  mask: Tensor | null;
  shape: readonly number[];
  dtype: Tensor['dtype'];
}

/** x [any shape]  →  out [same shape] */
export function dropoutForward(x: Tensor, param: DropoutParam): { out: Tensor; cache: DropoutCache } {
  const op = 'dropoutForward';
  expectTensor(op, 'x', x);
  expectKnownKeys(op, 'param', param, ['p', 'mode', 'seed', 'rng']);
  if (param.p === undefined) throw new RangeError(`${op}: param.p (keep probability) is required`);
  const p = expectNumber(op, 'param.p', param.p, 1, { low: 0, lowOpen: true, high: 1 });
  const mode = expectMode(op, 'param.mode', param.mode);
  const base = { shape: x.shape, dtype: x.dtype };
  // Ops never mutate their inputs, so test mode may hand x itself back.
  if (mode === 'test') return { out: x, cache: { mode, mask: null, ...base } };
  // u is drawn in float64, the stream's own precision: rounded to float32 it could reach 1 and drop a
  // unit even at p = 1. The mask is then 0 or 1/p in x's dtype.
  const u = rand(x.shape, maskStream(op, param)); // [shape of x], uniform in [0, 1)
  const kept = less(u, p); // 1 where the unit is kept
  const mask = mul(x.dtype === 'float64' ? kept : astype(kept, x.dtype), 1 / p);
  return { out: mul(x, mask), cache: { mode, mask, ...base } };
}

function maskStream(op: string, param: DropoutParam): Rng {
  const { seed, rng } = param;
  if (seed !== undefined && rng !== undefined)
    throw new TypeError(`${op}: give param.seed or param.rng, not both`);
  if (rng !== undefined) {
    if (typeof rng?.uniform !== 'function')
      throw new TypeError(`${op}: param.rng must be an Rng from createRng`);
    return rng;
  }
  if (seed === undefined) {
    throw new TypeError(
      `${op}: train mode needs param.seed or param.rng (library code never calls Math.random)`,
    );
  }
  if (!Number.isInteger(seed))
    throw new RangeError(`${op}: param.seed must be an integer, got ${String(seed)}`);
  return createRng(seed);
}

/** dout [shape of x]  →  dx [shape of x] */
export function dropoutBackward(dout: Tensor, cache: DropoutCache): Tensor {
  expectShape('dropoutBackward', 'dout', dout, cache.shape, cache.dtype, 'x');
  return cache.mask === null ? dout : mul(dout, cache.mask);
}
