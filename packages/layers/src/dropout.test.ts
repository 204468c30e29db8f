import { numericalGradientArray, relError } from '@backprop-lab/gradcheck';
import { add, createRng, mean, randn, tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { dropoutBackward, dropoutForward } from './dropout.js';

const rng = createRng(2018);
const x = add(randn([500, 500], rng), 10);

describe('dropoutForward', () => {
  for (const p of [0.25, 0.4, 0.7]) {
    it(`keeps about a fraction p = ${p} of units and preserves the mean`, () => {
      const { out } = dropoutForward(x, { p, mode: 'train', seed: 123 });
      let zerosCount = 0;
      for (const v of out.data) if (v === 0) zerosCount += 1;
      expect(zerosCount / out.size).toBeCloseTo(1 - p, 2);
      expect(mean(out).item()).toBeCloseTo(mean(x).item(), 1);
    });
  }

  it('is the identity at test time', () => {
    const { out } = dropoutForward(x, { p: 0.3, mode: 'test' });
    expect(out.shape).toEqual(x.shape);
    expect(out.data.every((v, i) => v === x.data[i])).toBe(true);
  });

  it('gives the same mask for the same seed, and a moving mask from an rng', () => {
    const small = randn([4, 6], rng);
    const a = dropoutForward(small, { p: 0.5, mode: 'train', seed: 9 }).out;
    const b = dropoutForward(small, { p: 0.5, mode: 'train', seed: 9 }).out;
    expect(a.data).toEqual(b.data);
    const stream = createRng(9);
    const c = dropoutForward(small, { p: 0.5, mode: 'train', rng: stream }).out;
    const d = dropoutForward(small, { p: 0.5, mode: 'train', rng: stream }).out;
    expect(c.data).toEqual(a.data);
    expect(d.data).not.toEqual(c.data);
  });

  it('validates p, mode and the randomness source', () => {
    expect(() => dropoutForward(x, { p: 0, mode: 'train', seed: 1 })).toThrow(
      'dropoutForward: param.p must be a number > 0 and <= 1, got 0',
    );
    expect(() => dropoutForward(x, { p: 0.5, mode: 'predict' as never, seed: 1 })).toThrow(
      `dropoutForward: param.mode must be 'train' or 'test', got "predict"`,
    );
    expect(() => dropoutForward(x, { p: 0.5, mode: 'train' })).toThrow(
      'dropoutForward: train mode needs param.seed or param.rng',
    );
    expect(() => dropoutForward(x, { p: 0.5, mode: 'train', seed: 1, rng: createRng(1) })).toThrow(
      'dropoutForward: give param.seed or param.rng, not both',
    );
    expect(() => dropoutForward(x, { keep: 0.5, mode: 'train' } as never)).toThrow(
      "dropoutForward: param has unknown key 'keep' (known: p, mode, seed, rng)",
    );
  });
});

describe('dropoutBackward', () => {
  it('matches the numerical gradient (fixed seed)', () => {
    const small = add(randn([10, 10], rng), 10);
    const dout = randn([10, 10], rng);
    const param = { p: 0.2, mode: 'train' as const, seed: 123 };
    const { cache } = dropoutForward(small, param);
    const dx = dropoutBackward(dout, cache);
    const dxNum = numericalGradientArray((t) => dropoutForward(t, param).out, small, dout);
    expect(relError(dx, dxNum)).toBeLessThan(1e-10);
  });

  it('passes dout through at test time and checks its shape', () => {
    const { cache } = dropoutForward(tensor([1, 2]), { p: 0.5, mode: 'test' });
    expect(dropoutBackward(tensor([3, 4]), cache).toArray()).toEqual([3, 4]);
    expect(() => dropoutBackward(tensor([3]), cache)).toThrow(
      'dropoutBackward: dout has shape [1] but x has shape [2]',
    );
  });
});
