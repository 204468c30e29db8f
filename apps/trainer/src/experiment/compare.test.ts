import { describe, expect, it } from 'vitest';
import { fakeCompareRuns, fakeRun } from '../testing/fake-runs.js';
import { compareRuns } from './compare.js';

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
});
