/** Each exercise's check, by exercise id (manifest.ts). */
import type { ExerciseRun } from '../context.js';
import { checkAffine } from './affine.js';
import { checkBatchnormBackward, checkBatchnormBackwardAlt } from './batchnorm-backward.js';
import { checkBatchnormForward } from './batchnorm-forward.js';
import { checkDropout } from './dropout.js';
import { checkFcNet } from './fc-net.js';
import { checkLayernorm } from './layernorm.js';
import { checkRule } from './optim.js';
import { checkRelu } from './relu.js';
import { checkSoftmax } from './softmax.js';

export const CHECKS: Readonly<Record<string, (run: ExerciseRun) => void>> = {
  affine: checkAffine,
  relu: checkRelu,
  softmax: checkSoftmax,
  'fc-net': checkFcNet,
  'sgd-momentum': checkRule,
  rmsprop: checkRule,
  adam: checkRule,
  'batchnorm-forward': checkBatchnormForward,
  'batchnorm-backward': checkBatchnormBackward,
  'batchnorm-backward-alt': checkBatchnormBackwardAlt,
  layernorm: checkLayernorm,
  dropout: checkDropout,
};
