/**
 * How values cross between the grader and the student's process, both ways. Tensors, plain objects,
 * arrays, typed arrays and primitives (NaN, ±Infinity, -0, undefined, bigint, symbols) cross by copy;
 * anything else (a class instance, a function, a Promise) stays where it was made behind a handle.
 * Every object gets a number in its message, so shared references and cycles survive; an object the
 * receiver sent earlier in the exchange comes back marked `back`, and the receiver updates its own object
 * in place (a bnParam whose runningMean was reassigned, a tensor written into, a config whose t moved).
 *
 * This file runs in both processes and imports nothing: the Tensor class comes in through TensorKind.
 * The receiver trusts nothing it decodes (keys such as __proto__ are defined, never assigned).
 */

type Float = Float64Array | Float32Array;

interface TensorLike {
  data: Float;
  shape: readonly number[];
}

/** The Tensor class of the side that encodes or decodes. */
export interface TensorKind {
  is(value: unknown): value is TensorLike;
  make(data: Float, shape: number[]): object;
}

export interface HandleWire {
  t: 'handle';
  id: number;
  gen: number;
  callable: boolean;
  /** For messages: a function's name, or an instance's class name. */
  label: string;
}

type Node = { rid: number; back?: number };
export type Wire =
  | undefined
  | null
  | boolean
  | number
  | string
  | bigint
  | { t: 'symbol'; description: string | undefined }
  | { t: 'ref'; rid: number }
  | (Node & { t: 'tensor'; data: Float; shape: number[] })
  | (Node & { t: 'array'; items: Wire[]; frozen: boolean })
  | (Node & { t: 'object'; entries: [string, Wire][]; frozen: boolean })
  | (Node & { t: 'typed'; data: ArrayBufferView })
  | HandleWire;

/**
 * The student's process exits with this code when a request fails its signature check: student code
 * rewrote a message on its way (process.emit is theirs to replace), say to run a layer's call as the net's.
 */
export const TAMPERED_EXIT = 86;

/** Dimensions a tensor that crosses may have: far more than any layer makes. */
export const MAX_RANK = 32;

/** A value that cannot cross (thrown by encode; the caller turns it into one line). */
export class WireError extends Error {
  override name = 'WireError';
}

/**
 * The view's own bytes: a view into a larger (or shared) buffer would otherwise carry the whole buffer
 * across, past the byte count.
 */
