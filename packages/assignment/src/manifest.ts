/**
 * The assignment's exercises in the order of CS231n assignment 2. Each names the kit file a student fills
 * in (`src/<file>`), the functions it holds, and the reference source its stubs are generated from.
 */
export interface Exercise {
  /** Stable id: `--only` takes it, reports key on it. */
  id: string;
  title: string;
  /** The kit file, relative to the kit's src/. Several exercises may share one file. */
  file: string;
  /** What the student writes; a class method is written `Class.method`. */
  functions: readonly string[];
  /** Repo-relative reference source the kit's stubs are generated from. */
  reference: string;
  /** Repo-relative derivation to read first, when there is one. */
  docs?: string;
}

const LAYERS = 'packages/layers/src';
const OPTIM = 'packages/optim/src';
const DERIVATION = 'docs/batchnorm-backward.md';

export const EXERCISES: readonly Exercise[] = Object.freeze([
  {
    id: 'affine',
    title: 'Affine layer',
    file: 'affine.ts',
    functions: ['affineForward', 'affineBackward'],
    reference: `${LAYERS}/affine.ts`,
  },
  {
    id: 'relu',
    title: 'ReLU',
    file: 'relu.ts',
    functions: ['reluForward', 'reluBackward'],
    reference: `${LAYERS}/relu.ts`,
  },
  {
    id: 'softmax',
    title: 'Softmax loss',
    file: 'softmax.ts',
    functions: ['softmaxLoss'],
    reference: `${LAYERS}/softmax.ts`,
  },
  {
    id: 'fc-net',
    title: 'Fully connected net: loss and gradients',
    file: 'fc-net.ts',
    functions: ['FullyConnectedNet.loss'],
    reference: `${LAYERS}/fc-net.ts`,
  },
  {
    id: 'sgd-momentum',
    title: 'SGD with momentum',
    file: 'sgd-momentum.ts',
    functions: ['sgdMomentum'],
    reference: `${OPTIM}/sgd-momentum.ts`,
  },
  {
    id: 'rmsprop',
    title: 'RMSProp',
    file: 'rmsprop.ts',
    functions: ['rmsprop'],
    reference: `${OPTIM}/rmsprop.ts`,
  },
  { id: 'adam', title: 'Adam', file: 'adam.ts', functions: ['adam'], reference: `${OPTIM}/adam.ts` },
  {
    id: 'batchnorm-forward',
    title: 'Batchnorm forward (train and test mode)',
    file: 'batchnorm.ts',
    functions: ['batchnormForward'],
    reference: `${LAYERS}/batchnorm.ts`,
    docs: DERIVATION,
  },
  {
    id: 'batchnorm-backward',
    title: 'Batchnorm backward, stage by stage through the graph',
    file: 'batchnorm-backward.ts',
    functions: ['batchnormBackward'],
    reference: `${LAYERS}/batchnorm-backward.ts`,
    docs: DERIVATION,
  },
  {
    id: 'batchnorm-backward-alt',
    title: 'Batchnorm backward, the simplified expression',
    file: 'batchnorm-backward.ts',
    functions: ['batchnormBackwardAlt'],
    reference: `${LAYERS}/batchnorm-backward.ts`,
    docs: DERIVATION,
  },
  {
    id: 'layernorm',
    title: 'Layer normalization',
    file: 'layernorm.ts',
    functions: ['layernormForward', 'layernormBackward'],
    reference: `${LAYERS}/layernorm.ts`,
    docs: DERIVATION,
  },
  {
    id: 'dropout',
    title: 'Inverted dropout',
    file: 'dropout.ts',
    functions: ['dropoutForward', 'dropoutBackward'],
    reference: `${LAYERS}/dropout.ts`,
  },
]);

/** The kit file that holds a function, e.g. 'batchnormForward' → 'batchnorm.ts'. */
export function fileOf(functionName: string): string | undefined {
  return EXERCISES.find((exercise) => exercise.functions.includes(functionName))?.file;
}
