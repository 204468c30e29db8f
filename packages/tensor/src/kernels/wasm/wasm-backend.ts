import { threadHost } from '#wasm-host';
import type { TypedArray } from '../../dtype.js';
import { matmulBlocked } from '../matmul-blocked.js';
import type { Backend, MatmulProblem } from '../types.js';
import { type Block, splitBlocks } from './blocks.js';
import {
  copyColumnsIn,
  copyIn,
  copyOut,
  DATA_START,
  type Engine,
  ensureCapacity,
  getEngine,
  type KernelArgs,
  type KernelEntry,
  type Layout,
  layoutFor,
  MEMORY_BUDGET,
  wasmSimdSupported,
} from './engine.js';
import { type Job, OP_F32, OP_F64, WorkerPool } from './pool.js';

export { splitBlocks } from './blocks.js';

export interface WasmBackendOptions {
  /**
   * Threads that share one matmul, the calling thread included; 1 uses no workers. Default: min(2, cores),
   * and 1 in a browser page that is not cross-origin isolated (see host-browser.ts).
   */
  threads?: number;
  /** Matmuls of fewer floating-point operations (2·M·N·K) than this run on the calling thread alone. */
  parallelMinFlops?: number;
  /**
   * Bytes of WebAssembly memory one product may use (default 256 MiB) before it is computed a chunk of
   * rows at a time; the memory never shrinks, so this bounds what a large evaluation leaves behind.
   */
  memoryBudget?: number;
}

/**
 * Below this many flops a matmul stays on the calling thread. A round trip to an idle worker costs
 * ~10 µs and its half of the work starts with cold caches; measured on 2 cores, 96³ (1.8 Mflop) was
 * still faster on one thread and 128³ (4.2 Mflop, this threshold) 20% faster on two.
 */
export const PARALLEL_MIN_FLOPS = 2 ** 22;
/** Rows per micro-tile and columns per micro-tile (8 float64 or 16 float32): blocks are split on these. */
const NR_BY_SIZE = { 4: 16, 8: 8 } as const;

let pool: WorkerPool | null = null;
/** Set when workers could not be started; every later call then stays on the calling thread. */
let poolFailed = false;

/** Whether this runtime has WebAssembly SIMD, which the wasm backend needs (threads need more: see pool.ts). */
export function wasmAvailable(): boolean {
  return wasmSimdSupported();
}

/**
 * A backend whose matmul runs the WebAssembly SIMD kernel, split across worker threads when large.
 * Results do not depend on `threads`: every output element is summed in the same order (bit for bit),
 * and in float64 they equal matmulBlocked's exactly.
 */
export function wasmBackend(options: WasmBackendOptions = {}): Backend {
  for (const key of Object.keys(options)) {
    if (key !== 'threads' && key !== 'parallelMinFlops' && key !== 'memoryBudget') {
      throw new TypeError(
        `wasmBackend: unknown option '${key}' (options: threads, parallelMinFlops, memoryBudget)`,
      );
    }
  }
  const threads = options.threads ?? Math.min(2, threadHost.cores());
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) {
    throw new RangeError(`wasmBackend: threads must be an integer from 1 to 8, got ${threads}`);
  }
  const minFlops = options.parallelMinFlops ?? PARALLEL_MIN_FLOPS;
  if (!(minFlops >= 0)) throw new RangeError(`wasmBackend: parallelMinFlops must be >= 0, got ${minFlops}`);
  const budget = options.memoryBudget ?? MEMORY_BUDGET;
  if (!(budget >= 0)) throw new RangeError(`wasmBackend: memoryBudget must be >= 0, got ${budget}`);
  if (!wasmSimdSupported()) throw new Error('wasmBackend: WebAssembly SIMD is not available in this runtime');
  const matmul: Backend['matmul'] = (a, b, out, m, n, k, transA, transB) => {
    // The module is compiled and the memory reserved on the first call, not when the backend is made.
    // Should that fail (a runtime that refuses a shared memory), the TypeScript kernel takes over.
    const engine = getEngine();
    if (!engine) {
      matmulBlocked(a, b, out, m, n, k, transA, transB);
      return;
    }
    const parts = 2 * m * n * k >= minFlops ? threads : 1;
    matmulWasm(engine, a, b, out, m, n, k, transA, transB, parts, budget);
  };
  return {
    name: threads === 1 ? 'wasm' : `wasm-${threads}t`,
    matmul,
    matmulPair: (first, second) => {
      const engine = getEngine();
      const small = (p: MatmulProblem) => 2 * p.m * p.n * p.k < minFlops;
      // Two products each too small to split over threads run side by side, one per thread; otherwise
      // (one thread, or a product large enough to be split itself) one after the other.
      if (
        !engine ||
        threads < 2 ||
        !small(first) ||
        !small(second) ||
        !pairWasm(engine, first, second, budget)
      ) {
        run(matmul, first);
        run(matmul, second);
      }
    },
    withResident,
  };
}

