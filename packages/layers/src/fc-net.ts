/**
 * A fully connected net of L layers, as CS231n's FullyConnectedNet. Shapes: N batch, D inputDim,
 * H hidden sizes, C numClasses.
 *   {affine - [batchnorm|layernorm] - relu - [dropout]} × (L − 1) - affine - softmax
 * Parameters W1..WL [H_{l−1}, H_l], b1..bL [H_l], gamma1..gamma(L−1) and beta1..beta(L−1) [H_l].
 */
import {
  createRng,
  formatShape,
  ones,
  type Rng,
  randn,
  ShapeError,
  Tensor,
  zeros,
} from '@backprop-lab/tensor';
import { type AffineCache, affineBackward, affineForward } from './affine.js';
import type { BatchnormParam } from './batchnorm.js';
import { type DropoutCache, dropoutBackward, dropoutForward } from './dropout.js';
import { type FullyConnectedNetOptions, type ResolvedOptions, resolveOptions } from './fc-net-options.js';
import { type LayerStats, layerStats } from './fc-net-stats.js';
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
import { expectKnownKeys, expectTensor, type Mode } from './validate.js';

export interface LossOptions {
  /** Also return per-hidden-layer statistics (activations after ReLU, gradient norms). */
  collectStats?: boolean;
}

export interface LossResult {
  /** Data loss + 0.5·reg·ΣW². */
  loss: number;
  /** One gradient per parameter name, each of that parameter's shape. */
  grads: Record<string, Tensor>;
  /** [N, C] train-mode scores of this batch (batch statistics, dropout on). */
  scores: Tensor;
  /** Present when collectStats is set: one entry per hidden layer. */
  stats?: LayerStats[];
}

/** What one hidden layer keeps for backward. */
interface HiddenRecord {
  sandwich: { norm: false; cache: AffineReluCache } | { norm: true; cache: AffineNormReluCache };
  dropout: DropoutCache | null;
  /** [N, H] after ReLU, before dropout (for statistics). */
  activation: Tensor;
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
      const W = randn([dims[l - 1], dims[l]], rng, dtype);
      for (let i = 0; i < W.size; i++) W.data[i] *= weightScale;
      this.setParam(`W${l}`, W);
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
    if (y === undefined) return this.forward(X, 'test').scores;
    expectKnownKeys('FullyConnectedNet.loss', 'options', options, ['collectStats']);

    const pass = this.forward(X, 'train');
    const { loss: dataLoss, dx: dscores } = softmaxLoss(pass.scores, y);
    const { grads, activationGrads } = this.backward(dscores, pass.hidden, pass.output);

    let loss = dataLoss;
    const { reg } = this.options;
    for (let l = 1; l <= this.numLayers; l++) {
      const W = this.params[`W${l}`];
      const dW = grads[`W${l}`];
      let squares = 0;
      for (let i = 0; i < W.size; i++) {
        squares += W.data[i] * W.data[i];
        dW.data[i] += reg * W.data[i];
      }
      loss += 0.5 * reg * squares;
    }
    const result: LossResult = { loss, grads, scores: pass.scores };
    if (options.collectStats) {
      result.stats = pass.hidden.map((record, i) =>
        layerStats(i + 1, record.activation, grads[`W${i + 1}`], activationGrads[i]),
      );
    }
    return result;
  }

  private forward(X: Tensor, mode: Mode) {
    const { normalization, dropoutKeepRatio, dropoutSeed } = this.options;
    const p = this.params;
    // A fixed dropoutSeed restarts the masks every pass; otherwise the net's own stream moves on.
    const masks = dropoutSeed === undefined ? this.dropoutRng : createRng(dropoutSeed);
    const hidden: HiddenRecord[] = [];
    let h = X;
    for (let l = 1; l < this.numLayers; l++) {
      let sandwich: HiddenRecord['sandwich'];
      let activation: Tensor;
      if (normalization === 'none') {
        const { out, cache } = affineReluForward(h, p[`W${l}`], p[`b${l}`]);
        [activation, sandwich] = [out, { norm: false, cache }];
      } else {
        const norm =
          normalization === 'batchnorm'
            ? { kind: 'batchnorm' as const, param: Object.assign(this.bnParams[l - 1], { mode }) }
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
        ({ out: h, cache: dropout } = dropoutForward(activation, { p: dropoutKeepRatio, mode, rng: masks }));
      }
      hidden.push({ sandwich, dropout, activation });
    }
    const L = this.numLayers;
    const { out: scores, cache: output } = affineForward(h, p[`W${L}`], p[`b${L}`]);
    return { scores, hidden, output };
  }

  private backward(dscores: Tensor, hidden: HiddenRecord[], output: AffineCache) {
    const L = this.numLayers;
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
