/**
 * @backprop-lab/layers: forward/backward pairs with typed caches, losses, and a fully connected net.
 * Shape legend: N batch, D features (d1..dk flattened), H hidden units, C classes.
 */
export { type AffineCache, affineBackward, affineForward } from './affine.js';
export {
  BATCHNORM_EPS,
  BATCHNORM_MOMENTUM,
  type BatchnormCache,
  type BatchnormParam,
  type BatchnormTestCache,
  type BatchnormTrainCache,
  batchnormForward,
} from './batchnorm.js';
export {
  type BatchnormGrads,
  type BatchnormGraphGrads,
  type BatchnormSteps,
  batchnormBackward,
  batchnormBackwardAlt,
} from './batchnorm-backward.js';
export { type DropoutCache, type DropoutParam, dropoutBackward, dropoutForward } from './dropout.js';
export { FullyConnectedNet, type LossOptions, type LossResult } from './fc-net.js';
// resolveOptions is exported for the student kit's FullyConnectedNet, whose constructor is kept as ours.
export {
  type FullyConnectedNetOptions,
  type Normalization,
  type ResolvedOptions,
  resolveOptions,
} from './fc-net-options.js';
export type { LayerStats } from './fc-net-stats.js';
export type { Labels } from './labels.js';
export { defaultLayers, type LayerSet } from './layer-set.js';
export {
  LAYERNORM_EPS,
  type LayernormCache,
  type LayernormParam,
  layernormBackward,
  layernormForward,
} from './layernorm.js';
export { type ReluCache, reluBackward, reluForward } from './relu.js';
export {
  type AffineNormReluCache,
  type AffineReluCache,
  affineNormReluBackward,
  affineNormReluForward,
  affineReluBackward,
  affineReluForward,
  type NormCache,
  type NormSpec,
} from './sandwich.js';
export { softmaxLoss } from './softmax.js';
export { svmLoss } from './svm.js';
export type { Mode } from './validate.js';
