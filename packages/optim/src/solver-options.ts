import { checkKeys, checkNumber, checkObject, describe } from './check.js';
import { findBuiltinRule, UPDATE_RULE_NAMES, type UpdateRule, type UpdateRuleName } from './rules.js';

/** Reported after every iteration, so an app can draw progress bars and live curves. */
export interface SolverProgress {
  /** Iterations done so far, 1..numIterations. */
  iteration: number;
  numIterations: number;
  /** The epoch this iteration belongs to, 1..numEpochs. */
  epoch: number;
  numEpochs: number;
  loss: number;
  /** Set on the iterations where accuracy was checked: the first, each epoch end (which includes the last). */
  trainAcc?: number;
  valAcc?: number;
}

/** How minibatches are drawn. */
export type Sampling = 'shuffle' | 'replacement';

/** Solver options as CS231n's Solver takes them, in camelCase. Every key is optional. */
export interface SolverOptions {
  /** A built-in rule's name, or a rule function `(w, dw, config?) → { w, config }`. Default 'sgd'. */
  updateRule?: UpdateRuleName | UpdateRule;
  /** Hyperparameters given to the rule (each parameter gets its own copy and its own state). */
  optimConfig?: Readonly<Record<string, number>>;
  /** Learning rate multiplier applied at each epoch end. Default 1. */
  lrDecay?: number;
  /** Default 100. */
  batchSize?: number;
  /** Default 10. */
  numEpochs?: number;
  /** Training rows sampled for each train accuracy check; null for all. Default 1000. */
  numTrainSamples?: number | null;
  /** Validation rows sampled for each val accuracy check; null for all. Default null. */
  numValSamples?: number | null;
  /** Where checkpoints go (written atomically); none are written without it. */
  checkpointPath?: string;
  /** Write a checkpoint every this many epochs (and after the last one). Default 1. */
  checkpointEvery?: number;
  /** Seeds every random choice of the Solver (minibatches, accuracy subsamples). Default 0. */
  seed?: number;
  /** 'shuffle' (default): a fresh permutation each epoch; 'replacement': CS231n's random draws. */
  sampling?: Sampling;
  /**
   * A minibatch loss above this marks the run diverged, as a non-finite one always does. Default null: no
   * bound. For softmax over C classes, 10·ln C (ten times the loss of guessing uniformly) is a good bound.
   */
  maxLoss?: number | null;
  onProgress?: (progress: SolverProgress) => void;
}

/** Options after validation, defaults filled in. */
export interface ResolvedOptions {
  updateRule: UpdateRuleName | UpdateRule;
  optimConfig: Record<string, number>;
  lrDecay: number;
  batchSize: number;
  numEpochs: number;
  numTrainSamples: number | null;
  numValSamples: number | null;
  checkpointPath: string | null;
  checkpointEvery: number;
  seed: number;
  sampling: Sampling;
  maxLoss: number | null;
  onProgress: ((progress: SolverProgress) => void) | null;
}

export const OPTION_KEYS: readonly (keyof SolverOptions)[] = [
  'updateRule',
  'optimConfig',
  'lrDecay',
  'batchSize',
  'numEpochs',
  'numTrainSamples',
  'numValSamples',
  'checkpointPath',
  'checkpointEvery',
  'seed',
  'sampling',
  'maxLoss',
  'onProgress',
];

