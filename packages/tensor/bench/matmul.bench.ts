// `pnpm bench --only matmul`: GFLOP/s of every matmul kernel on the shapes a two-layer net trains with
// (CIFAR-10 minibatch N = 200, D = 3072, H = 100), in float64 and float32, all measured in one run so
// the ratios compare like with like. Figures are printed, never asserted.
import { type BenchSuite, timeMedian } from '../../../scripts/bench-types.js';
import type { MatmulKernel } from '../src/backend.js';
import { randn } from '../src/create.js';
import { DTYPES, type DType, type TypedArray } from '../src/dtype.js';
import { matmulBlocked } from '../src/kernels/matmul-blocked.js';
import { matmulNaive } from '../src/kernels/matmul-naive.js';
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
  { name: 'dW = xᵀ·dout [D,N]ᵀ·[N,H]', m: D, n: H, k: N, transA: true, transB: false },
  { name: 'dx = dout·Wᵀ [N,H]·[D,H]ᵀ', m: N, n: D, k: H, transA: false, transB: true },
];

interface Kernel {
  name: string;
  run: MatmulKernel;
  /** The naive kernel takes ~0.3 s a call here: fewer repeats. */
  repeats: number;
}

function kernels(): Kernel[] {
  const list: Kernel[] = [
    { name: 'naive', run: matmulNaive, repeats: 3 },
    { name: 'blocked (TS)', run: matmulBlocked, repeats: 7 },
  ];
  if (wasmAvailable()) {
    list.push({ name: 'wasm 1 thread', run: wasmBackend({ threads: 1 }).matmul, repeats: 15 });
    const threads = wasmBackend().name;
    if (threads !== 'wasm') list.push({ name: threads, run: wasmBackend().matmul, repeats: 15 });
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
    copyOut(engine, out, ct);
  }, 15);
}

const suite: BenchSuite = {
  name: 'matmul',
  description: 'matmul kernels on the training shapes (N=200, D=3072, H=100): GFLOP/s and ratios',
  async run({ log }) {
    const rows: Record<string, string | number | boolean>[] = [];
    const list = kernels();
    if (!wasmAvailable()) log('WebAssembly SIMD unavailable: wasm kernels skipped');
    for (const dtype of DTYPES as readonly DType[]) {
      for (const shape of SHAPES) {
        const { m, n, k, transA, transB } = shape;
        const rng = createRng(7);
        const a = randn(transA ? [k, m] : [m, k], rng, dtype).data;
        const b = randn(transB ? [n, k] : [k, n], rng, dtype).data;
        const out = dtype === 'float32' ? new Float32Array(m * n) : new Float64Array(m * n);
        const gflops = (ms: number) => (2 * m * n * k) / ms / 1e6;
        const measured = new Map<string, number>();
        for (const kernel of list) {
          const ms = timeMedian(() => kernel.run(a, b, out, m, n, k, transA, transB), kernel.repeats, 2);
          measured.set(kernel.name, ms);
          log(`${dtype} ${shape.name} ${kernel.name}: ${ms.toFixed(2)} ms, ${gflops(ms).toFixed(2)} GFLOP/s`);
        }
        const naive = measured.get('naive')!;
        const blocked = measured.get('blocked (TS)')!;
        const copy = copyMs(a, b, out);
        for (const [kernel, ms] of measured) {
          rows.push({
            dtype,
            shape: shape.name,
            kernel,
            ms: Number(ms.toFixed(3)),
            gflops: Number(gflops(ms).toFixed(2)),
            vsNaive: Number((naive / ms).toFixed(1)),
            vsBlocked: Number((blocked / ms).toFixed(2)),
            // Share of the call spent copying operands in and out (wasm kernels only).
            copyShare: kernel.startsWith('wasm') ? Number((copy / ms).toFixed(3)) : '',
          });
        }
      }
    }
    await shutdownWasmThreads();
    return rows;
  },
};

export default suite;
