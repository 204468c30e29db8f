import { astype, tensor, zeros } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { type SgdMomentumConfig, sgdMomentum, sgdMomentumInPlace } from './sgd-momentum.js';
import { grid, HALF_LAST_DIGIT, maxAbsDiff, relError } from './test-support/numbers.js';

// CS231n optimizer notebook: w = linspace(-0.4, 0.6), dw = linspace(-0.6, 0.4), velocity = linspace(0.6, 0.9),
// lr 1e-3, each as [4, 5].
const PUBLISHED_NEXT_W = [
  [0.1406, 0.20738947, 0.27417895, 0.34096842, 0.40775789],
  [0.47454737, 0.54133684, 0.60812632, 0.67491579, 0.74170526],
  [0.80849474, 0.87528421, 0.94207368, 1.00886316, 1.07565263],
  [1.14244211, 1.20923158, 1.27602105, 1.34281053, 1.4096],
].flat();
const PUBLISHED_VELOCITY = [
  [0.5406, 0.55475789, 0.56891579, 0.58307368, 0.59723158],
  [0.61138947, 0.62554737, 0.63970526, 0.65386316, 0.66802105],
  [0.68217895, 0.69633684, 0.71049474, 0.72465263, 0.73881053],
  [0.75296842, 0.76712632, 0.78128421, 0.79544211, 0.8096],
].flat();
// numpy (CS231n's reference code, float64), 17 digits.
const NUMPY_NEXT_W_ROW0 = [
  0.14060000000000006, 0.2073894736842105, 0.27417894736842097, 0.34096842105263164, 0.407757894736842,
];

describe('sgdMomentum against CS231n', () => {
  it('matches the published next_w and velocity on every digit, and numpy to 1e-14', () => {
    const { w, config } = sgdMomentum(grid(-0.4, 0.6), grid(-0.6, 0.4), {
      learningRate: 1e-3,
      velocity: grid(0.6, 0.9),
    });
    expect(maxAbsDiff(w.data, PUBLISHED_NEXT_W)).toBeLessThanOrEqual(HALF_LAST_DIGIT);
    expect(relError(w.data, PUBLISHED_NEXT_W)).toBeLessThan(1e-8);
    expect(relError(w.data.subarray(0, 5), NUMPY_NEXT_W_ROW0)).toBeLessThan(1e-14);
    expect(maxAbsDiff(config.velocity.data, PUBLISHED_VELOCITY)).toBeLessThanOrEqual(HALF_LAST_DIGIT);
    expect(relError(config.velocity.data, PUBLISHED_VELOCITY)).toBeLessThan(1e-8);
    expect(config.momentum).toBe(0.9);
  });
});

describe('sgdMomentum', () => {
  it('starts from zero velocity with CS231n defaults (lr 1e-2, momentum 0.9)', () => {
    const first = sgdMomentum(tensor([1, 2]), tensor([10, -20]));
    expect(first.config).toMatchObject({ learningRate: 1e-2, momentum: 0.9 });
    expect(Array.from(first.config.velocity.data)).toEqual([-0.1, 0.2]);
    expect(Array.from(first.w.data)).toEqual([0.9, 2.2]);
    const second = sgdMomentum(first.w, tensor([10, -20]), first.config);
    expect(second.config.velocity.data[0]).toBeCloseTo(0.9 * -0.1 - 0.1, 15);
  });

  it('is pure, and sgdMomentumInPlace gives the same bits while updating w and velocity in place', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const velocity = astype(grid(0.6, 0.9), dtype);
      const config: Partial<SgdMomentumConfig> = { learningRate: 1e-3, velocity };
      const w = astype(grid(-0.4, 0.6), dtype);
      const dw = astype(grid(-0.6, 0.4), dtype);
      const pure = sgdMomentum(w, dw, config);
      expect(Array.from(velocity.data)).toEqual(Array.from(astype(grid(0.6, 0.9), dtype).data));
      expect(Array.from(w.data)).toEqual(Array.from(astype(grid(-0.4, 0.6), dtype).data));
      const inPlace = sgdMomentumInPlace(w, dw, config);
      expect(inPlace.w).toBe(w);
      expect(inPlace.config.velocity).toBe(velocity);
      expect(Array.from(w.data)).toEqual(Array.from(pure.w.data));
      expect(Array.from(velocity.data)).toEqual(Array.from(pure.config.velocity.data));
    }
  });

  it('names the function, the argument and the value in every error', () => {
    const w = zeros([4, 5]);
    expect(() => sgdMomentum(w, zeros([5, 4]))).toThrow('sgdMomentum: dw [5,4] does not match w [4,5]');
    expect(() => sgdMomentum(w, zeros([4, 5], 'float32'))).toThrow(
      'sgdMomentum: dw is float32 but w is float64',
    );
    expect(() => sgdMomentum(w, w, { mu: 0.9 } as never)).toThrow(
      "sgdMomentum: unknown config key 'mu' (expected one of learningRate, momentum, velocity)",
    );
    expect(() => sgdMomentum(w, w, { momentum: 1.2 })).toThrow(
      'sgdMomentum: config.momentum must be a number in [0, 1), got 1.2',
    );
    expect(() => sgdMomentum(w, w, { learningRate: -1 })).toThrow(
      'sgdMomentum: config.learningRate must be a finite number >= 0, got -1',
    );
    expect(() => sgdMomentumInPlace(w, w, { velocity: zeros([20]) })).toThrow(
      'sgdMomentumInPlace: config.velocity [20] does not match w [4,5]',
    );
    expect(() => sgdMomentum(w, w, null as never)).toThrow('sgdMomentum: config must be an object, got null');
  });
});
