// Packing: copies a block of op(A) or op(B) into the contiguous, zero-padded panels the micro-kernels
// stream through. Transposes are absorbed here, by strides, so one micro-kernel serves all four
// (transA, transB) cases. Element (i, p) of op(A) is at a[i·aRow + p·aCol]; (p, j) of op(B) at
// b[p·bRow + j·bCol]. Padding lanes hold zeros and only ever reach tile positions that are not stored.

import { MR } from './microkernel';

/** Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into MR-row panels: panel r0 holds (p·MR + r). */
export function packA<T>(a: usize, aRow: usize, aCol: usize, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  const size = <usize>sizeof<T>();
  const panelBytes = <usize>(kc * MR) * size;
  const full = mc - mc % MR;
  if (aRow == 1) {
    // transA: A is stored [K, M], so for one p the block's rows lie side by side. Walking p outermost
    // reads A sequentially and writes every panel at once; panel-by-panel would stride through A
    // (M·size bytes per p, a TLB miss each) and ran ~3x slower.
    for (let p = 0; p < kc; p++) {
      const src = a + (<usize>(p0 + p) * aCol + <usize>i0) * size;
      const to = dst + <usize>(p * MR) * size;
      let ir = 0;
      if (size == 4) {
        // float32: one 16-byte load feeds two panels.
        for (; ir + 2 * MR <= full; ir += 2 * MR) {
          const pair = v128.load(src + (<usize>ir << 2));
          const panel = to + <usize>(ir / MR) * panelBytes;
          v128.store64_lane(panel, pair, 0);
          v128.store64_lane(panel + panelBytes, pair, 1);
        }
      }
      for (; ir < full; ir += MR) {
        const panel = to + <usize>(ir / MR) * panelBytes;
        if (size == 8) v128.store(panel, v128.load(src + (<usize>ir << 3)));
        else store<u64>(panel, load<u64>(src + (<usize>ir << 2)));
      }
    }
  } else {
    for (let ir = 0; ir < full; ir += MR) {
      const row = a + (<usize>(i0 + ir) * aRow + <usize>p0 * aCol) * size;
      const panel = dst + <usize>(ir / MR) * panelBytes;
      if (aCol == 1) interleaveRows<T>(row, row + aRow * size, kc, panel);
      else gather<T>(row, aCol, aRow, kc, MR, MR, panel);
    }
  }
  if (full < mc) {
    const row = a + (<usize>(i0 + full) * aRow + <usize>p0 * aCol) * size;
    gather<T>(row, aCol, aRow, kc, mc - full, MR, dst + <usize>(full / MR) * panelBytes);
  }
}

/** Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into nr-column panels: each holds (p·nr + q). */
export function packB<T>(b: usize, bRow: usize, bCol: usize, p0: i32, kc: i32, j0: i32, nc: i32, nr: i32, dst: usize): void {
  const size = <usize>sizeof<T>();
  for (let jr = 0; jr < nc; jr += nr) {
    const src = b + (<usize>p0 * bRow + <usize>(j0 + jr) * bCol) * size;
    if (nc - jr >= nr && bCol == 1) {
      // Row-major B: a panel row is 64 contiguous bytes of one B row.
      const step = bRow * size;
      for (let p = 0; p < kc; p++) {
        const from = src + <usize>p * step;
        const to = dst + (<usize>p << 6);
        v128.store(to, v128.load(from));
        v128.store(to, v128.load(from, 16), 16);
        v128.store(to, v128.load(from, 32), 32);
        v128.store(to, v128.load(from, 48), 48);
      }
    } else if (nc - jr >= nr && bRow == 1) {
      transposeColumns<T>(src, bCol * size, kc, nr, dst);
    } else {
      gather<T>(src, bRow, bCol, kc, min(nr, nc - jr), nr, dst);
    }
    dst += <usize>(kc * nr) * size;
  }
}

/** dst[p·width + q] = src[p·pStride + q·qStride] for q < count, zero for count ≤ q < width. */
function gather<T>(src: usize, pStride: usize, qStride: usize, kc: i32, count: i32, width: i32, dst: usize): void {
  const size = <usize>sizeof<T>();
  for (let p = 0; p < kc; p++) {
    let from = src + <usize>p * pStride * size;
    let q = 0;
    for (; q < count; q++) {
      store<T>(dst, load<T>(from));
      from += qStride * size;
      dst += size;
    }
    for (; q < width; q++) {
      store<T>(dst, <T>0);
      dst += size;
    }
  }
}

/** Two rows of a row-major A, interleaved element by element: dst[2p + r] = row_r[p]. */
function interleaveRows<T>(row0: usize, row1: usize, kc: i32, dst: usize): void {
  const lanes = 16 / <i32>sizeof<T>();
  let p = 0;
  for (; p + lanes <= kc; p += lanes) {
    const offset = <usize>p * sizeof<T>();
    const x = v128.load(row0 + offset);
    const y = v128.load(row1 + offset);
    if (sizeof<T>() == 8) {
      v128.store(dst, f64x2.shuffle(x, y, 0, 2));
      v128.store(dst, f64x2.shuffle(x, y, 1, 3), 16);
    } else {
      v128.store(dst, f32x4.shuffle(x, y, 0, 4, 1, 5));
      v128.store(dst, f32x4.shuffle(x, y, 2, 6, 3, 7), 16);
    }
    dst += 32;
  }
  for (; p < kc; p++) {
    const offset = <usize>p * sizeof<T>();
    store<T>(dst, load<T>(row0 + offset));
    store<T>(dst + sizeof<T>(), load<T>(row1 + offset));
    dst += 2 * sizeof<T>();
  }
}

/**
 * transB: panel column q is B's stored row q (contiguous in p), so each group of `lanes` columns is a
 * lanes×lanes transpose done in registers: dst[p·nr + q] = src[q·colStride + p].
 */
function transposeColumns<T>(src: usize, colStride: usize, kc: i32, nr: i32, dst: usize): void {
  const size = <usize>sizeof<T>();
  const lanes = 16 / <i32>size;
  const rowBytes = <usize>nr * size;
  let p = 0;
  for (; p + lanes <= kc; p += lanes) {
    const pOffset = <usize>p * size;
    const out = dst + <usize>p * rowBytes;
    for (let q = 0; q < nr; q += lanes) {
      const col = src + <usize>q * colStride + pOffset;
      const to = out + <usize>q * size;
      if (size == 8) {
        const x = v128.load(col);
        const y = v128.load(col + colStride);
        v128.store(to, f64x2.shuffle(x, y, 0, 2));
        v128.store(to + rowBytes, f64x2.shuffle(x, y, 1, 3));
      } else {
        const r0 = v128.load(col);
        const r1 = v128.load(col + colStride);
        const r2 = v128.load(col + 2 * colStride);
        const r3 = v128.load(col + 3 * colStride);
        const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
        const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
        const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
        const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
        v128.store(to, f32x4.shuffle(t0, t2, 0, 1, 4, 5));
        v128.store(to + rowBytes, f32x4.shuffle(t0, t2, 2, 3, 6, 7));
        v128.store(to + 2 * rowBytes, f32x4.shuffle(t1, t3, 0, 1, 4, 5));
        v128.store(to + 3 * rowBytes, f32x4.shuffle(t1, t3, 2, 3, 6, 7));
      }
    }
  }
  if (p < kc) gather<T>(src + <usize>p * size, 1, colStride / size, kc - p, nr, nr, dst + <usize>p * rowBytes);
}
