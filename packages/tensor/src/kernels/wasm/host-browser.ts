import type { ThreadHost } from './host.js';

/** The parts of a browser's globals this module uses (the DOM lib is not in the build's lib). */
interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'error', listener: () => void): void;
}
interface BrowserGlobals {
  Worker?: new (url: string) => WebWorker;
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  URL: { createObjectURL(blob: Blob): string };
}
const web = globalThis as unknown as BrowserGlobals;

/**
 * A browser's threads for the wasm backend: Web Workers. Posting a shared WebAssembly.Memory to a
 * worker is allowed only on a cross-origin isolated page (served with COOP and COEP headers); elsewhere
 * there is no SharedArrayBuffer, the engine's memory is not shared, and the backend runs on one thread.
 */
export const threadHost: ThreadHost = {
  cores: () => (threadsAllowed() ? (web.navigator?.hardwareConcurrency ?? 1) : 1),
  // A browser starts a worker only once the thread that made it returns to its event loop.
  startsInBackground: true,
  spawn(serveSource, data, onError) {
    if (!threadsAllowed()) {
      throw new Error('wasm threads need a cross-origin isolated page (COOP and COEP headers)');
    }
    const WebWorkerClass = web.Worker as new (url: string) => WebWorker;
    const worker = new WebWorkerClass(workerUrl(serveSource));
    worker.addEventListener('error', onError);
    worker.postMessage(data);
    return {
      // A Web Worker stays alive once its loop returns: end it either way.
      stop: () => {
        worker.terminate();
        return Promise.resolve();
      },
      terminate: () => worker.terminate(),
    };
  },
};

function threadsAllowed(): boolean {
  return (
    web.crossOriginIsolated === true &&
    typeof web.Worker === 'function' &&
    typeof SharedArrayBuffer === 'function'
  );
}

let url: string | undefined;

/** One blob: URL for every worker, kept for the page's life (a worker may still be fetching it). */
function workerUrl(serveSource: string): string {
  url ??= web.URL.createObjectURL(
    new Blob([`onmessage = (event) => (${serveSource})(event.data);`], { type: 'text/javascript' }),
  );
  return url;
}
