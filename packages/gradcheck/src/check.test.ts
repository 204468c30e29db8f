import { createRng, matmul, randn, type Tensor, tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { checkGradient, directionalGradCheck, fullGradCheck, sparseGradCheck } from './check.js';
import { scalarize } from './numerical.js';

// f(W) = Σ tanh(x·W) ⊙ dout, a small layer with a known gradient: dW = xᵀ·((1 − tanh²(x·W)) ⊙ dout).
const rng = createRng(7);
const x = randn([6, 5], rng);
const W = randn([5, 4], rng);
const dout = randn([6, 4], rng);
const layer = (w: Tensor) => {
  const z = matmul(x, w);
  return tensor(Array.from(z.data, Math.tanh), z.shape);
};
const f = scalarize(layer, dout);

function trueGradient(): Tensor {
  const z = matmul(x, W);
  const dz = tensor(
    Array.from(z.data, (v, i) => (1 - Math.tanh(v) ** 2) * dout.data[i]),
    z.shape,
  );
  return matmul(x, dz, { transA: true });
}

/** The true gradient with one entry off by 1%: the bug a check must catch. */
function wrongGradient(offset = 13): Tensor {
  const g = trueGradient();
  g.data[offset] *= 1.01;
  return g;
}

describe('fullGradCheck', () => {
  it('passes the true gradient and reports its figures as data', () => {
    const result = fullGradCheck(f, W, trueGradient());
    expect(result.ok).toBe(true);
    expect(result.method).toBe('full');
    expect(result.relError).toBeLessThan(1e-8);
    expect(result.checked).toBe(20);
    expect(result.evaluations).toBe(40);
    expect(result.worstIndex).toHaveLength(2);
    expect(result.threshold).toBe(1e-6);
  });

  it('fails a wrong gradient and points at the wrong element', () => {
    const analytic = wrongGradient(13);
    const result = fullGradCheck(f, W, analytic);
    expect(result.ok).toBe(false);
    expect(result.relError).toBeGreaterThan(1e-3);
    expect(result.worstIndex).toEqual([3, 1]); // offset 13 in [5, 4]
    expect(result.analytic).toBe(analytic.data[13]);
    expect(result.numeric).toBeCloseTo(trueGradient().data[13], 8);
  });

  it('leaves the input untouched', () => {
    const before = W.data.slice();
    fullGradCheck(f, W, wrongGradient());
    expect(W.data).toEqual(before);
  });
});

describe('sparseGradCheck', () => {
  it('passes the true gradient with 2k evaluations', () => {
    const result = sparseGradCheck(f, W, trueGradient(), { k: 5, seed: 1 });
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(5);
    expect(result.evaluations).toBe(10);
  });

  it('catches a wrong gradient once the bad element is sampled (k = size samples every element)', () => {
    const result = sparseGradCheck(f, W, wrongGradient(13), { k: 20, seed: 3 });
    expect(result.ok).toBe(false);
    expect(result.worstIndex).toEqual([3, 1]);
  });

  it('samples the same elements for the same seed', () => {
    const a = sparseGradCheck(f, W, wrongGradient(), { k: 6, seed: 9 });
    const b = sparseGradCheck(f, W, wrongGradient(), { k: 6, seed: 9 });
    expect(a).toEqual(b);
  });
});

describe('directionalGradCheck', () => {
  it('passes the true gradient with 2 evaluations per direction', () => {
    const result = directionalGradCheck(f, W, trueGradient(), { directions: 3, seed: 2 });
    expect(result.ok).toBe(true);
    expect(result.relError).toBeLessThan(1e-8);
    expect(result.evaluations).toBe(6);
  });

  it('catches a single wrong element without checking each one', () => {
    const result = directionalGradCheck(f, W, wrongGradient(13), { directions: 3, seed: 2 });
    expect(result.ok).toBe(false);
    expect(result.relError).toBeGreaterThan(1e-5);
  });

  it('restores x bit for bit after moving it along every direction', () => {
    const before = W.data.slice();
    directionalGradCheck(f, W, trueGradient(), { directions: 5 });
    expect(W.data).toEqual(before);
  });
});

describe('checkGradient', () => {
  it('dispatches on method and rejects options of another method', () => {
    expect(checkGradient(f, W, trueGradient()).method).toBe('full');
    expect(checkGradient(f, W, trueGradient(), { method: 'sparse', k: 3 }).checked).toBe(3);
    expect(checkGradient(f, W, trueGradient(), { method: 'directional', directions: 2 }).checked).toBe(2);
    expect(() => checkGradient(f, W, trueGradient(), { k: 3 } as never)).toThrow(
      "fullGradCheck: unknown option 'k' (known: h, threshold)",
    );
    expect(() => checkGradient(f, W, trueGradient(), { method: 'exact' } as never)).toThrow(
      "checkGradient: method must be 'full', 'sparse' or 'directional', got exact",
    );
  });

  it('names both shapes when the analytic gradient does not match x', () => {
    expect(() => checkGradient(f, W, tensor([1, 2]))).toThrow(
      'fullGradCheck: analytic has shape [2] but x has shape [5,4]',
    );
  });

  it('validates values', () => {
    expect(() => sparseGradCheck(f, W, trueGradient(), { k: 0 })).toThrow(
      'sparseGradCheck: k must be an integer > 0, got 0',
    );
    expect(() => directionalGradCheck(f, W, trueGradient(), { seed: 0.5 })).toThrow(
      'directionalGradCheck: seed must be an integer, got 0.5',
    );
    expect(() => fullGradCheck(f, W, trueGradient(), { threshold: -1 })).toThrow(
      'fullGradCheck: threshold must be a finite number >= 0, got -1',
    );
  });
});
