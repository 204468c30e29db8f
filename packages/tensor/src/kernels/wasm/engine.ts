import type { TypedArray } from '../../dtype.js';
import { matmulWasmBase64 } from './matmul.wasm.generated.js';
import { type WasmMemory, type WasmModule, webAssembly } from './webassembly.js';

/**
 * The compiled kernel and the one shared WebAssembly.Memory every call (and every worker) uses.
 *
 * Memory layout, in bytes:
 *   [0, CONTROL_BYTES)            control block: one slot of Int32 fields per worker (see pool.ts)
 *   [DATA_START, ...)             A, B, C, then one scratch area per thread, each 64-byte aligned
 * Tensors live in ordinary typed arrays, so a call copies A and B in and C out; the memory is kept
 * between calls and only grows (WebAssembly memory cannot shrink), so steady training allocates nothing.
 */
export interface KernelExports {
  scratchBytes(elementSize: number): number;
  matmulF64: KernelEntry;
  matmulF32: KernelEntry;
}

/** (a, b, c, m, n, k, transA, transB, i0, i1, j0, j1, scratch): computes C[i0..i1, j0..j1]. */
export type KernelEntry = (
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
  transA: number,
  transB: number,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  scratch: number,
) => void;

export const CONTROL_BYTES = 4096;
const DATA_START = 65536;
const PAGE = 65536;
/** wasm32 addresses 4 GiB; the module declares that maximum, the memory may ask for less. */
const MAX_PAGES_TRIED = [65536, 16384, 4096];

/** Byte offsets of one call's operands in the shared memory. */
export interface Layout {
  a: number;
  b: number;
  c: number;
  /** Scratch area of thread t is at scratch + t·scratchStride. */
  scratch: number;
  scratchStride: number;
  end: number;
}

export interface Engine {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly kernel: KernelExports;
  /** Largest memory, in bytes, this engine may grow to. */
  readonly maxBytes: number;
}

let engine: Engine | null | undefined;

// The smallest module using a v128 instruction: (func (result v128) v128.const 0). validate() on it
// answers "does this runtime have WebAssembly SIMD" without compiling the kernel.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/** Whether WebAssembly with SIMD and shared memory exists here (cheap; compiles nothing). */
export function wasmSimdSupported(): boolean {
  return (
    webAssembly !== undefined &&
    typeof SharedArrayBuffer === 'function' &&
    typeof Atomics === 'object' &&
    webAssembly.validate(SIMD_PROBE)
  );
}

/** The engine, created on first use; null when this runtime cannot run it. */
export function getEngine(): Engine | null {
  if (engine === undefined) engine = createEngine();
  return engine;
}

function createEngine(): Engine | null {
  if (!webAssembly || !wasmSimdSupported()) return null;
  let module: WasmModule;
  try {
    module = new webAssembly.Module(Buffer.from(matmulWasmBase64, 'base64'));
  } catch {
    return null;
  }
  for (const maximum of MAX_PAGES_TRIED) {
    let memory: WasmMemory;
    try {
      // A shared memory reserves its maximum address range up front; retry smaller where that fails.
      memory = new webAssembly.Memory({ initial: DATA_START / PAGE, maximum, shared: true });
    } catch {
      continue;
    }
    const instance = new webAssembly.Instance(module, { env: { memory } });
    const kernel = instance.exports as unknown as KernelExports;
    return { module, memory, kernel, maxBytes: maximum * PAGE };
  }
  return null;
}

const align64 = (bytes: number) => Math.ceil(bytes / 64) * 64;

/** Where a call's operands go; null when they do not fit in the engine's maximum memory. */
export function layoutFor(
  eng: Engine,
  elementSize: number,
  m: number,
  n: number,
  k: number,
  threads: number,
): Layout | null {
  const a = DATA_START;
  const b = a + align64(m * k * elementSize);
  const c = b + align64(k * n * elementSize);
  const scratch = c + align64(m * n * elementSize);
  const scratchStride = align64(eng.kernel.scratchBytes(elementSize));
  const end = scratch + threads * scratchStride;
  return end <= eng.maxBytes ? { a, b, c, scratch, scratchStride, end } : null;
}

/** Grows the memory to at least `bytes`; views taken earlier on memory.buffer stay valid but short. */
export function ensureCapacity(eng: Engine, bytes: number): void {
  const have = eng.memory.buffer.byteLength;
  if (bytes > have) eng.memory.grow(Math.ceil((bytes - have) / PAGE));
}

/** Copies a typed array into the memory at a byte offset (a memcpy). */
export function copyIn(eng: Engine, source: TypedArray, byteOffset: number): void {
  viewOf(eng, source, byteOffset).set(source);
}

/** Copies `target.length` elements from a byte offset of the memory into target. */
export function copyOut(eng: Engine, target: TypedArray, byteOffset: number): void {
  target.set(viewOf(eng, target, byteOffset));
}

/** A view of the memory with `like`'s element type and length. */
function viewOf(eng: Engine, like: TypedArray, byteOffset: number): TypedArray {
  const buffer = eng.memory.buffer;
  return like instanceof Float32Array
    ? new Float32Array(buffer, byteOffset, like.length)
    : new Float64Array(buffer, byteOffset, like.length);
}
