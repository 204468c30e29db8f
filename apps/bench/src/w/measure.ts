// Times workload W for one dtype, for W.bench.ts, in a process of its own: V8 specializes a loop for the
// typed array it meets, and a process that ran float64 first then runs float32 kernels polymorphic
// (measured: up to 20% slower steps), which no single-dtype training process pays. Not a suite itself.
// Usage: measure.ts DTYPE BATCHES(comma list) ROUNDS NUMPY(0|1). Prints one JSON row per configuration on
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
import { timeMedian } from '../../../../scripts/bench-types.js';
import { beforeFields, beforeSummary } from './before.js';
import { numpyStepMs } from './processes.js';
import { makeStep, paramsHash, type WConfig } from './workload.js';

const STEPS = 15;
const WARMUP = 3;

type Row = Record<string, string | number | boolean>;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

type Label = '' | 'typescript' | 'oneThread' | 'wasm';

/** A backend a step is timed on; each but the default becomes a field prefix of the row. */
interface Contender {
  /** '' for the default backend (the row's own figures), else the prefix of its fields. */
  label: Label;
  backend: Backend;
  step: () => number;
  net: ReturnType<typeof makeStep>['net'];
  bestMs: number;
}

/**
 * The default backend (every core) and the TypeScript kernel at every batch; at batch 200 only, the
 * default's kernel on one thread (threads change the time, not the bits) and the WebAssembly backend when
 * the default is native (what runs where no C compiler was at install). Made once: each has its own pool.
 */
function findBackends(): { label: Label; backend: Backend; everyBatch: boolean }[] {
  const fastest = getBackend();
  const list = [{ label: '' as Label, backend: fastest, everyBatch: true }];
  if (typescriptBackend !== fastest)
    list.push({ label: 'typescript', backend: typescriptBackend, everyBatch: true });
  if (fastest.name.startsWith('native-')) {
    list.push({ label: 'oneThread', backend: nativeBackend({ threads: 1 }), everyBatch: false });
    if (wasmAvailable()) list.push({ label: 'wasm', backend: wasmBackend(), everyBatch: false });
  } else if (fastest.name.startsWith('wasm-')) {
    list.push({ label: 'oneThread', backend: wasmBackend({ threads: 1 }), everyBatch: false });
  }
  return list;
}

const backends = findBackends();

/** One configuration: numpy and each contender in turn, `rounds` times; the best median of each. */
function measure(config: WConfig, rounds: number, withNumpy: boolean) {
  const fastest = getBackend();
  const wanted = backends.filter(({ everyBatch }) => everyBatch || config.batch === 200);
  const contenders: Contender[] = wanted.map(({ label, backend }) => ({
    label,
    backend,
    ...makeStep(config),
    bestMs: Number.POSITIVE_INFINITY,
  }));
  let numpyMs = withNumpy ? Number.POSITIVE_INFINITY : Number.NaN;
  for (let r = 0; r < rounds; r++) {
    if (withNumpy) numpyMs = Math.min(numpyMs, numpyStepMs(config, STEPS, WARMUP));
    for (const contender of contenders) {
      setBackend(contender.backend);
      contender.bestMs = Math.min(contender.bestMs, timeMedian(contender.step, STEPS, WARMUP));
    }
    setBackend(fastest);
  }
  return { contenders, numpyMs };
}

/**
 * One row per configuration: the default backend's figures, then each other backend's as prefixed fields
 * (so `--json` prints one object per configuration), then the fused net's figures before the redesign.
 */
function rowOf(config: WConfig, contenders: Contender[], numpyMs: number): Row {
  const [main, ...others] = contenders;
  const row: Row = {
    ...config,
    backend: main.backend.name,
    msPerStep: round(main.bestMs),
    samplesPerSec: Math.round((config.batch / main.bestMs) * 1000),
    // Equal hashes, equal parameters after the same steps: run to run, and across backends in float64.
    paramsHash: paramsHash(main.net),
  };
  if (!Number.isNaN(numpyMs)) {
    row.numpyMsPerStep = round(numpyMs);
    row.ratio = round(main.bestMs / numpyMs);
  }
  for (const { label, bestMs, net } of others) {
    row[`${label}MsPerStep`] = round(bestMs);
    if (!Number.isNaN(numpyMs)) row[`${label}Ratio`] = round(bestMs / numpyMs);
    row[`${label}ParamsHash`] = paramsHash(net);
  }
  return { ...row, ...beforeFields(config) };
}

function progressLine(config: WConfig, contender: Contender, numpyMs: number): string {
  const ms = contender.bestMs;
  return (
    `${config.dtype} N=${config.batch} ${config.batchnorm ? 'bn   ' : 'no bn'} ${contender.backend.name}: ` +
    `${round(ms)} ms/step, ${Math.round((config.batch / ms) * 1000)} samples/s` +
    (Number.isNaN(numpyMs) ? '' : `; numpy ${round(numpyMs)} ms, ratio ${round(ms / numpyMs)}`)
  );
}

const [dtype, batchList, rounds, withNumpy] = process.argv.slice(2);
for (const batch of batchList.split(',').map(Number)) {
  for (const batchnorm of [false, true]) {
    const config: WConfig = { dtype: dtype as DType, batch, batchnorm };
    const { contenders, numpyMs } = measure(config, Number(rounds), withNumpy === '1');
    process.stdout.write(`${JSON.stringify(rowOf(config, contenders, numpyMs))}\n`);
    for (const contender of contenders) process.stderr.write(`${progressLine(config, contender, numpyMs)}\n`);
    const before = beforeSummary(config);
    if (before) process.stderr.write(`  before (fused net): ${before}\n`);
  }
}
// The wasm backend's worker threads would otherwise keep the process alive.
process.exit(0);
