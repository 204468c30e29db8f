import type { Tensor } from '@backprop-lab/tensor';
import { checkPair, type RuleSpec, readSettings, readState, type UpdateResult } from './check.js';

/**
 * RMSProp: divides each step by a moving root mean square of that weight's gradients.
 *   c = d·c + (1−d)·dw²;   w −= lr · dw / (√c + ε)
 */
export interface RmspropConfig {
  learningRate: number;
  /** d in [0, 1): how slowly the squared-gradient average forgets. */
  decayRate: number;
  /** ε keeps the division finite where a gradient has always been 0. */
  epsilon: number;
  /** c, shaped like w; zeros before the first step. */
  cache: Tensor;
}

export const RMSPROP_SPEC: RuleSpec = {
  name: 'rmsprop',
  settings: {
    learningRate: { default: 1e-2, range: 'nonNegative' },
    decayRate: { default: 0.99, range: 'fraction' },
    epsilon: { default: 1e-8, range: 'nonNegative' },
  },
  state: ['cache'],
};

/** w, dw [any shape] → next w and the next cache (new tensors; w and config are not touched). */
export function rmsprop(
  w: Tensor,
  dw: Tensor,
  config: Partial<RmspropConfig> = {},
): UpdateResult<RmspropConfig> {
  const resolved = resolve('rmsprop', w, dw, config, true);
  const next = w.clone();
  rmspropStep(next, dw, resolved);
  return { w: next, config: resolved };
}

/** As `rmsprop`, but updates w and config.cache in place. */
export function rmspropInPlace(
  w: Tensor,
  dw: Tensor,
  config: Partial<RmspropConfig> = {},
): UpdateResult<RmspropConfig> {
  const resolved = resolve('rmspropInPlace', w, dw, config, false);
  rmspropStep(w, dw, resolved);
  return { w, config: resolved };
}

function resolve(fn: string, w: Tensor, dw: Tensor, config: unknown, copy: boolean): RmspropConfig {
  checkPair(fn, w, dw);
  const { learningRate, decayRate, epsilon } = readSettings(fn, RMSPROP_SPEC, config);
  const cache = readState(fn, 'cache', (config as Partial<RmspropConfig>).cache, w, copy);
  return { learningRate, decayRate, epsilon, cache };
}

function rmspropStep(w: Tensor, dw: Tensor, config: RmspropConfig): void {
  const weights = w.data;
  const grads = dw.data;
  const cache = config.cache.data;
  const { learningRate: lr, decayRate, epsilon } = config;
  for (let i = 0; i < weights.length; i++) {
    const g = grads[i];
    // (1−d)·(g·g), grouped as numpy evaluates (1 - d) * dw**2, so the results match it bit for bit.
    cache[i] = decayRate * cache[i] + (1 - decayRate) * (g * g);
    weights[i] -= (lr * g) / (Math.sqrt(cache[i]) + epsilon);
  }
}
