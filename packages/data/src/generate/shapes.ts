/**
 * Signed distance functions of the generator's shape families, in the shape's own frame: (x, y) already
 * translated to the centre, rotated and divided by nothing (r is the size in pixels). Negative inside,
 * positive outside, in pixels; coverage of a pixel is then clamp(0.5 − d, 0, 1), a one-pixel soft edge.
 */

export type Sdf = (x: number, y: number) => number;

export function circle(r: number): Sdf {
  return (x, y) => Math.hypot(x, y) - r;
}

export function ring(r: number, thickness: number): Sdf {
  const middle = r - thickness / 2;
  return (x, y) => Math.abs(Math.hypot(x, y) - middle) - thickness / 2;
}

/** Axis-aligned box of half-sizes (hx, hy) centred at (cx, cy). */
export function box(hx: number, hy: number, cx = 0, cy = 0): Sdf {
  return (x, y) => {
    const dx = Math.abs(x - cx) - hx;
    const dy = Math.abs(y - cy) - hy;
    const outside = Math.hypot(Math.max(dx, 0), Math.max(dy, 0));
    return outside + Math.min(Math.max(dx, dy), 0);
  };
}

/** Equilateral triangle pointing up (−y), circumradius about r. */
export function triangle(r: number): Sdf {
  const k = Math.sqrt(3);
  const side = r * 0.87;
  return (x, y) => {
    // Exact SDF of an equilateral triangle (Inigo Quilez), with y flipped so it points up on screen.
    let px = Math.abs(x) - side;
    let py = -y + side / k;
    if (px + k * py > 0) {
      const nx = (px - k * py) / 2;
      const ny = (-k * px - py) / 2;
      px = nx;
      py = ny;
    }
    px -= Math.min(Math.max(px, -2 * side), 0);
    return -Math.hypot(px, py) * Math.sign(py);
  };
}

export function cross(r: number, arm: number): Sdf {
  const horizontal = box(r, arm);
  const vertical = box(arm, r);
  return (x, y) => Math.min(horizontal(x, y), vertical(x, y));
}

/** Three parallel horizontal bars. */
export function bars(r: number, thickness: number): Sdf {
  const parts = [-0.65, 0, 0.65].map((offset) => box(r, thickness, 0, offset * r));
  return (x, y) => Math.min(parts[0](x, y), parts[1](x, y), parts[2](x, y));
}

export function diamond(r: number): Sdf {
  return (x, y) => (Math.abs(x) + Math.abs(y) - r) / Math.SQRT2;
}

/** A disc with a bite taken out of its right side. */
export function crescent(r: number, bite: number): Sdf {
  return (x, y) => Math.max(Math.hypot(x, y) - r, -(Math.hypot(x - bite * r, y) - r * 0.8));
}

/** `count` small dots evenly spaced on a circle of radius r·0.65 (start angle `phase`). */
export function dots(r: number, count: number, phase: number): Sdf {
  const centres = Array.from({ length: count }, (_, i) => {
    const angle = phase + (2 * Math.PI * i) / count;
    return [Math.cos(angle) * r * 0.65, Math.sin(angle) * r * 0.65];
  });
  const radius = r * 0.27;
  return (x, y) => {
    let d = Number.POSITIVE_INFINITY;
    for (const [cx, cy] of centres) d = Math.min(d, Math.hypot(x - cx, y - cy) - radius);
    return d;
  };
}
