/** Option validation shared by every check: unknown keys and bad values are errors, never ignored. */

export function checkKeys(op: string, options: object, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${op}: options must be an object, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${op}: unknown option '${key}' (known: ${known.join(', ')})`);
    }
  }
}

export function positiveNumber(op: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${op}: ${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

export function nonNegativeNumber(op: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${op}: ${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

export function positiveInteger(op: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${op}: ${name} must be an integer > 0, got ${String(value)}`);
  }
  return value;
}

export function integer(op: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new RangeError(`${op}: ${name} must be an integer, got ${String(value)}`);
  }
  return value;
}
