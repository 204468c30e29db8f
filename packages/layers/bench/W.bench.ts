// `pnpm bench --only W`: workload W (w-workload.ts) in ms/step and samples/s, float64 and float32,
// batch 50, 200 and 1000, with and without batchnorm, on the default matmul backend and the TypeScript
// one, and the same W in numpy (scripts/bench-reference/workload_w.py) in the same run when python3 has
// numpy: ratio = ours / numpy. At batch 200 it also times the readable implementation ('layers'), the
// wasm kernel on one thread, numpy without the first layer's dx (which ours never computes), and the
// peak RSS of each side in a process of its own. The machine may be shared, so each configuration
// alternates numpy and ours W_ROUNDS times (default 3) and keeps each side's best median.
// W_BATCHES=200 (a comma list) narrows the batches. Figures are printed, never asserted.
import { type Backend, getBackend, setBackend, typescriptBackend } from '@backprop-lab/tensor';
import { type BenchSuite, timeMedian } from '../../../scripts/bench-types.js';
import { numpyInfo, numpyRss, numpyStepMs, oursRss, rssRunnerLabel } from './w-processes.js';
import { makeStep, paramsHash, type WConfig } from './w-workload.js';

const STEPS = 15;
const WARMUP = 3;

type Row = Record<string, string | number | boolean>;
type Config = Omit<WConfig, 'implementation'>;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

interface Backends {
  fastest: Backend;
  typescript: Backend;
  /** The wasm kernel on one thread, when the default runs it on more. */
  singleThread: Backend | null;
}

/**
 * tensor exports no single-thread wasm backend (yet), so it comes from the kernel's own module when that
 * exists: it shows that threads change the time and not the bits.
 */
async function findBackends(): Promise<Backends> {
  const fastest = getBackend();
  let singleThread: Backend | null = null;
  try {
    const wasm = await import('../../tensor/src/kernels/wasm/wasm-backend.js');
    if (wasm.wasmAvailable() && fastest.name.startsWith('wasm-'))
      singleThread = wasm.wasmBackend({ threads: 1 });
  } catch {}
  return { fastest, typescript: typescriptBackend, singleThread };
}

interface Contender {
  backend: Backend;
  implementation: WConfig['implementation'];
  step: () => number;
  net: ReturnType<typeof makeStep>['net'];
  bestMs: number;
}

function contendersFor(config: Config, backends: Backends): Contender[] {
  const list: [Backend, WConfig['implementation']][] = [[backends.fastest, 'fused']];
  if (backends.typescript !== backends.fastest) list.push([backends.typescript, 'fused']);
  if (config.batch === 200) {
    list.push([backends.fastest, 'layers']);
    if (backends.singleThread) list.push([backends.singleThread, 'fused']);
  }
  return list.map(([backend, implementation]) => ({
    backend,
    implementation,
    ...makeStep({ ...config, implementation }),
    bestMs: Number.POSITIVE_INFINITY,
  }));
}

/** One configuration: numpy and each contender in turn, `rounds` times; the best median of each. */
function measure(config: Config, rounds: number, withNumpy: boolean, backends: Backends) {
  const contenders = contendersFor(config, backends);
  let numpyMs = withNumpy ? Number.POSITIVE_INFINITY : Number.NaN;
  let numpyNoDx1Ms = withNumpy && config.batch === 200 ? Number.POSITIVE_INFINITY : Number.NaN;
  for (let r = 0; r < rounds; r++) {
    if (withNumpy) numpyMs = Math.min(numpyMs, numpyStepMs(config, STEPS, WARMUP, false));
    if (!Number.isNaN(numpyNoDx1Ms)) {
      numpyNoDx1Ms = Math.min(numpyNoDx1Ms, numpyStepMs(config, STEPS, WARMUP, true));
    }
    for (const contender of contenders) {
      setBackend(contender.backend);
      contender.bestMs = Math.min(contender.bestMs, timeMedian(contender.step, STEPS, WARMUP));
    }
    setBackend(backends.fastest);
  }
  return { contenders, numpyMs, numpyNoDx1Ms };
}

function rowOf(config: Config, contender: Contender, numpyMs: number, numpyNoDx1Ms: number): Row {
  const { backend, implementation, net, bestMs: ms } = contender;
  const row: Row = {
    ...config,
    backend: backend.name,
    implementation,
    msPerStep: round(ms),
    samplesPerSec: Math.round((config.batch / ms) * 1000),
    // Equal hashes, equal parameters after the same steps: run to run, and across backends in float64.
    paramsHash: paramsHash(net),
  };
  if (!Number.isNaN(numpyMs)) {
    row.numpyMsPerStep = round(numpyMs);
    row.ratio = round(ms / numpyMs);
  }
  if (!Number.isNaN(numpyNoDx1Ms)) row.numpyNoDx1MsPerStep = round(numpyNoDx1Ms);
  return row;
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
    const backends = await findBackends();
    const rows: Row[] = [];
    for (const dtype of ['float64', 'float32'] as const) {
      for (const batch of batches) {
        for (const batchnorm of [false, true]) {
          const config = { dtype, batch, batchnorm };
          const { contenders, numpyMs, numpyNoDx1Ms } = measure(
            config,
            rounds,
            info.label !== null,
            backends,
          );
          for (const contender of contenders) {
            const row = rowOf(config, contender, numpyMs, numpyNoDx1Ms);
            rows.push(row);
            log(
              `${dtype} N=${batch} ${batchnorm ? 'bn   ' : 'no bn'} ${row.backend} ${row.implementation}: ` +
                `${row.msPerStep} ms/step, ${row.samplesPerSec} samples/s` +
                (row.ratio !== undefined ? `; numpy ${row.numpyMsPerStep} ms, ratio ${row.ratio}` : ''),
            );
          }
        }
      }
    }
    if (batches.includes(200)) measureRss(rows, info.label !== null, backends, log);
    if (info.label) for (const row of rows) row.numpy = info.label;
    return rows;
  },
};

/** Peak RSS at batch 200, ours (fused; default and TypeScript backends) and numpy's, each in its own process. */
function measureRss(rows: Row[], withNumpy: boolean, backends: Backends, log: (line: string) => void): void {
  const measured = [backends.fastest.name, backends.typescript.name];
  for (const row of rows) {
    if (row.batch !== 200 || row.implementation !== 'fused' || !measured.includes(String(row.backend)))
      continue;
    const config: WConfig = {
      dtype: row.dtype as WConfig['dtype'],
      batch: 200,
      batchnorm: row.batchnorm as boolean,
      implementation: 'fused',
    };
    const ours = oursRss(config, row.backend === backends.typescript.name ? 'typescript' : '');
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
      `peak RSS ${config.dtype} N=200 ${config.batchnorm ? 'bn   ' : 'no bn'} ${row.backend}: ours ${row.peakRssMiB ?? '?'} MiB ` +
        `(runtime alone ${row.baselineRssMiB ?? '?'})` +
        (numpy
          ? `, numpy ${row.numpyPeakRssMiB} MiB (${row.numpyBaselineRssMiB}), ratio ${row.rssRatio ?? '?'}`
          : ''),
    );
  }
}

export default suite;
