// GFLOP/s of the native gemm on the training shapes (min of many timings; the machine may be shared):
//   nice -n -20 node scripts/bench-gemm.mjs [threads] [path/to/backprop_native.node]
// BACKPROP_LAB_GEMM_KERNEL=avx2 forces the AVX2 micro-kernel for comparison.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const threads = Number(process.argv[2] ?? 1);
const addon = process.argv[3] ?? join(root, 'build', 'Release', 'backprop_native.node');
const native = createRequire(import.meta.url)(addon);
native.setThreads(threads);

/** [m, n, k], transA, transB: x·W, dout·Wᵀ, xᵀ·dout of the 3072 → 100 layer at batch 200. */
const SHAPES = [
  ['x·W', [200, 100, 3072], false, false],
  ['dout·Wᵀ', [200, 3072, 100], false, true],
  ['xᵀ·dout', [3072, 100, 200], true, false],
];

const results = [];
for (const Type of [Float64Array, Float32Array]) {
  for (const [label, [m, n, k], transA, transB] of SHAPES) {
    const a = new Type(m * k).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    const b = new Type(k * n).map((_, i) => ((i * 104729) % 1000) / 1000 - 0.5);
    const out = new Type(m * n);
    let best = Number.POSITIVE_INFINITY;
    const deadline = performance.now() + 1500;
    for (let run = 0; run < 400 && (run < 30 || performance.now() < deadline); run++) {
      const start = process.hrtime.bigint();
      native.gemm(a, b, out, m, n, k, transA, transB);
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
    }
    results.push({
      dtype: Type === Float64Array ? 'f64' : 'f32',
      shape: label,
      gflops: +((2 * m * n * k) / best / 1e9).toFixed(1),
    });
  }
}
console.log(JSON.stringify({ kernel: native.kernel, threads, results }));
