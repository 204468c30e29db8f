/**
 * FullyConnectedNet's forward and backward: the layer functions of its LayerSet composed sandwich by
 * sandwich, as CS231n's fc_net.py. Shapes: N batch, D inputDim, H hidden sizes, C numClasses.
 *   {affine - [batchnorm|layernorm] - relu - [dropout]} × (L − 1) - affine - softmax
 */
import type { Rng, Tensor } from '@backprop-lab/tensor';
import type { AffineCache } from './affine.js';
import type { BatchnormParam } from './batchnorm.js';
import type { DropoutCache } from './dropout.js';
import type { ResolvedOptions } from './fc-net-options.js';
import type { Labels } from './labels.js';
import {
  type AffineNormReluCache,
  type AffineReluCache,
  affineNormReluBackward,
  affineNormReluForward,
  affineReluBackward,
  affineReluForward,
} from './sandwich.js';
import type { Mode } from './validate.js';

/** The net's state a pass reads (and, for batchnorm's running statistics, writes). */
export interface NetContext {
  options: ResolvedOptions;
  /** L: hidden layers + the output affine. */
  numLayers: number;
  params: Record<string, Tensor>;
  bnParams: BatchnormParam[];
  /** Where train-mode dropout masks come from in this pass. */
  masks: Rng;
}

/** A train-mode pass: forward, softmax loss, backward. Regularization is added by the net afterwards. */
export interface TrainPass {
  dataLoss: number;
  /** One per parameter, without the regularization term yet. */
  grads: Record<string, Tensor>;
  /** [N, C] */
  scores: Tensor;
  /** Per hidden layer, [N, H] after ReLU and before dropout. */
  activations: Tensor[];
  /** Per hidden layer, [N, H]: the gradient arriving at that activation. */
  activationGrads: Tensor[];
}

/** What one hidden layer keeps for backward. */
interface HiddenRecord {
  sandwich: { norm: false; cache: AffineReluCache } | { norm: true; cache: AffineNormReluCache };
  dropout: DropoutCache | null;
  /** [N, H] after ReLU, before dropout. */
  activation: Tensor;
}

/** Test mode: class scores [N, C] with batchnorm's running statistics and no dropout. */
export function layersScores(net: NetContext, X: Tensor): Tensor {
  return forward(net, X, 'test').scores;
}

/** Train mode: the data loss and every parameter's gradient (no regularization yet). X [N, D], y [N]. */
export function layersTrainPass(net: NetContext, X: Tensor, y: Labels): TrainPass {
  const pass = forward(net, X, 'train');
  const { loss: dataLoss, dx: dscores } = net.options.layers.softmaxLoss(pass.scores, y);
  const { grads, activationGrads } = backward(net, dscores, pass.hidden, pass.output);
  const activations = pass.hidden.map((record) => record.activation);
  return { dataLoss, grads, scores: pass.scores, activations, activationGrads };
}

function forward(net: NetContext, X: Tensor, mode: Mode) {
  const { normalization, dropoutKeepRatio, layers } = net.options;
  const p = net.params;
  const hidden: HiddenRecord[] = [];
  let h = X;
  for (let l = 1; l < net.numLayers; l++) {
    let sandwich: HiddenRecord['sandwich'];
    let activation: Tensor;
    if (normalization === 'none') {
      const { out, cache } = affineReluForward(h, p[`W${l}`], p[`b${l}`], layers);
      [activation, sandwich] = [out, { norm: false, cache }];
    } else {
      const norm =
        normalization === 'batchnorm'
          ? { kind: 'batchnorm' as const, param: Object.assign(net.bnParams[l - 1], { mode }) }
          : { kind: 'layernorm' as const };
      const W = p[`W${l}`];
      const { out, cache } = affineNormReluForward(
        h,
        W,
        p[`b${l}`],
        p[`gamma${l}`],
        p[`beta${l}`],
        norm,
        layers,
      );
      [activation, sandwich] = [out, { norm: true, cache }];
    }
    h = activation;
    let dropout: DropoutCache | null = null;
    if (dropoutKeepRatio < 1) {
      const param = { p: dropoutKeepRatio, mode, rng: net.masks };
      ({ out: h, cache: dropout } = layers.dropoutForward(activation, param));
    }
    hidden.push({ sandwich, dropout, activation });
  }
  const L = net.numLayers;
  const { out: scores, cache: output } = layers.affineForward(h, p[`W${L}`], p[`b${L}`]);
  return { scores, hidden, output };
}

function backward(net: NetContext, dscores: Tensor, hidden: HiddenRecord[], output: AffineCache) {
  const { layers } = net.options;
  const L = net.numLayers;
  const grads: Record<string, Tensor> = {};
  const activationGrads: Tensor[] = [];
  let { dx: dh, dW: dWL, db: dbL } = layers.affineBackward(dscores, output);
  [grads[`W${L}`], grads[`b${L}`]] = [dWL, dbL];
  for (let l = L - 1; l >= 1; l--) {
    const record = hidden[l - 1];
    if (record.dropout) dh = layers.dropoutBackward(dh, record.dropout);
    activationGrads[l - 1] = dh;
    if (record.sandwich.norm) {
      const g = affineNormReluBackward(dh, record.sandwich.cache, layers);
      [grads[`gamma${l}`], grads[`beta${l}`]] = [g.dgamma, g.dbeta];
      [dh, grads[`W${l}`], grads[`b${l}`]] = [g.dx, g.dW, g.db];
    } else {
      const g = affineReluBackward(dh, record.sandwich.cache, layers);
      [dh, grads[`W${l}`], grads[`b${l}`]] = [g.dx, g.dW, g.db];
    }
  }
  return { grads, activationGrads };
}
