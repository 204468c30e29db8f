/**
 * metrics.csv in long format, one measurement a row: run, seed, step, metric, value.
 * `step` is the iteration (0-based for loss and layer statistics; iterations completed for accuracies).
 * Metric names are listed in docs/report-schema.md.
 */
import type { RunResult } from '../analysis/types.js';

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
    const { iterations, layers, weights, histograms, histogramBins } = run.layerStats;
    for (const series of layers) {
      const prefix = `layer${series.layer}`;
      iterations.forEach((step, i) => {
        row(run, step, `${prefix}_act_mean`, series.actMean[i]);
        row(run, step, `${prefix}_act_std`, series.actStd[i]);
        row(run, step, `${prefix}_grad_norm`, series.gradNorm[i]);
        row(run, step, `${prefix}_act_grad_norm`, series.actGradNorm[i]);
        row(run, step, `${prefix}_dead_frac`, series.deadFraction[i]);
      });
    }
    for (const series of weights) {
      iterations.forEach((step, i) => {
        row(run, step, `${series.name}_grad_ratio`, series.gradRatio[i]);
        const update = series.updateRatio[i];
        if (update !== null && update !== undefined)
          row(run, step, `${series.name}_update_ratio_log10`, update);
      });
    }
    for (const snapshot of histograms) {
      for (const layer of snapshot.layers) {
        for (const which of ['activation', 'gradient'] as const) {
          const prefix = `layer${layer.layer}_${which === 'activation' ? 'act' : 'act_grad'}_hist`;
          row(run, snapshot.iteration, `${prefix}_zero`, layer[which].zero);
          layer[which].counts.forEach((share, b) => {
            // Named by the bin's lower edge in log10|x|; empty bins are left out to keep the file small.
            if (share > 0)
              row(
                run,
                snapshot.iteration,
                `${prefix}_${histogramBins.log10Min + b * histogramBins.binWidth}`,
                share,
              );
          });
        }
      }
    }
    if (run.bnGap) {
      const { iterations: steps, batchStats, runningStats } = run.bnGap;
      steps.forEach((step, i) => {
        row(run, step, 'bn_val_loss_batch_stats', batchStats.loss[i]);
        row(run, step, 'bn_val_acc_batch_stats', batchStats.acc[i]);
        row(run, step, 'bn_val_loss_running_stats', runningStats.loss[i]);
        row(run, step, 'bn_val_acc_running_stats', runningStats.acc[i]);
      });
    }
    if (run.finalTestAcc !== null) row(run, run.numIterations, 'test_acc_last_epoch', run.finalTestAcc);
    // The best model is the one of the accuracy check with the best validation accuracy: its step.
    const best = run.accIterations[run.valAccHistory.indexOf(run.bestValAcc)];
    if (run.testAcc !== null && best !== undefined) row(run, best, 'test_acc_best_model', run.testAcc);
  }
  return `${lines.join('\n')}\n`;
}
