import { formatShape, Tensor } from '@backprop-lab/tensor';
import { checkKeys, checkObject, describe } from './check.js';

/**
 * What the Solver trains, as CS231n's models: named parameters, and one `loss` that returns class
 * scores [N, C] (test mode) without labels, and the loss with a gradient per parameter with them.
 * The Solver updates `params` in place for the built-in rules and replaces entries for your own rules,
 * so `loss` must read `this.params` on every call.
 */
export interface Model {
  params: Record<string, Tensor>;
  /**
   * Optional: the batchnorm layers' running statistics, as layers' FullyConnectedNet keeps them. They
   * are not parameters (nothing updates them but the forward pass), yet test-mode scores depend on
   * them, so checkpoints save and restore them.
   */
  readonly bnParams?: readonly BatchnormStats[];
  loss(X: Tensor): Tensor;
  loss(X: Tensor, y: Int32Array): { loss: number; grads: Record<string, Tensor> };
}

/** Running statistics of one batchnorm layer, [D] each; unset before its first train-mode pass. */
export interface BatchnormStats {
  runningMean?: Tensor;
  runningVar?: Tensor;
}

/** A copy of a model's state beyond its parameters: each batchnorm layer's statistics (null when unset). */
export type RunningStats = { runningMean: Tensor | null; runningVar: Tensor | null }[];

/**
 * Copies model.bnParams' running statistics (empty for a model without them). Copies, not references:
 * a forward pass may write the statistics in place.
 */
export function copyRunningStats(model: Model): RunningStats {
  return (model.bnParams ?? []).map((layer) => ({
    runningMean: layer.runningMean?.clone() ?? null,
    runningVar: layer.runningVar?.clone() ?? null,
  }));
}

/** Puts copied running statistics back into model.bnParams (as copies, so `stats` can be reused). */
export function setRunningStats(model: Model, stats: RunningStats): void {
  model.bnParams?.forEach((layer, i) => {
    layer.runningMean = stats[i].runningMean?.clone() ?? undefined;
    layer.runningVar = stats[i].runningVar?.clone() ?? undefined;
  });
}

/** Training and validation sets: X [N, ...] (any feature shape the model takes), labels y [N]. */
export interface SolverData {
  XTrain: Tensor;
  yTrain: Int32Array;
  XVal: Tensor;
  yVal: Int32Array;
}

const DATA_KEYS = ['XTrain', 'yTrain', 'XVal', 'yVal'];

export function checkData(fn: string, data: unknown): SolverData {
  checkObject(fn, 'data', data);
  checkKeys(fn, 'data', data, DATA_KEYS);
  for (const [X, y] of [
    ['XTrain', 'yTrain'],
    ['XVal', 'yVal'],
  ]) {
    const features = data[X];
    const labels = data[y];
    if (!(features instanceof Tensor) || features.rank < 1) {
      throw new TypeError(`${fn}: data.${X} must be a Tensor [N, ...], got ${describe(features)}`);
    }
    if (!(labels instanceof Int32Array)) {
      throw new TypeError(`${fn}: data.${y} must be an Int32Array, got ${describe(labels)}`);
    }
    if (features.shape[0] === 0) throw new RangeError(`${fn}: data.${X} has no rows`);
    if (labels.length !== features.shape[0]) {
      throw new RangeError(
        `${fn}: data.${y} has ${labels.length} labels but data.${X} ${formatShape(features.shape)} has ${features.shape[0]} rows`,
      );
    }
  }
  return data as unknown as SolverData;
}

/** The model's parameter names, after checking that it has a `loss` and at least one Tensor parameter. */
export function checkModel(fn: string, model: unknown): string[] {
  checkObject(fn, 'model', model);
  if (typeof model.loss !== 'function')
    throw new TypeError(`${fn}: model.loss must be a function, got ${describe(model.loss)}`);
  checkObject(fn, 'model.params', model.params);
  const names = Object.keys(model.params);
  if (names.length === 0) throw new RangeError(`${fn}: model.params is empty: there is nothing to train`);
  for (const name of names) {
    const value = model.params[name];
    if (!(value instanceof Tensor))
      throw new TypeError(`${fn}: model.params.${name} must be a Tensor, got ${describe(value)}`);
  }
  if (model.bnParams !== undefined && !Array.isArray(model.bnParams)) {
    throw new TypeError(
      `${fn}: model.bnParams must be an array when present, got ${describe(model.bnParams)}`,
    );
  }
  return names;
}
