// Times workload W for one dtype, for W.bench.ts, in a process of its own: V8 specializes a loop for the
// typed array it meets, and a process that ran float64 first then runs float32 kernels polymorphic
// (measured: up to 20% slower steps), which no single-dtype training process pays. Not a suite itself.
// Usage: w-measure.ts DTYPE BATCHES(comma list) ROUNDS NUMPY(0|1). Prints one JSON row per contender on
// stdout and progress lines on stderr.
import {
  type Backend,
  type DType,
  getBackend,
  nativeBackend,
  setBackend,
  typescriptBackend,
  wasmAvailable,
  wasmBackend,
} from '@backprop-lab/tensor';
import { timeMedian } from '../../../scripts/bench-types.js';
import { numpyStepMs } from './w-processes.js';
import { makeStep, paramsHash, type WConfig } from './w-workload.js';

const STEPS = 15;
const WARMUP = 3;

type Row = Record<string, string | number | boolean>;
type Config = Omit<WConfig, 'implementation'>;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

interface Backends {
  fastest: Backend;
  typescript: Backend;
  /** The default's kernel on one thread: threads change the time and not the bits. */
  singleThread: Backend | null;
  /** The WebAssembly backend, when the default is the native one: what runs where no compiler is. */
  wasm: Backend | null;
}

function findBackends(): Backends {
  const fastest = getBackend();
  let singleThread: Backend | null = null;
  let wasm: Backend | null = null;
  if (fastest.name.startsWith('native-')) {
    singleThread = nativeBackend({ threads: 1 });
    if (wasmAvailable()) wasm = wasmBackend();
  } else if (fastest.name.startsWith('wasm-')) {
    singleThread = wasmBackend({ threads: 1 });
  }
  return { fastest, typescript: typescriptBackend, singleThread, wasm };
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
    if (backends.wasm) list.push([backends.wasm, 'fused']);
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

/** Field prefix of a non-default contender: typescript, layers (readable composition), oneThread or wasm. */
function variantLabel(contender: Contender, backends: Backends): string {
  if (contender.implementation === 'layers') return 'layers';
  if (contender.backend === backends.singleThread) return 'oneThread';
  if (contender.backend === backends.wasm) return 'wasm';
  return contender.backend === backends.typescript ? 'typescript' : contender.backend.name;
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

const [dtype, batchList, rounds, withNumpy] = process.argv.slice(2);
const backends = findBackends();
for (const batch of batchList.split(',').map(Number)) {
  for (const batchnorm of [false, true]) {
    const config: Config = { dtype: dtype as DType, batch, batchnorm };
    const { contenders, numpyMs, numpyNoDx1Ms } = measure(
      config,
      Number(rounds),
      withNumpy === '1',
      backends,
    );
    // One row per configuration (the default path: fastest backend, fused); the other contenders become
    // prefixed fields of that row, so `--json` prints one object per configuration.
    const [main, ...others] = contenders;
    const row = rowOf(config, main, numpyMs, numpyNoDx1Ms);
    for (const contender of others) {
      const variant = rowOf(config, contender, numpyMs, Number.NaN);
      const label = variantLabel(contender, backends);
      row[`${label}MsPerStep`] = variant.msPerStep;
      if (variant.ratio !== undefined) row[`${label}Ratio`] = variant.ratio;
      row[`${label}ParamsHash`] = variant.paramsHash;
    }
    process.stdout.write(`${JSON.stringify(row)}\n`);
    for (const contender of contenders) {
      const line = rowOf(config, contender, numpyMs, Number.NaN);
      process.stderr.write(
        `${dtype} N=${batch} ${batchnorm ? 'bn   ' : 'no bn'} ${line.backend} ${line.implementation}: ` +
          `${line.msPerStep} ms/step, ${line.samplesPerSec} samples/s` +
          (line.ratio !== undefined ? `; numpy ${line.numpyMsPerStep} ms, ratio ${line.ratio}` : '') +
          '\n',
      );
    }
  }
}
// The wasm backend's worker threads would otherwise keep the process alive.
process.exit(0);
