import { describe, expect, it } from 'vitest';
import { fakeRun } from '../testing/fake-runs.js';
import { createProgress, linesDisplay, progressMode } from './progress.js';

describe('progress display', () => {
  it('picks bars on a terminal, lines otherwise, nothing when turned off', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    const pipe = { isTTY: false } as NodeJS.WriteStream;
    expect(progressMode(true, tty)).toBe('bars');
    expect(progressMode(true, pipe)).toBe('lines');
    expect(progressMode(false, tty)).toBe('off');
  });

  it('plain lines: one per epoch end and per finished run, none per ordinary iteration', () => {
    const lines: string[] = [];
    const display = linesDisplay((line) => lines.push(line));
    display.update({
      type: 'start',
      totalRuns: 2,
      workers: 1,
      outDir: '/tmp/x',
      runIds: ['none-s1', 'batchnorm-s1'],
    });
    const base = {
      type: 'iteration',
      runIndex: 0,
      runId: 'none-s1',
      numIterations: 20,
      numEpochs: 2,
      epoch: 1,
    } as const;
    display.update({ ...base, iteration: 1, loss: 2.3, trainAcc: 0.1, valAcc: 0.1 });
    display.update({ ...base, iteration: 5, loss: 2.1 });
    display.update({ ...base, iteration: 10, loss: 1.87654, trainAcc: 0.4, valAcc: 0.35 });
    const run = fakeRun({ norm: 'none', seed: 1, diverged: true });
    display.update({ type: 'run-done', runIndex: 0, run, finished: 1, totalRuns: 2 });
    expect(lines).toEqual([
      'train: 2 runs on 1 worker(s) → /tmp/x',
      '  none-s1: epoch 1/2 loss 1.877 train acc 0.400 val acc 0.350',
      `[1/2] none-s1 DIVERGED at iteration 20, best val acc ${run.bestValAcc.toFixed(3)}`,
    ]);
  });

  it('off writes nothing', () => {
    const display = createProgress('off', process.stderr);
    expect(() => display.update({ type: 'data', message: 'x' })).not.toThrow();
    display.stop();
  });
});
