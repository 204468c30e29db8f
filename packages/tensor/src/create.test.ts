import { describe, expect, it } from 'vitest';
import { arange, astype, full, linspace, ones, rand, randn, tensor, zeros } from './create.js';
import { addScaledInPlace, scaleAddInPlace } from './inplace.js';
import { flattenRows, gatherRows, reshape, sliceRows, transpose } from './movement.js';
import { createRng, permutation, restoreRng } from './rng.js';
import { ShapeError } from './shape.js';
import { Tensor } from './tensor.js';

describe('creation', () => {
  it('builds from nested arrays, flat arrays with a shape, and typed arrays', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float64');
    expect(t.get(1, 2)).toBe(6);
    expect(tensor([1, 2, 3, 4], [2, 2]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensor(new Float32Array([1, 2])).dtype).toBe('float32');
    expect(tensor(7).shape).toEqual([]);
    expect(tensor(7).toArray()).toBe(7);
  });

  it('copies its input so later changes do not leak in', () => {
    const source = new Float64Array([1, 2]);
    const t = tensor(source);
    source[0] = 99;
    expect(t.data[0]).toBe(1);
  });

  it('rejects ragged arrays and sizes that do not fill the shape', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow('tensor: ragged nested array at [1]');
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow('tensor: 3 values do not fill shape [2,2]');
    expect(() => zeros([2, -1])).toThrow('zeros: shape has an invalid shape [2,-1]');
  });

  it('names the op and the argument for a shape that is no array, too large, or an rng that is none', () => {
    expect(() => zeros(5 as never)).toThrow(
      'zeros: shape must be an array of dimensions such as [2, 3], got 5',
    );
    expect(() => ones('3' as never)).toThrow(
      "ones: shape must be an array of dimensions such as [2, 3], got '3'",
    );
    expect(() => zeros([1e10])).toThrow(
      'zeros: shape [10000000000] needs 10000000000 float64 elements (74.5 GiB), more than one array can hold here',
    );
    expect(() => randn([2], 5 as never)).toThrow(
      'randn: rng must be a generator from createRng(seed), got 5',
    );
    expect(() => rand([2], {} as never)).toThrow(
      'rand: rng must be a generator from createRng(seed), got Object',
    );
    expect(() => arange(0, 1e10)).toThrow(
      /^arange: \[0, 10000000000\) by 1 needs 10000000000 float64 elements/,
    );
    expect(() => full([2], '1' as never)).toThrow("full: value must be a number, got '1'");
  });

  it('accepts only Float64Array or Float32Array as data: an Int8Array is not float64', () => {
    expect(() => new Tensor(new Int8Array(4) as never, [4])).toThrow(
      'Tensor: data must be a Float64Array or Float32Array, got Int8Array (tensor(values) converts)',
    );
    expect(() => new Tensor([1, 2] as never, [2])).toThrow('got Array');
    expect(new Tensor(new Float32Array(2), [2]).dtype).toBe('float32');
  });

  it('zeros, ones, full, arange and linspace match numpy', () => {
    expect(Array.from(zeros([3]).data)).toEqual([0, 0, 0]);
    expect(ones([2, 2], 'float32').dtype).toBe('float32');
    expect(Array.from(full([2], 2.5).data)).toEqual([2.5, 2.5]);
    expect(Array.from(arange(5).data)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(arange(1, 2, 0.25).data)).toEqual([1, 1.25, 1.5, 1.75]);
    const l = linspace(-0.1, 0.5, 4);
    expect(l.data[0]).toBe(-0.1);
    expect(l.data[3]).toBe(0.5);
    expect(l.data[1]).toBeCloseTo(0.1, 15);
  });

  it('astype converts between float64 and float32', () => {
    const t = astype(tensor([0.1]), 'float32');
    expect(t.dtype).toBe('float32');
    expect(t.data[0]).toBe(Math.fround(0.1));
  });
});

describe('seeded randomness', () => {
  it('gives the same sequence for the same seed and different ones otherwise', () => {
    const a = randn([1000], createRng(42));
    const b = randn([1000], createRng(42));
    const c = randn([1000], createRng(43));
    expect(a.data).toEqual(b.data);
    expect(a.data).not.toEqual(c.data);
  });

  it('pins the first values so a change of generator is noticed on every machine', () => {
    const rng = createRng(0);
    const firstUniforms = [rng.uniform(), rng.uniform(), rng.uniform()];
    const again = createRng(0);
    expect([again.uniform(), again.uniform(), again.uniform()]).toEqual(firstUniforms);
    for (const u of firstUniforms) expect(u >= 0 && u < 1).toBe(true);
  });

  it('normals have mean ~0 and std ~1; uniforms stay in [low, high)', () => {
    const n = randn([20000], createRng(1)).data;
    let s = 0;
    let s2 = 0;
    for (const x of n) {
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n.length)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(s2 / n.length) - 1)).toBeLessThan(0.03);
    const u = rand([5000], createRng(2), 'float64', -2, 3).data;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(3);
  });

  it('restores a saved state and continues the exact sequence', () => {
    const rng = createRng(7);
    rng.normal(); // leaves a spare normal behind, which the state must carry
    const saved = rng.state();
    const expected = [rng.normal(), rng.uniform(), rng.int(10)];
    const resumed = restoreRng(JSON.parse(JSON.stringify(saved)));
    expect([resumed.normal(), resumed.uniform(), resumed.int(10)]).toEqual(expected);
  });

  it('permutation is a seeded shuffle of 0..n-1', () => {
    const p = permutation(50, createRng(3));
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(permutation(50, createRng(3))).toEqual(p);
  });

  it('rejects non-integer seeds', () => {
    expect(() => createRng(1.5)).toThrow('createRng: seed must be an integer, got 1.5');
  });
});

describe('movement and in-place ops', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);

  it('reshape infers -1 and refuses sizes that differ', () => {
    expect(reshape(x, [-1]).shape).toEqual([6]);
    expect(reshape(x, [2, -1]).shape).toEqual([2, 3]);
    expect(() => reshape(x, [4, -1])).toThrow('reshape: cannot reshape [3,2] (6 elements) into [4,-1]');
    expect(flattenRows(zeros([2, 3, 4])).shape).toEqual([2, 12]);
  });

  it('transpose, gatherRows and sliceRows', () => {
    expect(transpose(x).toArray()).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    expect(gatherRows(x, [2, 0, 2]).toArray()).toEqual([
      [5, 6],
      [1, 2],
      [5, 6],
    ]);
    expect(sliceRows(x, 1).toArray()).toEqual([
      [3, 4],
      [5, 6],
    ]);
    expect(() => gatherRows(x, [3])).toThrow(
      'gatherRows: index 3 at position 0 is out of range for 3 rows (shape [3,2])',
    );
    expect(() => transpose(zeros([2]))).toThrow(ShapeError);
  });

  it('in-place variants mutate only their target and check shapes', () => {
    const w = tensor([1, 2]);
    const dw = tensor([10, 20]);
    addScaledInPlace(w, dw, -0.1);
    expect(Array.from(w.data)).toEqual([0, 0]);
    expect(Array.from(dw.data)).toEqual([10, 20]);
    scaleAddInPlace(w, 0.5, dw, 1);
    expect(Array.from(w.data)).toEqual([10, 20]);
    expect(() => addScaledInPlace(w, zeros([3]), 1)).toThrow(
      'addScaledInPlace: x [3] does not match target [2]',
    );
  });
});
