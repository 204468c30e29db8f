// The default backend and its BACKPROP_LAB_BACKEND override (backend.ts), tested beside the kernels.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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

describe('a wrong environment, in a fresh process', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  /** Imports tensor with `env`, then runs one op; prints what happened as one JSON line. */
  const run = (env: Record<string, string>) => {
    const script = `import('${join(root, 'src', 'index.ts')}').then((t) => {
      let error = null;
      try { t.matmul(t.zeros([1, 1]), t.zeros([1, 1])); } catch (e) { error = e.message; }
      console.log(JSON.stringify({ imported: true, error }));
    });`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      cwd: root,
    });
    return JSON.parse(result.stdout);
  };

  it('imports, and the first op throws one line naming BACKPROP_LAB_BACKEND and its value', () => {
    expect(run({ BACKPROP_LAB_BACKEND: 'gpu' })).toEqual({
      imported: true,
      error: "BACKPROP_LAB_BACKEND: unknown backend 'gpu' (expected native, wasm, typescript, naive)",
    });
  });

  it('does not fall back silently when BACKPROP_LAB_NATIVE_ADDON names a file that is no addon', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backend-env-'));
    try {
      const garbage = join(dir, 'garbage.node');
      writeFileSync(garbage, 'garbage');
      const { error } = run({ BACKPROP_LAB_NATIVE_ADDON: garbage, BACKPROP_LAB_BACKEND: '' });
      expect(error).toMatch(/^BACKPROP_LAB_NATIVE_ADDON=.*garbage\.node: not loadable as a Node addon: /);
      expect(error).not.toContain('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
