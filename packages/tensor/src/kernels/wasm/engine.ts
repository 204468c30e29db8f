import type { TypedArray } from '../../dtype.js';
import { matmulWasmBase64 } from './matmul.wasm.generated.js';
import { withUnsharedMemory } from './memory-import.js';
import { type WasmMemory, type WasmModule, webAssembly } from './webassembly.js';

/**
 * The compiled kernel and the one shared WebAssembly.Memory every call (and every worker) uses.
 *
 * Memory layout, in bytes:
 *   [0, CONTROL_BYTES)            control block: one slot of Int32 fields per worker (see pool.ts)
 *   [DATA_START, freeStart)       the resident operand, if any (see withResident in wasm-backend.ts)
 *   [freeStart, ...)              B, one scratch area per thread, a chunk of A's rows, the same chunk
 *                                 of C's rows; each 64-byte aligned
 * Tensors live in ordinary typed arrays, so a call copies B and A in and C out; the memory is kept
 * between calls and only grows (WebAssembly memory cannot shrink), so steady training allocates nothing.
 * It grows to a budget (MEMORY_BUDGET unless B alone needs more): a larger product is computed a chunk
 * of rows at a time, which changes no result, since rows never interact.
 */
export interface KernelExports {
  scratchBytes(elementSize: number): number;
  matmulF64: KernelEntry;
  matmulF32: KernelEntry;
}

/** (a, b, c, m, n, k, transA, transB, i0, i1, j0, j1, scratch): computes C[i0..i1, j0..j1]. */
export type KernelEntry = (...args: KernelArgs) => void;
export type KernelArgs = [
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
];

export const CONTROL_BYTES = 4096;
export const DATA_START = 65536;
const PAGE = 65536;
/** wasm32 addresses 4 GiB; the module declares that maximum, the memory may ask for less. */
const MAX_PAGES_TRIED = [65536, 16384, 4096];
/** Default memory a product may use before it is split into row chunks (see layoutFor). */
export const MEMORY_BUDGET = 256 * 2 ** 20;

/** Byte offsets of one call's operands in the shared memory. */
export interface Layout {
  b: number;
  /** Scratch area of thread t is at scratch + t·scratchStride. */
  scratch: number;
  scratchStride: number;
  /** A chunk of `rows` rows of op(A), stored as A is ([rows, K], or [K, rows] when transA). */
  a: number;
  /** The same rows of C, [rows, N]. */
  c: number;
  rows: number;
  end: number;
}

export interface Engine {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  /** Whether the memory is shared, so that worker threads can compute in it (see WorkerPool). */
  readonly shared: boolean;
  readonly kernel: KernelExports;
  /** Largest memory, in bytes, this engine may grow to. */
  readonly maxBytes: number;
  /** Per-thread scratch bytes for 4- and 8-byte elements, asked of the module once. */
  readonly scratchBytes: { 4: number; 8: number };
  /** Views of the whole memory, replaced when it grows: one call copies with no new views. */
  f64: Float64Array;
  f32: Float32Array;
  /** First byte a call may lay its operands out from: DATA_START, or past a resident operand. */
  freeStart: number;
  /** The operand kept in the memory at DATA_START while a withResident scope runs, else null. */
  resident: Resident | null;
}

/** An array copied once into the memory for a scope in which it does not change. */
export interface Resident {
  readonly array: TypedArray;
  /** Whether it has been copied in yet (on first use, so a scope that never reads it copies nothing). */
  copied: boolean;
}

let engine: Engine | null | undefined;

// The smallest module using a v128 instruction: (func (result v128) v128.const 0). validate() on it
// answers "does this runtime have WebAssembly SIMD" without compiling the kernel.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/** Whether WebAssembly with SIMD exists here (cheap; compiles nothing). */
export function wasmSimdSupported(): boolean {
  return webAssembly?.validate(SIMD_PROBE) === true;
}

/**
 * Whether the engine's memory can be shared with threads: where SharedArrayBuffer exists (Node, a
 * cross-origin isolated page). Elsewhere (any other page) the engine runs on an unshared memory.
 */
export function sharedMemorySupported(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
}

/** The engine, created on first use; null when this runtime cannot run it. */
export function getEngine(): Engine | null {
  if (engine === undefined) engine = createEngine();
  return engine;
}

