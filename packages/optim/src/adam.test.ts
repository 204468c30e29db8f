import { astype, tensor, zeros } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { adam, adamInPlace } from './adam.js';
import { grid, HALF_LAST_DIGIT, maxAbsDiff, relError } from './test-support/numbers.js';

// CS231n optimizer notebook: w = linspace(-0.4, 0.6), dw = linspace(-0.6, 0.4), m = linspace(0.6, 0.9),
// v = linspace(0.7, 0.5), lr 1e-2, t = 5, each as [4, 5].
const PUBLISHED_NEXT_W = [
  [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977],
  [-0.1380274, -0.08544591, -0.03286534, 0.01971428, 0.0722929],
  [0.1248705, 0.17744702, 0.23002243, 0.28259667, 0.33516969],
  [0.38774145, 0.44031188, 0.49288093, 0.54544852, 0.59801459],
].flat();
const PUBLISHED_V = [
  [0.69966, 0.68908382, 0.67851319, 0.66794809, 0.65738853],
  [0.64683452, 0.63628604, 0.6257431, 0.61520571, 0.60467385],
  [0.59414753, 0.58362676, 0.57311152, 0.56260183, 0.55209767],
  [0.54159906, 0.53110598, 0.52061845, 0.51013645, 0.49966],
].flat();
const PUBLISHED_M = [
  [0.48, 0.49947368, 0.51894737, 0.53842105, 0.55789474],
  [0.57736842, 0.59684211, 0.61631579, 0.63578947, 0.65526316],
  [0.67473684, 0.69421053, 0.71368421, 0.73315789, 0.75263158],
  [0.77210526, 0.79157895, 0.81105263, 0.83052632, 0.85],
].flat();
// The same computation in numpy (CS231n's reference code, float64), printed with 17 digits.
const NUMPY_NEXT_W = [
  -0.40094747166840083, -0.3483618689667189, -0.2957770321333014, -0.24319298836973444, -0.19060976631902593,
  -0.13802739616704435, -0.08544590975289204, -0.032865340689163525, 0.019714275506843335,
  0.07229290126975907, 0.12487049682925762, 0.17744702003811577, 0.2300224261834716, 0.2825966677792994,
  0.33516969433784094, 0.3877414521174136, 0.4403118838436444, 0.49288092840074144, 0.5454485204889067,
  0.5980145902433942,
];

const published = () =>
  adam(grid(-0.4, 0.6), grid(-0.6, 0.4), { learningRate: 1e-2, m: grid(0.6, 0.9), v: grid(0.7, 0.5), t: 5 });

