/**
 * FullyConnectedNet's forward and backward as a composition of the layer functions, one sandwich per
 * hidden layer: the readable implementation (`implementation: 'layers'`), and the reference the fused
 * kernels are tested against. Shapes: N batch, D inputDim, H hidden sizes, C numClasses.
 *   {affine - [batchnorm|layernorm] - relu - [dropout]} × (L − 1) - affine - softmax
 */
import type { Tensor } from '@backprop-lab/tensor';
import { type AffineCache, affineBackward, affineForward } from './affine.js';
import { type DropoutCache, dropoutBackward, dropoutForward } from './dropout.js';
import type { NetContext, TrainPass } from './fc-net-pass.js';
import { l2Norm } from './fc-net-stats.js';
import type { Labels } from './labels.js';
import {
  type AffineNormReluCache,
  type AffineReluCache,
  affineNormReluBackward,
  affineNormReluForward,
  affineReluBackward,
  affineReluForward,
} from './sandwich.js';
import { softmaxLoss } from './softmax.js';
import type { Mode } from './validate.js';

/** What one hidden layer keeps for backward. */
interface HiddenRecord {
  sandwich: { norm: false; cache: AffineReluCache } | { norm: true; cache: AffineNormReluCache };
  dropout: DropoutCache | null;
  /** [N, H] after ReLU, before dropout (for statistics). */
  activation: Tensor;
}

/** Test mode: class scores [N, C] with batchnorm's running statistics and no dropout. */
export function layersScores(net: NetContext, X: Tensor): Tensor {
  return forward(net, X, 'test').scores;
}

/** Train mode: the data loss and every parameter's gradient (no regularization yet). X [N, D], y [N]. */
export function layersTrainPass(net: NetContext, X: Tensor, y: Labels, collectStats: boolean): TrainPass {
  const pass = forward(net, X, 'train');
  const { loss: dataLoss, dx: dscores } = softmaxLoss(pass.scores, y);
  const { grads, activationGrads } = backward(net, dscores, pass.hidden, pass.output);
  return {
    dataLoss,
    grads,
    scores: pass.scores,
    activations: pass.hidden.map((record) => record.activation),
    activationGradNorms: collectStats ? activationGrads.map((dh) => l2Norm(dh.data)) : [],
    activationGrads: collectStats ? activationGrads : [],
  };
}

function forward(net: NetContext, X: Tensor, mode: Mode) {
  const { normalization, dropoutKeepRatio } = net.options;
  const p = net.params;
  const hidden: HiddenRecord[] = [];
  let h = X;
  for (let l = 1; l < net.numLayers; l++) {
    let sandwich: HiddenRecord['sandwich'];
    let activation: Tensor;
    if (normalization === 'none') {
      const { out, cache } = affineReluForward(h, p[`W${l}`], p[`b${l}`]);
      [activation, sandwich] = [out, { norm: false, cache }];
    } else {
      const norm =
        normalization === 'batchnorm'
          ? { kind: 'batchnorm' as const, param: Object.assign(net.bnParams[l - 1], { mode }) }
          : { kind: 'layernorm' as const };
      const { out, cache } = affineNormReluForward(
        h,
        p[`W${l}`],
        p[`b${l}`],
        p[`gamma${l}`],
        p[`beta${l}`],
        norm,
      );
      [activation, sandwich] = [out, { norm: true, cache }];
    }
    h = activation;
    let dropout: DropoutCache | null = null;
    if (dropoutKeepRatio < 1) {
      ({ out: h, cache: dropout } = dropoutForward(activation, {
        p: dropoutKeepRatio,
        mode,
        rng: net.masks,
      }));
    }
    hidden.push({ sandwich, dropout, activation });
  }
  const L = net.numLayers;
  const { out: scores, cache: output } = affineForward(h, p[`W${L}`], p[`b${L}`]);
  return { scores, hidden, output };
}

function backward(net: NetContext, dscores: Tensor, hidden: HiddenRecord[], output: AffineCache) {
  const L = net.numLayers;
  const grads: Record<string, Tensor> = {};
  const activationGrads: Tensor[] = [];
  let { dx: dh, dW: dWL, db: dbL } = affineBackward(dscores, output);
  [grads[`W${L}`], grads[`b${L}`]] = [dWL, dbL];
  for (let l = L - 1; l >= 1; l--) {
    const record = hidden[l - 1];
    if (record.dropout) dh = dropoutBackward(dh, record.dropout);
    activationGrads[l - 1] = dh;
    if (record.sandwich.norm) {
      const g = affineNormReluBackward(dh, record.sandwich.cache);
      [grads[`gamma${l}`], grads[`beta${l}`]] = [g.dgamma, g.dbeta];
      [dh, grads[`W${l}`], grads[`b${l}`]] = [g.dx, g.dW, g.db];
    } else {
      const g = affineReluBackward(dh, record.sandwich.cache);
      [dh, grads[`W${l}`], grads[`b${l}`]] = [g.dx, g.dW, g.db];
    }
  }
  return { grads, activationGrads };
}
