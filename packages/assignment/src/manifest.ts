/**
 * The exercises of the assignment in CS231n assignment 2's order. Each names the kit file the student
 * edits (`src/<file>`), the functions stubbed in it, and the repo-relative source it is generated from.
 */
export interface Exercise {
  id: string;
  title: string;
  /** The kit's `src/<file>`; several exercises may share one file. */
  file: string;
  /** Exported functions, or `Class.method` for a method stub. */
  functions: string[];
  /** Repo-relative reference source the kit file is generated from. */
  reference: string;
  /** Repo-relative derivation copied into the kit's docs/. */
  docs?: string;
}

const LAYERS = 'packages/layers/src';
const OPTIM = 'packages/optim/src';

export const EXERCISES: readonly Exercise[] = [
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
    title: 'Batch normalization: forward',
    file: 'batchnorm.ts',
    functions: ['batchnormForward'],
    reference: `${LAYERS}/batchnorm.ts`,
  },
  {
    id: 'batchnorm-backward',
    title: 'Batch normalization: backward through the graph',
    file: 'batchnorm-backward.ts',
    functions: ['batchnormBackward'],
    reference: `${LAYERS}/batchnorm-backward.ts`,
    docs: 'docs/batchnorm-backward.md',
  },
  {
    id: 'batchnorm-backward-alt',
    title: 'Batch normalization: the simplified backward',
    file: 'batchnorm-backward.ts',
    functions: ['batchnormBackwardAlt'],
    reference: `${LAYERS}/batchnorm-backward.ts`,
    docs: 'docs/batchnorm-backward.md',
  },
  {
    id: 'layernorm',
    title: 'Layer normalization',
    file: 'layernorm.ts',
    functions: ['layernormForward', 'layernormBackward'],
    reference: `${LAYERS}/layernorm.ts`,
    docs: 'docs/batchnorm-backward.md',
  },
  {
    id: 'dropout',
    title: 'Dropout',
    file: 'dropout.ts',
    functions: ['dropoutForward', 'dropoutBackward'],
    reference: `${LAYERS}/dropout.ts`,
  },
];
