import { describe, expect, it } from 'vitest';
import { runPool, TaskError } from './pool.js';
import type { TestTask } from './test-task.js';

const taskModule = new URL('./test-task.ts', import.meta.url);
type Result = { seed: number; total: number };

describe('runPool', () => {
  const tasks: TestTask[] = [5, 1, 4, 2, 3].map((seed) => ({ seed, steps: 50 + seed * 10 }));

  it('returns results by task index, the same from 1 and 2 workers', async () => {
    const one = await runPool<TestTask, Result>(tasks, { workers: 1, taskModule, shared: { offset: 10 } });
    const two = await runPool<TestTask, Result>(tasks, { workers: 2, taskModule, shared: { offset: 10 } });
    expect(one.aborted).toBe(false);
    expect(one.results.map((result) => result?.seed)).toEqual([5, 1, 4, 2, 3]);
    expect(two.results).toEqual(one.results);
    expect(one.results[0]!.total).toBeGreaterThan(10);
  });

  it('forwards every event with its task index', async () => {
    const steps = new Map<number, number>();
    await runPool<TestTask, Result, { step: number }>(tasks.slice(0, 2), {
      workers: 2,
      taskModule,
      shared: { offset: 0 },
      onEvent: (index, event) => steps.set(index, event.step),
    });
    expect(steps.get(0)).toBe(tasks[0].steps - 1);
    expect(steps.get(1)).toBe(tasks[1].steps - 1);
  });

  it('rejects with the task error, keeping its name', async () => {
    const failing = [...tasks.slice(0, 2), { seed: 9, steps: 1, fail: true }];
    const outcome = runPool<TestTask, Result>(failing, { workers: 2, taskModule, shared: { offset: 0 } });
    await expect(outcome).rejects.toBeInstanceOf(TaskError);
    await expect(outcome).rejects.toMatchObject({ name: 'DataError', message: 'task 9 failed on purpose' });
  });

  it('stops on abort and keeps the results finished before it', async () => {
    const controller = new AbortController();
    const slow: TestTask[] = [
      { seed: 1, steps: 1 },
      { seed: 2, steps: 10_000, delayMs: 5 },
    ];
    const outcome = await runPool<TestTask, Result>(slow, {
      workers: 1,
      taskModule,
      shared: { offset: 0 },
      signal: controller.signal,
      onResult: () => controller.abort(),
    });
    expect(outcome.aborted).toBe(true);
    expect(outcome.results[0]?.seed).toBe(1);
    expect(outcome.results[1]).toBeUndefined();
  });
});
