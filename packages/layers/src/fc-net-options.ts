import { type DType, isDType } from '@backprop-lab/tensor';
import { type LayerSet, resolveLayers } from './layer-set.js';
import { expectKnownKeys, expectNumber } from './validate.js';

export type Normalization = 'none' | 'batchnorm' | 'layernorm';

export interface FullyConnectedNetOptions {
  /** Sizes of the L − 1 hidden layers, e.g. [100, 100]; [] gives a softmax classifier. */
  hiddenDims: readonly number[];
  /** D, features per sample. Default 3072 (CIFAR-10: 32·32·3). */
  inputDim?: number;
  /** C. Default 10. */
  numClasses?: number;
  /** Between each hidden affine and its ReLU. Default 'none'. */
  normalization?: Normalization;
  /** Dropout keep probability p after each hidden ReLU; 1 (default) turns dropout off. */
  dropoutKeepRatio?: number;
  /** L2 strength: loss += 0.5·reg·ΣW² over the W's only. Default 0. */
  reg?: number;
  /** Standard deviation of the initial weights. Default 1e-2. */
  weightScale?: number;
  /** Of every parameter; inputs must match. Default 'float64' (gradient checks need it). */
  dtype?: DType;
  /** Seeds the weights, then the dropout masks' stream. Default 0. */
  seed?: number;
  /**
   * When set, every train-mode pass draws its dropout masks from createRng(dropoutSeed): the same masks
   * each call, so the loss is a fixed function of the parameters (gradient checks). Leave unset to train.
   */
  dropoutSeed?: number;
  /**
   * The forward/backward pairs loss() composes: defaultLayers with these members in their place, checked
   * here (unknown names, and members that are not functions, are errors).
   */
  layers?: Partial<LayerSet>;
}

export type ResolvedOptions = Required<Omit<FullyConnectedNetOptions, 'dropoutSeed' | 'layers'>> & {
  dropoutSeed: number | undefined;
  layers: LayerSet;
};

const KEYS = [
  'hiddenDims',
  'inputDim',
  'numClasses',
  'normalization',
  'dropoutKeepRatio',
  'reg',
  'weightScale',
  'dtype',
  'seed',
  'dropoutSeed',
  'layers',
];

function positiveInteger(name: string, value: unknown, fallback: number, least = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least) {
    throw new RangeError(
      `FullyConnectedNet: options.${name} must be an integer >= ${least}, got ${String(value)}`,
    );
  }
  return value;
}

function integerOrUndefined(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new RangeError(`FullyConnectedNet: options.${name} must be an integer, got ${String(value)}`);
  }
  return value;
}

/** Fills defaults and validates every value; unknown keys are errors. */
export function resolveOptions(options: FullyConnectedNetOptions): ResolvedOptions {
  const op = 'FullyConnectedNet';
  expectKnownKeys(op, 'options', options, KEYS);
  const { hiddenDims } = options;
  if (!Array.isArray(hiddenDims) || hiddenDims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError(
      `${op}: options.hiddenDims must be an array of integers >= 1, got ${JSON.stringify(hiddenDims) ?? String(hiddenDims)}`,
    );
  }
  const normalization = options.normalization ?? 'none';
  if (normalization !== 'none' && normalization !== 'batchnorm' && normalization !== 'layernorm') {
    throw new RangeError(
      `${op}: options.normalization must be 'none', 'batchnorm' or 'layernorm', got ${String(normalization)}`,
    );
  }
  const dtype = options.dtype ?? 'float64';
  if (!isDType(dtype))
    throw new RangeError(`${op}: options.dtype must be 'float64' or 'float32', got ${String(dtype)}`);
  return {
    hiddenDims: [...hiddenDims],
    inputDim: positiveInteger('inputDim', options.inputDim, 3072),
    numClasses: positiveInteger('numClasses', options.numClasses, 10, 2),
    normalization,
    dropoutKeepRatio: expectNumber(op, 'options.dropoutKeepRatio', options.dropoutKeepRatio, 1, {
      low: 0,
      lowOpen: true,
      high: 1,
    }),
    reg: expectNumber(op, 'options.reg', options.reg, 0, { low: 0 }),
    weightScale: expectNumber(op, 'options.weightScale', options.weightScale, 1e-2, {
      low: 0,
      lowOpen: true,
    }),
    dtype,
    seed: integerOrUndefined('seed', options.seed) ?? 0,
    dropoutSeed: integerOrUndefined('dropoutSeed', options.dropoutSeed),
    layers: resolveLayers(op, 'options.layers', options.layers),
  };
}
