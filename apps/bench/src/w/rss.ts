// Peak RSS of training workload W in a process of its own, for W.bench.ts (not a suite itself).
// Usage: rss.ts DTYPE BATCH BATCHNORM(0|1) STEPS; the backend is BACKPROP_LAB_BACKEND's.
// Prints one JSON line: peakRssMiB (this process's peak resident set), baselineRssMiB (resident set
// after loading the code, before the net and data exist), backend.
import { readFileSync } from 'node:fs';
import { type DType, getBackend } from '@backprop-lab/tensor';
import { makeStep } from './workload.js';

/**
 * This process image's peak RSS in MiB: VmHWM on Linux. getrusage's maxRSS elsewhere; on Linux it keeps
 * the peak of the process that forked this one (the bench itself, often larger), so it is not used there.
 */
function peakRssMiB(): number {
  try {
    const line = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
    if (line) return Number(line[1]) / 1024;
  } catch {}
  return process.resourceUsage().maxRSS / 1024;
}

const [dtype, batch, batchnorm, steps] = process.argv.slice(2);
const baselineRssMiB = process.memoryUsage.rss() / 2 ** 20;
const { step } = makeStep({
  dtype: dtype as DType,
  batch: Number(batch),
  batchnorm: batchnorm === '1',
});
for (let i = 0; i < Number(steps); i++) step();
const figures = { peakRssMiB: peakRssMiB(), baselineRssMiB, backend: getBackend().name };
process.stdout.write(`${JSON.stringify(figures)}\n`);
// The wasm backend's worker threads would otherwise keep the process alive.
process.exit(0);
