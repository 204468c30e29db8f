import type { Tensor } from '@backprop-lab/tensor';
import { checkPair, type RuleSpec, readSettings, type UpdateResult } from './check.js';

/** Vanilla stochastic gradient descent: w −= lr · dw. It carries no state. */
export interface SgdConfig {
  learningRate: number;
}

export const SGD_SPEC: RuleSpec = {
  name: 'sgd',
  settings: { learningRate: { default: 1e-2, range: 'nonNegative' } },
  state: [],
};

/** w, dw [any shape, same dtype] → next w (a new tensor; w is not touched). */
export function sgd(w: Tensor, dw: Tensor, config: Partial<SgdConfig> = {}): UpdateResult<SgdConfig> {
  const resolved = resolve('sgd', w, dw, config);
  const next = w.clone();
  sgdStep(next, dw, resolved);
  return { w: next, config: resolved };
}

/** As `sgd`, but writes the next weights into w itself and returns it. */
export function sgdInPlace(w: Tensor, dw: Tensor, config: Partial<SgdConfig> = {}): UpdateResult<SgdConfig> {
  const resolved = resolve('sgdInPlace', w, dw, config);
  sgdStep(w, dw, resolved);
  return { w, config: resolved };
}

function resolve(fn: string, w: Tensor, dw: Tensor, config: unknown): SgdConfig {
  checkPair(fn, w, dw);
  const { learningRate } = readSettings(fn, SGD_SPEC, config);
  return { learningRate };
}

function sgdStep(w: Tensor, dw: Tensor, config: SgdConfig): void {
  const weights = w.data;
  const grads = dw.data;
  const lr = config.learningRate;
  for (let i = 0; i < weights.length; i++) weights[i] -= lr * grads[i];
}
