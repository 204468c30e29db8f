/** Tidy rows for the charts: per normalization, mean ± std over seeds at each x. */

import { normLabel } from '../analysis/format.js';
import { stat } from '../analysis/stats.js';
import type { RunResult, Sweep } from '../analysis/types.js';
import type { Norm } from '../config.js';

export interface BandRow {
  series: string;
  x: number;
  mean: number;
  lo: number;
  hi: number;
}

/** Mean ± std over runs at each index of `pick(run)`, skipping non-finite values (a diverged tail). */
export function bandRows(
  runs: readonly RunResult[],
  norms: readonly Norm[],
  pick: (run: RunResult) => { xs: readonly number[]; ys: readonly number[] },
): BandRow[] {
  const rows: BandRow[] = [];
  for (const norm of norms) {
    const picked = runs.filter((run) => run.norm === norm).map(pick);
    const length = Math.max(0, ...picked.map((entry) => entry.ys.length));
    for (let i = 0; i < length; i++) {
      const values = picked.flatMap((entry) =>
        i < entry.ys.length && Number.isFinite(entry.ys[i]) ? [entry.ys[i]] : [],
      );
      if (values.length === 0) continue;
      const { mean, std } = stat(values);
      const x = picked.find((entry) => i < entry.xs.length)!.xs[i];
      rows.push({ series: normLabel(norm), x, mean: mean!, lo: mean! - std!, hi: mean! + std! });
    }
  }
  return rows;
}

export const lossCurve = (run: RunResult) => ({ xs: run.lossHistory.map((_, i) => i), ys: run.lossHistory });
export const trainAccCurve = (run: RunResult) => ({ xs: run.accIterations, ys: run.trainAccHistory });
export const valAccCurve = (run: RunResult) => ({ xs: run.accIterations, ys: run.valAccHistory });

export interface LayerRow {
  series: string;
  /** A number, so legends and colour ramps order layers numerically (1, 2, ..., 10). */
  layer: number;
  iteration: number;
  value: number;
}

export type LayerMetric = 'actMean' | 'actStd' | 'gradNorm' | 'actGradNorm';

/** Per-layer statistic, mean over seeds, for every sampled iteration. */
export function layerRows(
  runs: readonly RunResult[],
  norms: readonly Norm[],
  metric: LayerMetric,
): LayerRow[] {
  const rows: LayerRow[] = [];
  for (const norm of norms) {
    const mine = runs.filter((run) => run.norm === norm && run.layerStats.layers.length > 0);
    if (mine.length === 0) continue;
    const { iterations, layers } = mine[0].layerStats;
    layers.forEach((series, l) => {
      iterations.forEach((iteration, i) => {
        const values = mine.flatMap((run) => {
          const value = run.layerStats.layers[l]?.[metric][i];
          return value !== undefined && Number.isFinite(value) ? [value] : [];
        });
        if (values.length) {
          rows.push({
            series: normLabel(norm),
            layer: series.layer,
            iteration,
            value: stat(values).mean!,
          });
        }
      });
    });
  }
  return rows;
}

export interface SweepRow {
  series: string;
  x: number;
  mean: number;
  lo: number;
  hi: number;
  diverged: boolean;
}

export function sweepRows(sweep: Sweep, metric: 'bestValAcc' | 'bestTrainAcc' | 'finalLoss'): SweepRow[] {
  return sweep.points.flatMap((point) => {
    const value = point[metric];
    if (value.mean === null) return [];
    return [
      {
        series: normLabel(point.norm),
        x: point.value,
        mean: value.mean,
        lo: value.mean - value.std!,
        hi: value.mean + value.std!,
        diverged: point.diverged > 0,
      },
    ];
  });
}

/** Accuracy per epoch for each (normalization, batch size): the batch-sweep's curves (one seed's mean). */
export function accuracyBySweepValue(
  runs: readonly RunResult[],
  norms: readonly Norm[],
  which: 'train' | 'val',
) {
  const rows: { series: string; group: number; x: number; value: number }[] = [];
  for (const norm of norms) {
    const values = [...new Set(runs.filter((run) => run.norm === norm).map((run) => run.sweepValue!))].sort(
      (a, b) => a - b,
    );
    for (const value of values) {
      const mine = runs.filter((run) => run.norm === norm && run.sweepValue === value);
      for (const row of bandRows(mine, [norm], which === 'train' ? trainAccCurve : valAccCurve)) {
        rows.push({
          series: normLabel(norm),
          group: value,
          x: row.x / mine[0].iterationsPerEpoch,
          value: row.mean,
        });
      }
    }
  }
  return rows;
}
