import { describe, expect, it } from 'vitest';
import type { Norm } from '../config.js';
import { comparisonTable } from '../report/tables.js';
import { fakeCompareRuns, fakeRun } from '../testing/fake-runs.js';
import { compareRuns } from './compare.js';
import { writeConclusion } from './conclusion.js';
import type { RunResult } from './types.js';

/** A fake run with the given loss curve (one value per iteration, 10 iterations per epoch). */
function curveRun(norm: Norm, seed: number, lossHistory: number[]): RunResult {
  return { ...fakeRun({ norm, seed }), lossHistory, numIterations: lossHistory.length };
}

const linear = (from: number, to: number, length = 40) =>
  Array.from({ length }, (_, t) => from + ((to - from) * t) / (length - 1));

describe('compareRuns', () => {
  const runs = fakeCompareRuns(['none', 'batchnorm'], [1, 2, 3]);

  it('picks a loss threshold every variant reaches and finds batchnorm faster, paired by seed', () => {
    const comparison = compareRuns(runs, {
      norms: ['none', 'batchnorm'],
      lossThreshold: null,
      valThreshold: null,
    });
    expect(comparison.baseline).toBe('none');
    expect(comparison.smoothingWindow).toBe(3); // 10 iterations per epoch / 4, rounded
    expect(comparison.lossThreshold?.source).toBe('auto');
    const [none, batchnorm] = comparison.variants;
    expect(none.itersToLoss.n).toBe(3);
    expect(batchnorm.itersToLoss.n).toBe(3);
    expect(batchnorm.itersToLoss.mean!).toBeLessThan(none.itersToLoss.mean!);
    expect(none.speedupLoss).toBeNull();
    expect(batchnorm.speedupLoss!.mean!).toBeGreaterThan(2);
    expect(batchnorm.bestValAcc.mean!).toBeGreaterThan(none.bestValAcc.mean!);
    expect(batchnorm.finalLoss.n).toBe(3);
  });

  it('uses thresholds given by flag and counts runs that never reach them', () => {
    const comparison = compareRuns(runs, {
      norms: ['none', 'batchnorm'],
      lossThreshold: 1.0,
      valThreshold: 0.3,
    });
    expect(comparison.lossThreshold).toEqual({ value: 1.0, source: 'flag' });
    const [none, batchnorm] = comparison.variants;
    // The fake no-norm runs level off at 1.2: they never get below 1.0.
    expect(none.itersToLoss).toEqual({ mean: null, std: null, n: 0 });
    expect(batchnorm.itersToLoss.n).toBe(3);
    expect(batchnorm.speedupLoss).toEqual({ mean: null, std: null, n: 0 });
    expect(none.itersToVal.n).toBe(0);
  });

  it('leaves diverged runs out of the loss figures but counts them', () => {
    const withDiverged = [...runs.slice(0, 5), fakeRun({ norm: 'batchnorm', seed: 3, diverged: true })];
    const comparison = compareRuns(withDiverged, {
      norms: ['none', 'batchnorm'],
      lossThreshold: null,
      valThreshold: null,
    });
    const batchnorm = comparison.variants[1];
    expect(batchnorm.runs).toBe(3);
    expect(batchnorm.diverged).toBe(1);
    expect(batchnorm.finalLoss.n).toBe(2);
    expect(batchnorm.lossAuc.n).toBe(2);
    expect(batchnorm.bestValAcc.n).toBe(3);
  });

  it('compares against the first norm when none is absent', () => {
    const lnRuns = fakeCompareRuns(['batchnorm', 'layernorm'], [1]);
    const comparison = compareRuns(lnRuns, {
      norms: ['batchnorm', 'layernorm'],
      lossThreshold: null,
      valThreshold: null,
    });
    expect(comparison.baseline).toBe('batchnorm');
    expect(comparison.variants[1].speedupLoss).not.toBeNull();
  });

  it('keeps the automatic loss threshold strictly below every initial loss (no rounding up past it)', () => {
    // Losses start at 2.35 and level off near 2.3: a quarter of the way up is 2.3125, which 2-digit
    // rounding up would make 2.4, above the start, so every run would "reach" it at iteration 1.
    const runs = [1, 2].flatMap((seed) => [
      curveRun('none', seed, linear(2.35, 2.3)),
      curveRun('batchnorm', seed, linear(2.35, 2.29)),
    ]);
    const comparison = compareRuns(runs, {
      norms: ['none', 'batchnorm'],
      lossThreshold: null,
      valThreshold: null,
    });
    const threshold = comparison.lossThreshold!.value;
    expect(threshold).toBeLessThan(2.35);
    expect(threshold).toBeGreaterThanOrEqual(2.3);
    for (const variant of comparison.variants) {
      expect(variant.itersToLoss.n).toBe(2);
      expect(variant.itersToLoss.mean!).toBeGreaterThan(1);
    }
    const text = writeConclusion({
      experiment: 'compare',
      norms: ['none', 'batchnorm'],
      runs,
      plannedRuns: runs.length,
      complete: true,
      comparison,
      sweep: null,
      numClasses: 3,
    }).join(' ');
    expect(text).not.toMatch(/after 1 iterations/);
    expect(text).not.toContain('fell below 2.4');
  });

  it('has no loss threshold, row or sentence when no level lies between every reach and every start', () => {
    // batchnorm starts (1.9) below the lowest loss the no-norm runs ever reach (2.0), though the mean
    // initial loss (2.45) is above it: any threshold is either unreached by one or crossed at once by the other.
    const runs = [curveRun('none', 1, linear(3.0, 2.0)), curveRun('batchnorm', 1, linear(1.9, 0.5))];
    const comparison = compareRuns(runs, {
      norms: ['none', 'batchnorm'],
      lossThreshold: null,
      valThreshold: null,
    });
    expect(comparison.lossThreshold).toBeNull();
    const labels = comparisonTable(comparison).rows.map((row) => row[0]);
    expect(labels.some((label) => label.startsWith('iterations to loss'))).toBe(false);
    expect(labels).toContain('best val acc');
    const text = writeConclusion({
      experiment: 'compare',
      norms: ['none', 'batchnorm'],
      runs,
      plannedRuns: 2,
      complete: true,
      comparison,
      sweep: null,
      numClasses: 3,
    }).join(' ');
    expect(text).not.toMatch(/fell below|never fell below/);
  });

  it('names the variant whose runs never reached the loss threshold', () => {
    const runs = [
      curveRun('none', 1, linear(2.3, 1.0)),
      curveRun('none', 2, linear(2.3, 2.2)),
      curveRun('batchnorm', 1, linear(2.3, 0.5)),
      curveRun('batchnorm', 2, linear(2.3, 0.5)),
    ];
    const comparison = compareRuns(runs, {
      norms: ['none', 'batchnorm'],
      lossThreshold: 1.5,
      valThreshold: null,
    });
    expect(comparison.variants[0].itersToLoss.n).toBe(1);
    const text = writeConclusion({
      experiment: 'compare',
      norms: ['none', 'batchnorm'],
      runs,
      plannedRuns: 4,
      complete: true,
      comparison,
      sweep: null,
      numClasses: 3,
    }).join(' ');
    expect(text).toContain('Without normalization 1 of 2 runs never got below 1.5.');
  });
});
