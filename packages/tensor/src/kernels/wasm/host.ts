import type { WasmMemory, WasmModule } from './webassembly.js';

/**
 * What the wasm backend needs from its runtime for threads, with one implementation per runtime:
 * host-node.ts (worker_threads) and host-browser.ts (Web Workers). package.json's `imports` maps
 * `#wasm-host` to the browser one under the `browser` condition, so a bundler building for the browser
 * never sees a `node:` module, and Node never loads the browser one.
 */
export interface ThreadHost {
  /** Threads this runtime can run kernels on at once (1 where it cannot start any). */
  cores(): number;
  /**
   * True where a new thread starts only once the creating thread returns to its event loop (a browser's
   * workers): the pool then never blocks waiting for one, and products use the threads once they are up.
   */
  readonly startsInBackground: boolean;
  /**
   * Starts a thread that evaluates `serveSource` (a function expression's source) and calls it with
   * `data`. `onError` runs if the thread fails outside the kernel loop (e.g. it cannot start).
   * Throws where this runtime cannot start threads that share the memory.
   */
  spawn(serveSource: string, data: ServeData, onError: () => void): KernelThread;
}

/** What every thread gets: the compiled module, the shared memory, its control slot's first Int32. */
export interface ServeData {
  module: WasmModule;
  memory: WasmMemory;
  base: number;
}

export interface KernelThread {
  /**
   * Called once the thread has been told to stop; `acknowledged` says whether it answered. Resolves when
   * the thread is gone (one that did not answer is terminated).
   */
  stop(acknowledged: boolean): Promise<void>;
  /** Ends the thread now, whatever it is doing. */
  terminate(): void;
}
