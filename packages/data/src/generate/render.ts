/**
 * Renders one synthetic CIFAR-like image (32×32 RGB, CIFAR order: red plane, green plane, blue plane).
 *
 * An image is, back to front:
 *   1. a background: a linear gradient between two muted random colours;
 *   2. clutter: 0-3 small translucent shapes of any family, in any colour;
 *   3. the object: its class's shape family, placed at a random position (±6 px), size (7-12 px) and
 *      rotation, coloured near the class's hue (70% of the time; any hue otherwise), shaded along a
 *      random direction;
 *   4. Gaussian pixel noise (σ 4-14 of 255), then rounding to 0..255.
 * Every random number comes from the `rng` passed in, in a fixed order, so a seed fixes the image.
 */
import type { Rng } from '@backprop-lab/tensor';
import { bars, box, circle, crescent, cross, diamond, dots, ring, type Sdf, triangle } from './shapes.js';

export const IMAGE_SIDE = 32;
export const IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE;

interface ClassFamily {
  name: string;
  /** Preferred hue in [0, 1). */
  hue: number;
  /** Largest rotation either way, in radians; small where a larger one would make another class. */
  maxRotation: number;
  shape(r: number, rng: Rng): Sdf;
  /** Checkerboard cells of this size (in units of r) darken every other cell. */
  checker?: number;
}

const DEG = Math.PI / 180;

const FAMILIES: ClassFamily[] = [
  { name: 'disc', hue: 0.0, maxRotation: 0, shape: (r) => circle(r) },
  { name: 'ring', hue: 0.1, maxRotation: 0, shape: (r, rng) => ring(r, r * (0.25 + 0.15 * rng.uniform())) },
  { name: 'square', hue: 0.2, maxRotation: 15 * DEG, shape: (r) => box(r * 0.8, r * 0.8) },
  { name: 'triangle', hue: 0.3, maxRotation: 30 * DEG, shape: (r) => triangle(r) },
  {
    name: 'cross',
    hue: 0.4,
    maxRotation: 15 * DEG,
    shape: (r, rng) => cross(r, r * (0.22 + 0.1 * rng.uniform())),
  },
  { name: 'bars', hue: 0.5, maxRotation: 30 * DEG, shape: (r) => bars(r, r * 0.16) },
  { name: 'diamond', hue: 0.6, maxRotation: 15 * DEG, shape: (r) => diamond(r) },
  { name: 'checker', hue: 0.7, maxRotation: 15 * DEG, shape: (r) => box(r * 0.8, r * 0.8), checker: 0.4 },
  {
    name: 'crescent',
    hue: 0.8,
    maxRotation: Math.PI,
    shape: (r, rng) => crescent(r, 0.45 + 0.2 * rng.uniform()),
  },
  {
    name: 'dots',
    hue: 0.9,
    maxRotation: Math.PI,
    shape: (r, rng) => dots(r, 4 + rng.int(3), rng.uniform() * Math.PI),
  },
];

export const SYNTHETIC_CLASS_NAMES: readonly string[] = FAMILIES.map((family) => family.name);

type Rgb = [number, number, number];

function hsv(h: number, s: number, v: number): Rgb {
  const hue = (((h % 1) + 1) % 1) * 6;
  const sector = Math.floor(hue);
  const f = hue - sector;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  const table: Rgb[] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ];
  return table[sector % 6];
}

/** Every family fits in a disc of this many times its size r (the widest, the cross, reaches 1.41·r). */
const EXTENT = 1.5;

/**
 * Paints `sdf` of size r (in a frame centred at (cx, cy), rotated by `angle`) over `canvas` with `color`.
 * Only the pixels of its bounding square are visited.
 */
