import { formatShape, sameShape, Tensor } from '@backprop-lab/tensor';
import { describe } from './check.js';
import type { ConfigValue } from './checkpoint.js';
import type { Model } from './model.js';
import { findBuiltinRule, type UpdateRule, type UpdateRuleName } from './rules.js';

/** A parameter's optimizer config: its settings and the state the rule carries between calls. */
export type OptimState = Record<string, ConfigValue>;

/**
 * One update of every parameter from its gradient. Built-in rules run in place (the same kernel as
 * their pure form, so the same numbers, without a copy per step); a rule function's returned w
 * replaces the entry in model.params. Each parameter's config is replaced by the one returned.
 */
export function updateParams(
  model: Model,
  names: readonly string[],
  grads: Record<string, Tensor>,
  rule: UpdateRuleName | UpdateRule,
  configs: Record<string, OptimState>,
): void {
  const builtin = findBuiltinRule(rule);
  for (const name of names) {
    const w = model.params[name];
    const dw = grads[name];
    if (!(dw instanceof Tensor)) {
      throw new TypeError(
        `Solver: model.loss(X, y) returned no gradient for parameter '${name}' (got ${describe(dw)})`,
      );
    }
    if (!sameShape(w.shape, dw.shape) || w.dtype !== dw.dtype) {
      throw new RangeError(
        `Solver: grads.${name} ${dw.dtype} ${formatShape(dw.shape)} does not match params.${name} ${w.dtype} ${formatShape(w.shape)}`,
      );
    }
    if (builtin !== undefined) {
      configs[name] = builtin.updateInPlace(w, dw, configs[name]).config as OptimState;
      continue;
    }
    const result = (rule as UpdateRule)(w, dw, configs[name]);
    const next = result?.w;
    if (!(next instanceof Tensor) || !sameShape(next.shape, w.shape) || next.dtype !== w.dtype) {
      throw new TypeError(
        `Solver: updateRule must return { w, config } with w ${w.dtype} ${formatShape(w.shape)} for parameter '${name}', got w = ${describe(next)}`,
      );
    }
    if (typeof result.config !== 'object' || result.config === null) {
      throw new TypeError(
        `Solver: updateRule returned config ${describe(result.config)} for parameter '${name}'`,
      );
    }
    model.params[name] = next;
    configs[name] = result.config as OptimState;
  }
}