function ownBytes<T extends ArrayBufferView>(view: T): T {
  const { buffer, byteOffset, byteLength } = view;
  if (!(buffer instanceof SharedArrayBuffer) && byteOffset === 0 && byteLength === buffer.byteLength)
    return view;
  if (view instanceof DataView)
    return new DataView(buffer.slice(byteOffset, byteOffset + byteLength)) as unknown as T;
  return (view as unknown as Float64Array).slice() as unknown as T;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export interface EncodeOptions {
  tensor: TensorKind;
  /** Objects that came from the other side, by their number there: they go back marked `back`. */
  received?: ReadonlyMap<object, number>;
  /** A value that does not cross by copy: its handle, or a WireError. */
  handle(value: object): HandleWire;
  /** The handle a value already stands for (a proxy of the other side's object, which looks plain). */
  known?(value: object): HandleWire | undefined;
  /** Typed-array bytes allowed in one message (a student's result could otherwise flood the grader). */
  maxBytes?: number;
}

export class Encoder {
  /** Each object encoded so far, by its number in this message. */
  readonly sent = new Map<number, object>();
  private readonly seen = new Map<object, number>();
  private bytes = 0;

  constructor(private readonly options: EncodeOptions) {}

  encode(value: unknown): Wire {
    switch (typeof value) {
      case 'undefined':
      case 'boolean':
      case 'number':
      case 'string':
      case 'bigint':
        return value;
      case 'symbol':
        return { t: 'symbol', description: value.description };
    }
    if (value === null) return null;
    const object = value as object;
    const known = this.seen.get(object);
    if (known !== undefined) return { t: 'ref', rid: known };
    const { tensor, received, handle, known: stands } = this.options;
    const standsFor = stands?.(object);
    if (standsFor) return standsFor;
    const copyable =
      tensor.is(object) || Array.isArray(object) || ArrayBuffer.isView(object) || isPlain(object);
    if (typeof object === 'function' || !copyable) return handle(object);
    const rid = this.seen.size;
    this.seen.set(object, rid);
    this.sent.set(rid, object);
    const node: Node = { rid };
    const back = received?.get(object);
    if (back !== undefined) node.back = back;
    if (tensor.is(object)) {
      this.count(object.data.byteLength);
      return { ...node, t: 'tensor', data: ownBytes(object.data), shape: [...object.shape] };
    }
    if (ArrayBuffer.isView(object)) {
      this.count(object.byteLength);
      return { ...node, t: 'typed', data: ownBytes(object) };
    }
    const frozen = Object.isFrozen(object);
    if (Array.isArray(object)) {
      this.count(8 * object.length);
      return { ...node, t: 'array', items: Array.from(object, (item) => this.encode(item)), frozen };
    }
    const keys = Object.keys(object);
    this.count(16 * keys.length);
    const entries = keys.map((key): [string, Wire] => [
      key,
      this.encode((object as Record<string, unknown>)[key]),
    ]);
    return { ...node, t: 'object', entries, frozen };
  }

  private count(bytes: number): void {
    this.bytes += bytes;
    const limit = this.options.maxBytes ?? Number.POSITIVE_INFINITY;
    if (this.bytes > limit) throw new WireError(`more than ${Math.round(limit / 2 ** 20)} MB of data`);
  }
}

export interface DecodeOptions {
  tensor: TensorKind;
  /** What this side sent in the message being answered, by number: `back` nodes update these. */
  sent?: ReadonlyMap<number, object>;
  handle(wire: HandleWire): unknown;
}

/** Decodes one message; objects this side sent are updated in place and returned as themselves. */
export function decode(wire: Wire, options: DecodeOptions): unknown {
  const table = new Map<number, unknown>();
  const visit = (w: Wire): unknown => {
    if (w === null || typeof w !== 'object') return w;
    switch (w.t) {
      case 'symbol':
        return Symbol(w.description);
      case 'ref':
        if (!table.has(w.rid)) throw new WireError(`a reference to object ${w.rid} before it was sent`);
        return table.get(w.rid);
      case 'handle':
        return options.handle(w);
    }
    const own = w.back === undefined ? undefined : options.sent?.get(w.back);
    if (w.t === 'tensor') {
      // The shape is not counted in the byte limit, and a check prints it whole: a shape of 3e7 ones
      // (data of one number) made a 120 MB feedback.md.
      if (!Array.isArray(w.shape)) throw new WireError('a tensor whose shape is not a list');
      if (w.shape.length > MAX_RANK)
        throw new WireError(`a tensor of rank ${w.shape.length} (at most ${MAX_RANK})`);
      if (own && options.tensor.is(own) && own.data.length === w.data.length) {
        table.set(w.rid, own);
        own.data.set(w.data);
        return own;
      }
      const made = options.tensor.make(w.data, w.shape);
      table.set(w.rid, made);
      return made;
    }
    if (w.t === 'typed') {
      if (own && ArrayBuffer.isView(own) && own.byteLength === w.data.byteLength) {
        table.set(w.rid, own);
        new Uint8Array(own.buffer, own.byteOffset, own.byteLength).set(
          new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength),
        );
        return own;
      }
      table.set(w.rid, w.data);
      return w.data;
    }
    if (w.t === 'array') {
      const target = own && Array.isArray(own) && !Object.isFrozen(own) ? own : [];
      table.set(w.rid, target);
      const items = w.items.map(visit);
      target.length = items.length;
      for (let i = 0; i < items.length; i++) target[i] = items[i];
      if (w.frozen) Object.freeze(target);
      return target;
    }
    if (w.t === 'object') {
      const reuse = own !== undefined && !Array.isArray(own) && !Object.isFrozen(own);
      const target = (reuse ? own : {}) as Record<string, unknown>;
      table.set(w.rid, target);
      const entries = w.entries.map(([key, item]): [string, unknown] => [String(key), visit(item)]);
      const keep = new Set(entries.map(([key]) => key));
      for (const key of Object.keys(target)) if (!keep.has(key)) delete target[key];
      for (const [key, value] of entries) {
        Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
      }
      if (w.frozen) Object.freeze(target);
      return target;
    }
    throw new WireError(`an unknown kind of value '${String((w as { t: unknown }).t)}'`);
  };
  return visit(wire);
}
