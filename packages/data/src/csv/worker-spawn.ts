/**
 * Starts a worker thread on a module of this package, whether the package runs from its built
 * JavaScript (dist/) or from its TypeScript source (tsx, vitest).
 */
import { Worker } from 'node:worker_threads';

export function spawnModuleWorker(moduleUrl: URL): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl);
  // Node 20 does not carry a parent thread's module loader into workers, so a worker started on a .ts
  // file fails with "Unknown file extension". The worker registers tsx's hooks itself, then imports.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(code, { eval: true });
}
