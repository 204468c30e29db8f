import { numericalGradientArray, relError } from '@backprop-lab/gradcheck';
import {
  add,
  createRng,
  mean,
  mul,
  ones,
  randn,
  type Tensor,
  tensor,
  variance,
  zeros,
} from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { layernormBackward, layernormForward } from './layernorm.js';

const rng = createRng(2017);
const x = add(mul(randn([4, 5], rng), 5), 12);
const gamma = randn([5], rng);
const beta = randn([5], rng);
const dout = randn([4, 5], rng);

describe('layernormForward', () => {
  it('normalizes each sample over its features', () => {
    const { out } = layernormForward(x, ones([5]), zeros([5]));
    for (const m of mean(out, { axis: 1 }).data) expect(Math.abs(m)).toBeLessThan(1e-12);
    // ε = 1e-5 keeps the variance just under 1: σ²/(σ² + ε).
    for (const v of variance(out, { axis: 1 }).data) expect(v).toBeCloseTo(1, 4);
  });

  it('is the same in train and test mode and works on a single sample', () => {
    const a = layernormForward(x, gamma, beta, { mode: 'train' }).out;
    const b = layernormForward(x, gamma, beta, { mode: 'test' }).out;
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const single = layernormForward(tensor([[1, 2, 3, 4, 5]]), gamma, beta).out;
    expect(single.shape).toEqual([1, 5]);
  });

  it('names the argument and the shapes on mistakes', () => {
    expect(() => layernormForward(x, ones([4]), beta)).toThrow(
      'layernormForward: gamma has shape [4] but x has 5 features ([4,5])',
    );
    expect(() => layernormForward(x, gamma, beta, { eps: -1 })).toThrow(
      'layernormForward: lnParam.eps must be a finite number > 0, got -1',
    );
    expect(() => layernormForward(x, gamma, beta, { momentum: 0.9 } as never)).toThrow(
      "layernormForward: lnParam has unknown key 'momentum' (known: eps, mode)",
    );
    expect(() => layernormForward(x, gamma, beta, { mode: 'eval' } as never)).toThrow(
      `layernormForward: lnParam.mode must be 'train' or 'test', got "eval"`,
    );
  });
});

describe('layernormBackward', () => {
  it('matches numerical gradients for dx, dgamma, dbeta', () => {
    const forward = (t: Tensor, g = gamma, b = beta) => layernormForward(t, g, b).out;
    const { cache } = layernormForward(x, gamma, beta);
    const { dx, dgamma, dbeta } = layernormBackward(dout, cache);
    expect(
      relError(
        dx,
        numericalGradientArray((t) => forward(t), x, dout),
      ),
    ).toBeLessThan(1e-8);
    expect(
      relError(
        dgamma,
        numericalGradientArray((t) => forward(x, t), gamma, dout),
      ),
    ).toBeLessThan(1e-8);
    expect(
      relError(
        dbeta,
        numericalGradientArray((t) => forward(x, gamma, t), beta, dout),
      ),
    ).toBeLessThan(1e-8);
  });

  it('rejects a dout of the wrong shape', () => {
    const { cache } = layernormForward(x, gamma, beta);
    expect(() => layernormBackward(zeros([5, 4]), cache)).toThrow(
      'layernormBackward: dout has shape [5,4] but the forward output has shape [4,5]',
    );
  });
});
