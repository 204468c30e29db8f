import type { Tensor } from '@backprop-lab/tensor';
import { ADAM_SPEC, adam, adamInPlace } from './adam.js';
import type { RuleSpec, UpdateResult } from './check.js';
import { RMSPROP_SPEC, rmsprop, rmspropInPlace } from './rmsprop.js';
import { SGD_SPEC, sgd, sgdInPlace } from './sgd.js';
import { SGD_MOMENTUM_SPEC, sgdMomentum, sgdMomentumInPlace } from './sgd-momentum.js';

/**
 * Any update rule, built in or your own: `rule(w, dw, config?) → { w, config }`. The config's fields
 * must be optional (the first call may pass none); the returned config is passed to the next call.
 * `object` rather than a config type because each rule has its own, and function parameters are
 * checked contravariantly: no single config type would accept all four built-in rules.
 */
export type UpdateRule = (w: Tensor, dw: Tensor, config?: object) => UpdateResult<object>;

export type UpdateRuleName = 'sgd' | 'sgdMomentum' | 'rmsprop' | 'adam';

/** A built-in rule: its pure form, its in-place twin (same kernel, same numbers) and its config spec. */
export interface BuiltinRule {
  update: UpdateRule;
  updateInPlace: UpdateRule;
  spec: RuleSpec;
}

export const UPDATE_RULES: Readonly<Record<UpdateRuleName, BuiltinRule>> = {
  sgd: { update: sgd, updateInPlace: sgdInPlace, spec: SGD_SPEC },
  sgdMomentum: { update: sgdMomentum, updateInPlace: sgdMomentumInPlace, spec: SGD_MOMENTUM_SPEC },
  rmsprop: { update: rmsprop, updateInPlace: rmspropInPlace, spec: RMSPROP_SPEC },
  adam: { update: adam, updateInPlace: adamInPlace, spec: ADAM_SPEC },
};

export const UPDATE_RULE_NAMES = Object.keys(UPDATE_RULES) as UpdateRuleName[];

/** The built-in entry for a name or for one of the built-in functions; undefined for your own rules. */
export function findBuiltinRule(rule: UpdateRuleName | UpdateRule): BuiltinRule | undefined {
  if (typeof rule === 'string') return UPDATE_RULES[rule];
  return Object.values(UPDATE_RULES).find((entry) => entry.update === rule || entry.updateInPlace === rule);
}
