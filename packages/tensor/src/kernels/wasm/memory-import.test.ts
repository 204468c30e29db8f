import { expect, it } from 'vitest';
import { createEngine } from './engine.js';
import { matmulWasmBase64 } from './matmul.wasm.generated.js';
import { withUnsharedMemory } from './memory-import.js';
import { webAssembly } from './webassembly.js';

const wasm = Uint8Array.from(atob(matmulWasmBase64), (char) => char.charCodeAt(0));
const wasmApi = webAssembly!;

it('rewrites only the shared flag of the memory import', () => {
  const unshared = withUnsharedMemory(wasm);
  const changed = [...unshared.keys()].filter((i) => unshared[i] !== wasm[i]);
  expect(changed.length).toBe(1);
  expect([wasm[changed[0]], unshared[changed[0]]]).toEqual([3, 1]); // limits flags: max + shared → max
});

it('makes a module that instantiates on an unshared memory, which the original refuses', () => {
  const memory = new wasmApi.Memory({ initial: 1, maximum: 65536, shared: false });
  expect(() => new wasmApi.Instance(new wasmApi.Module(wasm), { env: { memory } })).toThrow();
  const instance = new wasmApi.Instance(new wasmApi.Module(withUnsharedMemory(wasm)), { env: { memory } });
  expect(Object.keys(instance.exports)).toContain('matmulF64');
});

it('gives an engine on an unshared memory where asked (no SharedArrayBuffer)', () => {
  const engine = createEngine(false)!;
  expect(engine.shared).toBe(false);
  expect(engine.memory.buffer instanceof ArrayBuffer).toBe(true);
});
