import { describe, expect, it } from 'vitest';
import { fakeRun } from '../testing/fake-runs.js';
import { goodRange, summarizeSweep } from './sweep.js';

describe('summarizeSweep', () => {
  const values = [1e-3, 1e-2, 1e-1];
  // Rates chosen so no-norm only trains at the middle scale, batchnorm at all of them.
  const rate = { none: [0.001, 0.05, 0.001], batchnorm: [0.04, 0.05, 0.04] } as const;
  const runs = (['none', 'batchnorm'] as const).flatMap((norm) =>
    values.map((value, i) =>
      fakeRun({
        norm,
        seed: 1,
        sweepValue: value,
        weightScale: value,
        rate: rate[norm][i],
        diverged: norm === 'none' && i === 2,
      }),
    ),
  );
  const sweep = summarizeSweep(runs, 'weightScale', ['none', 'batchnorm']);

  it('gives one point per normalization and value, sorted, with divergence counts', () => {
    expect(sweep.label).toBe('weight scale');
    expect(sweep.points.map((point) => [point.norm, point.value])).toEqual([
      ['none', 1e-3],
      ['none', 1e-2],
      ['none', 1e-1],
      ['batchnorm', 1e-3],
      ['batchnorm', 1e-2],
      ['batchnorm', 1e-1],
    ]);
    expect(sweep.points[2].diverged).toBe(1);
    expect(sweep.points[2].finalLoss.n).toBe(0);
    expect(sweep.points[0].bestValAcc.n).toBe(1);
  });

  it('goodRange finds the values near each norm’s peak, skipping diverged points', () => {
    expect(goodRange(sweep, 'none')?.values).toEqual([1e-2]);
    expect(goodRange(sweep, 'batchnorm')?.values).toEqual([1e-3, 1e-2, 1e-1]);
    expect(goodRange(sweep, 'layernorm')).toBeNull();
  });
});