export function readOptions(fn: string, options: unknown): ResolvedOptions {
  checkObject(fn, 'options', options);
  checkKeys(fn, 'option', options, OPTION_KEYS);
  const o = options as SolverOptions;
  const updateRule = readRule(fn, o.updateRule ?? 'sgd');
  const checkpointPath = o.checkpointPath ?? null;
  if (checkpointPath !== null && (typeof checkpointPath !== 'string' || checkpointPath === '')) {
    throw new TypeError(
      `${fn}: options.checkpointPath must be a non-empty string, got ${describe(checkpointPath)}`,
    );
  }
  if (o.checkpointEvery !== undefined && checkpointPath === null) {
    throw new TypeError(`${fn}: options.checkpointEvery needs options.checkpointPath`);
  }
  if (o.sampling !== undefined && o.sampling !== 'shuffle' && o.sampling !== 'replacement') {
    throw new TypeError(
      `${fn}: options.sampling must be 'shuffle' or 'replacement', got ${describe(o.sampling)}`,
    );
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new TypeError(`${fn}: options.onProgress must be a function, got ${describe(o.onProgress)}`);
  }
  const lrDecay = o.lrDecay ?? 1;
  if (checkNumber(fn, 'options.lrDecay', lrDecay, 'positive') > 1) {
    throw new RangeError(`${fn}: options.lrDecay must be in (0, 1], got ${lrDecay}`);
  }
  const maxLoss = o.maxLoss ?? null;
  if (maxLoss !== null) checkNumber(fn, 'options.maxLoss', maxLoss, 'positive');
  const seed = o.seed ?? 0;
  if (!Number.isSafeInteger(seed))
    throw new RangeError(`${fn}: options.seed must be an integer, got ${describe(seed)}`);
  return {
    updateRule,
    optimConfig: readOptimConfig(fn, updateRule, o.optimConfig ?? {}),
    lrDecay,
    batchSize: positiveInteger(fn, 'batchSize', o.batchSize ?? 100),
    numEpochs: positiveInteger(fn, 'numEpochs', o.numEpochs ?? 10),
    numTrainSamples:
      o.numTrainSamples === null ? null : positiveInteger(fn, 'numTrainSamples', o.numTrainSamples ?? 1000),
    numValSamples: o.numValSamples == null ? null : positiveInteger(fn, 'numValSamples', o.numValSamples),
    checkpointPath,
    checkpointEvery: positiveInteger(fn, 'checkpointEvery', o.checkpointEvery ?? 1),
    seed,
    sampling: o.sampling ?? 'shuffle',
    maxLoss,
    onProgress: o.onProgress ?? null,
  };
}

function positiveInteger(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${fn}: options.${name} must be an integer >= 1, got ${describe(value)}`);
  }
  return value;
}

/** A built-in rule passed as a function becomes its name, so checkpoints can name it. */
function readRule(fn: string, rule: unknown): UpdateRuleName | UpdateRule {
  if (typeof rule === 'function') {
    return (
      (findBuiltinRule(rule as UpdateRule)?.spec.name as UpdateRuleName | undefined) ?? (rule as UpdateRule)
    );
  }
  if (typeof rule === 'string' && (UPDATE_RULE_NAMES as string[]).includes(rule))
    return rule as UpdateRuleName;
  throw new TypeError(
    `${fn}: options.updateRule must be one of ${UPDATE_RULE_NAMES.map((n) => `'${n}'`).join(', ')} or a function, got ${describe(rule)}`,
  );
}

/**
 * For a built-in rule: its settings only, checked and with defaults filled in. The state (velocity,
 * m, v, t) belongs to each parameter, so the Solver refuses it here. For your own rule: finite numbers.
 */
function readOptimConfig(
  fn: string,
  rule: UpdateRuleName | UpdateRule,
  config: unknown,
): Record<string, number> {
  checkObject(fn, 'options.optimConfig', config);
  const builtin = findBuiltinRule(rule);
  const resolved: Record<string, number> = {};
  if (builtin === undefined) {
    for (const [key, value] of Object.entries(config)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new TypeError(
          `${fn}: options.optimConfig.${key} must be a finite number, got ${describe(value)}`,
        );
      }
      resolved[key] = value;
    }
    return resolved;
  }
  const { spec } = builtin;
  const settings = Object.keys(spec.settings);
  for (const key of Object.keys(config)) {
    if (spec.state.includes(key)) {
      throw new TypeError(
        `${fn}: options.optimConfig.${key} is ${spec.name} state, which the Solver keeps per parameter; give only settings (${settings.join(', ')})`,
      );
    }
    if (!settings.includes(key)) {
      throw new TypeError(
        `${fn}: unknown options.optimConfig key '${key}' for updateRule '${spec.name}' (expected one of ${settings.join(', ')})`,
      );
    }
  }
  for (const [key, setting] of Object.entries(spec.settings)) {
    const value = config[key];
    resolved[key] =
      value === undefined
        ? setting.default
        : checkNumber(fn, `options.optimConfig.${key}`, value, setting.range);
  }
  return resolved;
}
