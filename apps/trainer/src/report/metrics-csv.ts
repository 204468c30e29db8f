/**
 * metrics.csv in long format, one measurement a row: run, seed, step, metric, value.
 * `step` is the iteration (0-based for loss and layer statistics; iterations completed for accuracies).
 */
import type { RunResult } from '../experiment/types.js';

export const METRICS_HEADER = 'run,seed,step,metric,value';

export function metricsCsv(runs: readonly RunResult[]): string {
  const lines = [METRICS_HEADER];
  const row = (run: RunResult, step: number, metric: string, value: number): void => {
    // String() gives the shortest text that reads back as the same double.
    lines.push(`${run.id},${run.seed},${step},${metric},${String(value)}`);
  };
  for (const run of runs) {
    run.lossHistory.forEach((loss, step) => {
      row(run, step, 'loss', loss);
    });
    run.accIterations.forEach((step, i) => {
      row(run, step, 'train_acc', run.trainAccHistory[i]);
      row(run, step, 'val_acc', run.valAccHistory[i]);
    });
    const { iterations, layers } = run.layerStats;
    for (const series of layers) {
      const prefix = `layer${series.layer}`;
      iterations.forEach((step, i) => {
        row(run, step, `${prefix}_act_mean`, series.actMean[i]);
        row(run, step, `${prefix}_act_std`, series.actStd[i]);
        row(run, step, `${prefix}_grad_norm`, series.gradNorm[i]);
        row(run, step, `${prefix}_act_grad_norm`, series.actGradNorm[i]);
      });
    }
  }
  return `${lines.join('\n')}\n`;
}
