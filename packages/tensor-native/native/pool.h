// A process-wide pool of helper threads for the kernels: run(task, ctx, parts) calls task(ctx, part) for
// part = 0 … parts−1, part 0 on the calling thread and the others on helpers, and returns when all are done.
#ifndef BACKPROP_POOL_H
#define BACKPROP_POOL_H

typedef void (*pool_task)(void *ctx, int part);

/** Threads a split may use (the caller included), 1 … POOL_MAX_THREADS. */
#define POOL_MAX_THREADS 16
int pool_threads(void);
/** Sets the thread count; returns the previous one. Helpers start on first use. */
int pool_set_threads(int threads);

/**
 * Runs task over `parts` parts (≤ pool_threads()). Returns 0 when another thread holds the pool (a Node
 * worker calling at the same time): the caller then runs the parts itself, one after the other.
 */
int pool_run(pool_task task, void *ctx, int parts);

#endif
