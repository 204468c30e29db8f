// The default backend and its BACKPROP_LAB_BACKEND override (backend.ts), tested beside the kernels.
import { expect, it } from 'vitest';
import { backendFromEnv, fastestBackend, naiveBackend, typescriptBackend } from '../backend.js';

it('picks the backend BACKPROP_LAB_BACKEND names', () => {
  expect(backendFromEnv('typescript')).toBe(typescriptBackend);
  expect(backendFromEnv('naive')).toBe(naiveBackend);
  expect(backendFromEnv('wasm').name).toMatch(/^wasm/);
  expect(backendFromEnv('native').name).toMatch(/^native-/);
});

it('defaults to the fastest backend: the native kernels where they were built (as on these machines)', () => {
  expect(backendFromEnv(undefined).name).toBe(fastestBackend().name);
  expect(backendFromEnv('').name).toMatch(/^native-/);
});

it('rejects an unknown backend name, listing the valid ones', () => {
  expect(() => backendFromEnv('gpu')).toThrow(
    "BACKPROP_LAB_BACKEND: unknown backend 'gpu' (expected native, wasm, typescript, naive)",
  );
});
