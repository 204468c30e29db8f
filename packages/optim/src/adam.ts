import { momentStepInPlace, type Tensor } from '@backprop-lab/tensor';
import {
  checkNumber,
  checkPair,
  type RuleSpec,
  readSettings,
  readState,
  type UpdateResult,
} from './check.js';

/**
 * Adam (Kingma & Ba 2015): momentum on the gradient (m) and RMSProp on its square (v), both
 * bias-corrected because they start at zero.
 *   t += 1;   m = β1·m + (1−β1)·dw;   v = β2·v + (1−β2)·dw²
 *   m̂ = m / (1−β1ᵗ);   v̂ = v / (1−β2ᵗ);   w −= lr · m̂ / (√v̂ + ε)
 */
export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** m, the moving average of dw, shaped like w; zeros before the first step. */
  m: Tensor;
  /** v, the moving average of dw², shaped like w; zeros before the first step. */
  v: Tensor;
  /** Steps taken so far; 0 before the first. */
  t: number;
}

export const ADAM_SPEC: RuleSpec = {
  name: 'adam',
  settings: {
    learningRate: { default: 1e-3, range: 'nonNegative' },
    beta1: { default: 0.9, range: 'fraction' },
    beta2: { default: 0.999, range: 'fraction' },
    epsilon: { default: 1e-8, range: 'nonNegative' },
  },
  state: ['m', 'v', 't'],
};

/** w, dw [any shape] → next w and the next m, v, t (new tensors; w and config are not touched). */
export function adam(w: Tensor, dw: Tensor, config: Partial<AdamConfig> = {}): UpdateResult<AdamConfig> {
  const resolved = resolve('adam', w, dw, config, true);
  const next = w.clone();
  adamStep(next, dw, resolved);
  return { w: next, config: resolved };
}

/** As `adam`, but updates w, config.m and config.v in place. */
export function adamInPlace(
  w: Tensor,
  dw: Tensor,
  config: Partial<AdamConfig> = {},
): UpdateResult<AdamConfig> {
  const resolved = resolve('adamInPlace', w, dw, config, false);
  adamStep(w, dw, resolved);
  return { w, config: resolved };
}

function resolve(fn: string, w: Tensor, dw: Tensor, config: unknown, copy: boolean): AdamConfig {
  checkPair(fn, w, dw);
  const { learningRate, beta1, beta2, epsilon } = readSettings(fn, ADAM_SPEC, config);
  const state = config as Partial<AdamConfig>;
  const m = readState(fn, 'm', state.m, w, copy);
  const v = readState(fn, 'v', state.v, w, copy);
  const t = state.t === undefined ? 0 : checkNumber(fn, 'config.t', state.t, 'count');
  return { learningRate, beta1, beta2, epsilon, m, v, t };
}

function adamStep(w: Tensor, dw: Tensor, config: AdamConfig): void {
  // t counts this step before the bias correction uses it (as CS231n): the first step divides by
  // 1−β1¹, not by 1−β1⁰ = 0.
  config.t += 1;
  const { learningRate: lr, beta1, beta2, epsilon, t } = config;
  // m̂ = m / (1−β1ᵗ) and v̂ = v / (1−β2ᵗ), as multiplications by the reciprocals: this loop runs over every
  // weight each step, and those two divisions were 40% of its time (a division costs several
  // multiplications). m̂ and v̂ may differ from dividing in their last bit (~1e-16 relative).
  const inverseCorrection1 = 1 / (1 - beta1 ** t);
  const inverseCorrection2 = 1 / (1 - beta2 ** t);
  // tensor's momentStepInPlace is this update (m and v as moving averages, w stepped by their ratio),
  // run by the native backend's C loop where it has one: the same bits either way (adam-kernel.test.ts).
  momentStepInPlace(w, dw, config.m, config.v, {
    rate: lr,
    decay1: beta1,
    decay2: beta2,
    epsilon,
    correction1: inverseCorrection1,
    correction2: inverseCorrection2,
  });
}