describe('adam against CS231n', () => {
  it('matches the published next_w on every digit, first row to 1e-8 relative', () => {
    const { w } = published();
    expect(w.shape).toEqual([4, 5]);
    expect(maxAbsDiff(w.data, PUBLISHED_NEXT_W)).toBeLessThanOrEqual(HALF_LAST_DIGIT);
    expect(w.get(0, 0)).toBeCloseTo(-0.40094747, 8);
    expect(relError(w.data.subarray(0, 5), PUBLISHED_NEXT_W.slice(0, 5))).toBeLessThan(1e-8);
    // Whole matrix: the 8-decimal rounding of 0.019714275 alone puts CS231n's rel_error at 1.1e-7.
    expect(relError(w.data, PUBLISHED_NEXT_W)).toBeLessThan(1.2e-7);
  });

  it('matches numpy to 1e-14 and returns the published m, v and t = 6', () => {
    const { w, config } = published();
    expect(relError(w.data, NUMPY_NEXT_W)).toBeLessThan(1e-14);
    expect(maxAbsDiff(config.m.data, PUBLISHED_M)).toBeLessThanOrEqual(HALF_LAST_DIGIT);
    expect(maxAbsDiff(config.v.data, PUBLISHED_V)).toBeLessThanOrEqual(HALF_LAST_DIGIT);
    expect(relError(config.m.data, PUBLISHED_M)).toBeLessThan(1e-8);
    expect(relError(config.v.data, PUBLISHED_V)).toBeLessThan(1e-8);
    expect(config.t).toBe(6);
    expect(config).toMatchObject({ learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  });
});

describe('adam', () => {
  it('increments t before the bias correction: the first step moves each weight by about lr', () => {
    // With t = 1, m̂ = dw and v̂ = dw², so the step is lr·dw/(|dw| + ε) ≈ lr·sign(dw).
    const { w, config } = adam(tensor([1, 1, 1]), tensor([0.5, -2, 1e-3]));
    expect(config.t).toBe(1);
    const dw = [0.5, -2, 1e-3];
    dw.forEach((g, i) => {
      expect(w.data[i] - 1).toBeCloseTo((-1e-3 * g) / (Math.abs(g) + 1e-8), 15);
    });
    expect(w.data[1] - 1).toBeCloseTo(1e-3, 10);
  });

  it('is pure: w, dw and the given m, v and config are untouched', () => {
    const w = grid(-0.4, 0.6);
    const m = grid(0.6, 0.9);
    const config = { learningRate: 1e-2, m, v: grid(0.7, 0.5), t: 5 };
    const result = adam(w, grid(-0.6, 0.4), config);
    expect(Array.from(w.data)).toEqual(Array.from(grid(-0.4, 0.6).data));
    expect(Array.from(m.data)).toEqual(Array.from(grid(0.6, 0.9).data));
    expect(config.t).toBe(5);
    expect(result.w).not.toBe(w);
    expect(result.config.m).not.toBe(m);
  });

  it('adamInPlace gives the same bits over several steps, updating w, m and v in place', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      let pure = { w: astype(grid(-0.4, 0.6), dtype), config: {} as Parameters<typeof adam>[2] };
      const w = astype(grid(-0.4, 0.6), dtype);
      let inPlace = { w, config: {} as Parameters<typeof adam>[2] };
      for (let step = 0; step < 4; step++) {
        const dw = astype(grid(-0.6 + step * 0.1, 0.4 - step * 0.2), dtype);
        pure = adam(pure.w, dw, pure.config);
        const m = inPlace.config?.m;
        inPlace = adamInPlace(inPlace.w, dw, inPlace.config);
        expect(inPlace.w).toBe(w);
        if (m) expect(inPlace.config?.m).toBe(m);
      }
      expect(Array.from(inPlace.w.data)).toEqual(Array.from(pure.w.data));
      expect(Array.from(inPlace.config!.v!.data)).toEqual(Array.from(pure.config!.v!.data));
      expect(inPlace.config?.t).toBe(4);
      expect(pure.w.dtype).toBe(dtype);
    }
  });

  it('names the function, the argument and the value in every error', () => {
    const w = zeros([4, 5]);
    expect(() => adam(w, zeros([4, 4]))).toThrow('adam: dw [4,4] does not match w [4,5]');
    expect(() => adam(w, zeros([4, 5], 'float32'))).toThrow('adam: dw is float32 but w is float64');
    expect(() => adam(w, w, { lr: 1 } as never)).toThrow(
      "adam: unknown config key 'lr' (expected one of learningRate, beta1, beta2, epsilon, m, v, t)",
    );
    expect(() => adam(w, w, { beta1: 1 })).toThrow('adam: config.beta1 must be a number in [0, 1), got 1');
    expect(() => adam(w, w, { beta2: -0.5 })).toThrow(
      'adam: config.beta2 must be a number in [0, 1), got -0.5',
    );
    expect(() => adam(w, w, { epsilon: Number.NaN })).toThrow(
      'adam: config.epsilon must be a finite number >= 0, got NaN',
    );
    expect(() => adam(w, w, { t: 1.5 })).toThrow('adam: config.t must be an integer >= 0, got 1.5');
    expect(() => adam(w, w, { m: zeros([5, 4]) })).toThrow('adam: config.m [5,4] does not match w [4,5]');
    expect(() => adam(w, w, { v: zeros([4, 5], 'float32') })).toThrow(
      'adam: config.v is float32 but w is float64',
    );
    expect(() => adamInPlace(w, w, { m: 3 as never })).toThrow(
      'adamInPlace: config.m must be a Tensor, got 3',
    );
  });
});
