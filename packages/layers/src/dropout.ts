/**
 * Inverted dropout. Any shape. p is the probability of KEEPING a unit (CS231n 2018+).
 *   train: mask = (u < p) / p,  out = x · mask     (E[out] = x, so test time needs no rescaling)
 *   test:  out = x
 *   dx = dout · mask (train), dout (test)
 */
import { allocate, createRng, type Rng, Tensor } from '@backprop-lab/tensor';
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
  const rng = maskStream(op, param);
  const mask = allocate(x.dtype, x.size);
  const out = allocate(x.dtype, x.size);
  const keep = 1 / p;
  for (let i = 0; i < mask.length; i++) {
    mask[i] = rng.uniform() < p ? keep : 0;
    out[i] = x.data[i] * mask[i];
  }
  return { out: new Tensor(out, x.shape), cache: { mode, mask: new Tensor(mask, x.shape), ...base } };
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
  if (cache.mask === null) return dout;
  const dx = allocate(dout.dtype, dout.size);
  const m = cache.mask.data;
  for (let i = 0; i < dx.length; i++) dx[i] = dout.data[i] * m[i];
  return new Tensor(dx, dout.shape);
}
