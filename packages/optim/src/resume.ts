import { formatShape, sameShape } from '@backprop-lab/tensor';
import { checkKeys, checkObject, describe } from './check.js';
import type { CheckpointState } from './checkpoint.js';
import type { Model, SolverData } from './model.js';
import type { SolverOptions } from './solver-options.js';

/**
 * What may change when a run resumes. Everything else comes from the checkpoint: a different batch
 * size, seed or rule would not continue the run bit for bit. `updateRule` must be given again (and
 * only) when the run used a rule function, since functions are not saved.
 */
export type ResumeOptions = Pick<
  SolverOptions,
  'numEpochs' | 'checkpointPath' | 'checkpointEvery' | 'onProgress' | 'updateRule'
>;

const RESUME_KEYS = ['numEpochs', 'checkpointPath', 'checkpointEvery', 'onProgress', 'updateRule'];

/** The options the resumed Solver is built with: the checkpoint's, with the allowed changes. */
export function resumeOptions(
  state: CheckpointState,
  checkpointPath: string,
  options: unknown,
): SolverOptions {
  const fn = 'Solver.resume';
  checkObject(fn, 'options', options);
  for (const key of Object.keys(options)) {
    if (!RESUME_KEYS.includes(key) && key in state.options) {
      throw new TypeError(
        `${fn}: option '${key}' is restored from the checkpoint and cannot change (the run would not continue bit for bit)`,
      );
    }
  }
  checkKeys(fn, 'option', options, RESUME_KEYS);
  const given = options as ResumeOptions;
  const { updateRule: savedRule, ...saved } = state.options;
  if (savedRule === 'custom' && typeof given.updateRule !== 'function') {
    throw new TypeError(
      `${fn}: the checkpoint was trained with a rule function; pass it again as options.updateRule (got ${describe(given.updateRule)})`,
    );
  }
  if (savedRule !== 'custom' && given.updateRule !== undefined) {
    throw new TypeError(
      `${fn}: option 'updateRule' is restored from the checkpoint ('${savedRule}') and cannot change`,
    );
  }
  const numEpochs = given.numEpochs ?? saved.numEpochs;
  if (typeof numEpochs === 'number' && numEpochs < state.epoch) {
    throw new RangeError(
      `${fn}: options.numEpochs ${numEpochs} is below the ${state.epoch} epochs the checkpoint has done`,
    );
  }
  return {
    ...saved,
    updateRule: savedRule === 'custom' ? given.updateRule : savedRule,
    numEpochs,
    checkpointPath: given.checkpointPath ?? checkpointPath,
    checkpointEvery: given.checkpointEvery ?? saved.checkpointEvery,
    ...(given.onProgress === undefined ? {} : { onProgress: given.onProgress }),
  };
}

/** Throws unless the model's parameters and the data are the ones the checkpoint was made with. */
export function checkResumable(
  state: CheckpointState,
  model: Model,
  data: SolverData,
  checkpointPath: string,
): void {
  const fn = `Solver.resume: ${checkpointPath}`;
  const { params } = model;
  for (const name of Object.keys(params)) {
    if (!(name in state.params)) throw new RangeError(`${fn}: model.params.${name} is not in the checkpoint`);
  }
  for (const [name, saved] of Object.entries(state.params)) {
    const own = params[name];
    if (own === undefined)
      throw new RangeError(`${fn}: the checkpoint has parameter '${name}' but model.params does not`);
    if (!sameShape(own.shape, saved.shape) || own.dtype !== saved.dtype) {
      throw new RangeError(
        `${fn}: params.${name} is ${saved.dtype} ${formatShape(saved.shape)} in the checkpoint but ${own.dtype} ${formatShape(own.shape)} in the model`,
      );
    }
  }
  const layers = model.bnParams?.length ?? 0;
  if (layers !== state.bnStats.length) {
    throw new RangeError(
      `${fn}: model.bnParams has ${layers} batchnorm layers but the checkpoint has ${state.bnStats.length}`,
    );
  }
  const rows = [
    ['XTrain', data.XTrain.shape[0], state.numTrain],
    ['XVal', data.XVal.shape[0], state.numVal],
  ] as const;
  for (const [name, actual, saved] of rows) {
    if (actual !== saved) {
      throw new RangeError(
        `${fn}: data.${name} has ${actual} rows but the checkpoint was trained with ${saved}`,
      );
    }
  }
}
