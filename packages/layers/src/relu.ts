/**
 * ReLU. Any shape.
 *   out = max(0, x)          x [any]  →  out [same]
 *   dx = dout where x > 0, else 0
 */
import { allocate, Tensor } from '@backprop-lab/tensor';
import { expectShape, expectTensor } from './validate.js';

export interface ReluCache {
  x: Tensor;
}

/** out = max(0, x).   x [any shape]  →  out [same shape] */
export function reluForward(x: Tensor): { out: Tensor; cache: ReluCache } {
  expectTensor('reluForward', 'x', x);
  const out = allocate(x.dtype, x.size);
  const v = x.data;
  // Math.max lets a NaN through (a diverging net should show it) where `v > 0 ? v : 0` would hide it.
  for (let i = 0; i < v.length; i++) out[i] = Math.max(v[i], 0);
  return { out: new Tensor(out, x.shape), cache: { x } };
}

/** dout [shape of x]  →  dx [shape of x] */
export function reluBackward(dout: Tensor, cache: ReluCache): Tensor {
  const { x } = cache;
  expectShape('reluBackward', 'dout', dout, x.shape, x.dtype, 'x');
  const dx = allocate(x.dtype, x.size);
  const v = x.data;
  const g = dout.data;
  // Strictly x > 0: at exactly 0 the gradient is 0 (a subgradient choice; `x >= 0` would pass it through).
  for (let i = 0; i < v.length; i++) dx[i] = v[i] > 0 ? g[i] : 0;
  return new Tensor(dx, x.shape);
}
