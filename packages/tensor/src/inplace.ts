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
