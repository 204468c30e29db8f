/**
 * Reading a checkpoint header as untrusted input: a checkpoint is a file, and a file can be truncated,
 * edited or crafted. Every field is checked for its type and range before anything is built from it, and
 * every failure is one CheckpointError naming the file and the field (`params.W`, `tensors[3].byteOffset`),
 * so a bad file is never loaded as zeros or as half a state.
 */
import { allocate, type DType, isDType, type RngState, Tensor } from '@backprop-lab/tensor';
import { describe } from './check.js';

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** Keys that would reach an object's prototype if copied carelessly; no checkpoint needs them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Checks one header's fields for `source` (a path); `fail` throws naming the field. */
export class HeaderReader {
  constructor(readonly source: string) {}

  fail(field: string, why: string): never {
    const place = field === '' ? '' : ` ${field}:`;
    throw new CheckpointError(`decodeCheckpoint: ${this.source}${place} ${why}`);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      this.fail(field, `expected an object, got ${describe(value)}`);
    for (const key of Object.keys(value as object))
      if (FORBIDDEN_KEYS.has(key)) this.fail(`${field}.${key}`, 'is not allowed as a key');
    return value as Record<string, unknown>;
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, `expected an array, got ${describe(value)}`);
    return value as unknown[];
  }

  number(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value))
      this.fail(field, `expected a finite number, got ${describe(value)}`);
    return value as number;
  }

  integer(value: unknown, field: string, min = 0): number {
    if (!Number.isSafeInteger(value) || (value as number) < min)
      this.fail(field, `expected an integer >= ${min}, got ${describe(value)}`);
    return value as number;
  }

  integerOrNull(value: unknown, field: string, min = 0): number | null {
    return value === null ? null : this.integer(value, field, min);
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, `expected a string, got ${describe(value)}`);
    return value as string;
  }

  oneOf<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
    if (!choices.includes(value as T))
      this.fail(field, `expected one of ${choices.join('|')}, got ${describe(value)}`);
    return value as T;
  }

  numbers(value: unknown, field: string): number[] {
    return this.array(value, field).map((item, i) => this.number(item, `${field}[${i}]`));
  }

  rng(value: unknown, field: string): RngState {
    const rng = this.object(value, field);
    const s = this.array(rng.s, `${field}.s`);
    if (s.length !== 4)
      this.fail(`${field}.s`, `expected 4 unsigned 32-bit integers, got ${s.length} values`);
    const words = s.map((word, i) => {
      if (!Number.isInteger(word) || (word as number) < 0 || (word as number) > 0xffffffff)
        this.fail(`${field}.s[${i}]`, `expected an unsigned 32-bit integer, got ${describe(word)}`);
      return word as number;
    }) as RngState['s'];
    const spare = rng.spare === null ? null : this.number(rng.spare, `${field}.spare`);
    return { s: words, spare };
  }

  /** Every tensor of the body, from the header's `tensors` table: offsets aligned and inside the body. */
  tensors(value: unknown, body: Uint8Array): Tensor[] {
    return this.array(value, 'tensors').map((raw, i) => {
      const field = `tensors[${i}]`;
      const entry = this.object(raw, field);
      if (!isDType(entry.dtype)) this.fail(`${field}.dtype`, `unknown dtype ${describe(entry.dtype)}`);
      const dtype = entry.dtype as DType;
      const shape = this.array(entry.shape, `${field}.shape`).map((d, k) =>
        this.integer(d, `${field}.shape[${k}]`),
      );
      const offset = this.integer(entry.byteOffset, `${field}.byteOffset`);
      if (offset % 8 !== 0) this.fail(`${field}.byteOffset`, `${offset} is not a multiple of 8`);
      const size = shape.reduce((p, d) => p * d, 1);
      const stop = offset + size * (dtype === 'float32' ? 4 : 8);
      if (!Number.isSafeInteger(stop) || stop > body.length)
        this.fail(field, `is truncated: needs bytes ${offset}..${stop} of ${body.length}`);
      const data = allocate(dtype, size);
      // Copy rather than view: the body need not be 8-byte aligned in memory.
      new Uint8Array(data.buffer).set(body.subarray(offset, stop));
      return new Tensor(data, shape);
    });
  }

  /** `{ "$tensor": i }` → the tensor, used by one field only. */
  tensorRef(value: unknown, field: string, tensors: readonly Tensor[]): Tensor {
    const index = this.object(value, field).$tensor;
    if (!Number.isSafeInteger(index) || tensors[index as number] === undefined)
      this.fail(field, `refers to a missing tensor ${describe(index)}`);
    return tensors[index as number];
  }

  tensorRecord(value: unknown, field: string, tensors: readonly Tensor[]): Record<string, Tensor> {
    const record = this.object(value, field);
    return Object.fromEntries(
      Object.entries(record).map(([name, ref]) => [name, this.tensorRef(ref, `${field}.${name}`, tensors)]),
    );
  }

  /** `actual` must have the dtype and shape of `expected` (the parameter it belongs to). */
  sameAs(actual: Tensor, expected: Tensor, field: string, of: string): void {
    const same =
      actual.dtype === expected.dtype &&
      actual.shape.length === expected.shape.length &&
      actual.shape.every((d, i) => d === expected.shape[i]);
    if (!same)
      this.fail(
        field,
        `is ${actual.dtype} [${actual.shape.join(', ')}] but ${of} is ${expected.dtype} [${expected.shape.join(', ')}]`,
      );
  }
}
