import { describe, expect, it } from 'vitest';
import { beforeFields, beforeOf, beforeSummary } from './before.js';
import { W_BATCHES, W_DTYPES, type WConfig } from './workload.js';

const configs: WConfig[] = W_DTYPES.flatMap((dtype) =>
  W_BATCHES.flatMap((batch) => [false, true].map((batchnorm) => ({ dtype, batch, batchnorm }))),
);

describe('the fused net before the redesign', () => {
  it.each(configs)('has figures for %o whose ratio is its ms over numpy', (config) => {
    const before = beforeOf(config);
    expect(before).toBeDefined();
    // A mistyped copy from docs/performance.md shows here: the docs' ratio is ms/numpy to 2 digits.
    expect(before!.ratio).toBeCloseTo(before!.msPerStep / before!.numpyMsPerStep, 2);
  });

  it('gives the other backends at batch 200 only, as before<Name> fields', () => {
    const at200 = beforeFields({ dtype: 'float32', batch: 200, batchnorm: true });
    expect(at200).toMatchObject({ beforeMsPerStep: 4.33, beforeWasmMsPerStep: 9.39, beforeRatio: 0.74 });
    const at50 = beforeFields({ dtype: 'float32', batch: 50, batchnorm: true });
    expect(Object.keys(at50).sort()).toEqual(['beforeMsPerStep', 'beforeNumpyMsPerStep', 'beforeRatio']);
  });

  it('has nothing for a configuration it never measured', () => {
    const config: WConfig = { dtype: 'float64', batch: 7, batchnorm: false };
    expect(beforeOf(config)).toBeUndefined();
    expect(beforeFields(config)).toEqual({});
    expect(beforeSummary(config)).toBeUndefined();
  });

  it('summarizes a configuration in one line', () => {
    expect(beforeSummary({ dtype: 'float64', batch: 50, batchnorm: false })).toBe(
      '3.38 ms/step; numpy then 5.17 ms, ratio 0.65',
    );
    expect(beforeSummary({ dtype: 'float64', batch: 200, batchnorm: false })).toContain('wasm 12.4');
  });
});