/** A new engine (getEngine keeps one); `shared: false` makes one that no thread but this can use. */
export function createEngine(shared = sharedMemorySupported()): Engine | null {
  if (!webAssembly || !wasmSimdSupported()) return null;
  // atob rather than Node's Buffer, which a browser does not have.
  const wasm = Uint8Array.from(atob(matmulWasmBase64), (char) => char.charCodeAt(0));
  let module: WasmModule;
  try {
    module = new webAssembly.Module(shared ? wasm : withUnsharedMemory(wasm));
  } catch {
    return null;
  }
  for (const maximum of MAX_PAGES_TRIED) {
    let memory: WasmMemory;
    try {
      // A shared memory reserves its maximum address range up front; retry smaller where that fails.
      memory = new webAssembly.Memory({ initial: DATA_START / PAGE, maximum, shared });
    } catch {
      continue;
    }
    const instance = new webAssembly.Instance(module, { env: { memory } });
    const kernel = instance.exports as unknown as KernelExports;
    const scratchBytes = { 4: align64(kernel.scratchBytes(4)), 8: align64(kernel.scratchBytes(8)) };
    const f64 = new Float64Array(memory.buffer);
    const f32 = new Float32Array(memory.buffer);
    const maxBytes = maximum * PAGE;
    return {
      module,
      memory,
      shared,
      kernel,
      maxBytes,
      scratchBytes,
      f64,
      f32,
      freeStart: DATA_START,
      resident: null,
    };
  }
  return null;
}

const align64 = (bytes: number) => Math.ceil(bytes / 64) * 64;

/**
 * Where a call's operands go, from byte `base` on (64-byte aligned; default: the engine's freeStart): all of B, and as many rows of A and
 * C as fit in `budget` bytes (at least 16, or all of them). Null when even that exceeds what the memory
 * can grow to.
 */
export function layoutFor(
  eng: Engine,
  elementSize: 4 | 8,
  m: number,
  n: number,
  k: number,
  threads: number,
  budgetBytes = MEMORY_BUDGET,
  base = eng.freeStart,
): Layout | null {
  const b = base;
  const scratch = b + align64(k * n * elementSize);
  const scratchStride = eng.scratchBytes[elementSize];
  const fixed = scratch + threads * scratchStride + 128; // + the alignment of a and c
  const rowBytes = (k + n) * elementSize;
  const minRows = Math.min(m, 16);
  const budget = Math.min(eng.maxBytes, Math.max(budgetBytes, fixed + minRows * rowBytes));
  const fit = Math.floor((budget - fixed) / rowBytes);
  // Chunks of a multiple of 16 rows keep every chunk but the last on whole micro-tiles.
  const rows = fit >= m ? m : fit - (fit % 16);
  if (rows < minRows) return null;
  const a = fixed - 128;
  const c = a + align64(rows * k * elementSize);
  const end = c + align64(rows * n * elementSize);
  return { b, scratch, scratchStride, a, c, rows, end };
}

/** Grows the memory to at least `bytes` (never shrinks it) and refreshes the engine's views. */
export function ensureCapacity(eng: Engine, bytes: number): void {
  const have = eng.f64.byteLength;
  if (bytes <= have) return;
  eng.memory.grow(Math.ceil((bytes - have) / PAGE));
  eng.f64 = new Float64Array(eng.memory.buffer);
  eng.f32 = new Float32Array(eng.memory.buffer);
}

/** Copies a typed array into the memory at a byte offset (a memcpy). */
export function copyIn(eng: Engine, source: TypedArray, byteOffset: number): void {
  if (source instanceof Float32Array) eng.f32.set(source, byteOffset / 4);
  else eng.f64.set(source, byteOffset / 8);
}

/**
 * Copies columns [from, from + count) of a row-major [rows, cols] array into the memory at a byte
 * offset, as a [rows, count] array: a chunk of op(A)'s rows when A is stored transposed.
 */
export function copyColumnsIn(
  eng: Engine,
  source: TypedArray,
  byteOffset: number,
  rows: number,
  cols: number,
  from: number,
  count: number,
): void {
  if (from === 0 && count === cols) {
    copyIn(eng, source, byteOffset);
    return;
  }
  const view = source instanceof Float32Array ? eng.f32 : eng.f64;
  const start = byteOffset / view.BYTES_PER_ELEMENT;
  for (let r = 0; r < rows; r++) {
    view.set(source.subarray(r * cols + from, r * cols + from + count), start + r * count);
  }
}

/** Copies `count` elements stored at a byte offset of the memory into target[targetOffset ...]. */
export function copyOut(
  eng: Engine,
  target: TypedArray,
  targetOffset: number,
  byteOffset: number,
  count: number,
): void {
  if (count <= 0) return;
  const view = target instanceof Float32Array ? eng.f32 : eng.f64;
  const start = byteOffset / view.BYTES_PER_ELEMENT;
  target.set(view.subarray(start, start + count), targetOffset);
}
