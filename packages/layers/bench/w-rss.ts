// Peak RSS of training workload W in a process of its own, for W.bench.ts (not a suite itself).
// Usage: w-rss.ts DTYPE BATCH BATCHNORM(0|1) IMPLEMENTATION STEPS; the backend is BACKPROP_LAB_BACKEND's.
// Prints one JSON line: peakRssMiB (the process's maximum resident set), baselineRssMiB (resident set
// after loading the code, before the net and data exist), backend.
import { type DType, getBackend } from '@backprop-lab/tensor';
import type { Implementation } from '../src/index.js';
import { makeStep } from './w-workload.js';

const [dtype, batch, batchnorm, implementation, steps] = process.argv.slice(2);
const baselineRssMiB = process.memoryUsage.rss() / 2 ** 20;
const { step } = makeStep({
  dtype: dtype as DType,
  batch: Number(batch),
  batchnorm: batchnorm === '1',
  implementation: implementation as Implementation,
});
for (let i = 0; i < Number(steps); i++) step();
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ peakRssMiB, baselineRssMiB, backend: getBackend().name })}\n`);
// Worker threads of the wasm backend would otherwise keep the process alive.
process.exit(0);
