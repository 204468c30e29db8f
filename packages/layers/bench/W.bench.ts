// `pnpm bench --only W`: workload W (w-workload.ts) in ms/step and samples/s, float64 and float32,
// batch 50, 200 and 1000, with and without batchnorm, on every matmul backend this runtime has, and the
// same W in numpy (scripts/bench-reference/workload_w.py) in the same run when python3 has numpy:
// ratio = ours / numpy. At batch 200 it also times the readable implementation ('layers'), numpy without
// the first layer's dx (which ours never computes), and the peak RSS of each side in a process of its
// own. The machine is shared, so each configuration alternates numpy and ours W_ROUNDS times (default
// 3) and keeps each side's best median. W_BATCHES=200 (a comma list) narrows the batches.
// Figures are printed, never asserted.
import { type Backend, getBackend, setBackend, typescriptBackend } from '@backprop-lab/tensor';
import { type BenchSuite, timeMedian } from '../../../scripts/bench-types.js';
import { numpyInfo, numpyRss, numpyStepMs, oursRss, rssRunnerLabel } from './w-processes.js';
import { makeStep, paramsHash, type WConfig } from './w-workload.js';

const STEPS = 15;
const WARMUP = 3;

type Row = Record<string, string | number | boolean>;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

function backendsToRun(): Backend[] {
  const fastest = getBackend();
  return fastest.name === typescriptBackend.name ? [fastest] : [fastest, typescriptBackend];
}

interface Contender {
  backend: Backend;
  implementation: WConfig['implementation'];
  step: () => number;
  net: ReturnType<typeof makeStep>['net'];
  bestMs: number;
}

/** One configuration: numpy and each of our contenders in turn, `rounds` times; best median each. */
function measure(
  config: Omit<WConfig, 'implementation'>,
  rounds: number,
  withNumpy: boolean,
  original: Backend,
) {
  const contenders: Contender[] = [];
  for (const backend of backendsToRun()) {
    for (const implementation of config.batch === 200
      ? (['fused', 'layers'] as const)
      : (['fused'] as const)) {
      if (implementation === 'layers' && backend !== original) continue;
      contenders.push({
        backend,
        implementation,
        ...makeStep({ ...config, implementation }),
        bestMs: Infinity,
      });
    }
  }
  let numpyMs = withNumpy ? Infinity : Number.NaN;
  let numpyNoDx1Ms = withNumpy && config.batch === 200 ? Infinity : Number.NaN;
  for (let r = 0; r < rounds; r++) {
    if (withNumpy) numpyMs = Math.min(numpyMs, numpyStepMs(config, STEPS, WARMUP, false));
    if (!Number.isNaN(numpyNoDx1Ms))
      numpyNoDx1Ms = Math.min(numpyNoDx1Ms, numpyStepMs(config, STEPS, WARMUP, true));
    for (const contender of contenders) {
      setBackend(contender.backend);
      contender.bestMs = Math.min(contender.bestMs, timeMedian(contender.step, STEPS, WARMUP));
    }
    setBackend(original);
  }
  return { contenders, numpyMs, numpyNoDx1Ms };
}

const suite: BenchSuite = {
  name: 'W',
  description:
    'FC net 3072→100×5→10 (ReLU, optional batchnorm, softmax, L2, Adam): ms/step vs numpy (ratio = ours/numpy)',
  async run({ log }) {
    const batches = (process.env.W_BATCHES ?? '50,200,1000').split(',').map(Number);
    const rounds = Number(process.env.W_ROUNDS ?? 3);
    const info = numpyInfo();
    if (info.label) log(`reference: ${info.label}`);
    else log(`reference: numpy not run (${info.error}): ratios left out`);
    const rows: Row[] = [];
    const original = getBackend();
    for (const dtype of ['float64', 'float32'] as const) {
      for (const batch of batches) {
        for (const batchnorm of [false, true]) {
          const config = { dtype, batch, batchnorm };
          const { contenders, numpyMs, numpyNoDx1Ms } = measure(
            config,
            rounds,
            info.label !== null,
            original,
          );
          for (const { backend, implementation, net, bestMs: ms } of contenders) {
            const row: Row = {
              dtype,
              batch,
              batchnorm,
              backend: backend.name,
              implementation,
              msPerStep: round(ms),
              samplesPerSec: Math.round((batch / ms) * 1000),
              // Equal hashes, equal parameters after the same steps: run to run, and across backends in float64.
              paramsHash: paramsHash(net),
            };
            if (!Number.isNaN(numpyMs)) {
              row.numpyMsPerStep = round(numpyMs);
              row.ratio = round(ms / numpyMs);
            }
            if (!Number.isNaN(numpyNoDx1Ms)) row.numpyNoDx1MsPerStep = round(numpyNoDx1Ms);
            rows.push(row);
            log(
              `${dtype} N=${batch} ${batchnorm ? 'bn   ' : 'no bn'} ${backend.name} ${implementation}: ${ms.toFixed(2)} ms/step, ${row.samplesPerSec} samples/s` +
                (row.ratio !== undefined ? `; numpy ${numpyMs.toFixed(2)} ms, ratio ${row.ratio}` : ''),
            );
          }
        }
      }
    }
    if (batches.includes(200)) measureRss(rows, info.label !== null, log);
    if (info.label) for (const row of rows) row.numpy = info.label;
    return rows;
  },
};

/** Peak RSS at batch 200, ours (fused, each backend) and numpy's, each in a process of its own. */
function measureRss(rows: Row[], withNumpy: boolean, log: (line: string) => void): void {
  for (const row of rows) {
    if (row.batch !== 200 || row.implementation !== 'fused') continue;
    const config: WConfig = {
      dtype: row.dtype as WConfig['dtype'],
      batch: 200,
      batchnorm: row.batchnorm as boolean,
      implementation: 'fused',
    };
    const ours = oursRss(config, row.backend === typescriptBackend.name ? 'typescript' : '');
    if (ours) {
      row.peakRssMiB = round(ours.peakRssMiB, 1);
      row.baselineRssMiB = round(ours.baselineRssMiB, 1);
      row.rssRunner = rssRunnerLabel();
    }
    const numpy = withNumpy ? numpyRss(config) : null;
    if (numpy) {
      row.numpyPeakRssMiB = round(numpy.peakRssMiB, 1);
      row.numpyBaselineRssMiB = round(numpy.baselineRssMiB, 1);
      if (ours) row.rssRatio = round(ours.peakRssMiB / numpy.peakRssMiB);
    }
    log(
      `peak RSS ${config.dtype} N=200 ${config.batchnorm ? 'bn   ' : 'no bn'} ${row.backend}: ours ${row.peakRssMiB ?? '?'} MiB (runtime alone ${row.baselineRssMiB ?? '?'})` +
        (numpy
          ? `, numpy ${row.numpyPeakRssMiB} MiB (${row.numpyBaselineRssMiB}), ratio ${row.rssRatio ?? '?'}`
          : ''),
    );
  }
}

export default suite;
