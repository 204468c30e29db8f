/**
 * What browser.test.ts computes both in Node and in Chromium (bundled into browser-page.ts), to compare
 * the bits: products of every transpose in both dtypes, and a small float64 network forward pass.
 * Imports the package by its name, as a browser app would, so a bundle resolves it as it would there.
 *
 * Only correctly rounded arithmetic (+ − × ÷ √, max) besides the kernels: Math.sin, cos, exp and log
 * are not (ECMAScript leaves them implementation-approximated), and Node 20's V8 and Chromium 156's
 * differ in the last bit for a few % of arguments, so randn (Box–Muller) gives other bits there too.
 */
import {
  add,
  type Backend,
  createRng,
  div,
  matmul,
  maximum,
  mean,
  rand,
  setBackend,
  sqrt,
  square,
  sum,
  type Tensor,
} from '@backprop-lab/tensor';

/** [M, N, K] of the products: one element, odd sizes off every tile, and sizes past a 256-deep block. */
const SHAPES = [
  [1, 1, 1],
  [7, 13, 5],
  [64, 48, 96],
  [130, 70, 300],
] as const;

/** Each result's bytes as hex, by name (hex keeps -0 and NaN payloads, which JSON numbers would not). */
export type SuiteBits = Record<string, string>;

export function runSuite(backend: Backend): SuiteBits {
  const previous = setBackend(backend);
  try {
    const rng = createRng(11);
    const bits: SuiteBits = {};
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [m, n, k] of SHAPES) {
        for (const [transA, transB] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ]) {
          const a = rand(transA ? [k, m] : [m, k], rng, dtype, -1, 1);
          const b = rand(transB ? [n, k] : [k, n], rng, dtype, -1, 1);
          bits[`${dtype} ${m}x${n}x${k} ${transA} ${transB}`] = hex(matmul(a, b, { transA, transB }));
        }
      }
    }
    // scores = relu(x·W1 + b1)·W2, x [N, D], W1 [D, H], b1 [H], W2 [H, C]; then each row of scores
    // scaled to unit length and the mean of its squares.
    const x = rand([32, 20], rng, 'float64', -1, 1);
    const hidden = maximum(add(matmul(x, rand([20, 50], rng, 'float64', -1, 1)), rand([50], rng)), 0);
    const scores = matmul(hidden, rand([50, 10], rng, 'float64', -1, 1));
    const norms = sqrt(sum(square(scores), { axis: 1, keepDims: true }));
    bits.scores = hex(scores);
    bits.normalized = hex(div(scores, norms));
    bits.meanSquare = hex(mean(square(scores)));
    return bits;
  } finally {
    setBackend(previous);
  }
}

function hex(t: Tensor): string {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
