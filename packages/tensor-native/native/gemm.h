// out[M, N] = op(A) · op(B) for float64 and float32, row-major, A [M, K] ([K, M] when trans_a), B [K, N]
// ([N, K] when trans_b); out is overwritten. Same summation order as the TypeScript and WebAssembly kernels
// of @backprop-lab/tensor (256-deep k-blocks, products added in order, no fused multiply-add in float64),
// so float64 results equal theirs bit for bit. float32 on AVX2 and AVX-512 fuses each multiply-add (same
// order; float32 is not held to other backends' bits), so it equals the WebAssembly kernel's within rounding.
#ifndef BACKPROP_GEMM_H
#define BACKPROP_GEMM_H

struct gemm_problem {
  const void *a;
  const void *b;
  void *c;
  long m, n, k;
  int trans_a, trans_b;
  int is_f32;
  int failed; /* set when scratch memory could not be allocated */
};

/** Computes g, split over the pool's threads when large enough. Returns 0 on success, -1 when out of memory. */
int gemm_run(struct gemm_problem *g);
/** Computes both (independent) problems, one per thread when both are small; else one after the other. */
int gemm_run_pair(struct gemm_problem *first, struct gemm_problem *second);
/** Frees the calling thread's packing buffers (kept between calls otherwise). */
void gemm_release_scratch(void);
/** "avx512", "avx2" or "generic": the micro-kernel this process runs (BACKPROP_LAB_GEMM_KERNEL may pick a lesser one). */
const char *gemm_kernel_name(void);
/** From this many multiply-adds (m·n·k) on, a product is split over threads. */
extern long gemm_parallel_min;

#endif
