import { tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { cs231nSplit, splitDataset } from './split.js';

/** N rows whose single feature is the row index; labels cycle through `classes` with uneven shares. */
function indexed(n: number, label: (i: number) => number) {
  return {
    X: tensor(
      Float64Array.from({ length: n }, (_, i) => i),
      [n, 1],
    ),
    y: Int32Array.from({ length: n }, (_, i) => label(i)),
  };
}

const counts = (y: Int32Array, classes: number) => {
  const c = new Array<number>(classes).fill(0);
  for (const v of y) c[v]++;
  return c;
};

describe('splitDataset', () => {
  const { X, y } = indexed(1000, (i) => (i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2)); // 60% / 30% / 10%

  it('gives the asked sizes, disjoint rows with their own labels, the same for the same seed', () => {
    const a = splitDataset(X, y, { sizes: { train: 700, val: 200, test: 100 }, seed: 1 });
    expect([a.train.y.length, a.val.y.length, a.test.y.length]).toEqual([700, 200, 100]);
    expect(a.train.X.shape).toEqual([700, 1]);
    const rows = [...a.train.X.data, ...a.val.X.data, ...a.test.X.data];
    expect(new Set(rows).size).toBe(1000);
    for (const split of [a.train, a.val, a.test])
      for (const [k, label] of split.y.entries()) expect(label).toBe(y[split.X.data[k]]);
    const b = splitDataset(X, y, { sizes: { train: 700, val: 200, test: 100 }, seed: 1 });
    expect(Array.from(b.val.X.data)).toEqual(Array.from(a.val.X.data));
    const c = splitDataset(X, y, { sizes: { train: 700, val: 200, test: 100 }, seed: 2 });
    expect(Array.from(c.val.X.data)).not.toEqual(Array.from(a.val.X.data));
  });

  it('keeps every class share within one row in each split when stratified', () => {
    const s = splitDataset(X, y, {
      fractions: { train: 0.8, val: 0.15, test: 0.05 },
      seed: 3,
      stratified: true,
    });
    expect(counts(s.train.y, 3)).toEqual([480, 240, 80]);
    expect(counts(s.val.y, 3)).toEqual([90, 45, 15]);
    expect(counts(s.test.y, 3)).toEqual([30, 15, 5]);
  });

  it('rounds fractions that sum to 1 so every row is used', () => {
    const { X: X7, y: y7 } = indexed(7, (i) => i % 2);
    const s = splitDataset(X7, y7, {
      fractions: { train: 0.5, val: 0.25, test: 0.25 },
      seed: 0,
      stratified: true,
    });
    expect(s.train.y.length + s.val.y.length + s.test.y.length).toBe(7);
  });

  it('rejects impossible or unknown requests, naming them', () => {
    expect(() => splitDataset(X, y, { sizes: { train: 900, val: 200 }, seed: 1 })).toThrow(
      /900\+200\+0 = 1100 exceed the 1000 rows/,
    );
    expect(() => splitDataset(X, y, { seed: 1 })).toThrow(/give exactly one of sizes or fractions/);
    expect(() => splitDataset(X, y, { fractions: { train: 0.9, val: 0.2 }, seed: 1 })).toThrow(
      /fractions sum to 1.1/,
    );
    expect(() =>
      splitDataset(X, y, { sizes: { train: 1, val: 1 }, seed: 1, shuffle: true } as never),
    ).toThrow(/unknown option 'shuffle'/);
    expect(() => splitDataset(X, y, { sizes: { train: 1, vall: 1 } as never, seed: 1 })).toThrow(
      /unknown option 'vall'/,
    );
    expect(() => splitDataset(X, y.slice(1), { sizes: { train: 1, val: 1 }, seed: 1 })).toThrow(
      /X has 1000 rows \(\[1000,1\]\) but y has 999/,
    );
  });
});

describe('cs231nSplit', () => {
  it("takes CS231n's 49,000 / 1,000 in order, and the first 1,000 test rows", () => {
    const train = indexed(50000, (i) => i % 10);
    const test = indexed(10000, (i) => i % 10);
    const s = cs231nSplit(train, test);
    expect(s.sizes).toEqual({ train: 49000, val: 1000, test: 1000 });
    expect([s.train.X.data[0], s.train.X.data[48999], s.val.X.data[0], s.val.X.data[999]]).toEqual([
      0, 48999, 49000, 49999,
    ]);
    expect(s.test.X.data[999]).toBe(999);
  });

  it('keeps the 49 : 1 : 1 proportions when there are fewer rows', () => {
    const s = cs231nSplit(indexed(5100, (i) => i % 10));
    expect(s.sizes).toEqual({ train: 4900, val: 100, test: 100 });
    expect(s.test.X.data[0]).toBe(5000);
    expect(() => cs231nSplit(indexed(2, () => 0))).toThrow(/needs at least 3 rows, got 2/);
  });
});
