import { Tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { decode, Encoder, type HandleWire, type TensorKind, WireError } from './wire.js';

const tensor: TensorKind = {
  is: (value): value is Tensor => value instanceof Tensor,
  make: (data, shape) => new Tensor(data, shape),
};
const noHandles = (value: object): HandleWire => {
  throw new WireError(`no handle for ${typeof value}`);
};

/** `value` through an encode and a structured clone, as a message crosses. */
function cross(value: unknown, handle = noHandles): unknown {
  const wire = structuredClone(new Encoder({ tensor, handle }).encode(value));
  return decode(wire, { tensor, handle: () => 'a handle' });
}

describe('wire', () => {
  it('copies tensors, typed arrays, special numbers, shared objects and cycles', () => {
    const t = new Tensor(new Float64Array([1, Number.NaN, -0, Number.POSITIVE_INFINITY]), [2, 2]);
    const shared = { t };
    const cyclic: Record<string, unknown> = { n: 1n, u: undefined, labels: new Int32Array([3, 1]) };
    cyclic.self = cyclic;
    const back = cross({ a: shared, b: shared, cyclic, list: [1, 'x', null, true] }) as Record<string, never>;
    const a = back.a as { t: Tensor };
    expect(a.t).toBeInstanceOf(Tensor);
    expect(a.t.shape).toEqual([2, 2]);
    expect(Object.is(a.t.data[2], -0)).toBe(true);
    expect(Number.isNaN(a.t.data[1])).toBe(true);
    expect(back.b).toBe(a);
    const c = back.cyclic as Record<string, unknown>;
    expect(c.self).toBe(c);
    expect(c).toMatchObject({ n: 1n, labels: new Int32Array([3, 1]) });
    expect('u' in c).toBe(true);
    expect(back.list).toEqual([1, 'x', null, true]);
  });

  it('defines a __proto__ key as an own property, never as the prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}');
    const back = cross(hostile) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hands class instances and functions to `handle`, and refuses what it cannot send', () => {
    class Cache {}
    const wires: unknown[] = [];
    const handle = (value: object): HandleWire => {
      wires.push(value);
      return { t: 'handle', id: 1, gen: 1, callable: typeof value === 'function', label: 'x' };
    };
    expect(cross({ cache: new Cache(), fn: () => 1 }, handle)).toEqual({ cache: 'a handle', fn: 'a handle' });
    expect(wires).toHaveLength(2);
    expect(() => cross(new Map())).toThrow('no handle for object');
  });

  it("updates the sender's own objects in place when they come back marked as theirs", () => {
    const param: Record<string, unknown> = {
      mode: 'train',
      runningMean: new Tensor(new Float64Array(2), [2]),
    };
    const w = new Tensor(new Float64Array([1, 2]), [2]);
    const outgoing = new Encoder({ tensor, handle: noHandles });
    const wire = structuredClone(outgoing.encode([w, param]));
    // The other side decodes, mutates w in place and reassigns runningMean, then answers.
    const [theirW, theirParam] = decode(wire, { tensor, handle: () => null }) as [
      Tensor,
      Record<string, unknown>,
    ];
    theirW.data[0] = 9;
    theirParam.runningMean = new Tensor(new Float64Array([5, 6]), [2]);
    const received = new Map<object, number>([
      [theirW, 1],
      [theirParam, 2],
    ]);
    const answer = structuredClone(
      new Encoder({ tensor, handle: noHandles, received }).encode([theirW, theirParam]),
    );
    const [sameW, sameParam] = decode(answer, {
      tensor,
      sent: outgoing.sent,
      handle: () => null,
    }) as unknown[];
    expect(sameW).toBe(w);
    expect(sameParam).toBe(param);
    expect([...w.data]).toEqual([9, 2]);
    expect([...(param.runningMean as Tensor).data]).toEqual([5, 6]);
  });

  it('refuses a message over its byte limit, and sends a view as its own bytes only', () => {
    const big = new Tensor(new Float64Array(1024), [1024]);
    expect(() => new Encoder({ tensor, handle: noHandles, maxBytes: 4096 }).encode(big)).toThrow(WireError);
    const view = new Float64Array(new ArrayBuffer(8 * 1024), 8, 2);
    const wire = new Encoder({ tensor, handle: noHandles, maxBytes: 4096 }).encode(view) as {
      data: Float64Array;
    };
    expect(wire.data.buffer.byteLength).toBe(16);
  });

  it('refuses a tensor whose shape is longer than any the toolkit makes (its text would fill the feedback)', () => {
    const shape = new Array(100).fill(1);
    const wire = { rid: 0, t: 'tensor', data: new Float64Array(1), shape } as const;
    expect(() => decode(structuredClone(wire), { tensor, handle: noHandles })).toThrow(
      new WireError('a tensor of rank 100 (at most 32)'),
    );
    const notList = { ...wire, shape: 'x' as never };
    expect(() => decode(notList, { tensor, handle: noHandles })).toThrow(
      new WireError('a tensor whose shape is not a list'),
    );
  });
});
