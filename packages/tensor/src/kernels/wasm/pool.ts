import { Worker } from 'node:worker_threads';
import { CONTROL_BYTES, type Engine } from './engine.js';

/**
 * Worker threads that share the engine's memory and each run one block of a matmul, so that matmul()
 * stays synchronous: the main thread posts jobs through Int32 fields of the control block, computes
 * its own block, then sleeps in Atomics.wait until every worker has stored `done = seq` and notified.
 *
 * Control slot of worker w: Int32 fields at CONTROL_BYTES/4/MAX_WORKERS·w + FIELD.
 */
const FIELD = {
  seq: 0, // bumped by the main thread to hand over a job
  done: 1, // set to seq by the worker when the job is finished
  status: 2, // 0 ok, 1 the kernel threw
  ready: 3, // set by the worker: 1 once its instance exists, -1 if it could not make one
  op: 4, // OP_F64 | OP_F32 | OP_STOP
  args: 5, // a matmul's 13 integer arguments, in KernelEntry order
} as const;
export const OP_F64 = 1;
export const OP_F32 = 2;
const OP_STOP = 3;
const MAX_WORKERS = 8;
/** A worker that has not instantiated the kernel by then is taken as unable to start. */
const START_TIMEOUT_MS = 10_000;
const SLOT_INTS = CONTROL_BYTES / 4 / MAX_WORKERS;

/** One worker's job: the 13 arguments of matmulF64 / matmulF32. */
export interface Job {
  op: typeof OP_F64 | typeof OP_F32;
  args: readonly number[];
}

// Evaluated source (eval: true), because a .ts worker file would not load under vitest or plain node.
// Whether eval code runs as CommonJS or as a module depends on flags the worker inherits (for example
// --input-type=module), so it uses only what both have: dynamic import(), no require, no static import.
// It blocks in Atomics.wait between jobs; unref() keeps that from holding the process open.
const WORKER_SOURCE = `
import('node:worker_threads').then(({ workerData }) => {
  const { module, memory, base } = workerData;
  const ctl = new Int32Array(memory.buffer, 0, ${CONTROL_BYTES / 4});
  let kernel;
  try {
    kernel = new WebAssembly.Instance(module, { env: { memory } }).exports;
    Atomics.store(ctl, base + ${FIELD.ready}, 1);
  } catch {
    Atomics.store(ctl, base + ${FIELD.ready}, -1);
  }
  Atomics.notify(ctl, base + ${FIELD.ready});
  if (!kernel) return;
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, base + ${FIELD.seq}, seen);
    const seq = Atomics.load(ctl, base + ${FIELD.seq});
    if (seq === seen) continue;
    seen = seq;
    const op = ctl[base + ${FIELD.op}];
    let status = 0;
    if (op !== ${OP_STOP}) {
      try {
        const a = base + ${FIELD.args};
        const run = op === ${OP_F64} ? kernel.matmulF64 : kernel.matmulF32;
        run(ctl[a], ctl[a + 1], ctl[a + 2], ctl[a + 3], ctl[a + 4], ctl[a + 5], ctl[a + 6], ctl[a + 7],
          ctl[a + 8], ctl[a + 9], ctl[a + 10], ctl[a + 11], ctl[a + 12]);
      } catch {
        status = 1;
      }
    }
    Atomics.store(ctl, base + ${FIELD.status}, status);
    Atomics.store(ctl, base + ${FIELD.done}, seq);
    Atomics.notify(ctl, base + ${FIELD.done});
    if (op === ${OP_STOP}) return;
  }
});
`;

export class WorkerPool {
  private readonly engine: Engine;
  private readonly workers: Worker[] = [];
  private readonly ctl: Int32Array;
  private readonly seq: number[] = [];

