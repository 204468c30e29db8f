import { tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import {
  channelStd,
  meanImage,
  scalePerChannel,
  subtractMeanImage,
  subtractMeanImageInPlace,
} from './preprocess.js';

describe('subtractMeanImage', () => {
  const train = tensor([
    [1, 10],
    [3, 30],
  ]);
  const val = tensor([[100, 100]]);

  it('takes the mean from train only and subtracts it from every split', () => {
    const { mean, train: centred, others } = subtractMeanImage(train, val);
    expect(mean.toArray()).toEqual([2, 20]);
    expect(centred.toArray()).toEqual([
      [-1, -10],
      [1, 10],
    ]);
    expect(others[0].toArray()).toEqual([[98, 80]]);
    // Pure: the inputs are unchanged.
    expect(train.toArray()).toEqual([
      [1, 10],
      [3, 30],
    ]);
  });

  it('has an in-place form that returns the mean', () => {
    const a = train.clone();
    const b = val.clone();
    expect(subtractMeanImageInPlace(a, b).toArray()).toEqual([2, 20]);
    expect(b.toArray()).toEqual([[98, 80]]);
  });

  it('names the split whose width differs', () => {
    expect(() => subtractMeanImage(train, tensor([[1, 2, 3]]))).toThrow(
      /others\[0\] has 3 features \(\[1,3\]\) but train has 2/,
    );
    expect(() => meanImage(tensor([1, 2]))).toThrow(/x must be 2-d \[N, D\], got shape \[2\]/);
  });
});

describe('scalePerChannel', () => {
  it('divides each colour block of a 3072-column row by its own training std', () => {
    const rows = 4;
    const data = new Float64Array(rows * 3072);
    // Channel c of row i holds (i - 1.5) · (c + 1): std of channel c is (c + 1) · std([-1.5, -0.5, 0.5, 1.5]).
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < 3072; j++) data[i * 3072 + j] = (i - 1.5) * (Math.floor(j / 1024) + 1);
    const train = tensor(data, [rows, 3072]);
    const base = Math.sqrt(1.25);
    const { scale, train: scaled, others } = scalePerChannel(train, [train], { by: 'std' });
    expect(scale.map((s) => s / base)).toEqual([1, 2, 3].map((v) => expect.closeTo(v, 12)));
    expect(channelStd(scaled, 3).every((s) => Math.abs(s - 1) < 1e-12)).toBe(true);
    expect(others[0].data[5000]).toBeCloseTo(scaled.data[5000], 12);
  });

  it('divides by a constant such as 255, and rejects bad options', () => {
    const x = tensor([[255, 51]]);
    expect(scalePerChannel(x, [], { by: 255 }).train.toArray()).toEqual([[1, 0.2]]);
    expect(() => scalePerChannel(x, [], { by: 0 })).toThrow(/by must be 'std' or a positive number, got 0/);
    expect(() => scalePerChannel(x, [], { by: 2, channels: 3 })).toThrow(
      /channels must be a positive divisor of D = 2, got 3/,
    );
    expect(() => scalePerChannel(x, [], { by: 2, chanels: 1 } as never)).toThrow(/unknown option 'chanels'/);
    expect(() => scalePerChannel(tensor([[3, 3]]), [], { by: 'std' })).toThrow(
      /channel 0 of train has standard deviation 0/,
    );
  });
});
