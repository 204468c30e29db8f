import { formatShape, sameShape, Tensor, zeros } from '@backprop-lab/tensor';

/** What every update rule returns: the next weights and the config to pass to the next call. */
export interface UpdateResult<C> {
  w: Tensor;
  config: C;
}

/** The ranges a setting may take; the names read as the error messages do. */
export type SettingRange = 'nonNegative' | 'positive' | 'fraction' | 'count';

/** One hyperparameter of a rule: its CS231n default and its allowed range. */
export interface Setting {
  default: number;
  range: SettingRange;
}

/**
 * A rule's config declared as data: hyperparameters with defaults, and the names of the state it
 * carries from call to call (tensors shaped like w, or the step counter t).
 */
export interface RuleSpec {
  name: string;
  settings: Readonly<Record<string, Setting>>;
  state: readonly string[];
}

const RANGE_TEXT: Record<SettingRange, string> = {
  nonNegative: 'a finite number >= 0',
  positive: 'a finite number > 0',
  fraction: 'a number in [0, 1)',
  count: 'an integer >= 0',
};

function inRange(value: number, range: SettingRange): boolean {
  if (!Number.isFinite(value)) return false;
  switch (range) {
    case 'nonNegative':
      return value >= 0;
    case 'positive':
      return value > 0;
    case 'fraction':
      return value >= 0 && value < 1;
    case 'count':
      return Number.isInteger(value) && value >= 0;
  }
}

/** A value as an error message shows it: strings quoted, objects by kind. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Tensor) return `a Tensor ${formatShape(value.shape)}`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}

/** Throws unless value is a plain object (not null, not an array). */
export function checkObject(
  fn: string,
  name: string,
  value: unknown,
): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Tensor) {
    throw new TypeError(`${fn}: ${name} must be an object, got ${describe(value)}`);
  }
}

/** Throws at the first key of `value` that is not in `known`, listing the known ones. */
export function checkKeys(fn: string, name: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${fn}: unknown ${name} key '${key}' (expected one of ${known.join(', ')})`);
    }
  }
}

/** Throws unless value is a number in range; `name` is the full name shown, e.g. `config.beta1`. */
export function checkNumber(fn: string, name: string, value: unknown, range: SettingRange): number {
  if (typeof value !== 'number' || !inRange(value, range)) {
    throw new RangeError(`${fn}: ${name} must be ${RANGE_TEXT[range]}, got ${describe(value)}`);
  }
  return value;
}

/** w and dw must be tensors of one shape and dtype; the message names both shapes. */
export function checkPair(fn: string, w: unknown, dw: unknown): void {
  if (!(w instanceof Tensor)) throw new TypeError(`${fn}: w must be a Tensor, got ${describe(w)}`);
  if (!(dw instanceof Tensor)) throw new TypeError(`${fn}: dw must be a Tensor, got ${describe(dw)}`);
  if (!sameShape(w.shape, dw.shape)) {
    throw new RangeError(`${fn}: dw ${formatShape(dw.shape)} does not match w ${formatShape(w.shape)}`);
  }
  if (w.dtype !== dw.dtype) throw new TypeError(`${fn}: dw is ${dw.dtype} but w is ${w.dtype}`);
}

/**
 * Checks `config` against the rule's spec and returns its hyperparameters with defaults filled in.
 * Unknown keys are errors: a misspelt `learning_rate` must not silently train at the default.
 */
export function readSettings(fn: string, spec: RuleSpec, config: unknown): Record<string, number> {
  checkObject(fn, 'config', config);
  checkKeys(fn, 'config', config, [...Object.keys(spec.settings), ...spec.state]);
  const settings: Record<string, number> = {};
  for (const [key, setting] of Object.entries(spec.settings)) {
    const value = config[key];
    settings[key] =
      value === undefined ? setting.default : checkNumber(fn, `config.${key}`, value, setting.range);
  }
  return settings;
}

/**
 * A state tensor (velocity, cache, m, v) for w: zeros on the first call, else the given one after
 * checking it matches w. `copy` gives the pure rules their own buffer; the in-place rules update it.
 */
export function readState(fn: string, name: string, value: unknown, w: Tensor, copy: boolean): Tensor {
  if (value === undefined) return zeros(w.shape, w.dtype);
  if (!(value instanceof Tensor)) {
    throw new TypeError(`${fn}: config.${name} must be a Tensor, got ${describe(value)}`);
  }
  if (!sameShape(value.shape, w.shape)) {
    throw new RangeError(
      `${fn}: config.${name} ${formatShape(value.shape)} does not match w ${formatShape(w.shape)}`,
    );
  }
  if (value.dtype !== w.dtype)
    throw new TypeError(`${fn}: config.${name} is ${value.dtype} but w is ${w.dtype}`);
  return copy ? value.clone() : value;
}
