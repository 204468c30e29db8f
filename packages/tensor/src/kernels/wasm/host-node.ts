import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ThreadHost } from './host.js';

/** Node's threads for the wasm backend: worker_threads, which share the memory through workerData. */
export const threadHost: ThreadHost = {
  cores: () => availableParallelism(),
  startsInBackground: false,
  spawn(serveSource, data, onError) {
    // Evaluated source (eval: true), because a .ts worker file would not load under vitest or plain node.
    // Whether eval code runs as CommonJS or as a module depends on flags the worker inherits (for example
    // --input-type=module), so it uses only what both have: dynamic import(), no require, no static import.
    // It blocks in Atomics.wait between jobs; unref() keeps that from holding the process open.
    const source = `import('node:worker_threads').then(({ workerData }) => (${serveSource})(workerData));`;
    const worker = new Worker(source, {
      eval: true,
      // The parent's flags would bring its loaders along (tsx's alone adds ~300 ms to a start); the
      // worker needs none, and V8 flags are process-wide anyway.
      execArgv: [],
      workerData: data,
    });
    // Without a listener an 'error' event would crash the process; a worker that fails to start is
    // caught by the pool's ready check, one that fails later by run()'s status check.
    worker.on('error', onError);
    worker.unref();
    return {
      stop(acknowledged) {
        // ref() again: with every worker unref'd, nothing would keep the event loop alive to see them
        // exit. No event can have been missed: the caller has not yielded since telling it to stop.
        worker.ref();
        const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        if (!acknowledged) void worker.terminate();
        return exit;
      },
      terminate: () => void worker.terminate(),
    };
  },
};
