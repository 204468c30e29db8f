/**
 * A contact sheet PNG: one row of tiles per class (class 0 at the top), the first `perClass` samples of
 * each class in file order. 3072-column rows are drawn as 32×32 RGB (CIFAR order: red plane, green
 * plane, blue plane); rows whose width is a perfect square (e.g. the 64 columns of 8×8 digits) as
 * grayscale. Values are mapped linearly from [lo, hi] (the data's own min and max by default) to 0..255.
 */
import type { Tensor } from '@backprop-lab/tensor';
import { PNG } from 'pngjs';
import { checkOptionKeys } from './errors.js';

export interface ContactSheetOptions {
  /** Samples drawn per class. Default 8. */
  perClass?: number;
  /** Tile size in pixels, at least the image side (images are scaled up by whole factors). Default 64. */
  tile?: number;
  /** Value range mapped to black..white. Default: min and max of X. */
  range?: [number, number];
}

const GAP = 2;
const BACKGROUND = 40;

/** How a row of D values is drawn, or undefined when it cannot be. */
export function imageLayout(features: number): { side: number; channels: 1 | 3 } | undefined {
  if (features === 3072) return { side: 32, channels: 3 };
  const side = Math.round(Math.sqrt(features));
  return side * side === features && side > 0 ? { side, channels: 1 } : undefined;
}

export function contactSheet(
  data: { X: Tensor; y: Int32Array; numClasses: number },
  options: ContactSheetOptions = {},
): Buffer {
  const fn = 'contactSheet';
  checkOptionKeys(fn, options, ['perClass', 'tile', 'range']);
  const { X, y, numClasses } = data;
  const [rows, features] = X.shape;
  const layout = imageLayout(features);
  if (!layout) {
    throw new RangeError(
      `${fn}: rows of ${features} values are neither 3072 (32×32 RGB) nor a square grayscale image`,
    );
  }
  const perClass = options.perClass ?? 8;
  if (!Number.isInteger(perClass) || perClass < 1)
    throw new RangeError(`${fn}: perClass must be an integer >= 1, got ${perClass}`);
  const scale = Math.max(1, Math.floor((options.tile ?? 64) / layout.side));
  const tile = layout.side * scale;
  const [lo, hi] = options.range ?? valueRange(X);
  const span = hi > lo ? hi - lo : 1;

  const width = GAP + perClass * (tile + GAP);
  const height = GAP + numClasses * (tile + GAP);
  const png = new PNG({ width, height });
  png.data.fill(BACKGROUND);
  for (let p = 3; p < png.data.length; p += 4) png.data[p] = 255;

  const drawn = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < rows; i++) {
    const label = y[i];
    if (drawn[label] >= perClass) continue;
    const left = GAP + drawn[label] * (tile + GAP);
    const top = GAP + label * (tile + GAP);
    drawn[label]++;
    const row = X.data.subarray(i * features, (i + 1) * features);
    const plane = layout.side * layout.side;
    for (let py = 0; py < tile; py++) {
      for (let px = 0; px < tile; px++) {
        const source = Math.floor(py / scale) * layout.side + Math.floor(px / scale);
        const target = ((top + py) * width + left + px) * 4;
        for (let c = 0; c < 3; c++) {
          const value = row[layout.channels === 3 ? c * plane + source : source];
          png.data[target + c] = Math.max(0, Math.min(255, Math.round(((value - lo) / span) * 255)));
        }
      }
    }
  }
  return PNG.sync.write(png);
}

function valueRange(X: Tensor): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of X.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
