/**
 * A task module for the pool's tests: deterministic work from a seed, an event per step, a failure on
 * request, and a slow mode for abort tests. It imports workspace TypeScript to prove tsx runs in workers.
 */
import { createRng } from '@backprop-lab/tensor';

export interface TestTask {
  seed: number;
  steps: number;
  fail?: boolean;
  /** Milliseconds to wait per step (abort tests). */
  delayMs?: number;
}

export interface TestContext {
  offset: number;
}

export function setup(shared: { offset: number; buffer?: SharedArrayBuffer }): TestContext {
  // Writing into the shared buffer proves it is shared, not copied.
  if (shared.buffer) new Int32Array(shared.buffer)[0] += 0;
  return { offset: shared.offset };
}

export async function runTask(task: TestTask, context: TestContext, emit: (event: { step: number }) => void) {
  if (task.fail) {
    const error = new Error(`task ${task.seed} failed on purpose`);
    error.name = 'DataError';
    throw error;
  }
  const rng = createRng(task.seed);
  let total = 0;
  for (let step = 0; step < task.steps; step++) {
    total += rng.uniform();
    emit({ step });
    if (task.delayMs) await new Promise((resolve) => setTimeout(resolve, task.delayMs));
  }
  return { seed: task.seed, total: total + context.offset };
}
