/**
 * A fully connected net of L layers, as CS231n's FullyConnectedNet. Shapes: N batch, D inputDim,
 * H hidden sizes, C numClasses.
 *   {affine - [batchnorm|layernorm] - relu - [dropout]} × (L − 1) - affine - softmax
 * Parameters W1..WL [H_{l−1}, H_l], b1..bL [H_l], gamma1..gamma(L−1) and beta1..beta(L−1) [H_l].
 * loss() composes the layer functions of options.layers (a LayerSet; default: the package's own).
 */
import {
  addScaledInPlace,
  createRng,
  formatShape,
  mul,
  ones,
  type Rng,
  randn,
  ShapeError,
  Tensor,
  vdot,
  zeros,
} from '@backprop-lab/tensor';
import type { BatchnormParam } from './batchnorm.js';
import { layersScores, layersTrainPass, type NetContext, type TrainPass } from './fc-net-layers.js';
import { type FullyConnectedNetOptions, type ResolvedOptions, resolveOptions } from './fc-net-options.js';
import { type LayerStats, layerStats } from './fc-net-stats.js';
import type { Labels } from './labels.js';
import { expectKnownKeys, expectTensor } from './validate.js';

export interface LossOptions {
  /** Also return per-hidden-layer statistics (activations after ReLU, gradient norms). */
  collectStats?: boolean;
}

export interface LossResult {
  /** Data loss + 0.5·reg·ΣW². */
  loss: number;
  /** One gradient per parameter name, each of that parameter's shape (new tensors every call). */
  grads: Record<string, Tensor>;
  /** [N, C] train-mode scores of this batch (batch statistics, dropout on). */
  scores: Tensor;
  /** Present when collectStats is set: one entry per hidden layer. */
  stats?: LayerStats[];
}

export class FullyConnectedNet {
  readonly options: ResolvedOptions;
  /** L: hidden layers + the output affine. */
  readonly numLayers: number;
  /** W1..WL, b1..bL, gamma1.., beta1..: callers may read and replace them (same shapes and dtype). */
  params: Record<string, Tensor> = {};
  /** One per hidden layer when normalization is 'batchnorm' (running statistics live here), else empty. */
  readonly bnParams: BatchnormParam[] = [];
  /** Advances each train-mode pass unless options.dropoutSeed fixes the masks. */
  private readonly dropoutRng: Rng;
  private readonly expectedShapes = new Map<string, number[]>();

  constructor(options: FullyConnectedNetOptions) {
    this.options = resolveOptions(options);
    const { hiddenDims, inputDim, numClasses, normalization, weightScale, dtype, seed } = this.options;
    const dims = [inputDim, ...hiddenDims, numClasses];
    this.numLayers = hiddenDims.length + 1;
    const rng = createRng(seed);
    for (let l = 1; l <= this.numLayers; l++) {
      this.setParam(`W${l}`, mul(randn([dims[l - 1], dims[l]], rng, dtype), weightScale));
      this.setParam(`b${l}`, zeros([dims[l]], dtype));
      if (l < this.numLayers && normalization !== 'none') {
        this.setParam(`gamma${l}`, ones([dims[l]], dtype));
        this.setParam(`beta${l}`, zeros([dims[l]], dtype));
        if (normalization === 'batchnorm') this.bnParams.push({ mode: 'train' });
      }
    }
    this.dropoutRng = rng;
  }

