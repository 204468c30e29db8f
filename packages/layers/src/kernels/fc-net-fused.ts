/**
 * FullyConnectedNet's forward and backward as fused loops over reused buffers (`implementation: 'fused'`,
 * the default): the same arithmetic as fc-net-layers.ts, layer by layer, in the same order and with the
 * same matmul calls, so the same bits (fc-net-fused.test.ts compares the two on every option).
 * What it saves: the [N, H] arrays each layer function allocates (the workspace keeps them between
 * calls), a pass per fused step (bias + ReLU, normalize + ReLU, backward in place), and the first
 * layer's dx = dout·W1ᵀ, a third of the matmul work, which no caller reads (loss() returns no dX).
 * Shapes: N batch, D inputDim, H hidden sizes, C numClasses.
 */
import { allocate, dtypeOf, Tensor, type TypedArray } from '@backprop-lab/tensor';
import { batchStatistics, movingAverage, readBatchnormParam } from '../batchnorm.js';
import type { NetContext, TrainPass } from '../fc-net-pass.js';
import { l2Norm } from '../fc-net-stats.js';
import type { Labels } from '../labels.js';
import { LAYERNORM_EPS } from '../layernorm.js';
import { softmaxLoss } from '../softmax.js';
import type { Mode } from '../validate.js';
import {
  biasAddInPlace,
  biasReluInPlace,
  columnSumsInto,
  dropoutInto,
  mulInPlace,
  reluBackwardInPlace,
} from './fused-layers.js';
import {
  batchnormBackwardInPlace,
  batchnormReluInPlace,
  layernormBackwardInPlace,
  layernormReluInPlace,
} from './fused-norm.js';
import { matmulInto, matmulPairInto, withResident } from './matmul-into.js';
import type { Workspace } from './workspace.js';

type Loop2 = (x: TypedArray, y: TypedArray) => void;
interface Loops {
  biasRelu: Loop2;
  biasAdd: Loop2;
  reluBackward: Loop2;
  columnSums: Loop2;
  /** batchStatistics: the batch's mean and biased variance [H] of a [N, H], as new arrays. */
  statistics: (a: Tensor) => [TypedArray, TypedArray];
  batchnormRelu: (
    a: TypedArray,
    mean: TypedArray,
    variance: TypedArray,
    gamma: TypedArray,
    beta: TypedArray,
    eps: number,
    sqrtvar: TypedArray,
    ivar: TypedArray,
    out: TypedArray,
  ) => void;
  batchnormBackward: typeof batchnormBackwardInPlace;
}
const JS_LOOPS: Loops = {
  biasRelu: biasReluInPlace,
  biasAdd: biasAddInPlace,
  reluBackward: reluBackwardInPlace,
  columnSums: columnSumsInto,
  statistics: (a) => {
    const { mu, variance } = batchStatistics(a);
    return [mu, variance];
  },
  batchnormRelu: batchnormReluInPlace,
  batchnormBackward: batchnormBackwardInPlace,
};
// tensor's Backend no longer carries layer loops (branch i11-tensor); i11-layers removes this file.
function loops(): Loops {
  return JS_LOOPS;
}

/** What one hidden layer leaves for backward; every array is a workspace buffer (or X itself). */
interface HiddenLayer {
  /** Its input [N, H_{l−1}] (X for the first layer) and that width. */
  input: TypedArray;
  inputDim: number;
  /** [N, H] after ReLU, before dropout. */
  activation: Tensor;
  /** [N, H] x̂ of the normalization, or null without one. */
  xhat: TypedArray | null;
  /** 1/√(σ² + ε) of the normalization: [H] for batchnorm, [N] for layernorm. */
  ivar: TypedArray | null;
  /** [N, H] dropout mask, or null. */
  mask: TypedArray | null;
}

/** Test mode: class scores [N, C] (a new tensor) with batchnorm's running statistics and no dropout. */
export function fusedScores(net: NetContext, workspace: Workspace, X: Tensor): Tensor {
  return forward(net, workspace, X, 'test').scores;
}

