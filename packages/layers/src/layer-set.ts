/**
 * The forward/backward pairs a FullyConnectedNet composes, as one typed record. A user's set, whole or
 * partial, replaces members of the default: e.g. only `batchnormBackward`, to watch a gradient check catch
 * a mistake in it (README, "Your own layers"). Shapes as in each layer's file.
 */
import { affineBackward, affineForward } from './affine.js';
import { batchnormForward } from './batchnorm.js';
import { batchnormBackwardAlt } from './batchnorm-backward.js';
import { dropoutBackward, dropoutForward } from './dropout.js';
import { layernormBackward, layernormForward } from './layernorm.js';
import { reluBackward, reluForward } from './relu.js';
import { softmaxLoss } from './softmax.js';
import { expectKnownKeys } from './validate.js';

export interface LayerSet {
  affineForward: typeof affineForward;
  affineBackward: typeof affineBackward;
  reluForward: typeof reluForward;
  reluBackward: typeof reluBackward;
  batchnormForward: typeof batchnormForward;
  /** The backward of batchnormForward's train-mode cache; the default is the simplified form. */
  batchnormBackward: typeof batchnormBackwardAlt;
  layernormForward: typeof layernormForward;
  layernormBackward: typeof layernormBackward;
  dropoutForward: typeof dropoutForward;
  dropoutBackward: typeof dropoutBackward;
  softmaxLoss: typeof softmaxLoss;
}

/**
 * The package's own layers. batchnormBackward is batchnormBackwardAlt: the same numbers as the graph form
 * (tested to 1e-12) in 10 ops instead of 24.
 */
export const defaultLayers: Readonly<LayerSet> = Object.freeze({
  affineForward,
  affineBackward,
  reluForward,
  reluBackward,
  batchnormForward,
  batchnormBackward: batchnormBackwardAlt,
  layernormForward,
  layernormBackward,
  dropoutForward,
  dropoutBackward,
  softmaxLoss,
});

const MEMBERS = Object.keys(defaultLayers);

/**
 * defaultLayers with `layers`' members in their place. A member given as undefined is an error, not a
 * silent default: it is usually a misspelt import (`import { batchnormBackwrd } from ...`).
 */
export function resolveLayers(op: string, name: string, layers: Partial<LayerSet> | undefined): LayerSet {
  if (layers === undefined) return defaultLayers;
  expectKnownKeys(op, name, layers, MEMBERS);
  for (const [member, value] of Object.entries(layers)) {
    if (value === undefined) {
      throw new TypeError(
        `${op}: ${name}.${member} is missing (undefined); give a function, or leave the key out to use the default`,
      );
    }
    if (typeof value !== 'function') {
      throw new TypeError(
        `${op}: ${name}.${member} must be a function, got ${value === null ? 'null' : typeof value}`,
      );
    }
  }
  return { ...defaultLayers, ...layers };
}
