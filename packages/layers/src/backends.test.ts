/**
 * The contract that lets a student trust any backend: a short training run of the net gives the same
 * float64 bits on the TypeScript, wasm and native backends (matmul, elementwise and reductions included).
 */
import {
  type Backend,
  createRng,
  getBackend,
  mul,
  nativeAvailable,
  nativeBackend,
  randn,
  setBackend,
  sub,
  typescriptBackend,
  wasmAvailable,
  wasmBackend,
} from '@backprop-lab/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { FullyConnectedNet } from './fc-net.js';

const initial = getBackend();
afterAll(() => {
  setBackend(initial);
});

/** Five SGD steps on one minibatch; every parameter's bytes afterwards. */
function train(backend: Backend): Map<string, Uint8Array> {
  setBackend(backend);
  const rng = createRng(3);
  const X = randn([40, 300], rng, 'float64');
  const y = Int32Array.from({ length: 40 }, () => rng.int(7));
  const net = new FullyConnectedNet({
    inputDim: 300,
    hiddenDims: [64, 48],
    numClasses: 7,
    normalization: 'batchnorm',
    reg: 1e-3,
    weightScale: 5e-2,
    seed: 1,
  });
  for (let step = 0; step < 5; step++) {
    const { grads } = net.loss(X, y);
    for (const [name, dW] of Object.entries(grads)) net.params[name] = sub(net.params[name], mul(dW, 1e-2));
  }
  return new Map(
    Object.entries(net.params).map(([name, p]) => [name, new Uint8Array(p.data.buffer.slice(0))]),
  );
}

const backends: [string, () => Backend][] = [
  ['wasm', () => wasmBackend({ threads: 2 })],
  ['native', () => nativeBackend({ threads: 2 })],
];

describe('a short training run gives the same float64 bits on every backend', () => {
  const reference = train(typescriptBackend);
  it.each(backends)('%s equals typescript', (name, make) => {
    const available = name === 'wasm' ? wasmAvailable() : nativeAvailable();
    // Where a backend cannot load here there is nothing to compare; say so rather than pass silently.
    expect.soft(available, `${name} backend unavailable on this machine`).toBe(true);
    if (!available) return;
    const bits = train(make());
    expect([...bits.keys()]).toEqual([...reference.keys()]);
    for (const [param, bytes] of bits)
      expect(Buffer.from(bytes).equals(Buffer.from(reference.get(param)!)), param).toBe(true);
  });
});
