// Helper threads wait for a new job word, spinning briefly (a training step issues its products
// microseconds apart) and then sleeping on a condition variable, so an idle process costs no CPU.
// The job word holds the generation and the part count together, so a helper reads both from one snapshot:
// helpers whose index is not below the part count go back to waiting, and only those with a part report.
#define _GNU_SOURCE
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define cpu_relax() _mm_pause()
#else
#define cpu_relax() ((void)0)
#endif

/** Pause rounds a helper spins before sleeping: ~20-100 µs on x86 (a pause is ~10-65 cycles). */
#define SPIN_ROUNDS 4000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/** One per helper, so a job wakes only the helpers that have a part in it. */
static pthread_cond_t wake[POOL_MAX_THREADS];
static pthread_once_t wake_once = PTHREAD_ONCE_INIT;
static void init_wake(void) {
  for (int i = 0; i < POOL_MAX_THREADS; i++) pthread_cond_init(&wake[i], NULL);
}
/** (generation << 8) | parts of the current job. */
static _Atomic uint64_t job_word;
static atomic_int finished;
static atomic_flag busy = ATOMIC_FLAG_INIT;
static atomic_int thread_count = 1;
/** Helpers started so far (only the pool holder starts more). */
static int started;

static pool_task job_task;
static void *job_ctx;

/** The job word each helper was started with: it waits for the next one (set before it starts). */
static uint64_t start_word[POOL_MAX_THREADS];

static void *helper_main(void *arg) {
  const int index = (int)(long)arg;
  uint64_t seen = start_word[index];
  int had_part = 1;
  for (;;) {
    // A helper left out of the last job (the thread count shrank) sleeps at once instead of spinning.
    int spins = had_part ? 0 : SPIN_ROUNDS;
    uint64_t word;
    while ((word = atomic_load_explicit(&job_word, memory_order_acquire)) == seen) {
      if (++spins < SPIN_ROUNDS) {
        cpu_relax();
        continue;
      }
      pthread_mutex_lock(&lock);
      while ((word = atomic_load_explicit(&job_word, memory_order_acquire)) == seen) pthread_cond_wait(&wake[index], &lock);
      pthread_mutex_unlock(&lock);
      break;
    }
    seen = word;
    // A helper with a part is waited for, so the job fields cannot change before it has run.
    had_part = index < (int)(word & 0xff);
    if (had_part) {
      job_task(job_ctx, index);
      atomic_fetch_add_explicit(&finished, 1, memory_order_acq_rel);
    }
  }
  return 0;
}

int pool_threads(void) { return atomic_load_explicit(&thread_count, memory_order_relaxed); }

int pool_set_threads(int threads) {
  if (threads < 1) threads = 1;
  if (threads > POOL_MAX_THREADS) threads = POOL_MAX_THREADS;
  // A product running now keeps the parts it started with; the next one sees the new count.
  return atomic_exchange_explicit(&thread_count, threads, memory_order_relaxed);
}

/** Starts helpers up to `wanted` (1 … POOL_MAX_THREADS−1); returns how many run. Called holding `busy`. */
static int ensure_helpers(int wanted) {
  pthread_once(&wake_once, init_wake);
  while (started < wanted) {
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    start_word[started + 1] = atomic_load_explicit(&job_word, memory_order_relaxed);
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
  if (parts > POOL_MAX_THREADS) return 0;
  if (atomic_flag_test_and_set_explicit(&busy, memory_order_acquire)) return 0;
  if (ensure_helpers(parts - 1) < parts - 1) {
    // Thread creation failed: the caller runs the parts itself.
    atomic_flag_clear_explicit(&busy, memory_order_release);
    return 0;
  }
  job_task = task;
  job_ctx = ctx;
  atomic_store_explicit(&finished, 0, memory_order_relaxed);
  const uint64_t generation = (atomic_load_explicit(&job_word, memory_order_relaxed) >> 8) + 1;
  pthread_mutex_lock(&lock);
  atomic_store_explicit(&job_word, (generation << 8) | (uint64_t)parts, memory_order_release);
  for (int i = 1; i < parts; i++) pthread_cond_signal(&wake[i]);
  pthread_mutex_unlock(&lock);
  task(ctx, 0);
  while (atomic_load_explicit(&finished, memory_order_acquire) < parts - 1) cpu_relax();
  atomic_flag_clear_explicit(&busy, memory_order_release);
  return 1;
}
