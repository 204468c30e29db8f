// Entry point of the WebAssembly matmul (AssemblyScript; scripts/build-wasm.mjs compiles it into
// ../matmul.wasm.generated.ts). Blocked like GotoBLAS: for each NC-wide column block and KC-deep
// k-block, op(B) is packed once into NR-wide panels that stay in L1, op(A) is packed MC rows at a
// time into MR-row panels that stay in L2, and the micro-kernel sweeps MR×NR tiles of C.
//
// One call computes the block C[i0 .. i1, j0 .. j1]; threads get disjoint blocks. Every output element
// is summed in the same order whatever block, tile or thread computes it (see microkernel.as), so a
// threaded run is bit-identical to a single-threaded one.
//
// Pointers are byte offsets into the imported shared memory, laid out by ../wasm-matmul.ts.

import { edgeKernel, kernel32, kernel64, MR, NR32, NR64 } from './microkernel';
import { packA, packB } from './pack';

/** k-block depth. 256 in float64 matches matmulBlocked's KB, which makes the two bit-identical. */
const KC: i32 = 256;
/** Rows of op(A) packed at once: MC·KC·8 bytes = 256 KiB, well inside a 1 MiB L2. */
const MC: i32 = 128;
/** Columns of op(B) packed at once; bounds the scratch size for wide outputs. */
const NC: i32 = 1024;

/** Bytes of per-thread scratch one call needs (packed A block, packed B block, one edge tile). */
export function scratchBytes(elementSize: i32): i32 {
  return (MC * KC + KC * NC + MR * NR32) * elementSize;
}

export function matmulF64(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize): void {
  gemm<f64>(a, b, c, m, n, k, transA, transB, i0, i1, j0, j1, scratch);
}

export function matmulF32(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize): void {
  gemm<f32>(a, b, c, m, n, k, transA, transB, i0, i1, j0, j1, scratch);
}

function gemm<T>(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize): void {
  const size = <usize>sizeof<T>();
  const nr = size == 8 ? NR64 : NR32;
  const aRow: usize = transA ? 1 : k;
  const aCol: usize = transA ? m : 1;
  const bRow: usize = transB ? 1 : n;
  const bCol: usize = transB ? k : 1;
  const ldc = <usize>n * size;
  const ap = scratch;
  const bp = ap + <usize>(MC * KC) * size;
  const tile = bp + <usize>(KC * NC) * size;
  for (let i = i0; i < i1; i++) memory.fill(c + <usize>i * ldc + <usize>j0 * size, 0, <usize>(j1 - j0) * size);
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB<T>(b, bRow, bCol, pc, kc, jc, nc, nr, bp);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        packA<T>(a, aRow, aCol, ic, mc, pc, kc, ap);
        sweep<T>(ap, bp, mc, nc, kc, nr, c + <usize>ic * ldc + <usize>jc * size, ldc, tile);
      }
    }
  }
}

/** C[0 .. mc, 0 .. nc] += Ap · Bp, tile by tile; B's panel stays in L1 while A's panels stream by. */
function sweep<T>(ap: usize, bp: usize, mc: i32, nc: i32, kc: i32, nr: i32, c: usize, ldc: usize, tile: usize): void {
  const size = <usize>sizeof<T>();
  const panelBytesA = <usize>(MR * kc) * size;
  for (let jr = 0; jr < nc; jr += nr) {
    const panelB = bp + <usize>(jr * kc) * size;
    const cols = min(nr, nc - jr);
    const cj = c + <usize>jr * size;
    if (cols == nr) {
      const full = mc - mc % MR;
      for (let ir = 0; ir < full; ir += MR) {
        tileKernel<T>(ap + <usize>ir * <usize>kc * size, panelB, kc, cj + <usize>ir * ldc, ldc);
      }
      if (full < mc) edgeTile<T>(ap + <usize>full * <usize>kc * size, panelB, kc, nr, cj + <usize>full * ldc, ldc, 1, 0, cols, tile);
      continue;
    }
    // A last, narrower panel: whole vectors of it go through the 8-row edge kernel (computing the
    // full NR width would waste up to half the panel's work); what remains goes through edgeTile.
    const lanes = 16 / <i32>size;
    const vectorCols = cols - cols % lanes;
    const rows8 = vectorCols > 0 ? mc - mc % 8 : 0;
    for (let ir = 0; ir < rows8; ir += 8) {
      const panelA = ap + <usize>ir * <usize>kc * size;
      for (let q = 0; q < vectorCols; q += lanes) {
        edgeKernel<T>(panelA, panelBytesA, panelB + <usize>q * size, kc, cj + <usize>ir * ldc + <usize>q * size, ldc);
      }
    }
    for (let ir = 0; ir < mc; ir += MR) {
      const from = ir < rows8 ? vectorCols : 0;
      if (from < cols) {
        const rows = min(MR, mc - ir);
        edgeTile<T>(ap + <usize>ir * <usize>kc * size, panelB, kc, nr, cj + <usize>ir * ldc, ldc, rows, from, cols, tile);
      }
    }
  }
}

/**
 * C[0 .. rows, from .. cols] += one MR×nr tile computed in full into scratch (`tile`): for the ragged
 * bottom and right edges. tile = 0 + acc equals acc except -0 → +0, which C + tile cannot tell apart
 * (C starts at +0), so these elements too get exactly the sums of the main kernel.
 */
function edgeTile<T>(panelA: usize, panelB: usize, kc: i32, nr: i32, c: usize, ldc: usize, rows: i32, from: i32, cols: i32, tile: usize): void {
  const size = <usize>sizeof<T>();
  memory.fill(tile, 0, <usize>(MR * nr) * size);
  tileKernel<T>(panelA, panelB, kc, tile, <usize>nr * size);
  for (let r = 0; r < rows; r++) {
    for (let q = from; q < cols; q++) {
      const at = c + <usize>r * ldc + <usize>q * size;
      store<T>(at, load<T>(at) + load<T>(tile + <usize>(r * nr + q) * size));
    }
  }
}

// @ts-ignore: decorator
@inline
function tileKernel<T>(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize): void {
  if (sizeof<T>() == 8) kernel64(ap, bp, kc, c, ldc);
  else kernel32(ap, bp, kc, c, ldc);
}

