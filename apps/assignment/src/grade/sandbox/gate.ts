/**
 * Runs in the student's process. The fc-net exercise checks how the student's FullyConnectedNet composes
 * the layers it is given (the reference ones, through resolveOptions), so those must run inside the net;
 * anywhere else they would hand a layer exercise the reference's answer. The child opens the gate only
 * while it runs the student's FullyConnectedNet (constructor, methods, properties).
 */

export const gate = { open: false };

// Taken when the child starts, before any student file loads: student code may replace Function's
// apply or Object.keys to be handed the reference function a wrapper calls or a LayerSet holds.
const apply = Reflect.apply;
const keys = Object.keys;

// biome-ignore lint/suspicious/noExplicitAny: wraps any reference function
type Fn = (...args: any[]) => any;

/** `fn`, refusing to run while the gate is closed. */
export function gated(name: string, fn: Fn): Fn {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    if (!gate.open) {
      throw new Error(
        `the reference ${name} only runs inside FullyConnectedNet in graded code (fc-net composes it); write your own`,
      );
    }
    return apply(fn, this, args);
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped;
}

/** A LayerSet with each member that is the reference's own gated; the student's members are kept. */
export function gateLayers<T extends object>(layers: T, reference: object): T {
  const out: Record<string, unknown> = {};
  for (const member of keys(layers)) {
    const fn = (layers as Record<string, unknown>)[member];
    const own = (reference as Record<string, unknown>)[member] === fn && typeof fn === 'function';
    out[member] = own ? gated(member, fn as Fn) : fn;
  }
  return out as T;
}