/** Stops the worker threads (a later large matmul starts them again). Tests use it; CLIs need not. */
export async function shutdownWasmThreads(): Promise<void> {
  await pool?.close();
}

/** Worker threads now running (0 before the first large matmul and after shutdownWasmThreads). */
export function wasmThreadsRunning(): number {
  return pool?.size ?? 0;
}

function matmulWasm(
  engine: Engine,
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  parts: number,
  budget: number,
): void {
  if (m === 0 || n === 0) return;
  const size: 4 | 8 = out instanceof Float32Array ? 4 : 8;
  if (a.BYTES_PER_ELEMENT !== size || b.BYTES_PER_ELEMENT !== size) {
    throw new TypeError(
      `matmul (wasm): a, b and out must share one dtype, got ${a.constructor.name}, ${b.constructor.name}, ${out.constructor.name}`,
    );
  }
  const workers = parts > 1 ? workerPool(engine, parts - 1) : null;
  const layout = layoutFor(engine, size, m, n, k, workers ? parts : 1, budget);
  // Past what the memory can grow to (B alone over ~4 GiB): the TypeScript kernel, which in float64
  // gives the very same bits.
  if (!layout) {
    matmulBlocked(a, b, out, m, n, k, transA, transB);
    return;
  }
  ensureCapacity(engine, layout.end);
  copyIn(engine, b, layout.b);
  const resident = residentAddress(engine, a, layout.rows === m);
  const chunk: Chunk = {
    engine,
    layout: resident === null ? layout : { ...layout, a: resident },
    entry: size === 8 ? engine.kernel.matmulF64 : engine.kernel.matmulF32,
    op: size === 8 ? OP_F64 : OP_F32,
    nr: NR_BY_SIZE[size],
    n,
    k,
    transA: transA ? 1 : 0,
    transB: transB ? 1 : 0,
  };
  for (let r0 = 0; r0 < m; r0 += layout.rows) {
    const rows = Math.min(layout.rows, m - r0);
    if (resident !== null) {
      // A is the scope's resident operand, already in the memory: nothing to copy.
    } else if (transA) copyColumnsIn(engine, a, layout.a, k, m, r0, rows);
    else copyIn(engine, rows === m ? a : a.subarray(r0 * k, (r0 + rows) * k), layout.a);
    runChunk(chunk, rows, workers ? parts : 1, workers, out, r0 * n);
  }
}

/**
 * Where the resident operand lies when `a` is it and the call takes A whole (`whole`: one row chunk),
 * copying it in on its first use in the scope; null otherwise (the caller copies A as usual).
 */
function residentAddress(engine: Engine, a: TypedArray, whole: boolean): number | null {
  const resident = engine.resident;
  if (resident === null || resident.array !== a || !whole) return null;
  if (!resident.copied) {
    ensureCapacity(engine, engine.freeStart);
    copyIn(engine, a, DATA_START);
    resident.copied = true;
  }
  return DATA_START;
}

/** Operands above this size are not kept resident: the memory would stay that much larger for good. */
const RESIDENT_MAX_BYTES = 64 * 2 ** 20;

function withResident<T>(array: TypedArray, fn: () => T): T {
  const engine = getEngine();
  // One resident operand at a time: a nested scope runs as if it had none.
  if (!engine || engine.resident !== null || array.byteLength > RESIDENT_MAX_BYTES) return fn();
  engine.resident = { array, copied: false };
  engine.freeStart = DATA_START + Math.ceil(array.byteLength / 64) * 64;
  try {
    return fn();
  } finally {
    engine.resident = null;
    engine.freeStart = DATA_START;
  }
}

const run = (kernel: Backend['matmul'], p: MatmulProblem) =>
  kernel(p.a, p.b, p.out, p.m, p.n, p.k, p.transA, p.transB);

/**
 * `second` on a worker while this thread computes `first`, each whole on its thread, so each element is
 * summed exactly as in a single-threaded call. False, with nothing computed, where it does not apply:
 * no worker, an empty or mixed-dtype product, or operands that do not fit the memory unchunked.
 */
