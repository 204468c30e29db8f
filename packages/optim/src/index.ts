/**
 * @backprop-lab/optim: CS231n's update rules (one interface: w, dw, config in; next w and config out)
 * and the Solver that trains a model with them.
 * Shape legend: N batch, D features, C classes. A rule accepts w of any shape; dw and its state match it.
 */

export { type AccuracyOptions, checkAccuracy, sampleWithoutReplacement } from './accuracy.js';
export { type AdamConfig, adam, adamInPlace } from './adam.js';
export type { RuleSpec, Setting, SettingRange, UpdateResult } from './check.js';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointOptions,
  type CheckpointState,
  type ConfigValue,
  decodeCheckpoint,
  encodeCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
} from './checkpoint.js';
export {
  type BatchnormStats,
  copyRunningStats,
  type Model,
  type RunningStats,
  type SolverData,
  setRunningStats,
} from './model.js';
export type { ResumeOptions } from './resume.js';
export { type RmspropConfig, rmsprop, rmspropInPlace } from './rmsprop.js';
export {
  type BuiltinRule,
  UPDATE_RULE_NAMES,
  UPDATE_RULES,
  type UpdateRule,
  type UpdateRuleName,
} from './rules.js';
export { type SgdConfig, sgd, sgdInPlace } from './sgd.js';
export { type SgdMomentumConfig, sgdMomentum, sgdMomentumInPlace } from './sgd-momentum.js';
export { Solver, type SolverResult, type SolverStatus } from './solver.js';
export type { ResolvedOptions, Sampling, SolverOptions, SolverProgress } from './solver-options.js';
export { type OptimState, updateParams } from './update-params.js';
