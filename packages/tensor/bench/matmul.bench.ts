// `pnpm bench --only matmul`: GFLOP/s of every matmul kernel on the shapes a two-layer net trains with
// (CIFAR-10 minibatch N = 200, D = 3072, H = 100), in float64 and float32, all measured in one run so
// the ratios compare like with like. Figures are printed, never asserted.
import { availableParallelism, loadavg } from 'node:os';
import { type BenchSuite, timeMedian } from '../../../scripts/bench-types.js';
import { randn } from '../src/create.js';
import { DTYPES, type DType, type TypedArray } from '../src/dtype.js';
import { matmulBlocked } from '../src/kernels/matmul-blocked.js';
import { matmulNaive } from '../src/kernels/matmul-naive.js';
import {
  nativeAvailable,
  nativeBackend,
  nativeUnavailableReason,
} from '../src/kernels/native/native-backend.js';
import type { MatmulKernel } from '../src/kernels/types.js';
import { copyIn, copyOut, getEngine } from '../src/kernels/wasm/engine.js';
import { shutdownWasmThreads, wasmAvailable, wasmBackend } from '../src/kernels/wasm/wasm-backend.js';
import { createRng } from '../src/rng.js';

interface Shape {
  /** What the product is in the net's backward/forward pass. */
  name: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

const N = 200;
const D = 3072;
const H = 100;
const SHAPES: Shape[] = [
  { name: 'x·W [N,D]·[D,H]', m: N, n: H, k: D, transA: false, transB: false },
  { name: 'dW = xᵀ·dout [N,D]ᵀ·[N,H]', m: D, n: H, k: N, transA: true, transB: false },
  { name: 'dx = dout·Wᵀ [N,H]·[D,H]ᵀ', m: N, n: D, k: H, transA: false, transB: true },
];

interface Kernel {
  name: string;
  run: MatmulKernel;
  /** The naive kernel takes ~0.2-0.5 s a call here: fewer repeats. */
  repeats: number;
}

function kernels(): Kernel[] {
  const list: Kernel[] = [
    { name: 'naive', run: matmulNaive, repeats: 3 },
    { name: 'blocked (TS)', run: matmulBlocked, repeats: 7 },
  ];
  if (wasmAvailable()) {
    list.push({ name: 'wasm 1 thread', run: wasmBackend({ threads: 1 }).matmul, repeats: 25 });
    const threads = Math.min(2, availableParallelism());
    if (threads > 1) {
      list.push({ name: `wasm ${threads} threads`, run: wasmBackend({ threads }).matmul, repeats: 25 });
    }
  }
  if (nativeAvailable()) {
    list.push({ name: 'native 1 thread', run: nativeBackend({ threads: 1 }).matmul, repeats: 25 });
    const threads = Math.min(8, availableParallelism());
    if (threads > 1) {
      list.push({ name: `native ${threads} threads`, run: nativeBackend({ threads }).matmul, repeats: 25 });
    }
  }
  return list;
}

/** Time to copy A and B into the wasm memory and C out: the cost of tensors living outside it. */
function copyMs(a: TypedArray, b: TypedArray, out: TypedArray): number {
  const engine = getEngine();
  if (!engine) return Number.NaN;
  const size = a.BYTES_PER_ELEMENT;
  const at = 65536;
  const bt = at + a.length * size;
  const ct = bt + b.length * size;
  if (engine.memory.buffer.byteLength < ct + out.length * size) return Number.NaN;
  return timeMedian(() => {
    copyIn(engine, a, at);
    copyIn(engine, b, bt);
    copyOut(engine, out, 0, ct, out.length);
  }, 15);
}

/** Median and best wall time in ms over `repeats` runs after 2 warm-up runs. */
function timeRuns(fn: () => void, repeats: number): { median: number; best: number } {
  let best = Number.POSITIVE_INFINITY;
  const median = timeMedian(
    () => {
      const start = process.hrtime.bigint();
      fn();
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
    },
    repeats,
    2,
  );
  return { median, best };
}

const suite: BenchSuite = {
  name: 'matmul',
  description: 'matmul kernels on the training shapes (N=200, D=3072, H=100): GFLOP/s and ratios',
  async run({ log }) {
    const rows: Record<string, string | number | boolean>[] = [];
    const list = kernels();
    if (!wasmAvailable()) log('WebAssembly SIMD unavailable: wasm kernels skipped');
    if (!nativeAvailable()) log(`native kernels unavailable (${nativeUnavailableReason()}): skipped`);
    // Other processes on the machine slow single runs and, above all, the two-thread kernel: the load
    // average is printed with each figure, and `bestGflops` shows what a quiet run reaches.
    log(`${availableParallelism()} cores, load average ${loadavg()[0].toFixed(2)} at start`);
    for (const dtype of DTYPES as readonly DType[]) {
      for (const shape of SHAPES) {
        const { m, n, k, transA, transB } = shape;
        const rng = createRng(7);
        const a = randn(transA ? [k, m] : [m, k], rng, dtype).data;
        const b = randn(transB ? [n, k] : [k, n], rng, dtype).data;
        const out = dtype === 'float32' ? new Float32Array(m * n) : new Float64Array(m * n);
        const gflops = (ms: number) => Number(((2 * m * n * k) / ms / 1e6).toFixed(2));
        const measured = new Map<string, { median: number; best: number; load: number }>();
        for (const kernel of list) {
          const times = timeRuns(() => kernel.run(a, b, out, m, n, k, transA, transB), kernel.repeats);
          const load = Number(loadavg()[0].toFixed(2));
          measured.set(kernel.name, { ...times, load });
          log(
            `${dtype} ${shape.name} ${kernel.name}: ${times.median.toFixed(2)} ms, ` +
              `${gflops(times.median)} GFLOP/s (best ${gflops(times.best)}), load ${load}`,
          );
        }
        const naive = measured.get('naive')!.median;
        const blocked = measured.get('blocked (TS)')!.median;
        const copy = copyMs(a, b, out);
        for (const [kernel, { median, best, load }] of measured) {
          rows.push({
            dtype,
            shape: shape.name,
            kernel,
            ms: Number(median.toFixed(3)),
            gflops: gflops(median),
            bestGflops: gflops(best),
            vsNaive: Number((naive / median).toFixed(1)),
            vsBlocked: Number((blocked / median).toFixed(2)),
            // Share of the call spent copying operands in and out (wasm kernels only).
            copyShare: kernel.startsWith('wasm') ? Number((copy / median).toFixed(3)) : '',
            load,
          });
        }
      }
    }
    await shutdownWasmThreads();
    return rows;
  },
};

export default suite;
