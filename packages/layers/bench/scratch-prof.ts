import { getBackend, setBackend } from '@backprop-lab/tensor';
import { wasmBackend } from '../../tensor/src/kernels/wasm/wasm-backend.js';
import { makeStep } from './w-workload.js';

if (process.env.PMF) setBackend(wasmBackend({ parallelMinFlops: Number(process.env.PMF) }));
const { step } = makeStep({
  dtype: (process.env.DT ?? 'float64') as 'float64',
  batch: 200,
  batchnorm: process.env.BN === '1',
  implementation: (process.env.IMPL ?? 'fused') as 'fused',
});
for (let i = 0; i < 5; i++) step();
const steps = Number(process.env.STEPS ?? 100);
const f0 = process.resourceUsage().minorPageFault;
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let i = 0; i < steps; i++) step();
const c1 = process.cpuUsage(c0);
const wall = Number(process.hrtime.bigint() - t0) / 1e6 / steps;
console.log('faults/step', (process.resourceUsage().minorPageFault - f0) / steps);
console.log(
  getBackend().name,
  process.env.DT ?? 'float64',
  'bn',
  process.env.BN ?? '0',
  'wall ms/step',
  wall.toFixed(2),
  'cpu ms/step',
  ((c1.user + c1.system) / 1000 / steps).toFixed(2),
);
process.exit(0);