function paint(
  canvas: Float64Array,
  sdf: Sdf,
  r: number,
  [cx, cy, angle]: [number, number, number],
  color: (u: number, v: number) => Rgb,
  alpha: number,
): void {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const reach = EXTENT * r + 1;
  const [x0, x1] = [Math.max(0, Math.floor(cx - reach)), Math.min(IMAGE_SIDE, Math.ceil(cx + reach))];
  const [y0, y1] = [Math.max(0, Math.floor(cy - reach)), Math.min(IMAGE_SIDE, Math.ceil(cy + reach))];
  for (let py = y0; py < y1; py++) {
    for (let px = x0; px < x1; px++) {
      const dx = px + 0.5 - cx;
      const dy = py + 0.5 - cy;
      const u = cos * dx + sin * dy;
      const v = -sin * dx + cos * dy;
      const coverage = Math.min(1, Math.max(0, 0.5 - sdf(u, v))) * alpha;
      if (coverage === 0) continue;
      const rgb = color(u, v);
      const at = py * IMAGE_SIDE + px;
      for (let c = 0; c < 3; c++) {
        canvas[c * IMAGE_PIXELS + at] += (rgb[c] - canvas[c * IMAGE_PIXELS + at]) * coverage;
      }
    }
  }
}

function paintBackground(canvas: Float64Array, rng: Rng): void {
  const from = hsv(rng.uniform(), rng.uniform() * 0.5, 0.2 + 0.6 * rng.uniform());
  const to = hsv(rng.uniform(), rng.uniform() * 0.5, 0.2 + 0.6 * rng.uniform());
  const angle = rng.uniform() * 2 * Math.PI;
  const [gx, gy] = [Math.cos(angle), Math.sin(angle)];
  for (let py = 0; py < IMAGE_SIDE; py++) {
    for (let px = 0; px < IMAGE_SIDE; px++) {
      const t = 0.5 + ((px - 15.5) * gx + (py - 15.5) * gy) / 45;
      for (let c = 0; c < 3; c++)
        canvas[c * IMAGE_PIXELS + py * IMAGE_SIDE + px] = from[c] + (to[c] - from[c]) * t;
    }
  }
}

function paintClutter(canvas: Float64Array, rng: Rng): void {
  const count = rng.int(4);
  for (let k = 0; k < count; k++) {
    const family = FAMILIES[rng.int(FAMILIES.length)];
    const r = 2 + 2.5 * rng.uniform();
    const sdf = family.shape(r, rng);
    const color = hsv(rng.uniform(), 0.3 + 0.7 * rng.uniform(), 0.3 + 0.7 * rng.uniform());
    const place: [number, number, number] = [
      3 + 26 * rng.uniform(),
      3 + 26 * rng.uniform(),
      rng.uniform() * 2 * Math.PI,
    ];
    paint(canvas, sdf, r, place, () => color, 0.5 + 0.4 * rng.uniform());
  }
}

function paintObject(canvas: Float64Array, family: ClassFamily, rng: Rng): void {
  const r = 7 + 5 * rng.uniform();
  const cx = 16 + (rng.uniform() * 2 - 1) * 6;
  const cy = 16 + (rng.uniform() * 2 - 1) * 6;
  const angle = (rng.uniform() * 2 - 1) * family.maxRotation;
  const hue = rng.uniform() < 0.7 ? family.hue + rng.normal() * 0.06 : rng.uniform();
  const base = hsv(hue, 0.5 + 0.5 * rng.uniform(), 0.5 + 0.5 * rng.uniform());
  const shadeAngle = rng.uniform() * 2 * Math.PI;
  const shadeStrength = 0.4 * rng.uniform();
  const sdf = family.shape(r, rng);
  const cell = family.checker ? family.checker * r : 0;
  const color = (u: number, v: number): Rgb => {
    let shade = 1 - shadeStrength * (0.5 + (Math.cos(shadeAngle) * u + Math.sin(shadeAngle) * v) / (2 * r));
    if (cell > 0 && (Math.floor(u / cell) + Math.floor(v / cell)) % 2 !== 0) shade *= 0.3;
    return [base[0] * shade, base[1] * shade, base[2] * shade];
  };
  paint(canvas, sdf, r, [cx, cy, angle], color, 1);
}

/** One image of class `label` (0..9) → 3072 bytes in CIFAR order, written into `out`. */
export function renderImage(label: number, rng: Rng, out: Uint8Array): void {
  const canvas = new Float64Array(3 * IMAGE_PIXELS);
  paintBackground(canvas, rng);
  paintClutter(canvas, rng);
  paintObject(canvas, FAMILIES[label], rng);
  const sigma = (4 + 10 * rng.uniform()) / 255;
  for (let i = 0; i < canvas.length; i++) {
    const value = (canvas[i] + rng.normal() * sigma) * 255;
    out[i] = Math.max(0, Math.min(255, Math.round(value)));
  }
}
