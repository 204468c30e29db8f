/**
 * Idle csv workers kept for a few seconds after a read, so reading train, val and test one after the
 * other starts threads once (from TypeScript source a start costs ~0.3 s: the worker loads tsx). Idle
 * workers are unref'd, so they never keep the process alive, and are ended after IDLE_MS.
 */
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from './worker-spawn.js';

const IDLE_MS = 5000;
const idle: Worker[] = [];
const dead = new WeakSet<Worker>();
let idleTimer: NodeJS.Timeout | undefined;

function spawn(moduleUrl: URL): Worker {
  const worker = spawnModuleWorker(moduleUrl);
  // A worker that fails while idle must not crash the process; one that fails mid-job is reported by the job.
  worker.on('error', () => dead.add(worker));
  worker.on('exit', () => {
    dead.add(worker);
    const at = idle.indexOf(worker);
    if (at >= 0) idle.splice(at, 1);
  });
  return worker;
}

export function borrowWorkers(moduleUrl: URL, count: number): Worker[] {
  clearTimeout(idleTimer);
  const workers = idle.splice(0, count);
  while (workers.length < count) workers.push(spawn(moduleUrl));
  for (const worker of workers) worker.ref();
  return workers;
}

/** Gives workers back once every job sent to them has replied; failed ones are ended instead. */
export function returnWorkers(workers: Worker[]): void {
  for (const worker of workers) {
    if (dead.has(worker)) continue;
    worker.unref();
    idle.push(worker);
  }
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    for (const worker of idle.splice(0)) void worker.terminate();
  }, IDLE_MS).unref();
}

export function discardWorker(worker: Worker): void {
  dead.add(worker);
  void worker.terminate();
}
