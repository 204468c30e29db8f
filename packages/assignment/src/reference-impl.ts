/**
 * The reference functions as a student's merged modules would give them: every check passes on it. The
 * grader runs the checks on it too, to know how many check lines a complete answer has.
 */
import * as layers from '@backprop-lab/layers';
import { adam, rmsprop, sgdMomentum } from '@backprop-lab/optim';
import type { StudentImpl } from './context.js';

export const REFERENCE_IMPL: StudentImpl = Object.freeze({
  affineForward: layers.affineForward,
  affineBackward: layers.affineBackward,
  reluForward: layers.reluForward,
  reluBackward: layers.reluBackward,
  softmaxLoss: layers.softmaxLoss,
  FullyConnectedNet: layers.FullyConnectedNet,
  sgdMomentum,
  rmsprop,
  adam,
  batchnormForward: layers.batchnormForward,
  batchnormBackward: layers.batchnormBackward,
  batchnormBackwardAlt: layers.batchnormBackwardAlt,
  layernormForward: layers.layernormForward,
  layernormBackward: layers.layernormBackward,
  dropoutForward: layers.dropoutForward,
  dropoutBackward: layers.dropoutBackward,
});
