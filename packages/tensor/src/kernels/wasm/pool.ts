import { threadHost } from '#wasm-host';
import { CONTROL_BYTES, type Engine } from './engine.js';
import type { KernelThread, ThreadHost } from './host.js';

/**
 * Threads (Node's worker threads or a browser's Web Workers, see host.ts) that share the engine's memory
 * and each run one block of a matmul, so that matmul() stays synchronous: the main thread posts jobs
 * through Int32 fields of the control block, computes its own block, then sleeps in Atomics.wait (spins,
 * where it may not sleep) until every worker has stored `done = seq` and notified.
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

// The loop every worker runs, as the source of a function of ServeData (host.ts evaluates it in the
// worker): plain JavaScript that needs nothing from its runtime but WebAssembly and Atomics.
const SERVE_SOURCE = `({ module, memory, base }) => {
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
}`;

export class WorkerPool {
  private readonly engine: Engine;
  private readonly host: ThreadHost;
  private readonly workers: KernelThread[] = [];
  private readonly ctl: Int32Array;
  private readonly seq: number[] = [];
  /** Whether this thread may sleep in Atomics.wait: a browser's main thread may not (it throws there). */
  private readonly canBlock: boolean;

  constructor(engine: Engine, host: ThreadHost = threadHost) {
    this.engine = engine;
    this.host = host;
    this.ctl = new Int32Array(engine.memory.buffer, 0, CONTROL_BYTES / 4);
    this.canBlock = threadCanBlock(this.ctl);
  }

  /** Workers that are up and take jobs. */
  get size(): number {
    let ready = 0;
    while (ready < this.workers.length && this.isReady(ready)) ready++;
    return ready;
  }

  /**
   * Starts workers until there are `count`; returns whether `count` are ready to take jobs. Where
   * workers start in the background (a browser) that is false until they are up; elsewhere this waits
   * for them. Throws if one could not start (the others are stopped).
   */
  reserve(count: number): boolean {
    if (count > MAX_WORKERS) throw new RangeError(`WorkerPool: ${count} workers exceeds ${MAX_WORKERS}`);
    const first = this.workers.length;
    for (let w = first; w < count; w++) {
      const base = w * SLOT_INTS;
      this.ctl.fill(0, base, base + SLOT_INTS);
      const data = { module: this.engine.module, memory: this.engine.memory, base };
      // An error may arrive late: it marks the slot only while that worker still holds it.
      const failed = () => {
        if (this.workers[w] === worker) Atomics.compareExchange(this.ctl, base + FIELD.ready, 0, -1);
      };
      const worker = this.host.spawn(SERVE_SOURCE, data, failed);
      this.workers.push(worker);
      this.seq.push(0);
    }
    if (this.host.startsInBackground) {
      for (let w = 0; w < count; w++)
        if (Atomics.load(this.ctl, w * SLOT_INTS + FIELD.ready) === -1) this.fail(w, 'failed to start');
      return this.size >= count;
    }
    // Wait here, once per worker, so that run() never blocks forever on a worker that could not start
    // (a blocked main thread cannot see a worker's 'error' event).
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let w = first; w < count; w++) {
      const ready = w * SLOT_INTS + FIELD.ready;
      while (Atomics.load(this.ctl, ready) === 0 && Date.now() < deadline) {
        Atomics.wait(this.ctl, ready, 0, deadline - Date.now());
      }
      if (!this.isReady(w)) this.fail(w, `did not start within ${START_TIMEOUT_MS} ms`);
    }
    return true;
  }

  private isReady(w: number): boolean {
    return Atomics.load(this.ctl, w * SLOT_INTS + FIELD.ready) === 1;
  }

  private fail(w: number, why: string): never {
    for (const worker of this.workers.splice(0)) worker.terminate();
    this.seq.length = 0;
    throw new Error(`WorkerPool: worker ${w} ${why}`);
  }

  /**
   * Sleeps while ctl[index] === value, up to timeoutMs. Where this thread may not sleep it spins: the
   * waits are for a worker's block of a product, about as long as the block this thread just computed.
   */
  private wait(index: number, value: number, timeoutMs = Number.POSITIVE_INFINITY): void {
    if (this.canBlock) {
      Atomics.wait(this.ctl, index, value, timeoutMs);
      return;
    }
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.ctl, index) === value && Date.now() < deadline) {}
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
        this.wait(base + FIELD.done, done);
        done = Atomics.load(ctl, base + FIELD.done);
      }
      if (ctl[base + FIELD.status] !== 0) failed = true;
    }
    if (ownError) throw ownError;
    if (failed) throw new Error('matmul (wasm): a worker thread failed while computing its block');
  }

  /** Stops every worker; resolves when all have exited. The pool can be reserved again afterwards. */
  async close(): Promise<void> {
    const started = this.workers.map((_, w) => this.isReady(w));
    const workers = this.workers.splice(0);
    for (let w = 0; w < workers.length; w++) {
      const base = w * SLOT_INTS;
      this.ctl[base + FIELD.op] = OP_STOP;
      this.seq[w] = (this.seq[w] + 1) | 0;
      Atomics.store(this.ctl, base + FIELD.seq, this.seq[w]);
      Atomics.notify(this.ctl, base + FIELD.seq);
    }
    // Idle workers acknowledge at once; waiting for it here means a later reserve() can reuse the
    // slots without an old worker still reading them. One still starting is ended unasked.
    const exits = workers.map((worker, w) => {
      const done = w * SLOT_INTS + FIELD.done;
      if (started[w] && Atomics.load(this.ctl, done) !== this.seq[w]) this.wait(done, this.seq[w] - 1, 1000);
      return worker.stop(started[w] && Atomics.load(this.ctl, done) === this.seq[w]);
    });
    this.seq.length = 0;
    await Promise.all(exits);
  }
}

/** Whether Atomics.wait is allowed on this thread: it throws on a browser's main thread. */
function threadCanBlock(ctl: Int32Array): boolean {
  try {
    // With a zero timeout this returns at once wherever it is allowed.
    Atomics.wait(ctl, 0, -1, 0);
    return true;
  } catch {
    return false;
  }
}
