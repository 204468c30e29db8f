/**
 * The grader's view of the student's values: exported functions and classes as plain functions that
 * call across, and values that stay in the student's process (instances, caches holding functions) as
 * Proxies whose property reads, writes and calls go across too. Every failure is thrown here as one line
 * naming the function, so runChecks reports it against that exercise and goes on.
 */
import { Tensor } from '@backprop-lab/tensor';
import type { Failure, Request } from './child.js';
import type { SyncBroker } from './rpc.js';
import { decode, Encoder, type HandleWire, type TensorKind, type Wire, WireError } from './wire.js';

/**
 * The student's process failed (time limit, exit, memory, an answer that cannot be read). runChecks
 * reports the message as it is: it already names the function.
 */
export class StudentProcessError extends Error {
  override name = 'StudentProcessError';
}

export interface FailureLimits {
  timeLimitMs: number;
  heapMb: number;
  /** Undefined where no address-space limit applies (no prlimit). */
  addressSpaceMb?: number;
  /**
   * The submission's private folder, shown as `<sandbox>` in the student's texts (a stack, a message
   * quoting import.meta.url): its name differs on every run, and a grading must not.
   */
  sandboxDir?: string;
}

const tensorKind: TensorKind = {
  is: (value): value is Tensor => value instanceof Tensor,
  make: (data, shape) => {
    try {
      return new Tensor(data, shape);
    } catch (error) {
      throw new WireError(`a malformed tensor (${(error as Error).message})`);
    }
  },
};

/**
 * Characters of the student's text a failure keeps. The child cuts its messages shorter, but with builtins
 * the student may have replaced (String.prototype.slice), so the grader cuts again with its own.
 */
export const MAX_FAILURE_TEXT = 10_000;

function clip(text: unknown, limits: FailureLimits): string {
  let value = String(text);
  if (limits.sandboxDir) value = value.split(limits.sandboxDir).join('<sandbox>');
  return value.length > MAX_FAILURE_TEXT ? `${value.slice(0, MAX_FAILURE_TEXT)}…` : value;
}

/** What to throw for a failure during `label` (a function, or Class.method). */
export function failureError(failure: Failure, label: string, limits: FailureLimits): unknown {
  switch (failure.kind) {
    case 'throw': {
      // A thrown non-Error crosses as its text: thrown again as a string, it reads the same.
      if (failure.text !== undefined) return clip(failure.text, limits);
      const error = new Error(clip(failure.message ?? '', limits));
      error.name = failure.name === undefined ? 'Error' : clip(failure.name, limits);
      if (failure.functionName !== undefined) Object.assign(error, { functionName: failure.functionName });
      return error;
    }
    case 'timeout':
      return new StudentProcessError(
        `${label} did not return within ${limits.timeLimitMs / 1000} s (an infinite loop?)`,
      );
    case 'exit':
      return new StudentProcessError(
        failure.code !== null
          ? `the student code exited with code ${failure.code} during ${label}`
          : `the student code was killed by ${failure.signal} during ${label}`,
      );
    case 'oom':
      return new StudentProcessError(
        `the student code ran out of memory (limit ${limits.heapMb} MB heap${limits.addressSpaceMb ? `, ${limits.addressSpaceMb} MB in all` : ''}) during ${label}`,
      );
    case 'output':
      return new StudentProcessError(
        `${label} returned a value the grader cannot take: ${clip(failure.message, limits)}`,
      );
    case 'grader':
      return new StudentProcessError(`${label}: ${clip(failure.message, limits)}`);
  }
}

/** Why a handle cannot be used: its process was killed or exited (each call then starts a new one). */
const STALE = "it uses a value made by the student's process that stopped after a failure in an earlier call";

export class Remote {
  /** Handles whose proxies were collected, sent along with the next request so the child drops them. */
  private readonly releases: number[] = [];
  private readonly proxies = new Map<string, WeakRef<object>>();
  private readonly wires = new WeakMap<object, HandleWire>();
  private readonly registry = new FinalizationRegistry<HandleWire>((wire) => {
    const key = `${wire.gen}:${wire.id}`;
    if (this.proxies.get(key)?.deref() === undefined) this.proxies.delete(key);
    if (wire.gen === this.broker.gen && wire.gen > this.deadGen) this.releases.push(wire.id);
  });
  /** The last generation known to have died: its handles are gone. */
  private deadGen = 0;

