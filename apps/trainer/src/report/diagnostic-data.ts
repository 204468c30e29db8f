/** Tidy rows for the diagnostics charts: per normalization, means over seeds. */

import { normLabel } from '../analysis/format.js';
import { stat } from '../analysis/stats.js';
import type { HistogramStage, RunResult } from '../analysis/types.js';
import type { Norm } from '../config.js';

export interface HistogramRow {
  series: string;
  stage: string;
  /** 1-based hidden layer, a number so legends and colour ramps order it numerically. */
  layer: number;
  /** Bin centre, log10|x|. */
  x: number;
  /** Fraction of the minibatch's entries in the bin, mean over seeds. */
  value: number;
}

export const STAGES: readonly HistogramStage[] = ['start', 'middle', 'end'];

/** Histograms of activations or gradients, one line per (normalization, stage, hidden layer). */
export function histogramRows(
  runs: readonly RunResult[],
  norms: readonly Norm[],
  which: 'activation' | 'gradient',
): HistogramRow[] {
  const rows: HistogramRow[] = [];
  for (const norm of norms) {
    const mine = runs.filter((run) => run.norm === norm);
    for (const stage of STAGES) {
      const snapshots = mine.flatMap((run) => {
        const snapshot = run.layerStats.histograms.find((entry) => entry.stage === stage);
        return snapshot ? [{ snapshot, bins: run.layerStats.histogramBins }] : [];
      });
      if (snapshots.length === 0) continue;
      const { bins } = snapshots[0];
      for (const [l, layer] of snapshots[0].snapshot.layers.entries()) {
        layer[which].counts.forEach((_, b) => {
          const values = snapshots.map(({ snapshot }) => snapshot.layers[l][which].counts[b]);
          rows.push({
            series: normLabel(norm),
            stage,
            layer: layer.layer,
            x: bins.log10Min + (b + 0.5) * bins.binWidth,
            value: stat(values).mean!,
          });
        });
      }
    }
  }
  // Only the span of bins that hold anything (plus one empty bin each side), so the shapes fill the plot.
  const held = rows.filter((row) => row.value > 0).map((row) => row.x);
  if (held.length === 0) return [];
  const [lo, hi] = [Math.min(...held) - 0.5, Math.max(...held) + 0.5];
  return rows.filter((row) => row.x >= lo && row.x <= hi);
}

export interface SeriesRow {
  series: string;
  /** Hidden layer (1-based) or weight matrix index (W1 → 1): numeric, ordered numerically. */
  layer: number;
  iteration: number;
  value: number;
}

/** A per-layer or per-weight series (`pick` gives it per run), mean over seeds at each sampled iteration. */
export function seriesRows(
  runs: readonly RunResult[],
  norms: readonly Norm[],
  pick: (run: RunResult) => readonly { layer: number; values: readonly (number | null)[] }[],
): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (const norm of norms) {
    const mine = runs.filter((run) => run.norm === norm);
    if (mine.length === 0) continue;
    const longest = mine.reduce((a, b) =>
      b.layerStats.iterations.length > a.layerStats.iterations.length ? b : a,
    );
    for (const [l, { layer }] of pick(longest).entries()) {
      longest.layerStats.iterations.forEach((iteration, i) => {
        const values = mine.flatMap((run) => {
          const value = pick(run)[l]?.values[i];
          return value !== undefined && value !== null && Number.isFinite(value) ? [value] : [];
        });
        if (values.length)
          rows.push({ series: normLabel(norm), layer, iteration, value: stat(values).mean! });
      });
    }
  }
  return rows;
}

export const deadSeries = (run: RunResult) =>
  run.layerStats.layers.map((series) => ({ layer: series.layer, values: series.deadFraction }));
export const updateRatioSeries = (run: RunResult) =>
  run.layerStats.weights.map((series, i) => ({ layer: i + 1, values: series.updateRatio }));
export const gradRatioSeries = (run: RunResult) =>
  run.layerStats.weights.map((series, i) => ({ layer: i + 1, values: series.gradRatio }));

export interface GapRow {
  metric: string;
  statistics: string;
  x: number;
  value: number;
}

/** Batchnorm's validation loss and accuracy with batch vs running statistics, mean over seeds. */
export function gapRows(runs: readonly RunResult[]): GapRow[] {
  const gaps = runs.flatMap((run) => (run.bnGap ? [run.bnGap] : []));
  if (gaps.length === 0) return [];
  const longest = gaps.reduce((a, b) => (b.iterations.length > a.iterations.length ? b : a));
  const rows: GapRow[] = [];
  for (const metric of ['loss', 'acc'] as const) {
    for (const statistics of ['batchStats', 'runningStats'] as const) {
      longest.iterations.forEach((x, i) => {
        const values = gaps.flatMap((gap) => {
          const value = gap[statistics][metric][i];
          return value !== undefined && Number.isFinite(value) ? [value] : [];
        });
        if (values.length === 0) return;
        rows.push({
          metric: metric === 'loss' ? 'validation loss' : 'validation accuracy',
          statistics: statistics === 'batchStats' ? 'batch statistics' : 'running statistics',
          x,
          value: stat(values).mean!,
        });
      });
    }
  }
  return rows;
}
