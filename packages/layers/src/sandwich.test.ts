import { numericalGradientArray, relError } from '@backprop-lab/gradcheck';
import { createRng, randn, type Tensor, tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import {
  affineNormReluBackward,
  affineNormReluForward,
  affineReluBackward,
  affineReluForward,
  type NormSpec,
} from './sandwich.js';

const rng = createRng(2020);
const x = randn([4, 3, 2], rng);
const W = randn([6, 8], rng);
const b = randn([8], rng);
const gamma = randn([8], rng);
const beta = randn([8], rng);
const dout = randn([4, 8], rng);

describe('affineRelu', () => {
  it('matches numerical gradients for dx, dW, db', () => {
    const { cache } = affineReluForward(x, W, b);
    const grads = affineReluBackward(dout, cache);
    const f = (xx: Tensor, WW: Tensor, bb: Tensor) => affineReluForward(xx, WW, bb).out;
    expect(
      relError(
        grads.dx,
        numericalGradientArray((t) => f(t, W, b), x, dout),
      ),
    ).toBeLessThan(1e-8);
    expect(
      relError(
        grads.dW,
        numericalGradientArray((t) => f(x, t, b), W, dout),
      ),
    ).toBeLessThan(1e-8);
    expect(
      relError(
        grads.db,
        numericalGradientArray((t) => f(x, W, t), b, dout),
      ),
    ).toBeLessThan(1e-8);
  });
});

describe('affineNormRelu', () => {
  const specs: [string, () => NormSpec][] = [
    ['batchnorm', () => ({ kind: 'batchnorm', param: { mode: 'train' } })],
    ['layernorm', () => ({ kind: 'layernorm' })],
  ];
  for (const [name, spec] of specs) {
    it(`${name}: matches numerical gradients for every input`, () => {
      const f = (xx: Tensor, WW: Tensor, bb: Tensor, g: Tensor, be: Tensor) =>
        affineNormReluForward(xx, WW, bb, g, be, spec()).out;
      const { cache } = affineNormReluForward(x, W, b, gamma, beta, spec());
      const grads = affineNormReluBackward(dout, cache);
      const check = (analytic: Tensor, at: Tensor, g: (t: Tensor) => Tensor) =>
        relError(analytic, numericalGradientArray(g, at, dout));
      expect(check(grads.dx, x, (t) => f(t, W, b, gamma, beta))).toBeLessThan(1e-7);
      expect(check(grads.dW, W, (t) => f(x, t, b, gamma, beta))).toBeLessThan(1e-7);
      expect(check(grads.dgamma, gamma, (t) => f(x, W, b, t, beta))).toBeLessThan(1e-7);
      expect(check(grads.dbeta, beta, (t) => f(x, W, b, gamma, t))).toBeLessThan(1e-7);
      if (name === 'layernorm') expect(check(grads.db, b, (t) => f(x, W, t, gamma, beta))).toBeLessThan(1e-7);
      // Batchnorm subtracts the batch mean, so b cannot change the output: its true gradient is 0.
      else for (const v of grads.db.data) expect(Math.abs(v)).toBeLessThan(1e-12);
    });
  }

  it('rejects an unknown normalization', () => {
    expect(() => affineNormReluForward(x, W, b, gamma, beta, { kind: 'groupnorm' } as never)).toThrow(
      "affineNormReluForward: norm.kind must be 'batchnorm' or 'layernorm', got groupnorm",
    );
  });

  it('passes batchnorm shape errors through with the layer name', () => {
    expect(() =>
      affineNormReluForward(x, W, b, tensor([1, 2]), beta, { kind: 'batchnorm', param: { mode: 'train' } }),
    ).toThrow('batchnormForward: gamma has shape [2] but x has 8 features ([4,8])');
  });
});
