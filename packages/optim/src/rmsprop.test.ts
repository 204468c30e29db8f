import { astype, tensor, zeros } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { type RmspropConfig, rmsprop, rmspropInPlace } from './rmsprop.js';
import { grid, HALF_LAST_DIGIT, maxAbsDiff, relError } from './test-support/numbers.js';

// CS231n optimizer notebook: w = linspace(-0.4, 0.6), dw = linspace(-0.6, 0.4), cache = linspace(0.6, 0.9),
// lr 1e-2, each as [4, 5].
const PUBLISHED_NEXT_W = [
  [-0.39223849, -0.34037513, -0.28849239, -0.23659121, -0.18467247],
  [-0.132737, -0.08078555, -0.02881884, 0.02316247, 0.07515774],
  [0.12716641, 0.17918792, 0.23122175, 0.28326742, 0.33532447],
  [0.38739248, 0.43947102, 0.49155973, 0.54365823, 0.59576619],
].flat();
const PUBLISHED_CACHE = [
  [0.5976, 0.6126277, 0.6277108, 0.64284931, 0.65804321],
  [0.67329252, 0.68859723, 0.70395734, 0.71937285, 0.73484377],
  [0.75037008, 0.7659518, 0.78158892, 0.79728144, 0.81302936],
  [0.82883269, 0.84469141, 0.86060554, 0.87657507, 0.8926],
].flat();
// numpy (CS231n's reference code, float64), 17 digits.
const NUMPY_NEXT_W_ROW0 = [
  -0.3922384948433383, -0.34037513299070765, -0.28849238846687814, -0.23659120821081786, -0.18467247195258382,
];

describe('rmsprop against CS231n', () => {
  it('matches the published next_w and cache on every digit, and numpy to 1e-14', () => {
    const { w, config } = rmsprop(grid(-0.4, 0.6), grid(-0.6, 0.4), {
      learningRate: 1e-2,
      cache: grid(0.6, 0.9),
    });
    expect(maxAbsDiff(w.data, PUBLISHED_NEXT_W)).toBeLessThanOrEqual(HALF_LAST_DIGIT);
    expect(relError(w.data, PUBLISHED_NEXT_W)).toBeLessThan(1e-7);
    expect(relError(w.data.subarray(0, 5), PUBLISHED_NEXT_W.slice(0, 5))).toBeLessThan(1e-8);
    expect(relError(w.data.subarray(0, 5), NUMPY_NEXT_W_ROW0)).toBeLessThan(1e-14);
    expect(maxAbsDiff(config.cache.data, PUBLISHED_CACHE)).toBeLessThanOrEqual(HALF_LAST_DIGIT);
    expect(relError(config.cache.data, PUBLISHED_CACHE)).toBeLessThan(1e-8);
    expect(config).toMatchObject({ decayRate: 0.99, epsilon: 1e-8 });
  });
});

describe('rmsprop', () => {
  it('starts from a zero cache with CS231n defaults (lr 1e-2, decay 0.99, eps 1e-8)', () => {
    const { w, config } = rmsprop(tensor([0]), tensor([2]));
    expect(config.cache.data[0]).toBeCloseTo(0.01 * 4, 15);
    // c = 0.04, √c = 0.2: the step is lr·2/(0.2 + 1e-8).
    expect(w.data[0]).toBeCloseTo(-(1e-2 * 2) / (0.2 + 1e-8), 15);
  });

  it('is pure, and rmspropInPlace gives the same bits while updating w and cache in place', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const cache = astype(grid(0.6, 0.9), dtype);
      const config: Partial<RmspropConfig> = { learningRate: 1e-2, cache };
      const w = astype(grid(-0.4, 0.6), dtype);
      const dw = astype(grid(-0.6, 0.4), dtype);
      const pure = rmsprop(w, dw, config);
      expect(Array.from(cache.data)).toEqual(Array.from(astype(grid(0.6, 0.9), dtype).data));
      const inPlace = rmspropInPlace(w, dw, config);
      expect(inPlace.w).toBe(w);
      expect(inPlace.config.cache).toBe(cache);
      expect(Array.from(w.data)).toEqual(Array.from(pure.w.data));
      expect(Array.from(cache.data)).toEqual(Array.from(pure.config.cache.data));
    }
  });

  it('names the function, the argument and the value in every error', () => {
    const w = zeros([4, 5]);
    expect(() => rmsprop(w, zeros([4]))).toThrow('rmsprop: dw [4] does not match w [4,5]');
    expect(() => rmsprop(w, w, { decay_rate: 0.9 } as never)).toThrow(
      "rmsprop: unknown config key 'decay_rate' (expected one of learningRate, decayRate, epsilon, cache)",
    );
    expect(() => rmsprop(w, w, { decayRate: 1 })).toThrow(
      'rmsprop: config.decayRate must be a number in [0, 1), got 1',
    );
    expect(() => rmsprop(w, w, { epsilon: '1e-8' as never })).toThrow(
      "rmsprop: config.epsilon must be a finite number >= 0, got '1e-8'",
    );
    expect(() => rmsprop(w, w, { cache: zeros([4, 5], 'float32') })).toThrow(
      'rmsprop: config.cache is float32 but w is float64',
    );
    expect(() => rmspropInPlace([] as never, w)).toThrow('rmspropInPlace: w must be a Tensor, got an array');
  });
});