function pairWasm(engine: Engine, first: MatmulProblem, second: MatmulProblem, budget: number): boolean {
  const size: 4 | 8 = first.out instanceof Float32Array ? 4 : 8;
  for (const p of [first, second]) {
    if (p.m === 0 || p.n === 0) return false;
    for (const array of [p.a, p.b, p.out]) if (array.BYTES_PER_ELEMENT !== size) return false;
  }
  const layout1 = layoutFor(engine, size, first.m, first.n, first.k, 1, budget);
  if (!layout1 || layout1.rows !== first.m) return false;
  const layout2 = layoutFor(engine, size, second.m, second.n, second.k, 1, budget, layout1.end);
  if (!layout2 || layout2.rows !== second.m || layout2.end > engine.maxBytes) return false;
  const workers = workerPool(engine, 1);
  if (!workers) return false;
  ensureCapacity(engine, layout2.end);
  const argsOf = (p: MatmulProblem, layout: Layout): KernelArgs => [
    layout.a,
    layout.b,
    layout.c,
    p.m,
    p.n,
    p.k,
    p.transA ? 1 : 0,
    p.transB ? 1 : 0,
    0,
    p.m,
    0,
    p.n,
    layout.scratch,
  ];
  // The worker's operands first, so that it starts while this thread copies its own.
  copyIn(engine, second.b, layout2.b);
  copyIn(engine, second.a, layout2.a);
  const job: Job = { op: size === 8 ? OP_F64 : OP_F32, args: argsOf(second, layout2) };
  workers.run([job], () => {
    copyIn(engine, first.b, layout1.b);
    copyIn(engine, first.a, layout1.a);
    const entry = size === 8 ? engine.kernel.matmulF64 : engine.kernel.matmulF32;
    entry(...argsOf(first, layout1));
    copyOut(engine, first.out, 0, layout1.c, first.m * first.n);
  });
  copyOut(engine, second.out, 0, layout2.c, second.m * second.n);
  return true;
}

/** What stays the same for every row chunk of one call. */
interface Chunk {
  engine: Engine;
  layout: Layout;
  entry: KernelEntry;
  op: typeof OP_F64 | typeof OP_F32;
  nr: number;
  n: number;
  k: number;
  transA: number;
  transB: number;
}

/** C chunk [rows, N] = A chunk · B, on this thread and up to parts − 1 workers; then copied to out. */
function runChunk(
  chunk: Chunk,
  rows: number,
  parts: number,
  workers: WorkerPool | null,
  out: TypedArray,
  outOffset: number,
): void {
  const { engine, layout, entry, n, k } = chunk;
  const blocks = splitBlocks(rows, n, parts, chunk.nr);
  const argsOf = (block: Block, thread: number): KernelArgs => [
    layout.a,
    layout.b,
    layout.c,
    rows,
    n,
    k,
    chunk.transA,
    chunk.transB,
    ...block,
    layout.scratch + thread * layout.scratchStride,
  ];
  if (!workers || blocks.length === 1) {
    entry(...argsOf(blocks[0], 0));
    copyOut(engine, out, outOffset, layout.c, rows * n);
    return;
  }
  // With rows split, this thread's rows are C's first ones: it copies them out while the workers may
  // still be computing theirs, which takes that much copying off the critical path.
  const [, i1, j0, j1] = blocks[0];
  const ownCount = j0 === 0 && j1 === n ? i1 * n : 0;
  const jobs = blocks.slice(1).map((block, w): Job => ({ op: chunk.op, args: argsOf(block, w + 1) }));
  workers.run(jobs, () => {
    entry(...argsOf(blocks[0], 0));
    copyOut(engine, out, outOffset, layout.c, ownCount);
  });
  const elementSize = out.BYTES_PER_ELEMENT;
  copyOut(engine, out, outOffset + ownCount, layout.c + ownCount * elementSize, rows * n - ownCount);
}

/** The pool with `size` workers ready, or null: this thread then computes alone (same bits). */
function workerPool(engine: Engine, size: number): WorkerPool | null {
  if (poolFailed || !engine.shared) return null;
  pool ??= new WorkerPool(engine);
  try {
    // False while a browser's workers are still starting: they take jobs from a later call on.
    return pool.reserve(size) ? pool : null;
  } catch {
    poolFailed = true;
    return null;
  }
}
