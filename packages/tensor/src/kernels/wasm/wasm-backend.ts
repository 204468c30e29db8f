import { availableParallelism } from 'node:os';
import type { Backend } from '../../backend.js';
import type { TypedArray } from '../../dtype.js';
import { matmulBlocked } from '../matmul-blocked.js';
import {
  copyIn,
  copyOut,
  type Engine,
  ensureCapacity,
  getEngine,
  layoutFor,
  wasmSimdSupported,
} from './engine.js';
import { type Job, OP_F32, OP_F64, WorkerPool } from './pool.js';

export interface WasmBackendOptions {
  /** Threads that share one matmul, the calling thread included; 1 uses no workers. Default: min(2, cores). */
  threads?: number;
  /** Matmuls of fewer floating-point operations (2·M·N·K) than this run on the calling thread alone. */
  parallelMinFlops?: number;
}

/**
 * Below this many flops, handing half a matmul to a worker costs more than it saves: waking a worker
 * and waiting for it takes ~20-50 µs, the time the kernel needs for about 2^20 flops.
 */
export const PARALLEL_MIN_FLOPS = 2 ** 22;
/** Rows per micro-tile and columns per micro-tile (8 float64 or 16 float32): blocks are split on these. */
const MR = 2;
const NR_BY_SIZE = { 4: 16, 8: 8 } as const;

let pool: WorkerPool | null = null;
/** Set when workers could not be started; every later call then stays on the calling thread. */
let poolFailed = false;

/** Whether this runtime has WebAssembly SIMD and shared memory, which the wasm backend needs. */
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
    if (key !== 'threads' && key !== 'parallelMinFlops') {
      throw new TypeError(`wasmBackend: unknown option '${key}' (options: threads, parallelMinFlops)`);
    }
  }
  const threads = options.threads ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) {
    throw new RangeError(`wasmBackend: threads must be an integer from 1 to 8, got ${threads}`);
  }
  const minFlops = options.parallelMinFlops ?? PARALLEL_MIN_FLOPS;
  if (!(minFlops >= 0)) throw new RangeError(`wasmBackend: parallelMinFlops must be >= 0, got ${minFlops}`);
  if (!wasmSimdSupported()) throw new Error('wasmBackend: WebAssembly SIMD is not available in this runtime');
  return {
    name: threads === 1 ? 'wasm' : `wasm-${threads}t`,
    matmul: (a, b, out, m, n, k, transA, transB) => {
      // The module is compiled and the memory reserved on the first call, not when the backend is made.
      // Should that fail (a runtime that refuses a shared memory), the TypeScript kernel takes over.
      const engine = getEngine();
      if (!engine) {
        matmulBlocked(a, b, out, m, n, k, transA, transB);
        return;
      }
      const parts = 2 * m * n * k >= minFlops ? threads : 1;
      matmulWasm(engine, a, b, out, m, n, k, transA, transB, parts);
    },
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
): void {
  if (m === 0 || n === 0) return;
  const size = out instanceof Float32Array ? 4 : 8;
  if (a.BYTES_PER_ELEMENT !== size || b.BYTES_PER_ELEMENT !== size) {
    throw new TypeError(
      `matmul (wasm): a, b and out must share one dtype, got ${a.constructor.name}, ${b.constructor.name}, ${out.constructor.name}`,
    );
  }
  const workers = parts > 1 ? workerPool(engine, parts - 1) : null;
  const blocks = splitBlocks(m, n, workers ? parts : 1, NR_BY_SIZE[size]);
  const layout = layoutFor(engine, size, m, n, k, blocks.length);
  // Past wasm32's 4 GiB (or the memory this runtime would reserve): the TypeScript kernel, which in
  // float64 gives the very same bits.
  if (!layout) {
    matmulBlocked(a, b, out, m, n, k, transA, transB);
    return;
  }
  ensureCapacity(engine, layout.end);
  copyIn(engine, a, layout.a);
  copyIn(engine, b, layout.b);
  const argsOf = (block: Block, thread: number) => [
    layout.a,
    layout.b,
    layout.c,
    m,
    n,
    k,
    transA ? 1 : 0,
    transB ? 1 : 0,
    ...block,
    layout.scratch + thread * layout.scratchStride,
  ];
  const entry = size === 8 ? engine.kernel.matmulF64 : engine.kernel.matmulF32;
  const own = () => (entry as (...args: number[]) => void)(...argsOf(blocks[0], 0));
  if (workers && blocks.length > 1) {
    const op = size === 8 ? OP_F64 : OP_F32;
    workers.run(
      blocks.slice(1).map((block, w): Job => ({ op, args: argsOf(block, w + 1) })),
      own,
    );
  } else {
    own();
  }
  copyOut(engine, out, layout.c);
}

/** [i0, i1, j0, j1]: a block of C one thread computes. */
type Block = [number, number, number, number];

/**
 * Splits C into at most `parts` disjoint blocks along whichever of rows or columns has more tiles,
 * on tile boundaries. Which thread computes an element never changes its value (see gemm.as).
 */
export function splitBlocks(m: number, n: number, parts: number, nr: number): Block[] {
  const rowTiles = Math.ceil(m / MR);
  const colTiles = Math.ceil(n / nr);
  const byRows = rowTiles >= colTiles;
  const extent = byRows ? m : n;
  const step = Math.ceil((byRows ? rowTiles : colTiles) / parts) * (byRows ? MR : nr);
  const blocks: Block[] = [];
  for (let start = 0; start < extent; start += step) {
    const end = Math.min(extent, start + step);
    blocks.push(byRows ? [start, end, 0, n] : [0, m, start, end]);
  }
  return blocks;
}

function workerPool(engine: Engine, size: number): WorkerPool | null {
  if (poolFailed) return null;
  pool ??= new WorkerPool(engine);
  try {
    pool.reserve(size);
    return pool;
  } catch {
    poolFailed = true;
    return null;
  }
}
