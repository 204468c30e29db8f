/**
 * What a careful practitioner watches while a net trains, sampled every statsEvery-th iteration (and at
 * the last): per hidden layer the activation and upstream-gradient statistics and the fraction of dead
 * units; per weight matrix ‖dW‖/‖W‖ and the update:data ratio log10(‖ΔW‖/‖W‖); and histograms of
 * activations and gradients at the start, middle and end of training (Karpathy, "makemore part 3").
 * Shapes: N batch, H a hidden layer's width.
 */
import type { FullyConnectedNet, LossResult, LayerStats as NetLayerStats } from '@backprop-lab/layers';
import type { Model } from '@backprop-lab/optim';
import type { Tensor } from '@backprop-lab/tensor';
import type { Histogram, HistogramStage, LayerStats } from '../analysis/types.js';

/**
 * Histogram bins over log10|x|: activations and gradients span many orders of magnitude across layers
 * and normalizations, so linear bins would put a vanishing layer into one bar. Values outside the range
 * fall into the first or last bin; exact zeros (ReLU's off units) are counted apart.
 */
export const HISTOGRAM_BINS = { log10Min: -10, log10Max: 4, binWidth: 0.25 } as const;
const BIN_COUNT = (HISTOGRAM_BINS.log10Max - HISTOGRAM_BINS.log10Min) / HISTOGRAM_BINS.binWidth;

/** Fractions of all N·H entries: `zero` exact zeros, `counts[b]` nonzero |x| with log10|x| in bin b. */
export function histogram(values: ArrayLike<number>): Histogram {
  const counts = new Array<number>(BIN_COUNT).fill(0);
  let zero = 0;
  for (let i = 0; i < values.length; i++) {
    const magnitude = Math.abs(values[i]);
    if (magnitude === 0) {
      zero++;
      continue;
    }
    if (!Number.isFinite(magnitude)) continue;
    const bin = Math.floor((Math.log10(magnitude) - HISTOGRAM_BINS.log10Min) / HISTOGRAM_BINS.binWidth);
    counts[Math.min(BIN_COUNT - 1, Math.max(0, bin))]++;
  }
  const total = Math.max(values.length, 1);
  return { zero: zero / total, counts: counts.map((count) => count / total) };
}

/** Fraction of the H units of `activation` [N, H] that are 0 for every one of the N rows. */
export function deadFraction(activation: Tensor): number {
  const [N, H] = activation.shape;
  if (H === 0) return 0;
  let dead = 0;
  for (let j = 0; j < H; j++) {
    let alive = false;
    for (let i = 0; i < N && !alive; i++) alive = activation.data[i * H + j] !== 0;
    if (!alive) dead++;
  }
  return dead / H;
}

function norm(values: ArrayLike<number>): number {
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += values[i] * values[i];
  return Math.sqrt(squares);
}

/** ‖a − b‖₂ over two equally long arrays. */
function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let squares = 0;
  for (let i = 0; i < a.length; i++) squares += (a[i] - b[i]) ** 2;
  return Math.sqrt(squares);
}

/** The sampled iterations (0-based) at which histograms are taken: first, middle and last. */
export function histogramIterations(
  statsEvery: number,
  numIterations: number,
): Record<HistogramStage, number> {
  const last = numIterations - 1;
  // Snapped onto the statsEvery grid, so the middle histogram sits on a point of the other series.
  const middle = Math.min(last, Math.round(last / 2 / statsEvery) * statsEvery);
  return { start: 0, middle, end: last };
}

export interface Diagnostics {
  /** The Solver's model: the net, with statistics collected on sampled training passes. */
  model: Model;
  stats: LayerStats;
  /** Call from the Solver's onProgress (after the iteration's update): completes the update ratios. */
  afterStep(iteration: number, updated: boolean): void;
}

/**
 * Wraps the net so every sampled training pass also records its diagnostics. params and bnParams are
 * the net's own, so the Solver's in-place updates and its best-model restore reach the net.
 */
export function withDiagnostics(
  net: FullyConnectedNet,
  statsEvery: number,
  numIterations: number,
): Diagnostics {
  const weightNames = Array.from({ length: net.numLayers }, (_, i) => `W${i + 1}`);
  const stages = histogramIterations(statsEvery, numIterations);
  const stats: LayerStats = {
    iterations: [],
    layers: net.options.hiddenDims.map((_, i) => ({
      layer: i + 1,
      actMean: [],
      actStd: [],
      gradNorm: [],
      actGradNorm: [],
      deadFraction: [],
    })),
    weights: weightNames.map((name) => ({ name, gradRatio: [], updateRatio: [] })),
    histogramBins: { ...HISTOGRAM_BINS },
    histograms: [],
  };
  // Weights before the sampled iteration's update, compared after it in afterStep.
  let before: Tensor[] | null = null;
  let iteration = 0;

  function record(out: LossResult, layerStats: NetLayerStats[]): void {
    stats.iterations.push(iteration);
    for (const entry of layerStats) {
      const series = stats.layers[entry.layer - 1];
      series.actMean.push(entry.activationMean);
      series.actStd.push(entry.activationStd);
      series.gradNorm.push(entry.gradNorm);
      series.actGradNorm.push(entry.activationGradNorm);
      series.deadFraction.push(deadFraction(entry.activation));
    }
    weightNames.forEach((name, i) => {
      const W = net.params[name].data;
      stats.weights[i].gradRatio.push(norm(out.grads[name].data) / norm(W));
    });
    before = weightNames.map((name) => net.params[name].clone());
    const stage = (Object.keys(stages) as HistogramStage[]).find((key) => stages[key] === iteration);
    if (stage !== undefined) {
      stats.histograms.push({
        stage,
        iteration,
        layers: layerStats.map((entry) => ({
          layer: entry.layer,
          activation: histogram(entry.activation.data),
          gradient: histogram(entry.activationGrad.data),
        })),
      });
    }
  }

  function loss(X: Tensor): Tensor;
  function loss(X: Tensor, y: Int32Array): LossResult;
  function loss(X: Tensor, y?: Int32Array): Tensor | LossResult {
    if (y === undefined) return net.loss(X);
    const sample =
      iteration % statsEvery === 0 || iteration === numIterations - 1 || iteration === stages.middle;
    const out = net.loss(X, y, sample ? { collectStats: true } : {});
    if (sample && out.stats) record(out, out.stats);
    iteration++;
    return out;
  }

  function afterStep(done: number, updated: boolean): void {
    // `done` iterations are complete; the pending snapshot belongs to iteration done − 1 (0-based).
    if (before === null || stats.iterations.at(-1) !== done - 1) return;
    const snapshot = before;
    before = null;
    weightNames.forEach((name, i) => {
      const ratio = distance(net.params[name].data, snapshot[i].data) / norm(snapshot[i].data);
      stats.weights[i].updateRatio.push(updated ? Math.log10(ratio) : null);
    });
  }

  const model: Model = {
    get params() {
      return net.params;
    },
    get bnParams() {
      return net.bnParams;
    },
    loss,
  };
  return { model, stats, afterStep };
}
