import { describe, expect, it } from 'vitest';
import { firstAtLeast, firstBelow, meanArea, roundSignificant, stat, trailingMean } from './stats.js';

describe('statistics helpers', () => {
  it('stat gives mean and sample std, std 0 for one value, nulls for none', () => {
    expect(stat([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(5 / 3), n: 4 });
    expect(stat([7])).toEqual({ mean: 7, std: 0, n: 1 });
    expect(stat([])).toEqual({ mean: null, std: null, n: 0 });
  });

  it('trailingMean uses only the past, with shorter windows at the start', () => {
    expect(trailingMean([4, 2, 6, 8, 0], 2)).toEqual([4, 3, 4, 7, 4]);
    expect(trailingMean([1, 2, 3], 1)).toEqual([1, 2, 3]);
  });

  it('firstBelow counts iterations run; firstAtLeast returns the x at the crossing', () => {
    expect(firstBelow([3, 2.5, 1.9, 1.2], 2)).toBe(3);
    expect(firstBelow([3, 2.5], 2)).toBeNull();
    expect(firstAtLeast([1, 10, 20], [0.1, 0.3, 0.5], 0.3)).toBe(10);
    expect(firstAtLeast([1, 10], [0.1, 0.2], 0.3)).toBeNull();
  });

  it('meanArea is the trapezoidal area over the span', () => {
    expect(meanArea([2, 2, 2])).toBe(2);
    expect(meanArea([0, 2])).toBe(1);
    expect(meanArea([4, 0, 4])).toBe(2);
  });

  it('roundSignificant rounds in the asked direction without float noise', () => {
    expect(roundSignificant(1.2345, 2, 'up')).toBe(1.3);
    expect(roundSignificant(1.5, 2, 'up')).toBe(1.5);
    expect(roundSignificant(0.01234, 2, 'down')).toBe(0.012);
    expect(roundSignificant(0, 2, 'up')).toBe(0);
  });
});
