import { getBackend } from './backend.js';
import type { TypedArray } from './dtype.js';
import type { MomentStepArgs } from './kernels/types.js';
import { formatShape, ShapeError, sameShape } from './shape.js';
import { Tensor } from './tensor.js';

function checkSame(op: string, target: Tensor, other: Tensor, name: string): void {
  if (!(target instanceof Tensor) || !(other instanceof Tensor))
    throw new TypeError(`${op}: arguments must be Tensors`);
  if (!sameShape(target.shape, other.shape)) {
    throw new ShapeError(
      `${op}: ${name} ${formatShape(other.shape)} does not match target ${formatShape(target.shape)}`,
    );
  }
  if (target.dtype !== other.dtype)
    throw new ShapeError(`${op}: dtypes differ: target is ${target.dtype}, ${name} is ${other.dtype}`);
}

/** target += alpha · x. Mutates target (optimizer updates). */
export function addScaledInPlace(target: Tensor, x: Tensor, alpha: number): Tensor {
  checkSame('addScaledInPlace', target, x, 'x');
  if (typeof alpha !== 'number')
    throw new TypeError(`addScaledInPlace: alpha must be a number, got ${String(alpha)}`);
  if (x.data !== target.data && sharesMemory(target.data, x.data)) {
    // An element read after another's write would depend on the loop order a kernel picks.
    throw new ShapeError('addScaledInPlace: x overlaps target; pass target itself or an array of its own');
  }
  if (getBackend().addScaled?.(target.data, x.data, alpha)) return target;
  const t = target.data;
  const v = x.data;
  for (let i = 0; i < t.length; i++) t[i] += alpha * v[i];
  return target;
}

/** target = beta · target + alpha · x. Mutates target (moving averages). */
export function scaleAddInPlace(target: Tensor, beta: number, x: Tensor, alpha: number): Tensor {
  checkSame('scaleAddInPlace', target, x, 'x');
  const t = target.data;
  const v = x.data;
  for (let i = 0; i < t.length; i++) t[i] = beta * t[i] + alpha * v[i];
  return target;
}

/** Copies source into target. Mutates target. */
export function copyInPlace(target: Tensor, source: Tensor): Tensor {
  checkSame('copyInPlace', target, source, 'source');
  target.data.set(source.data);
  return target;
}

/** Sets every element of target to value. Mutates target. */
export function fillInPlace(target: Tensor, value: number): Tensor {
  target.data.fill(value);
  return target;
}

const MOMENT_STEP_KEYS = ['rate', 'decay1', 'decay2', 'epsilon', 'correction1', 'correction2'];

/**
 * A step of w along the ratio of two moving moments of g (Adam's update, with correction1 = 1/(1−β1ᵗ),
 * correction2 = 1/(1−β2ᵗ)). Mutates w, m and v, all shaped and typed like g:
 *   m = d1·m + (1−d1)·g;   v = d2·v + (1−d2)·g²;   w −= rate·(m·c1) / (√(v·c2) + ε)
 * A backend may run this loop natively (Backend.momentStep): same operations, same order, same bits.
 * float32 tensors are computed in float32 (each operation rounded), as numpy computes a float32 Adam.
 */
export function momentStepInPlace(w: Tensor, g: Tensor, m: Tensor, v: Tensor, args: MomentStepArgs): void {
  const op = 'momentStepInPlace';
  checkSame(op, w, g, 'g');
  checkSame(op, w, m, 'm');
  checkSame(op, w, v, 'v');
  for (const key of Object.keys(args)) {
    if (!MOMENT_STEP_KEYS.includes(key)) throw new TypeError(`${op}: unknown option '${key}'`);
  }
  for (const key of MOMENT_STEP_KEYS) {
    const value = (args as unknown as Record<string, unknown>)[key];
    if (typeof value !== 'number')
      throw new TypeError(`${op}: ${key} must be a number, got ${String(value)}`);
  }
  const arrays = { w: w.data, g: g.data, m: m.data, v: v.data };
  const names = Object.keys(arrays) as (keyof typeof arrays)[];
  for (const [i, first] of names.entries()) {
    for (const second of names.slice(i + 1)) {
      // An element read after another's write would depend on the loop order a kernel picks.
      if (sharesMemory(arrays[first], arrays[second])) {
        throw new ShapeError(`${op}: ${first} and ${second} share memory; each needs its own array`);
      }
    }
  }
  if (getBackend().momentStep?.(w.data, g.data, m.data, v.data, args)) return;
  momentStepLoop(w.data, g.data, m.data, v.data, args);
}

/**
 * The JavaScript loop of momentStepInPlace, and the reference its native kernel is tested against. float32
 * arrays: every constant and every operation rounded to float32, as numpy's float32 Adam computes (a
 * float64 result of float32 inputs, rounded once, is the float32 result for + − × ÷ and √); the native
 * kernel does the same in float32 arithmetic, where division and square root cost a fraction of float64's.
 */
export function momentStepLoop(
  weights: TypedArray,
  grads: TypedArray,
  m: TypedArray,
  v: TypedArray,
  args: MomentStepArgs,
): void {
  if (weights instanceof Float32Array) {
    const f = Math.fround;
    const [d1, d2, od1, od2] = [f(args.decay1), f(args.decay2), f(1 - args.decay1), f(1 - args.decay2)];
    const [rate, eps, c1, c2] = [f(args.rate), f(args.epsilon), f(args.correction1), f(args.correction2)];
    for (let i = 0; i < weights.length; i++) {
      const g = grads[i];
      const mi = f(f(d1 * m[i]) + f(od1 * g));
      const vi = f(f(d2 * v[i]) + f(od2 * f(g * g)));
      m[i] = mi;
      v[i] = vi;
      weights[i] = f(weights[i] - f(f(rate * f(mi * c1)) / f(f(Math.sqrt(f(vi * c2))) + eps)));
    }
    return;
  }
  const { rate, decay1, decay2, epsilon, correction1, correction2 } = args;
  for (let i = 0; i < weights.length; i++) {
    const g = grads[i];
    m[i] = decay1 * m[i] + (1 - decay1) * g;
    v[i] = decay2 * v[i] + (1 - decay2) * (g * g);
    const mHat = m[i] * correction1;
    const vHat = v[i] * correction2;
    weights[i] -= (rate * mHat) / (Math.sqrt(vHat) + epsilon);
  }
}

/** Whether two typed arrays view overlapping bytes of one buffer. */
function sharesMemory(a: TypedArray, b: TypedArray): boolean {
  if (a.buffer !== b.buffer || a.byteLength === 0 || b.byteLength === 0) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}
