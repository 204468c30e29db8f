// Batchnorm backward: the graph form (node by node, tensor ops) against the simplified form (one
// expression, plain loops), float64, from the same train-mode cache. Figures are printed, never asserted.
// A third column runs the graph form's nodes as plain loops, to split the ratio into what the
// algorithm saves (fewer passes over [N, D]) and what the generic broadcasting ops cost.
import { createRng, randn, type Tensor } from '@backprop-lab/tensor';
import type { BenchSuite } from '../../../scripts/bench-types.js';
import { timeMedian } from '../../../scripts/bench-types.js';
import {
  type BatchnormTrainCache,
  batchnormBackward,
  batchnormBackwardAlt,
  batchnormForward,
} from '../src/index.js';

/** The graph form's nodes (same names as batchnorm-backward.ts), each as a loop over typed arrays. */
function graphFormLoops(dout: Tensor, cache: BatchnormTrainCache): Float64Array {
  const [N, D] = dout.shape;
  const { xmu, sqrtvar, ivar, xhat, gamma } = cache;
  const dy = dout.data;
  const dbeta = new Float64Array(D);
  const dgamma = new Float64Array(D);
  const divar = new Float64Array(D);
  const dxhat = new Float64Array(N * D);
  const dxmu1 = new Float64Array(N * D);
  for (let i = 0; i < N * D; i++) {
    const j = i % D;
    dbeta[j] += dy[i];
    dgamma[j] += dy[i] * xhat.data[i];
    dxhat[i] = dy[i] * gamma.data[j];
    divar[j] += dxhat[i] * xmu.data[i];
    dxmu1[i] = dxhat[i] * ivar.data[j];
  }
  const dsq = new Float64Array(D);
  for (let j = 0; j < D; j++) {
    const dsqrtvar = (-1 / (sqrtvar.data[j] * sqrtvar.data[j])) * divar[j];
    const dvariance = (0.5 / sqrtvar.data[j]) * dsqrtvar;
    dsq[j] = dvariance / N;
  }
  const dx1 = new Float64Array(N * D);
  const dmu = new Float64Array(D);
  for (let i = 0; i < N * D; i++) {
    const j = i % D;
    dx1[i] = dxmu1[i] + 2 * xmu.data[i] * dsq[j];
    dmu[j] -= dx1[i];
  }
  const dx = new Float64Array(N * D);
  for (let i = 0; i < N * D; i++) dx[i] = dx1[i] + dmu[i % D] / N;
  return dx;
}

const suite: BenchSuite = {
  name: 'batchnorm',
  description:
    'batchnorm backward, graph form vs simplified form (float64); speedup = graph ms / simplified ms',
  async run({ log }) {
    const rows: Record<string, string | number | boolean>[] = [];
    for (const [N, D] of [
      [100, 500],
      [200, 100],
    ]) {
      const rng = createRng(N * 1000 + D);
      const x = randn([N, D], rng);
      const { cache } = batchnormForward(x, randn([D], rng), randn([D], rng), { mode: 'train' });
      const dout = randn([N, D], rng);
      const repeats = 31;
      if (cache.mode !== 'train') throw new Error('batchnorm bench: expected a train-mode cache');
      const graphMs = timeMedian(() => batchnormBackward(dout, cache), repeats, 5);
      const simplifiedMs = timeMedian(() => batchnormBackwardAlt(dout, cache), repeats, 5);
      const graphLoopsMs = timeMedian(() => graphFormLoops(dout, cache), repeats, 5);
      const reference = batchnormBackwardAlt(dout, cache).dx.data;
      const loopsDx = graphFormLoops(dout, cache);
      const loopsMaxDiff = Math.max(...Array.from(loopsDx, (v, i) => Math.abs(v - reference[i])));
      const speedup = graphMs / simplifiedMs;
      const speedupSameKernels = graphLoopsMs / simplifiedMs;
      log(
        `N=${N} D=${D}: graph ${graphMs.toFixed(3)} ms, simplified ${simplifiedMs.toFixed(3)} ms, ` +
          `speedup ${speedup.toFixed(2)}x; graph as loops ${graphLoopsMs.toFixed(3)} ms ` +
          `(${speedupSameKernels.toFixed(2)}x of simplified, max |dx diff| ${loopsMaxDiff.toExponential(1)})`,
      );
      rows.push({ N, D, graphMs, simplifiedMs, speedup, graphLoopsMs, speedupSameKernels, loopsMaxDiff });
    }
    return rows;
  },
};

export default suite;
