import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { artifactPath, compileMatmulWasm, renderArtifact } from '../../../scripts/build-wasm.mjs';
import { matmulWasmBase64 } from './matmul.wasm.generated.js';
import { webAssembly } from './webassembly.js';

// The committed binary must be what the committed AssemblyScript compiles to, so the two never drift.
it('matmul.wasm.generated.ts is up to date with assembly/*.as', async () => {
  const expected = renderArtifact(await compileMatmulWasm());
  const committed = readFileSync(artifactPath, 'utf8');
  expect(
    committed === expected,
    'stale artifact: run `pnpm --filter @backprop-lab/tensor build:wasm` and commit the result',
  ).toBe(true);
});

it('holds a valid WebAssembly module that imports only a shared memory', () => {
  const wasm = webAssembly!;
  const module = new wasm.Module(Buffer.from(matmulWasmBase64, 'base64'));
  expect(wasm.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
  expect(wasm.Module.exports(module).map((entry) => entry.name)).toEqual([
    'scratchBytes',
    'matmulF64',
    'matmulF32',
  ]);
});
