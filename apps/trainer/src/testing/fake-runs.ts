/**
 * Synthetic RunResults with known shapes (batchnorm converges faster) for testing the comparison, the
 * report and the renderers without training anything. Deterministic: a seeded RNG, never Math.random.
 */
import { createRng } from '@backprop-lab/tensor';
import type { Histogram, HistogramStage, RunResult } from '../analysis/types.js';
import type { Norm } from '../config.js';
import { HISTOGRAM_BINS } from '../experiment/diagnostics.js';

export interface FakeRunOptions {
  norm: Norm;
  seed: number;
  index?: number;
  epochs?: number;
  iterationsPerEpoch?: number;
  /** Loss decay rate per iteration; larger converges faster. */
  rate?: number;
  layers?: number;
  diverged?: boolean;
  sweepValue?: number | null;
  weightScale?: number;
  batchSize?: number;
  lr?: number;
}

const RATES: Record<Norm, number> = { none: 0.01, batchnorm: 0.04, layernorm: 0.03 };

export function fakeRun(options: FakeRunOptions): RunResult {
  const { norm, seed, epochs = 4, iterationsPerEpoch = 10, layers = 3 } = options;
  const rate = options.rate ?? RATES[norm];
  const rng = createRng(seed * 31 + norm.length);
  const numIterations = epochs * iterationsPerEpoch;
  const floor = norm === 'none' ? 1.2 : 0.5;
  let lossHistory = Array.from(
    { length: numIterations },
    (_, t) => floor + (2.3 - floor) * Math.exp(-rate * t) + 0.05 * (rng.uniform() - 0.5),
  );
  const divergedAt = options.diverged ? Math.floor(numIterations / 2) : null;
  if (divergedAt !== null) lossHistory = [...lossHistory.slice(0, divergedAt), Number.NaN];
  const epochsRun = divergedAt === null ? epochs : Math.floor(divergedAt / iterationsPerEpoch);
  const accIterations = Array.from({ length: epochsRun + 1 }, (_, e) => e * iterationsPerEpoch);
  const accAt = (t: number, top: number) => 0.1 + (top - 0.1) * (1 - Math.exp(-rate * t));
  const trainAccHistory = accIterations.map((t) => accAt(t, norm === 'none' ? 0.5 : 0.8));
  const valAccHistory = accIterations.map(
    (t) => accAt(t, norm === 'none' ? 0.25 : 0.32) + 0.01 * rng.uniform(),
  );
  const statIterations = Array.from({ length: Math.ceil(lossHistory.length / 5) }, (_, i) => i * 5);
  const series = (base: number, decay: number) =>
    statIterations.map((t) => base * Math.exp(-decay * t) + 0.01);
  const lastEpoch = lossHistory.slice(-iterationsPerEpoch);
  return {
    id: `${norm}-s${seed}`,
    index: options.index ?? 0,
    norm,
    seed,
    hidden: Array.from({ length: layers }, () => 20),
    weightScale: options.weightScale ?? 2e-2,
    batchSize: options.batchSize ?? 50,
    lr: options.lr ?? 1e-3,
    sweepValue: options.sweepValue ?? null,
    status: divergedAt === null ? 'completed' : 'diverged',
    divergedAt,
    iterationsPerEpoch,
    numIterations,
    lossHistory,
    accIterations,
    trainAccHistory,
    valAccHistory,
    bestValAcc: Math.max(...valAccHistory),
    bestTrainAcc: Math.max(...trainAccHistory),
    finalLoss: divergedAt === null ? lastEpoch.reduce((a, b) => a + b, 0) / lastEpoch.length : null,
    testAcc: Math.max(...valAccHistory) - 0.01,
    finalTestAcc: divergedAt === null ? valAccHistory[valAccHistory.length - 1] - 0.015 : null,
    layerStats: {
      iterations: statIterations,
      layers: Array.from({ length: layers }, (_, l) => {
        const shrink = norm === 'none' ? 0.3 ** (l + 1) : 0.6;
        return {
          layer: l + 1,
          actMean: series(shrink * 0.4, 0.001),
          actStd: series(shrink, 0.002),
          gradNorm: series(norm === 'none' ? 0.001 * (l + 1) : 0.1, 0.01),
          actGradNorm: series(norm === 'none' ? 0.002 * (l + 1) : 0.05, 0.01),
          deadFraction: statIterations.map((t) => (norm === 'none' ? 0.05 * l + t / 1000 : 0)),
        };
      }),
      weights: Array.from({ length: layers + 1 }, (_, l) => ({
        name: `W${l + 1}`,
        gradRatio: series(norm === 'none' ? 0.01 / (l + 1) : 0.2, 0.01),
        updateRatio: statIterations.map((t) => (norm === 'none' ? -4 - 0.3 * l : -2.8) - t / 400),
      })),
      histogramBins: { ...HISTOGRAM_BINS },
      histograms: (['start', 'middle', 'end'] as HistogramStage[])
        .map((stage, i) => ({
          stage,
          iteration: statIterations[Math.round((i * (statIterations.length - 1)) / 2)],
        }))
        .filter((entry) => divergedAt === null || entry.iteration < divergedAt)
        .map(({ stage, iteration }) => ({
          stage,
          iteration,
          layers: Array.from({ length: layers }, (_, l) => {
            const center = norm === 'none' ? -1 - l : -0.3;
            return { layer: l + 1, activation: bell(center, 0.5), gradient: bell(center - 2, 0.3) };
          }),
        })),
    },
    bnGap:
      norm === 'batchnorm'
        ? {
            rows: 250,
            batchSize: options.batchSize ?? 50,
            iterations: accIterations,
            batchStats: { loss: accIterations.map((t) => 2 * Math.exp(-rate * t) + 0.4), acc: valAccHistory },
            runningStats: {
              loss: accIterations.map((t) => 2.2 * Math.exp(-rate * t) + 0.45),
              acc: valAccHistory.map((acc) => acc - 0.02),
            },
          }
        : null,
  };
}

/** A Gaussian bump over the log10 bins at `center`, holding `1 − zero` of the entries. */
function bell(center: number, zero: number): Histogram {
  const { log10Min, log10Max, binWidth } = HISTOGRAM_BINS;
  const bins = (log10Max - log10Min) / binWidth;
  const raw = Array.from({ length: bins }, (_, b) =>
    Math.exp(-(((log10Min + (b + 0.5) * binWidth - center) / 0.5) ** 2)),
  );
  const total = raw.reduce((a, b) => a + b, 0);
  return { zero, counts: raw.map((value) => ((1 - zero) * value) / total) };
}

/** Runs for a compare experiment: every norm × every seed, indexed in plan order. */
export function fakeCompareRuns(norms: Norm[] = ['none', 'batchnorm'], seeds = [1, 2, 3]): RunResult[] {
  const runs: RunResult[] = [];
  for (const seed of seeds) for (const norm of norms) runs.push(fakeRun({ norm, seed, index: runs.length }));
  return runs;
}
