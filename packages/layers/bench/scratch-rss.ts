import { getBackend } from '@backprop-lab/tensor';
import { makeStep } from './w-workload.js';

const base = process.memoryUsage.rss() / 2 ** 20;
const { step } = makeStep({
  dtype: 'float64',
  batch: 200,
  batchnorm: false,
  implementation: (process.env.IMPL ?? 'fused') as 'fused',
});
for (let i = 0; i < 20; i++) {
  step();
  if (process.env.GC) (globalThis as any).gc();
  if (i % 5 === 4) {
    const m = process.memoryUsage();
    console.log(
      i,
      (m.rss / 2 ** 20).toFixed(1),
      'heap',
      (m.heapUsed / 2 ** 20).toFixed(1),
      'ext',
      (m.external / 2 ** 20).toFixed(1),
      'ab',
      (m.arrayBuffers / 2 ** 20).toFixed(1),
    );
  }
}
console.log(
  getBackend().name,
  'base',
  base.toFixed(1),
  'peak',
  (process.resourceUsage().maxRSS / 1024).toFixed(1),
);
process.exit(0);
