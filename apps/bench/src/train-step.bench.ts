// `pnpm bench --only train-step`: where the time of the default `pnpm train` run goes, per step, for the
// deep net of the study (hidden [100]×5, D = 3072, batch 50, float64): one training step (forward +
// backward; then the Adam update of every parameter) and one accuracy check over 1000 rows (test-mode
// forward), for each normalization. A default run does 200 steps and 11 checks of train + val (22 × 1000
// rows) per run, 6 runs on the worker pool; the last column estimates one run from these figures.
import { FullyConnectedNet, type Normalization } from '@backprop-lab/layers';
import { type AdamConfig, adamInPlace } from '@backprop-lab/optim';
import { argmax, createRng, gatherRows, randn, sliceRows } from '@backprop-lab/tensor';
import { type BenchSuite, timeMedian } from '../../../scripts/bench-types.js';

const D = 3072;
const BATCH = 50;
const ROWS = 1000;

const suite: BenchSuite = {
  name: 'train-step',
  description: 'per-step cost of the default pnpm train run (hidden [100]×5, batch 50, float64)',
  async run({ log }) {
    const rng = createRng(1);
    const X = randn([ROWS, D], rng);
    for (let i = 0; i < X.size; i++) X.data[i] *= 60; // pixel-scale inputs after mean subtraction
    const y = Int32Array.from({ length: ROWS }, (_, i) => i % 10);
    const rows = Int32Array.from({ length: BATCH }, (_, i) => i);
    const batch = gatherRows(X, rows);
    const labels = y.slice(0, BATCH);
    const results: Record<string, string | number | boolean>[] = [];
    for (const normalization of ['none', 'batchnorm', 'layernorm'] as Normalization[]) {
      const net = new FullyConnectedNet({
        hiddenDims: [100, 100, 100, 100, 100],
        normalization,
        weightScale: 2e-2,
        seed: 1,
      });
      const configs: Record<string, Partial<AdamConfig>> = {};
      const lossMs = timeMedian(() => net.loss(batch, labels), 15, 3);
      const { grads } = net.loss(batch, labels);
      const updateMs = timeMedian(
        () => {
          for (const [name, w] of Object.entries(net.params)) {
            configs[name] = adamInPlace(w, grads[name], { learningRate: 1e-3, ...configs[name] }).config;
          }
        },
        15,
        3,
      );
      const checkMs = timeMedian(
        () => {
          for (let start = 0; start < ROWS; start += 500)
            argmax(net.loss(sliceRows(X, start, start + 500)), { axis: 1 });
        },
        5,
        1,
      );
      const runMs = 200 * (lossMs + updateMs) + 22 * checkMs;
      log(
        `${normalization}: step ${(lossMs + updateMs).toFixed(1)} ms, check of 1000 rows ${checkMs.toFixed(0)} ms`,
      );
      results.push({
        normalization,
        'forward+backward ms': Number(lossMs.toFixed(2)),
        'adam update ms': Number(updateMs.toFixed(2)),
        'accuracy check (1000 rows) ms': Number(checkMs.toFixed(1)),
        'one run ≈ s': Number((runMs / 1000).toFixed(2)),
      });
    }
    return results;
  },
};

export default suite;
