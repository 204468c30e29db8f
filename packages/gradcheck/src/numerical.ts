import { allocate, formatShape, ShapeError, Tensor } from '@backprop-lab/tensor';
import { checkKeys, positiveNumber } from './options.js';

/** Step size of the centered differences (CS231n's default; right for float64). */
export const DEFAULT_H = 1e-5;

export interface NumericalGradientOptions {
  /** Step of the centered difference. Default 1e-5. */
  h?: number;
}

function checkInput(op: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: x must be a Tensor, got ${typeof x}`);
}

function readScalar(op: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(
      `${op}: f must return a number, got ${value instanceof Tensor ? value : typeof value}`,
    );
  }
  return value;
}

/**
 * Calls f with x.data[i] set to x[i] + delta, then puts the original value back bit for bit,
 * even when f throws (a gradient check must never leave the input corrupted).
 */
export function evaluateAt<T>(x: Tensor, i: number, delta: number, f: (x: Tensor) => T): T {
  const original = x.data[i];
  x.data[i] = original + delta;
  try {
    return f(x);
  } finally {
    x.data[i] = original;
  }
}

/**
 * Gradient of a scalar function by centered differences: df/dx[i] ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h.
 * x [any shape] is perturbed in place one element at a time and restored exactly.
 * Returns a tensor of x's shape and dtype. Costs 2 evaluations of f per element.
 */
export function numericalGradient(
  f: (x: Tensor) => number,
  x: Tensor,
  options: NumericalGradientOptions = {},
): Tensor {
  const op = 'numericalGradient';
  checkInput(op, x);
  checkKeys(op, options, ['h']);
  const h = positiveNumber(op, 'h', options.h, DEFAULT_H);
  const grad = allocate(x.dtype, x.size);
  for (let i = 0; i < x.size; i++) {
    const plus = readScalar(op, evaluateAt(x, i, h, f));
    const minus = readScalar(op, evaluateAt(x, i, -h, f));
    grad[i] = (plus - minus) / (2 * h);
  }
  return new Tensor(grad, x.shape);
}

/**
 * Gradient through an array-valued function, given the upstream gradient dout (same shape as f(x)):
 * dx[i] ≈ Σⱼ (f(x + h·eᵢ)ⱼ − f(x − h·eᵢ)ⱼ) · doutⱼ / 2h, the vector-Jacobian product a backward pass computes.
 * x [any shape], dout [shape of f(x)] → dx [shape of x].
 */
export function numericalGradientArray(
  f: (x: Tensor) => Tensor,
  x: Tensor,
  dout: Tensor,
  options: NumericalGradientOptions = {},
): Tensor {
  const op = 'numericalGradientArray';
  checkInput(op, x);
  if (!(dout instanceof Tensor)) throw new TypeError(`${op}: dout must be a Tensor, got ${typeof dout}`);
  checkKeys(op, options, ['h']);
  const h = positiveNumber(op, 'h', options.h, DEFAULT_H);
  const readOutput = (value: unknown): Tensor => {
    if (!(value instanceof Tensor)) throw new TypeError(`${op}: f must return a Tensor, got ${typeof value}`);
    if (value.size !== dout.size || value.shape.join() !== dout.shape.join()) {
      throw new ShapeError(
        `${op}: f(x) has shape ${formatShape(value.shape)} but dout has shape ${formatShape(dout.shape)}`,
      );
    }
    return value;
  };
  const grad = allocate(x.dtype, x.size);
  const upstream = dout.data;
  for (let i = 0; i < x.size; i++) {
    const plus = readOutput(evaluateAt(x, i, h, f)).data;
    const minus = readOutput(evaluateAt(x, i, -h, f)).data;
    let total = 0;
    for (let j = 0; j < upstream.length; j++) total += (plus[j] - minus[j]) * upstream[j];
    grad[i] = total / (2 * h);
  }
  return new Tensor(grad, x.shape);
}

/**
 * Turns an array-valued f into the scalar x ↦ Σ f(x)·dout, whose gradient is the backward pass's dx.
 * Lets the sparse and directional checks (which take scalar functions) test a layer's backward.
 */
export function scalarize(f: (x: Tensor) => Tensor, dout: Tensor): (x: Tensor) => number {
  if (!(dout instanceof Tensor)) throw new TypeError(`scalarize: dout must be a Tensor, got ${typeof dout}`);
  return (x) => {
    const out = f(x);
    if (!(out instanceof Tensor) || out.shape.join() !== dout.shape.join()) {
      const shape = out instanceof Tensor ? formatShape(out.shape) : typeof out;
      throw new ShapeError(
        `scalarize: f(x) has shape ${shape} but dout has shape ${formatShape(dout.shape)}`,
      );
    }
    let total = 0;
    for (let j = 0; j < dout.size; j++) total += out.data[j] * dout.data[j];
    return total;
  };
}
