// Helper threads wait for a new generation number, spinning briefly (a training step issues its products
// microseconds apart) and then sleeping on a condition variable, so an idle process costs no CPU.
#define _GNU_SOURCE
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define cpu_relax() _mm_pause()
#else
#define cpu_relax() ((void)0)
#endif

/** Pause rounds a helper spins before sleeping: ~20 µs on x86 (a pause is ~10-65 cycles). */
#define SPIN_ROUNDS 4000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static atomic_uint generation;
static atomic_int finished;
static atomic_flag busy = ATOMIC_FLAG_INIT;
static int started;
static int thread_count = 1;

static pool_task job_task;
static void *job_ctx;
static int job_parts;

/** The generation each helper was started in: it waits for the next one (set before it starts). */
static unsigned start_generation[POOL_MAX_THREADS];

static void *helper_main(void *arg) {
  int index = (int)(long)arg;
  unsigned seen = start_generation[index];
  for (;;) {
    int spins = 0;
    while (atomic_load_explicit(&generation, memory_order_acquire) == seen) {
      if (++spins < SPIN_ROUNDS) {
        cpu_relax();
        continue;
      }
      pthread_mutex_lock(&lock);
      while (atomic_load_explicit(&generation, memory_order_acquire) == seen) pthread_cond_wait(&wake, &lock);
      pthread_mutex_unlock(&lock);
    }
    seen = atomic_load_explicit(&generation, memory_order_acquire);
    if (index < job_parts) job_task(job_ctx, index);
    atomic_fetch_add_explicit(&finished, 1, memory_order_acq_rel);
  }
  return 0;
}

int pool_threads(void) { return thread_count; }

int pool_set_threads(int threads) {
  int previous = thread_count;
  if (threads < 1) threads = 1;
  if (threads > POOL_MAX_THREADS) threads = POOL_MAX_THREADS;
  while (atomic_flag_test_and_set_explicit(&busy, memory_order_acquire)) cpu_relax();
  thread_count = threads;
  atomic_flag_clear_explicit(&busy, memory_order_release);
  return previous;
}

/** Starts helpers 1 … thread_count−1 that are not running yet; returns how many helpers run. */
static int ensure_helpers(void) {
  while (started < thread_count - 1) {
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    start_generation[started + 1] = atomic_load_explicit(&generation, memory_order_relaxed);
    int failed = pthread_create(&thread, &attr, helper_main, (void *)(long)(started + 1));
    pthread_attr_destroy(&attr);
    if (failed) break;
    started++;
  }
  return started;
}

int pool_run(pool_task task, void *ctx, int parts) {
  if (parts <= 1) {
    task(ctx, 0);
    return 1;
  }
  if (atomic_flag_test_and_set_explicit(&busy, memory_order_acquire)) return 0;
  int helpers = ensure_helpers();
  if (parts > helpers + 1) {
    // Fewer helpers than asked for (thread creation failed): the caller runs what is left.
    atomic_flag_clear_explicit(&busy, memory_order_release);
    return 0;
  }
  job_task = task;
  job_ctx = ctx;
  job_parts = parts;
  atomic_store_explicit(&finished, 0, memory_order_relaxed);
  pthread_mutex_lock(&lock);
  atomic_fetch_add_explicit(&generation, 1, memory_order_acq_rel);
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&lock);
  task(ctx, 0);
  // Every started helper reports once per generation, whether or not it had a part.
  while (atomic_load_explicit(&finished, memory_order_acquire) < helpers) cpu_relax();
  atomic_flag_clear_explicit(&busy, memory_order_release);
  return 1;
}