/** Train mode: the data loss and every parameter's gradient (new tensors; no regularization yet). */
export function fusedTrainPass(
  net: NetContext,
  workspace: Workspace,
  X: Tensor,
  y: Labels,
  collectStats: boolean,
): TrainPass {
  // X is the largest operand and two products read it (x·W1, then dW1 = xᵀ·dout); nothing here writes
  // it, so the backend may copy it into its memory once for both.
  const { scores, hidden, dataLoss, grads, activationGradNorms } = withResident(X.data, () => {
    const { scores, hidden, last } = forward(net, workspace, X, 'train');
    const { loss: dataLoss, dx: dscores } = softmaxLoss(scores, y);
    return { scores, hidden, dataLoss, ...backward(net, workspace, dscores, hidden, last, collectStats) };
  });
  return {
    dataLoss,
    grads,
    scores,
    activations: hidden.map((layer) => layer.activation),
    activationGradNorms,
  };
}

function forward(net: NetContext, workspace: Workspace, X: Tensor, mode: Mode) {
  const { normalization, dropoutKeepRatio, hiddenDims, inputDim, numClasses } = net.options;
  const p = net.params;
  const N = X.shape[0];
  const hidden: HiddenLayer[] = [];
  let h = X.data;
  let hDim = inputDim;
  for (let l = 1; l < net.numLayers; l++) {
    const H = hiddenDims[l - 1];
    // x·W + b; a normalization turns it into x̂ in place and writes the ReLU output to its own buffer.
    const affine = workspace.matrix(`affine${l}`, H);
    matmulInto(affine.data, h, p[`W${l}`].data, N, H, hDim);
    let activation = affine;
    let ivar: TypedArray | null = null;
    if (normalization === 'none') {
      loops().biasRelu(affine.data, p[`b${l}`].data);
    } else {
      loops().biasAdd(affine.data, p[`b${l}`].data);
      activation = workspace.matrix(`relu${l}`, H);
      if (normalization === 'batchnorm') {
        ivar = batchnormRelu(net, workspace, l, affine, mode, activation.data);
      } else {
        ivar = workspace.vector(`layernormIvar${l}`, N).data;
        const [gamma, beta] = [p[`gamma${l}`].data, p[`beta${l}`].data];
        layernormReluInPlace(affine.data, gamma, beta, LAYERNORM_EPS, ivar, activation.data);
      }
    }
    const xhat = normalization === 'none' ? null : affine.data;
    let output = activation.data;
    let mask: TypedArray | null = null;
    if (dropoutKeepRatio < 1 && mode === 'train') {
      mask = workspace.matrix(`mask${l}`, H).data;
      output = workspace.matrix(`dropout${l}`, H).data;
      dropoutInto(activation.data, dropoutKeepRatio, net.masks, mask, output);
    }
    hidden.push({ input: h, inputDim: hDim, activation, xhat, ivar, mask });
    [h, hDim] = [output, H];
  }
  const L = net.numLayers;
  // The scores go back to the caller: a new array, not a workspace buffer.
  const scores = new Tensor(allocate(X.dtype, N * numClasses), [N, numClasses]);
  matmulInto(scores.data, h, p[`W${L}`].data, N, numClasses, hDim);
  loops().biasAdd(scores.data, p[`b${L}`].data);
  return { scores, hidden, last: { input: h, inputDim: hDim } };
}

/** Batchnorm + ReLU of hidden layer l, as batchnormForward then reluForward; returns its ivar [H]. */
function batchnormRelu(
  net: NetContext,
  workspace: Workspace,
  l: number,
  affine: Tensor,
  mode: Mode,
  out: TypedArray,
): TypedArray {
  // As the readable net: the layer's bnParam takes this pass's mode and keeps it.
  const param = Object.assign(net.bnParams[l - 1], { mode });
  const { eps, momentum, runningMean, runningVar } = readBatchnormParam('batchnormForward', param, affine);
  const H = affine.shape[1];
  const [gamma, beta] = [net.params[`gamma${l}`].data, net.params[`beta${l}`].data];
  const sqrtvar = workspace.vector(`sqrtvar${l}`, H).data;
  const ivar = workspace.vector(`ivar${l}`, H).data;
  const [mean, variance] =
    mode === 'train' ? loops().statistics(affine) : [runningMean.data, runningVar.data];
  loops().batchnormRelu(affine.data, mean, variance, gamma, beta, eps, sqrtvar, ivar, out);
  if (mode === 'train') {
    param.runningMean = movingAverage(runningMean, mean, momentum);
    param.runningVar = movingAverage(runningVar, variance, momentum);
  }
  return ivar;
}