  constructor(engine: Engine) {
    this.engine = engine;
    this.ctl = new Int32Array(engine.memory.buffer, 0, CONTROL_BYTES / 4);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Starts workers until there are `count`; throws if one does not start (the others are stopped). */
  reserve(count: number): void {
    if (count > MAX_WORKERS) throw new RangeError(`WorkerPool: ${count} workers exceeds ${MAX_WORKERS}`);
    const first = this.workers.length;
    for (let w = first; w < count; w++) {
      const base = w * SLOT_INTS;
      this.ctl.fill(0, base, base + SLOT_INTS);
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        // The parent's flags would bring its loaders along (tsx's alone adds ~300 ms to a start); the
        // worker needs none, and V8 flags are process-wide anyway.
        execArgv: [],
        workerData: { module: this.engine.module, memory: this.engine.memory, base },
      });
      // Without a listener an 'error' event would crash the process; a worker that fails to start is
      // caught by the ready check below, one that fails later by run()'s status check.
      worker.on('error', () => {});
      worker.unref();
      this.workers.push(worker);
      this.seq.push(0);
    }
    // Wait here, once per worker, so that run() never blocks forever on a worker that could not start
    // (a blocked main thread cannot see a worker's 'error' event).
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let w = first; w < count; w++) {
      const ready = w * SLOT_INTS + FIELD.ready;
      while (Atomics.load(this.ctl, ready) === 0 && Date.now() < deadline) {
        Atomics.wait(this.ctl, ready, 0, deadline - Date.now());
      }
      if (Atomics.load(this.ctl, ready) !== 1) {
        for (const worker of this.workers.splice(0)) void worker.terminate();
        this.seq.length = 0;
        throw new Error(`WorkerPool: worker ${w} did not start within ${START_TIMEOUT_MS} ms`);
      }
    }
  }

  /**
   * Hands jobs[w] to worker w, runs `own` on this thread, then waits for every worker.
   * Throws if a worker's kernel threw; the other blocks are still waited for first.
   */
  run(jobs: readonly Job[], own: () => void): void {
    if (jobs.length > this.size) {
      throw new RangeError(`WorkerPool.run: ${jobs.length} jobs for ${this.size} workers`);
    }
    const ctl = this.ctl;
    for (const [w, job] of jobs.entries()) {
      const base = w * SLOT_INTS;
      ctl[base + FIELD.op] = job.op;
      for (const [i, value] of job.args.entries()) ctl[base + FIELD.args + i] = value;
      this.seq[w] = (this.seq[w] + 1) | 0;
      Atomics.store(ctl, base + FIELD.seq, this.seq[w]);
      Atomics.notify(ctl, base + FIELD.seq);
    }
    let ownError: unknown = null;
    try {
      own();
    } catch (error) {
      ownError = error;
    }
    let failed = false;
    for (let w = 0; w < jobs.length; w++) {
      const base = w * SLOT_INTS;
      for (let done = Atomics.load(ctl, base + FIELD.done); done !== this.seq[w]; ) {
        Atomics.wait(ctl, base + FIELD.done, done);
        done = Atomics.load(ctl, base + FIELD.done);
      }
      if (ctl[base + FIELD.status] !== 0) failed = true;
    }
    if (ownError) throw ownError;
    if (failed) throw new Error('matmul (wasm): a worker thread failed while computing its block');
  }

  /** Stops every worker; resolves when all have exited. The pool can be reserved again afterwards. */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    // ref() again: with every worker unref'd, nothing would keep the event loop alive to see them exit.
    const exits = workers.map((worker) => {
      worker.ref();
      return new Promise((resolve) => worker.once('exit', resolve));
    });
    for (let w = 0; w < workers.length; w++) {
      const base = w * SLOT_INTS;
      this.ctl[base + FIELD.op] = OP_STOP;
      this.seq[w] = (this.seq[w] + 1) | 0;
      Atomics.store(this.ctl, base + FIELD.seq, this.seq[w]);
      Atomics.notify(this.ctl, base + FIELD.seq);
    }
    // Idle workers acknowledge at once; waiting for it here means a later reserve() can reuse the
    // slots without an old worker still reading them.
    for (let w = 0; w < workers.length; w++) {
      const done = w * SLOT_INTS + FIELD.done;
      if (Atomics.load(this.ctl, done) !== this.seq[w]) Atomics.wait(this.ctl, done, this.seq[w] - 1, 1000);
      if (Atomics.load(this.ctl, done) !== this.seq[w]) void workers[w].terminate();
    }
    this.seq.length = 0;
    await Promise.all(exits);
  }
}
