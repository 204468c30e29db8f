/**
 * The page script browser.test.ts bundles for Chromium: runs runSuite on the wasm backend and leaves
 * a report in globalThis.report. `?threads=2` asks for two threads with every product split.
 */
import {
  getBackend,
  shutdownWasmThreads,
  wasmAvailable,
  wasmBackend,
  wasmThreadsRunning,
} from '@backprop-lab/tensor';
import { runSuite, type SuiteBits } from './browser-suite.js';

export interface PageReport {
  crossOriginIsolated: boolean;
  /** Whether SharedArrayBuffer exists, so the engine's memory is shared (else unshared, one thread). */
  sharedArrayBuffer: boolean;
  wasmAvailable: boolean;
  /** The backend ops use by default on this page. */
  defaultBackend: string;
  backend: string;
  /** Workers that were up when the suite ran. */
  threadsRunning: number;
  bits: SuiteBits;
}

/** The page's globals used here (the DOM lib is not in the build's lib). */
const page = globalThis as unknown as { location: { search: string }; crossOriginIsolated?: boolean };

async function report(): Promise<PageReport> {
  const threads = Number(new URLSearchParams(page.location.search).get('threads') ?? '1');
  const backend = wasmBackend({ threads, parallelMinFlops: 0 });
  if (threads > 1 && page.crossOriginIsolated) {
    // The first split product starts the workers; a page's workers start once it yields, so wait here
    // for them (bounded: a worker that never starts leaves the suite on one thread, and the test fails).
    runSuite(backend);
    for (let tries = 0; tries < 500 && wasmThreadsRunning() < threads - 1; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const threadsRunning = wasmThreadsRunning();
  const bits = runSuite(backend);
  await shutdownWasmThreads();
  return {
    crossOriginIsolated: page.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    wasmAvailable: wasmAvailable(),
    defaultBackend: getBackend().name,
    backend: backend.name,
    threadsRunning,
    bits,
  };
}

(globalThis as { report?: Promise<PageReport> }).report = report();
