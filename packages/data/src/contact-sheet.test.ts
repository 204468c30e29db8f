import { tensor } from '@backprop-lab/tensor';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { contactSheet, imageLayout } from './contact-sheet.js';

describe('contactSheet', () => {
  it('draws 3072-column rows as 32×32 RGB tiles, one row of tiles per class', () => {
    const rows = 3;
    const data = new Float64Array(rows * 3072);
    // Row i is a flat colour: red 255 for row 0, green for row 1, blue for row 2.
    for (let i = 0; i < rows; i++) data.fill(255, i * 3072 + i * 1024, i * 3072 + (i + 1) * 1024);
    const png = PNG.sync.read(
      contactSheet(
        { X: tensor(data, [rows, 3072]), y: Int32Array.from([0, 1, 1]), numClasses: 2 },
        { perClass: 2, tile: 32, range: [0, 255] },
      ),
    );
    expect([png.width, png.height]).toEqual([2 + 2 * 34, 2 + 2 * 34]);
    const pixel = (x: number, y: number) =>
      Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4));
    expect(pixel(2 + 5, 2 + 5)).toEqual([255, 0, 0, 255]); // class 0, first sample: row 0
    expect(pixel(2 + 5, 36 + 5)).toEqual([0, 255, 0, 255]); // class 1, first sample: row 1
    expect(pixel(36 + 5, 36 + 5)).toEqual([0, 0, 255, 255]); // class 1, second sample: row 2
    expect(pixel(36 + 5, 2 + 5)).toEqual([40, 40, 40, 255]); // class 0 has no second sample: background
  });

  it('draws square widths as scaled grayscale and refuses other widths', () => {
    const X = tensor([[0, 16, 8, 16]]);
    const png = PNG.sync.read(
      contactSheet({ X, y: Int32Array.from([0]), numClasses: 1 }, { perClass: 1, tile: 8 }),
    );
    expect([png.width, png.height]).toEqual([12, 12]);
    expect(png.data[(2 * 12 + 2) * 4]).toBe(0);
    expect(png.data[(2 * 12 + 6) * 4]).toBe(255);
    expect(png.data[(6 * 12 + 2) * 4]).toBe(128);
    expect(imageLayout(64)).toEqual({ side: 8, channels: 1 });
    expect(imageLayout(10)).toBeUndefined();
    expect(() => contactSheet({ X: tensor([[1, 2, 3]]), y: Int32Array.from([0]), numClasses: 1 })).toThrow(
      /rows of 3 values/,
    );
  });
});
