// Workload W before the one-net redesign (issue 11): the fused net of round 3, the default then, copied
// from docs/performance.md so that a run of today's net prints them beside its own figures. Measured on a
// 2-core AMD EPYC (Zen 4) virtual machine, native backend on 2 threads, against workload_w.py as it was
// then (before its speed fix: its numpy figures are slower than today's reference gives on the same machine).
// Batch 200: the table "Batch 200, the goal's configurations" (W_ROUNDS=5, 2026-11-24 22:29), which also
// has the other backends and the readable 'layers' implementation; batches 50 and 1000: "Every batch size"
// (22:26, 3 rounds).
import type { WConfig } from './workload.js';

interface Before {
  msPerStep: number;
  numpyMsPerStep: number;
  ratio: number;
  /** Batch 200 only: the same fused net on one thread, the wasm and TypeScript backends, and 'layers'. */
  oneThreadMsPerStep?: number;
  wasmMsPerStep?: number;
  typescriptMsPerStep?: number;
  readableMsPerStep?: number;
}

const key = ({ dtype, batch, batchnorm }: WConfig) => `${dtype} ${batch} ${batchnorm ? 'bn' : 'no bn'}`;

// biome-ignore format: one configuration a line reads as the table it comes from
const BEFORE: Record<string, Before> = {
  'float64 50 no bn':   { msPerStep: 3.38, numpyMsPerStep: 5.17, ratio: 0.65 },
  'float64 50 bn':      { msPerStep: 3.36, numpyMsPerStep: 6.29, ratio: 0.53 },
  'float64 200 no bn':  { msPerStep: 6.39, numpyMsPerStep: 8.79, ratio: 0.73, oneThreadMsPerStep: 8.33, readableMsPerStep: 8.34, wasmMsPerStep: 12.4, typescriptMsPerStep: 74.13 },
  'float64 200 bn':     { msPerStep: 6.25, numpyMsPerStep: 13.86, ratio: 0.45, oneThreadMsPerStep: 9.39, readableMsPerStep: 12.03, wasmMsPerStep: 18.04, typescriptMsPerStep: 76.6 },
  'float64 1000 no bn': { msPerStep: 24.03, numpyMsPerStep: 36.33, ratio: 0.66 },
  'float64 1000 bn':    { msPerStep: 25.95, numpyMsPerStep: 43.59, ratio: 0.6 },
  'float32 50 no bn':   { msPerStep: 2.1, numpyMsPerStep: 3.13, ratio: 0.67 },
  'float32 50 bn':      { msPerStep: 3.75, numpyMsPerStep: 3.5, ratio: 1.07 },
  'float32 200 no bn':  { msPerStep: 3.72, numpyMsPerStep: 4.98, ratio: 0.75, oneThreadMsPerStep: 5.1, readableMsPerStep: 6.27, wasmMsPerStep: 7.62, typescriptMsPerStep: 74.86 },
  'float32 200 bn':     { msPerStep: 4.33, numpyMsPerStep: 5.89, ratio: 0.74, oneThreadMsPerStep: 5.29, readableMsPerStep: 8.06, wasmMsPerStep: 9.39, typescriptMsPerStep: 75.88 },
  'float32 1000 no bn': { msPerStep: 15.24, numpyMsPerStep: 18.29, ratio: 0.83 },
  'float32 1000 bn':    { msPerStep: 15.33, numpyMsPerStep: 23.01, ratio: 0.67 },
};

/** The fused net's figures for this configuration, if it was measured. */
export function beforeOf(config: WConfig): Before | undefined {
  return BEFORE[key(config)];
}

/** Row fields: each figure of `Before` as before<Name>, e.g. beforeMsPerStep, beforeWasmMsPerStep. */
export function beforeFields(config: WConfig): Record<string, number> {
  const before = beforeOf(config);
  if (!before) return {};
  return Object.fromEntries(
    Object.entries(before).map(([name, value]) => [`before${name[0].toUpperCase()}${name.slice(1)}`, value]),
  );
}

/** One line for humans: the fused net's ms/step, numpy's then and the ratio. */
export function beforeSummary(config: WConfig): string | undefined {
  const before = beforeOf(config);
  if (!before) return undefined;
  const others = [
    ['1 thread', before.oneThreadMsPerStep],
    ['wasm', before.wasmMsPerStep],
    ['TypeScript', before.typescriptMsPerStep],
    ["readable 'layers'", before.readableMsPerStep],
  ].filter(([, ms]) => ms !== undefined);
  return (
    `${before.msPerStep} ms/step; numpy then ${before.numpyMsPerStep} ms, ratio ${before.ratio}` +
    (others.length ? ` (${others.map(([name, ms]) => `${name} ${ms}`).join(', ')})` : '')
  );
}