function backward(
  net: NetContext,
  workspace: Workspace,
  dscores: Tensor,
  hidden: HiddenLayer[],
  last: { input: TypedArray; inputDim: number },
  collectStats: boolean,
) {
  const { normalization, numClasses } = net.options;
  const p = net.params;
  const L = net.numLayers;
  const N = dscores.shape[0];
  const grads: Record<string, Tensor> = {};
  const activationGradNorms: number[] = [];
  // Gradients go back to the caller (who may hold them across calls, as gradient checks do): new arrays.
  grads[`W${L}`] = weightGradient(last.input, dscores.data, last.inputDim, numClasses, N);
  grads[`b${L}`] = columnSums(dscores.data, numClasses);
  let dh: TypedArray | null = null;
  if (L > 1) {
    dh = workspace.matrix(`dh${L - 1}`, last.inputDim).data;
    matmulInto(dh, dscores.data, p[`W${L}`].data, N, last.inputDim, numClasses, false, true);
  }
  for (let l = L - 1; l >= 1 && dh !== null; l--) {
    const layer = hidden[l - 1];
    const H = layer.activation.shape[1];
    if (layer.mask) mulInPlace(dh, layer.mask);
    if (collectStats) activationGradNorms[l - 1] = l2Norm(dh);
    loops().reluBackward(dh, layer.activation.data);
    if (layer.xhat && layer.ivar) {
      const [dgamma, dbeta] = [allocate(dtypeOf(dh), H), allocate(dtypeOf(dh), H)];
      const normBackward =
        normalization === 'batchnorm' ? loops().batchnormBackward : layernormBackwardInPlace;
      normBackward(dh, layer.xhat, p[`gamma${l}`].data, layer.ivar, dgamma, dbeta);
      grads[`gamma${l}`] = new Tensor(dgamma, [H]);
      grads[`beta${l}`] = new Tensor(dbeta, [H]);
    }
    // The first layer's dx would be dX: nothing reads it, so it is never computed.
    if (l === 1) {
      grads[`W${l}`] = weightGradient(layer.input, dh, layer.inputDim, H, N);
      grads[`b${l}`] = columnSums(dh, H);
      break;
    }
    // dW = xᵀ·dout and dx = dout·Wᵀ, the very products of affineBackward, independent of each other:
    // a backend with threads runs them at once (each is too small to be split over threads).
    const dW = allocate(dtypeOf(dh), layer.inputDim * H);
    const dprev = workspace.matrix(`dh${l - 1}`, layer.inputDim).data;
    matmulPairInto(
      { out: dW, a: layer.input, b: dh, m: layer.inputDim, n: H, k: N, transA: true, transB: false },
      { out: dprev, a: dh, b: p[`W${l}`].data, m: N, n: layer.inputDim, k: H, transA: false, transB: true },
    );
    grads[`W${l}`] = new Tensor(dW, [layer.inputDim, H]);
    grads[`b${l}`] = columnSums(dh, H);
    dh = dprev;
  }
  return { grads, activationGradNorms };
}

/** dW = xᵀ·dout [D, M] as a new tensor, with the very matmul affineBackward makes. */
function weightGradient(x: TypedArray, dout: TypedArray, D: number, M: number, N: number): Tensor {
  const dW = allocate(dtypeOf(x), D * M);
  matmulInto(dW, x, dout, D, M, N, true, false);
  return new Tensor(dW, [D, M]);
}

/** db = Σₙ dout [M] as a new tensor. */
function columnSums(dout: TypedArray, M: number): Tensor {
  const db = allocate(dtypeOf(dout), M);
  loops().columnSums(db, dout);
  return new Tensor(db, [M]);
}
