import { numericalGradient, relError } from '@backprop-lab/gradcheck';
import { createRng, mul, randn, type Tensor, tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { softmaxLoss } from './softmax.js';
import { svmLoss } from './svm.js';

const rng = createRng(2019);
const N = 50;
const C = 10;
const scores = mul(randn([N, C], rng), 0.001);
const y = Int32Array.from({ length: N }, () => rng.int(C));

describe('softmaxLoss', () => {
  it('is about ln 10 on near-zero scores', () => {
    expect(softmaxLoss(scores, y).loss).toBeCloseTo(Math.log(10), 2);
  });

  it('dx matches the numerical gradient', () => {
    const { dx } = softmaxLoss(scores, y);
    const dxNum = numericalGradient((t: Tensor) => softmaxLoss(t, y).loss, scores);
    expect(relError(dx, dxNum)).toBeLessThan(1e-7);
  });

  it('stays finite on huge scores (rows shifted by their max)', () => {
    const { loss, dx } = softmaxLoss(tensor([[1000, 0, -1000]]), [1]);
    expect(loss).toBeCloseTo(1000, 8);
    expect(Array.from(dx.data).every(Number.isFinite)).toBe(true);
  });
});

describe('svmLoss', () => {
  it('is about 9 (= C − 1) on near-zero scores', () => {
    expect(svmLoss(scores, y).loss).toBeCloseTo(9, 1);
  });

  it('dx matches the numerical gradient', () => {
    const { dx } = svmLoss(scores, y);
    const dxNum = numericalGradient((t: Tensor) => svmLoss(t, y).loss, scores);
    expect(relError(dx, dxNum)).toBeLessThan(1e-7);
  });

  it('computes a hand-worked example', () => {
    // Row 0: margins 2−3+1 = 0 (no gradient at the kink), 4−3+1 = 2.
    const { loss, dx } = svmLoss(tensor([[3, 2, 4]]), [0]);
    expect(loss).toBe(2);
    expect(dx.toArray()).toEqual([[-1, 0, 1]]);
  });
});

describe('label validation', () => {
  const s = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  for (const [name, loss] of [
    ['softmaxLoss', softmaxLoss],
    ['svmLoss', svmLoss],
  ] as const) {
    it(`${name} rejects wrong lengths, non-integers and out-of-range labels`, () => {
      expect(() => loss(s, [0])).toThrow(`${name}: y has 1 labels but scores [2,3] has 2 rows`);
      expect(() => loss(s, [0, 1.5])).toThrow(
        `${name}: y[1] = 1.5 is not a class index in [0, 3) for scores [2,3]`,
      );
      expect(() => loss(s, new Int32Array([3, 0]))).toThrow(
        `${name}: y[0] = 3 is not a class index in [0, 3)`,
      );
      expect(() => loss(s, [-1, 0])).toThrow(`${name}: y[0] = -1 is not a class index`);
      expect(() => loss(s, 'ab' as never)).toThrow(`${name}: y must be an Int32Array or an array of numbers`);
      expect(() => loss(tensor([1, 2]), [0, 1])).toThrow(`${name}: scores must be 2-d [N, D], got shape [2]`);
    });
  }
});
