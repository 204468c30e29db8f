/**
 * Batchnorm's train/test gap: the same weights scored on the same validation rows twice, once
 * normalizing each minibatch by its own statistics (train mode, as training sees the net) and once by
 * the running statistics (test mode, as every accuracy in the report sees it). A large gap means the
 * running averages lag the weights, or the batches are too small for their statistics to be stable.
 */
import { type FullyConnectedNet, softmaxLoss } from '@backprop-lab/layers';
import { argmax, sliceRows, type Tensor } from '@backprop-lab/tensor';
import type { BatchnormGap } from '../analysis/types.js';

/** Validation rows used (whole minibatches of the run's batch size): enough to see a gap, cheap to score. */
export const GAP_ROWS = 250;

export interface GapProbe {
  gap: BatchnormGap;
  /** Scores the net as it is now and appends the result at `iteration`. */
  measure(iteration: number): void;
}

/**
 * `net` is the trained net (read only: its running statistics are copied, never touched). `probe` is a
 * second net of the same architecture without dropout: its parameters are replaced by the trained
 * net's, and its own running statistics absorb the train-mode passes, so training is not disturbed.
 */
export function batchnormGap(
  net: FullyConnectedNet,
  probe: FullyConnectedNet,
  val: { X: Tensor; y: Int32Array },
  batchSize: number,
): GapProbe {
  const rows = val.X.shape[0];
  const batch = Math.min(batchSize, rows);
  const used = Math.max(batch, Math.floor(Math.min(GAP_ROWS, rows) / batch) * batch);
  const gap: BatchnormGap = {
    rows: used,
    batchSize: batch,
    iterations: [],
    batchStats: { loss: [], acc: [] },
    runningStats: { loss: [], acc: [] },
  };
  probe.params = net.params;
  // Cut once: the same rows are scored at every check.
  const batches = Array.from({ length: used / batch }, (_, i) => ({
    X: sliceRows(val.X, i * batch, (i + 1) * batch),
    y: val.y.slice(i * batch, (i + 1) * batch),
  }));
  function measure(iteration: number): void {
    probe.bnParams.forEach((layer, i) => {
      layer.runningMean = net.bnParams[i].runningMean;
      layer.runningVar = net.bnParams[i].runningVar;
    });
    const running = { loss: 0, correct: 0 };
    const batchStats = { loss: 0, correct: 0 };
    for (const { X, y } of batches) {
      // Test mode first: the train-mode pass below moves the probe's running statistics.
      add(running, probe.loss(X), y);
      add(batchStats, probe.loss(X, y).scores, y);
    }
    gap.iterations.push(iteration);
    gap.runningStats.loss.push(running.loss / used);
    gap.runningStats.acc.push(running.correct / used);
    gap.batchStats.loss.push(batchStats.loss / used);
    gap.batchStats.acc.push(batchStats.correct / used);
  }
  return { gap, measure };
}

/** Adds a batch's summed softmax loss (no regularization) and correct predictions. */
function add(total: { loss: number; correct: number }, scores: Tensor, y: Int32Array): void {
  total.loss += softmaxLoss(scores, y).loss * y.length;
  const predicted = argmax(scores, { axis: 1 }).data;
  for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) total.correct++;
}
