import type { TypedArray } from '../dtype.js';

/** Depth of one k-block: a 4-row strip of A and a KB×N panel of B stay in cache while tiles sweep it. */
const KB = 256;

/**
 * Cache-blocked kernel with 4×4 register tiles: out[M, N] = op(A) · op(B), same contract as matmulNaive.
 * Transposes are handled by strides, never materialized: element (i, p) of op(A) lives at
 * i·aRow + p·aCol, element (p, j) of op(B) at p·bRow + j·bCol.
 */
export function matmulBlocked(
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;
  out.fill(0);
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let p0 = 0; p0 < k; p0 += KB) {
    const p1 = Math.min(k, p0 + KB);
    for (let i = 0; i < m4; i += 4) {
      for (let j = 0; j < n4; j += 4) tile4x4(a, b, out, i, j, p0, p1, n, aRow, aCol, bRow, bCol);
      for (let j = n4; j < n; j++) {
        for (let r = 0; r < 4; r++) edge(a, b, out, i + r, j, p0, p1, n, aRow, aCol, bRow, bCol);
      }
    }
    for (let i = m4; i < m; i++) {
      for (let j = 0; j < n; j++) edge(a, b, out, i, j, p0, p1, n, aRow, aCol, bRow, bCol);
    }
  }
}

function tile4x4(
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  i: number,
  j: number,
  p0: number,
  p1: number,
  n: number,
  aRow: number,
  aCol: number,
  bRow: number,
  bCol: number,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  let pa = i * aRow + p0 * aCol;
  let pb = p0 * bRow + j * bCol;
  const aRow2 = 2 * aRow;
  const aRow3 = 3 * aRow;
  const bCol2 = 2 * bCol;
  const bCol3 = 3 * bCol;
  for (let p = p0; p < p1; p++) {
    const a0 = a[pa],
      a1 = a[pa + aRow],
      a2 = a[pa + aRow2],
      a3 = a[pa + aRow3];
    const b0 = b[pb],
      b1 = b[pb + bCol],
      b2 = b[pb + bCol2],
      b3 = b[pb + bCol3];
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    pa += aCol;
    pb += bRow;
  }
  let o = i * n + j;
  out[o] += c00;
  out[o + 1] += c01;
  out[o + 2] += c02;
  out[o + 3] += c03;
  o += n;
  out[o] += c10;
  out[o + 1] += c11;
  out[o + 2] += c12;
  out[o + 3] += c13;
  o += n;
  out[o] += c20;
  out[o + 1] += c21;
  out[o + 2] += c22;
  out[o + 3] += c23;
  o += n;
  out[o] += c30;
  out[o + 1] += c31;
  out[o + 2] += c32;
  out[o + 3] += c33;
}

function edge(
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  i: number,
  j: number,
  p0: number,
  p1: number,
  n: number,
  aRow: number,
  aCol: number,
  bRow: number,
  bCol: number,
): void {
  let s = 0;
  let pa = i * aRow + p0 * aCol;
  let pb = p0 * bRow + j * bCol;
  for (let p = p0; p < p1; p++) {
    s += a[pa] * b[pb];
    pa += aCol;
    pb += bRow;
  }
  out[i * n + j] += s;
}
