// The default backend and its BACKPROP_LAB_BACKEND override (backend.ts), tested beside the kernels.
import { expect, it } from 'vitest';
import { backendFromEnv, fastestBackend, naiveBackend, typescriptBackend } from '../backend.js';

it('picks the backend BACKPROP_LAB_BACKEND names', () => {
  expect(backendFromEnv('typescript')).toBe(typescriptBackend);
  expect(backendFromEnv('naive')).toBe(naiveBackend);
  expect(backendFromEnv('wasm').name).toMatch(/^wasm/);
});

it('defaults to the fastest backend, wasm on up to two threads where SIMD exists', () => {
  expect(backendFromEnv(undefined).name).toBe(fastestBackend().name);
  expect(backendFromEnv('').name).toMatch(/^wasm/);
});

it('rejects an unknown backend name, listing the valid ones', () => {
  expect(() => backendFromEnv('gpu')).toThrow(
    "BACKPROP_LAB_BACKEND: unknown backend 'gpu' (expected wasm, typescript, naive)",
  );
});