  /** Class scores [N, C] in test mode: running statistics for batchnorm, no dropout. X [N, D] or [N, d1..dk]. */
  loss(X: Tensor): Tensor;
  /** Train mode: loss and one gradient per parameter. X [N, D], y [N]. */
  loss(X: Tensor, y: Labels, options?: LossOptions): LossResult;
  loss(X: Tensor, y?: Labels, options: LossOptions = {}): Tensor | LossResult {
    this.checkInput(X);
    this.checkParams();
    const net = this.context();
    if (y !== undefined && this.options.normalization === 'batchnorm' && X.shape[0] < 2) {
      throw new ShapeError(
        `FullyConnectedNet.loss: batchnormForward of hidden layer 1: train mode needs at least 2 samples, got X of shape ${formatShape(X.shape)} (the batch variance of one sample is 0 by construction)`,
      );
    }
    if (y === undefined) return layersScores(net, X);
    expectKnownKeys('FullyConnectedNet.loss', 'options', options, ['collectStats']);
    const pass = layersTrainPass(net, X, y);
    const { loss, grads } = this.regularized(pass);
    const result: LossResult = { loss, grads, scores: pass.scores };
    if (options.collectStats) {
      result.stats = pass.activations.map((activation, i) =>
        layerStats(i + 1, activation, pass.activationGrads[i], grads[`W${i + 1}`]),
      );
    }
    return result;
  }

  /** The L2 term on the W's: loss = data loss + 0.5·reg·ΣW², dW = its data gradient + reg·W. */
  private regularized(pass: TrainPass): { loss: number; grads: Record<string, Tensor> } {
    const { reg } = this.options;
    const grads = { ...pass.grads };
    let loss = pass.dataLoss;
    // Even at reg 0 the term is added: 0·ΣW² is NaN once ΣW² overflows, which marks a run whose weights
    // blew up as diverged (the Solver stops on a non-finite loss) instead of letting it limp on.
    for (let l = 1; l <= this.numLayers; l++) {
      const W = this.params[`W${l}`];
      loss += 0.5 * reg * vdot(W, W).item(); // ΣW² as the inner product ⟨W, W⟩: one pass, no array of squares
      addScaledInPlace(grads[`W${l}`], W, reg); // dW += reg·W, as CS231n's `grads[W] += reg * W`
    }
    return { loss, grads };
  }

  /** What a pass reads; a fixed dropoutSeed restarts the masks every pass, else the net's stream moves on. */
  private context(): NetContext {
    const { dropoutSeed } = this.options;
    const masks = dropoutSeed === undefined ? this.dropoutRng : createRng(dropoutSeed);
    const { options, numLayers, params, bnParams } = this;
    return { options, numLayers, params, bnParams, masks };
  }

  private setParam(name: string, value: Tensor): void {
    this.params[name] = value;
    this.expectedShapes.set(name, [...value.shape]);
  }

  private checkInput(X: Tensor): void {
    const op = 'FullyConnectedNet.loss';
    expectTensor(op, 'X', X);
    const perSample = X.rank >= 2 && X.shape[0] > 0 ? X.size / X.shape[0] : Number.NaN;
    if (X.rank < 2 || (X.shape[0] > 0 && perSample !== this.options.inputDim)) {
      throw new ShapeError(
        `${op}: X has shape ${formatShape(X.shape)} but the net expects [N, ${this.options.inputDim}] (inputDim ${this.options.inputDim})`,
      );
    }
    if (X.dtype !== this.options.dtype) {
      throw new ShapeError(
        `${op}: X is ${X.dtype} but the net's parameters are ${this.options.dtype} (convert with astype)`,
      );
    }
  }

  /** Callers may replace params; a wrong shape, dtype or name is caught here, not deep in a matmul. */
  private checkParams(): void {
    const op = 'FullyConnectedNet.loss';
    for (const name of Object.keys(this.params)) {
      if (!this.expectedShapes.has(name)) {
        throw new TypeError(
          `${op}: params has unknown key '${name}' (known: ${[...this.expectedShapes.keys()].join(', ')})`,
        );
      }
    }
    for (const [name, shape] of this.expectedShapes) {
      const value = this.params[name];
      if (!(value instanceof Tensor))
        throw new TypeError(`${op}: params.${name} must be a Tensor, got ${typeof value}`);
      if (value.rank !== shape.length || value.shape.some((d, i) => d !== shape[i])) {
        throw new ShapeError(
          `${op}: params.${name} has shape ${formatShape(value.shape)} but the net needs ${formatShape(shape)}`,
        );
      }
      if (value.dtype !== this.options.dtype) {
        throw new ShapeError(`${op}: params.${name} is ${value.dtype} but the net is ${this.options.dtype}`);
      }
    }
  }
}
