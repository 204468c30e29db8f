// `pnpm bench --only elementwise`: µs per call (min of many: the machine is shared, the minimum is the
// op's own cost) of the ops a ReLU net's step runs, at its sizes (N = 200, H = 100, D = 3072), float32
// and float64, on the JavaScript loops and the native kernels, and of allocating the output alone (which
// every op pays). Run under `nice -n -20` for steadier figures. Figures are printed, never asserted.
import type { BenchSuite } from '../../../scripts/bench-types.js';
import { setBackend, typescriptBackend } from '../src/backend.js';
import { astype, randn } from '../src/create.js';
import { allocate, type DType } from '../src/dtype.js';
import { add, greater, maximum, mul, square, where } from '../src/elementwise.js';
import { nativeAvailable, nativeBackend } from '../src/kernels/native/native-backend.js';
import type { Backend } from '../src/kernels/types.js';
import { sum, variance } from '../src/reduce.js';
import { createRng } from '../src/rng.js';

/** Minimum over `rounds` of the mean µs of `inner` calls. */
function minTime(fn: () => unknown, rounds = 60, inner = 5): number {
  for (let i = 0; i < 20; i++) fn();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < inner; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e3 / inner);
  }
  return best;
}

function cases(dtype: DType): [string, () => unknown][] {
  const rng = createRng(1);
  const h = astype(randn([200, 100], rng), dtype);
  const d = astype(randn([200, 100], rng), dtype);
  const b = astype(randn([100], rng), dtype);
  const W = astype(randn([3072, 100], rng), dtype);
  return [
    ['[200,100] add h + b', () => add(h, b)],
    ['[200,100] mul h * h', () => mul(h, h)],
    ['[200,100] maximum(h, 0)', () => maximum(h, 0)],
    ['[200,100] where(greater(h, 0), d, 0)', () => where(greater(h, 0), d, 0)],
    ['[200,100] sum(h, 0)', () => sum(h, 0)],
    ['[200,100] variance(h, 0)', () => variance(h, 0)],
    ['[200,100] allocate the output', () => allocate(dtype, 200 * 100)],
    ['[3072,100] mul(W, 1e-3)', () => mul(W, 1e-3)],
    ['[3072,100] square(W)', () => square(W)],
    ['[3072,100] sum(W)', () => sum(W)],
    ['[3072,100] sum(W, 0)', () => sum(W, 0)],
    ['[3072,100] allocate the output', () => allocate(dtype, 3072 * 100)],
  ];
}

const suite: BenchSuite = {
  name: 'elementwise',
  description: 'elementwise ops and reductions of a ReLU net step, JavaScript loops against native kernels',
  async run({ log: print }) {
    const backends: Backend[] = [typescriptBackend];
    if (nativeAvailable()) backends.push(nativeBackend({ threads: 1 }));
    const results: Record<string, string | number | boolean>[] = [];
    // Every case once through first: until V8 has optimized the ops' JavaScript and sized its heap to
    // this allocation rate, the first ops measured ran 3× their steady cost (seen at any per-case warm-up).
    for (const backend of backends) {
      const previous = setBackend(backend);
      for (const dtype of ['float32', 'float64'] as const) {
        for (const [, run] of cases(dtype)) for (let i = 0; i < 200; i++) run();
      }
      setBackend(previous);
    }
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [op, run] of cases(dtype)) {
        const line: string[] = [];
        for (const backend of backends) {
          const previous = setBackend(backend);
          const us = Number(minTime(run).toFixed(1));
          setBackend(previous);
          line.push(`${backend.name} ${us}`);
          results.push({ dtype, op, backend: backend.name, us });
        }
        print(`${dtype} ${op}: ${line.join(', ')} µs`);
      }
    }
    return results;
  },
};

export default suite;
