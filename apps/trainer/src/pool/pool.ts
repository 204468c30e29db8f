/**
 * A fixed pool of worker threads running independent tasks. Results come back by task index, so they do
 * not depend on how many workers ran them or which finished first. On abort the workers are terminated
 * and the results finished so far are returned; a task that throws stops the pool and rejects.
 *
 * Workers start from worker-entry.mjs, which registers tsx and imports `taskModule`, a module exporting
 * `setup?(shared) → context` (once per worker) and `runTask(task, context, emit) → result`.
 */
import { Worker } from 'node:worker_threads';

export interface PoolOptions<TEvent, TResult = unknown> {
  workers: number;
  /** URL of the TypeScript (or JavaScript) task module. */
  taskModule: URL;
  /** Given to every worker's setup(); may hold SharedArrayBuffers, which are shared, not copied. */
  shared?: unknown;
  signal?: AbortSignal;
  onEvent?: (taskIndex: number, event: TEvent) => void;
  /** Called as each task finishes, in completion order. */
  onResult?: (taskIndex: number, result: TResult) => void;
}

export interface PoolOutcome<TResult> {
  /** One entry per task; undefined where the pool was aborted before the task finished. */
  results: (TResult | undefined)[];
  aborted: boolean;
}

/** A task error carried across the thread boundary, keeping the original error's name. */
export class TaskError extends Error {
  constructor(name: string, message: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'event'; id: number; event: unknown }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: { name: string; message: string; stack?: string } };

export function runPool<TTask, TResult, TEvent = unknown>(
  tasks: readonly TTask[],
  options: PoolOptions<TEvent, TResult>,
): Promise<PoolOutcome<TResult>> {
  const results: (TResult | undefined)[] = new Array(tasks.length).fill(undefined);
  const { signal } = options;
  if (tasks.length === 0 || signal?.aborted)
    return Promise.resolve({ results, aborted: signal?.aborted ?? false });
  const size = Math.max(1, Math.min(options.workers, tasks.length));

  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let finished = 0;
    let settled = false;

    const stop = async () => {
      signal?.removeEventListener('abort', onAbort);
      await Promise.all(workers.map((worker) => worker.terminate()));
    };
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      stop().then(
        () => reject(error),
        () => reject(error),
      );
    };
    const onAbort = () => {
      if (settled) return;
      settled = true;
      stop().then(() => resolve({ results, aborted: true }), reject);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const dispatch = (worker: Worker) => {
      if (settled || next >= tasks.length) return;
      const id = next++;
      worker.postMessage({ type: 'task', id, task: tasks[id] });
    };

    for (let i = 0; i < size; i++) {
      const worker = new Worker(ENTRY, {
        execArgv: [],
        workerData: { taskModule: options.taskModule.href, shared: options.shared },
      });
      workers.push(worker);
      worker.on('message', (message: WorkerMessage) => {
        if (settled) return;
        if (message.type === 'ready') dispatch(worker);
        else if (message.type === 'event') options.onEvent?.(message.id, message.event as TEvent);
        else if (message.type === 'error') {
          fail(new TaskError(message.error.name, message.error.message, message.error.stack));
        } else {
          results[message.id] = message.result as TResult;
          finished++;
          options.onResult?.(message.id, message.result as TResult);
          if (finished === tasks.length) {
            settled = true;
            stop().then(() => resolve({ results, aborted: false }), reject);
          } else dispatch(worker);
        }
      });
      worker.on('error', (error) => fail(error));
      worker.on('exit', (code) => {
        if (!settled)
          fail(new Error(`worker thread ${i + 1} exited with code ${code} before its tasks finished`));
      });
    }
  });
}

export async function availableWorkers(): Promise<number> {
  const os = await import('node:os');
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
