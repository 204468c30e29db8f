/** Sweep summaries: per normalization and swept value, best accuracies and final loss over seeds. */
import type { Norm } from '../config.js';
import { stat } from './stats.js';
import type { RunResult, Sweep, SweepParameter, SweepPoint } from './types.js';

export const SWEEP_LABELS: Record<SweepParameter, string> = {
  weightScale: 'weight scale',
  batchSize: 'batch size',
  lr: 'learning rate',
};

export function summarizeSweep(
  runs: readonly RunResult[],
  parameter: SweepParameter,
  norms: readonly Norm[],
): Sweep {
  const points: SweepPoint[] = [];
  for (const norm of norms) {
    const values = [...new Set(runs.filter((run) => run.norm === norm).map((run) => run.sweepValue!))];
    for (const value of values.sort((a, b) => a - b)) {
      const mine = runs.filter((run) => run.norm === norm && run.sweepValue === value);
      const done = mine.filter((run) => run.status === 'completed');
      points.push({
        norm,
        value,
        runs: mine.length,
        diverged: mine.length - done.length,
        bestValAcc: stat(mine.map((run) => run.bestValAcc)),
        bestTrainAcc: stat(mine.map((run) => run.bestTrainAcc)),
        finalLoss: stat(done.map((run) => run.finalLoss!)),
      });
    }
  }
  return { parameter, label: SWEEP_LABELS[parameter], points };
}

/**
 * The swept values at which a normalization's mean best validation accuracy is within `tolerance` of its
 * own peak: the "good range" the conclusion quotes (wide for batchnorm, narrow without). A point where
 * any run diverged is neither the peak nor in the range, however well it did before blowing up. The
 * values need not be contiguous in the sweep: `grid` lists all of the normalization's points to tell.
 */
export function goodRange(
  sweep: Sweep,
  norm: Norm,
  tolerance = 0.05,
): { peak: SweepPoint; values: number[]; grid: number[] } | null {
  const grid = sweep.points.filter((point) => point.norm === norm).map((point) => point.value);
  const points = sweep.points.filter(
    (point) => point.norm === norm && point.bestValAcc.mean !== null && point.diverged === 0,
  );
  if (points.length === 0) return null;
  const peak = points.reduce((best, point) =>
    point.bestValAcc.mean! > best.bestValAcc.mean! ? point : best,
  );
  const values = points
    .filter((point) => point.bestValAcc.mean! >= peak.bestValAcc.mean! - tolerance)
    .map((point) => point.value);
  return { peak, values, grid };
}
