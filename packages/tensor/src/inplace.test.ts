import { describe, expect, it } from 'vitest';
import { getBackend, setBackend, typescriptBackend } from './backend.js';
import { createRng, randn, zeros } from './index.js';
import { addScaledInPlace, momentStepInPlace, momentStepLoop } from './inplace.js';
import { nativeBackend } from './kernels/native/native-backend.js';
import type { MomentStepArgs } from './kernels/types.js';
import { Tensor } from './tensor.js';

const ARGS: MomentStepArgs = {
  rate: 1e-2,
  decay1: 0.9,
  decay2: 0.999,
  epsilon: 1e-8,
  correction1: 1 / (1 - 0.9 ** 3),
  correction2: 1 / (1 - 0.999 ** 3),
};

function operands(dtype: 'float64' | 'float32', size: number): Tensor[] {
  const rng = createRng(11);
  return [
    randn([size], rng, dtype),
    randn([size], rng, dtype),
    randn([size], rng, dtype),
    randn([size], rng, dtype),
  ];
}

describe('momentStepInPlace', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: the native kernel and the JavaScript loop give the same bits (split over threads, odd tail)`, () => {
      const size = 70_001;
      const [w, g, m, v] = operands(dtype, size);
      // v must be ≥ 0 for a real step; squares keep NaN out of the comparison's way.
      for (let i = 0; i < size; i++) v.data[i] *= v.data[i];
      const expected = [w.clone(), m.clone(), v.clone()];
      momentStepLoop(expected[0].data, g.data, expected[1].data, expected[2].data, ARGS);
      const previous = setBackend(nativeBackend({ threads: 2 }));
      try {
        momentStepInPlace(w, g, m, v, ARGS);
      } finally {
        setBackend(previous);
      }
      for (const [i, got] of [w, m, v].entries()) {
        let differing = 0;
        for (let j = 0; j < size; j++) if (!Object.is(got.data[j], expected[i].data[j])) differing++;
        expect(differing, ['w', 'm', 'v'][i]).toBe(0);
      }
    });
  }

  it('runs its JavaScript loop on a backend without the kernel', () => {
    const [w, g, m, v] = operands('float64', 5).map((t) => t.clone());
    const before = w.clone();
    const previous = setBackend(typescriptBackend);
    try {
      expect(getBackend().momentStep).toBeUndefined();
      momentStepInPlace(w, g, m, v, ARGS);
    } finally {
      setBackend(previous);
    }
    expect(Array.from(w.data)).not.toEqual(Array.from(before.data));
  });

  it('rejects, on every backend alike, unknown settings, shapes that differ and arrays that share memory', () => {
    const [w, g, m, v] = operands('float64', 4);
    for (const backend of [typescriptBackend, nativeBackend()]) {
      const previous = setBackend(backend);
      try {
        expect(() => momentStepInPlace(w, g, m, v, { ...ARGS, decay: 0.9 } as never)).toThrow(
          "momentStepInPlace: unknown option 'decay'",
        );
        expect(() => momentStepInPlace(w, g, m, v, { ...ARGS, rate: '1' } as never)).toThrow(
          'momentStepInPlace: rate must be a number, got 1',
        );
        expect(() => momentStepInPlace(w, g, zeros([3]), v, ARGS)).toThrow(
          'momentStepInPlace: m [3] does not match target [4]',
        );
        expect(() => momentStepInPlace(w, g, m, m, ARGS)).toThrow(
          'momentStepInPlace: m and v share memory; each needs its own array',
        );
      } finally {
        setBackend(previous);
      }
    }
  });
});

describe('momentStepInPlace in float32', () => {
  it('computes in float32, as numpy does: each operation rounded, not float64 rounded on the store', () => {
    const [w, g, m, v] = operands('float32', 1000);
    for (let i = 0; i < 1000; i++) v.data[i] *= v.data[i];
    const wide = [w, g, m, v].map((t) => Float64Array.from(t.data));
    const before = Float64Array.from(w.data);
    momentStepLoop(wide[0], wide[1], wide[2], wide[3], ARGS);
    const previous = setBackend(typescriptBackend);
    try {
      momentStepInPlace(w, g, m, v, ARGS);
    } finally {
      setBackend(previous);
    }
    // Within float32 rounding of the float64 computation (of w and the step, rate 1e-2, that cancel in
    // w − step), and not always its rounding.
    let rounded = 0;
    for (let i = 0; i < 1000; i++) {
      expect(Math.abs(w.data[i] - wide[0][i])).toBeLessThanOrEqual(1e-6 * (Math.abs(before[i]) + 1e-2));
      if (w.data[i] === Math.fround(wide[0][i])) rounded++;
    }
    expect(rounded).toBeLessThan(1000);
  });
});

describe('addScaledInPlace', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: the native kernel gives the bits of the JavaScript loop (t += alpha·x in float64)`, () => {
      const [t, x] = operands(dtype, 30_001);
      const expected = t.clone();
      const previous = setBackend(typescriptBackend);
      try {
        addScaledInPlace(expected, x, 1e-3);
      } finally {
        setBackend(previous);
      }
      setBackend(nativeBackend({ threads: 1 }));
      try {
        addScaledInPlace(t, x, 1e-3);
        addScaledInPlace(x, x, 0.5);
      } finally {
        setBackend(previous);
      }
      let differing = 0;
      for (let i = 0; i < t.size; i++) if (!Object.is(t.data[i], expected.data[i])) differing++;
      expect(differing).toBe(0);
      const [, x2] = operands(dtype, 30_001);
      for (let i = 0; i < x2.size; i++)
        expect(x.data[i]).toBe(
          dtype === 'float32' ? Math.fround(x2.data[i] + 0.5 * x2.data[i]) : x2.data[i] + 0.5 * x2.data[i],
        );
    });
  }

  it('refuses an x that overlaps target without being it, and an alpha that is not a number', () => {
    const buffer = new Float64Array(8);
    const target = new Tensor(buffer.subarray(0, 4), [4]);
    const shifted = new Tensor(buffer.subarray(2, 6), [4]);
    for (const backend of [typescriptBackend, nativeBackend()]) {
      const previous = setBackend(backend);
      try {
        expect(() => addScaledInPlace(target, shifted, 1)).toThrow(
          'addScaledInPlace: x overlaps target; pass target itself or an array of its own',
        );
        expect(() => addScaledInPlace(target, target, '1' as never)).toThrow(
          'addScaledInPlace: alpha must be a number, got 1',
        );
      } finally {
        setBackend(previous);
      }
    }
  });
});