  constructor(
    private readonly broker: SyncBroker,
    private readonly limits: FailureLimits,
  ) {}

  /** The exported function or class `name`, callable as the student's own. */
  exported(name: string): (...args: unknown[]) => unknown {
    const remote = this;
    const fn = function (this: unknown, ...args: unknown[]) {
      return remote.send(new.target ? 'construct' : 'call', name, { name }, args);
    };
    Object.defineProperty(fn, 'name', { value: name });
    return fn;
  }

  private send(
    op: string,
    label: string,
    fields: object,
    args: unknown[],
    self?: unknown,
    value?: unknown,
  ): unknown {
    const target = (fields as { target?: HandleWire }).target;
    if (target && target.gen <= this.deadGen) throw new StudentProcessError(`${label}: ${STALE}`);
    let input: Wire;
    let sent: Map<number, object>;
    try {
      const encoder = new Encoder({
        tensor: tensorKind,
        known: (v) => (this.wires.has(v) ? this.handleOf(v) : undefined),
        handle: (v) => this.handleOf(v),
      });
      input = encoder.encode([args, self, value]);
      sent = encoder.sent;
    } catch (error) {
      if (error instanceof WireError) throw new StudentProcessError(`${label}: ${error.message}`);
      throw error;
    }
    const reply = this.broker.request({ op, ...fields, input } as Request, this.releases.splice(0));
    if (!reply.ok) {
      if (['timeout', 'exit', 'oom'].includes(reply.failure.kind)) this.deadGen = this.broker.gen;
      throw failureError(reply.failure, label, this.limits);
    }
    try {
      const [result] = decode(reply.value, { tensor: tensorKind, sent, handle: (w) => this.proxy(w) }) as [
        unknown,
      ];
      return result;
    } catch (error) {
      if (error instanceof WireError) throw new StudentProcessError(`${label} returned ${error.message}`);
      throw error;
    }
  }

  private handleOf(value: object): HandleWire {
    const wire = this.wires.get(value);
    if (!wire)
      throw new WireError(
        `cannot pass ${typeof value === 'function' ? 'a function' : 'this object'} to the student's code`,
      );
    if (wire.gen <= this.deadGen) throw new WireError(STALE);

    return wire;
  }

  private proxy(wire: HandleWire): object {
    const key = `${wire.gen}:${wire.id}`;
    const known = this.proxies.get(key)?.deref();
    if (known) return known;
    // A class name is the student's text too (a static `name` getter can return anything).
    wire.label = String(wire.label).slice(0, 200);
    const label = (name: string) => `${wire.label}.${name}`;
    const target = wire.callable ? () => {} : {};
    const proxy: object = new Proxy(target, {
      get: (_, name) =>
        typeof name === 'symbol' ? undefined : this.send('get', label(name), { target: wire, key: name }, []),
      set: (_, name, value) =>
        typeof name !== 'symbol' &&
        (this.send('set', label(name), { target: wire, key: name }, [], undefined, value) as boolean),
      has: (_, name) =>
        typeof name !== 'symbol' &&
        (this.send('has', label(name), { target: wire, key: name }, []) as boolean),
      ownKeys: () => this.send('keys', wire.label, { target: wire }, []) as string[],
      getOwnPropertyDescriptor: (_, name): PropertyDescriptor | undefined =>
        typeof name === 'symbol'
          ? undefined
          : { value: Reflect.get(proxy, name), writable: true, enumerable: true, configurable: true },
      apply: (_, self, args) => {
        const owner = typeof self === 'object' && self !== null ? this.wires.get(self) : undefined;
        const name = owner ? `${owner.label}.${wire.label}` : wire.label;
        return this.send('apply', name, { target: wire }, args, self);
      },
      construct: () => {
        throw new StudentProcessError(`${wire.label} cannot be constructed from the grader`);
      },
    });
    this.proxies.set(key, new WeakRef(proxy));
    this.wires.set(proxy, wire);
    this.registry.register(proxy, wire);
    return proxy;
  }
}
