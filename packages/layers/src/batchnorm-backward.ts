/**
 * Batchnorm backward in two forms from one cache. Shapes: N batch, D features; dout [N, D].
 * The graph form walks the forward graph node by node, right to left, one tensor op per node; the
 * simplified form is one expression per output, and is the one FullyConnectedNet's default layers use.
 * Both are derived in docs/batchnorm-backward.md, with the same names.
 */
import { add, div, mul, neg, ones, square, sub, sum, type Tensor } from '@backprop-lab/tensor';
import type { BatchnormCache, BatchnormTrainCache } from './batchnorm.js';
import { expectShape } from './validate.js';

export interface BatchnormGrads {
  /** [N, D] */
  dx: Tensor;
  /** [D] */
  dgamma: Tensor;
  /** [D] */
  dbeta: Tensor;
}

/**
 * The graph form's named intermediates, in the order backward computes them (docs/batchnorm-backward.md,
 * section 2). Optional in the type so a student's graph form may leave them out; a check that gets them
 * names the first one that differs from the reference.
 */
export interface BatchnormSteps {
  /** [N, D] */
  dgammax: Tensor;
  /** [N, D] */
  dxhat: Tensor;
  /** [D] */
  divar: Tensor;
  /** [N, D] */
  dxmu1: Tensor;
  /** [D] */
  dsqrtvar: Tensor;
  /** [D] */
  dvariance: Tensor;
  /** [N, D] */
  dsq: Tensor;
  /** [N, D] */
  dxmu2: Tensor;
  /** [N, D] */
  dx1: Tensor;
  /** [D] */
  dmu: Tensor;
  /** [N, D] */
  dx2: Tensor;
}

export interface BatchnormGraphGrads extends BatchnormGrads {
  steps?: BatchnormSteps;
}

function trainCache(op: string, dout: Tensor, cache: BatchnormCache): BatchnormTrainCache {
  if (cache?.mode !== 'train') {
    throw new Error(
      `${op}: cache comes from a ${String(cache?.mode)}-mode forward; backward needs the batch statistics of a train-mode forward`,
    );
  }
  expectShape(op, 'dout', dout, cache.xhat.shape, cache.xhat.dtype, 'the forward output');
  return cache;
}

/**
 * Stage by stage through the graph (forward: mu, xmu, sq, variance, sqrtvar, ivar, xhat, gammax, out).
 * dout [N, D]  →  dx [N, D], dgamma [D], dbeta [D]
 */
export function batchnormBackward(dout: Tensor, cache: BatchnormCache): BatchnormGraphGrads {
  const { xmu, sqrtvar, ivar, xhat, gamma } = trainCache('batchnormBackward', dout, cache);
  const [N, D] = dout.shape;

  // out = gammax + beta: β is broadcast over the N rows, so its gradient sums them.
  const dbeta = sum(dout, { axis: 0 });
  const dgammax = dout;

  // gammax = gamma · xhat
  const dgamma = sum(mul(dgammax, xhat), { axis: 0 });
  const dxhat = mul(dgammax, gamma);

  // xhat = xmu · ivar: ivar [D] was broadcast, so divar sums over rows.
  const divar = sum(mul(dxhat, xmu), { axis: 0 });
  const dxmu1 = mul(dxhat, ivar);

  // ivar = 1 / sqrtvar:  d(1/s)/ds = −1/s²
  const dsqrtvar = mul(div(-1, square(sqrtvar)), divar);

  // sqrtvar = √(variance + eps):  d√v/dv = 1 / (2√v)
  const dvariance = mul(div(0.5, sqrtvar), dsqrtvar);

  // variance = (1/N) Σₙ sq: the mean spreads its gradient evenly over the N rows.
  const dsq = mul(div(ones([N, D], dout.dtype), N), dvariance);

  // sq = xmu²
  const dxmu2 = mul(mul(2, xmu), dsq);

  // xmu = x − mu: xmu reached the output by two paths (through xhat and through sq); x gets both.
  const dx1 = add(dxmu1, dxmu2);
  const dmu = neg(sum(dx1, { axis: 0 }));

  // mu = (1/N) Σₙ x: the second path into x.
  const dx2 = mul(div(ones([N, D], dout.dtype), N), dmu);
  const dx = add(dx1, dx2);

  const steps = { dgammax, dxhat, divar, dxmu1, dsqrtvar, dvariance, dsq, dxmu2, dx1, dmu, dx2 };
  return { dx, dgamma, dbeta, steps };
}

/**
 * The simplified form: two per-feature sums, then one expression for dx (section 3 of the derivation).
 *   dx = (γ·ivar/N)·(N·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy   (sums over the batch)
 * dout [N, D]  →  dx [N, D], dgamma [D], dbeta [D]
 */
export function batchnormBackwardAlt(dout: Tensor, cache: BatchnormCache): BatchnormGrads {
  const { ivar, xhat, gamma } = trainCache('batchnormBackwardAlt', dout, cache);
  const N = dout.shape[0];
  const dbeta = sum(dout, { axis: 0 }); // Σ dy
  const dgamma = sum(mul(dout, xhat), { axis: 0 }); // Σ dy·x̂
  const scale = div(mul(gamma, ivar), N); // [D]
  const dx = mul(scale, sub(sub(mul(dout, N), dbeta), mul(xhat, dgamma)));
  return { dx, dgamma, dbeta };
}
