// What the grader makes of the student's process's failures: whatever the process sends (its own
// String.prototype.slice may be the student's), the grader's line is short.
import { describe, expect, it } from 'vitest';
import { failureError, MAX_FAILURE_TEXT } from './remote.js';

const limits = { timeLimitMs: 1000, heapMb: 64 };

describe('failureError', () => {
  it('cuts an overlong message, name or text to MAX_FAILURE_TEXT characters', () => {
    const long = 'x'.repeat(1_000_000);
    const thrown = failureError({ kind: 'throw', name: long, message: long }, 'reluForward', limits) as Error;
    expect(thrown.message.length).toBeLessThanOrEqual(MAX_FAILURE_TEXT + 1);
    expect(thrown.message.endsWith('…')).toBe(true);
    expect(thrown.name.length).toBeLessThanOrEqual(MAX_FAILURE_TEXT + 1);
    const text = failureError({ kind: 'throw', text: long }, 'reluForward', limits) as string;
    expect(text.length).toBeLessThanOrEqual(MAX_FAILURE_TEXT + 1);
    const output = failureError({ kind: 'output', message: long }, 'reluForward', limits) as Error;
    expect(output.message.length).toBeLessThan(MAX_FAILURE_TEXT + 100);
    expect((failureError({ kind: 'throw', message: 'short' }, 'reluForward', limits) as Error).message).toBe(
      'short',
    );
  });
});
