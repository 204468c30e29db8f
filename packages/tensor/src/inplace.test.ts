import { describe, expect, it } from 'vitest';
import { getBackend, setBackend, typescriptBackend } from './backend.js';
import { createRng, randn, type Tensor, zeros } from './index.js';
import { momentStepInPlace, momentStepLoop } from './inplace.js';
import { nativeBackend } from './kernels/native/native-backend.js';
import type { MomentStepArgs } from './kernels/types.js';

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
