import type { Tensor } from '@backprop-lab/tensor';
import { checkPair, type RuleSpec, readSettings, readState, type UpdateResult } from './check.js';

/**
 * SGD with momentum: the velocity is a running sum of past steps, so consistent gradients build speed.
 *   v = μ·v − lr·dw;   w += v
 */
export interface SgdMomentumConfig {
  learningRate: number;
  /** μ in [0, 1): how much of the last velocity survives a step. */
  momentum: number;
  /** v, shaped like w; zeros before the first step. */
  velocity: Tensor;
}

export const SGD_MOMENTUM_SPEC: RuleSpec = {
  name: 'sgdMomentum',
  settings: {
    learningRate: { default: 1e-2, range: 'nonNegative' },
    momentum: { default: 0.9, range: 'fraction' },
  },
  state: ['velocity'],
};

/** w, dw [any shape] → next w and the next velocity (new tensors; w and config are not touched). */
export function sgdMomentum(
  w: Tensor,
  dw: Tensor,
  config: Partial<SgdMomentumConfig> = {},
): UpdateResult<SgdMomentumConfig> {
  const resolved = resolve('sgdMomentum', w, dw, config, true);
  const next = w.clone();
  momentumStep(next, dw, resolved);
  return { w: next, config: resolved };
}

/** As `sgdMomentum`, but updates w and config.velocity in place. */
export function sgdMomentumInPlace(
  w: Tensor,
  dw: Tensor,
  config: Partial<SgdMomentumConfig> = {},
): UpdateResult<SgdMomentumConfig> {
  const resolved = resolve('sgdMomentumInPlace', w, dw, config, false);
  momentumStep(w, dw, resolved);
  return { w, config: resolved };
}

function resolve(fn: string, w: Tensor, dw: Tensor, config: unknown, copy: boolean): SgdMomentumConfig {
  checkPair(fn, w, dw);
  const { learningRate, momentum } = readSettings(fn, SGD_MOMENTUM_SPEC, config);
  const velocity = readState(fn, 'velocity', (config as Partial<SgdMomentumConfig>).velocity, w, copy);
  return { learningRate, momentum, velocity };
}

function momentumStep(w: Tensor, dw: Tensor, config: SgdMomentumConfig): void {
  const weights = w.data;
  const grads = dw.data;
  const velocity = config.velocity.data;
  const { learningRate: lr, momentum } = config;
  for (let i = 0; i < weights.length; i++) {
    velocity[i] = momentum * velocity[i] - lr * grads[i];
    weights[i] += velocity[i];
  }
}
