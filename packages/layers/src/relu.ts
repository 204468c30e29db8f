/**
 * ReLU. Any shape.
 *   out = max(0, x)          x [any]  →  out [same]
 *   dx = dout where x > 0, else 0
 */
import { greater, maximum, type Tensor, where } from '@backprop-lab/tensor';
import { expectShape, expectTensor } from './validate.js';

export interface ReluCache {
  x: Tensor;
}

/** out = max(0, x).   x [any shape]  →  out [same shape] */
export function reluForward(x: Tensor): { out: Tensor; cache: ReluCache } {
  expectTensor('reluForward', 'x', x);
  // maximum is Math.max: a NaN goes through (a diverging net should show it), where `x > 0 ? x : 0` hides it.
  return { out: maximum(x, 0), cache: { x } };
}

/** dout [shape of x]  →  dx [shape of x] */
export function reluBackward(dout: Tensor, cache: ReluCache): Tensor {
  const { x } = cache;
  expectShape('reluBackward', 'dout', dout, x.shape, x.dtype, 'x');
  // Strictly x > 0: at exactly 0 the gradient is 0 (a subgradient choice; greaterEqual would pass it
  // through). `where`, not dout·mask: a mask of 0 times an infinite dout would give NaN.
  return where(greater(x, 0), dout, 0);
}
