// A new user's path, as the kit's README gives it: init a kit, install it from its vendored tarballs
// (offline: tsx and TypeScript come from pnpm's store), typecheck, `pnpm check` with everything a stub,
// then implement batchnorm's forward and see it pass.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { readSubmission } from './collect/read-submission.js';
import { initKit } from './init.js';
import { fillKitFile } from './testing/fill.js';

const root = tempDirSync('kit-init');
const kit = join(root, 'my-kit');
const PNPM = ['--yes', 'pnpm@12.4.2'];
const env = { ...process.env, CI: '', NO_COLOR: '1' };

function pnpm(args: string[]) {
  return spawnSync('npx', [...PNPM, ...args], { cwd: kit, encoding: 'utf8', env });
}

interface Report {
  ok: boolean;
  exercises: { id: string; status: string }[];
}

function check(args: string[] = []): { status: number | null; report: Report } {
  const result = pnpm(['--silent', 'check', '--json', ...args]);
  // pnpm adds one line of its own when the script exits non-zero.
  if (result.status === 0) expect(result.stderr).toBe('');
  return { status: result.status, report: JSON.parse(result.stdout) as Report };
}

describe('pnpm assignment init, then the kit on its own', () => {
  it('writes the kit: stubs, docs, manifest, check script and the toolkit as tarballs', () => {
    const { files } = initKit(kit);
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'check.ts', 'manifest.json', 'docs/batchnorm-backward.md']),
    );
    expect(readdirSync(join(kit, 'src')).sort()).toEqual([...new Set(EXERCISES.map((e) => e.file))].sort());
    expect(readdirSync(join(kit, 'vendor')).sort()).toEqual([
      'backprop-lab-assignment-0.1.0.tgz',
      'backprop-lab-gradcheck-0.1.0.tgz',
      'backprop-lab-layers-0.1.0.tgz',
      'backprop-lab-optim-0.1.0.tgz',
      'backprop-lab-tensor-0.1.0.tgz',
      'backprop-lab-tensor-native-0.1.0.tgz',
    ]);
    const manifest = JSON.parse(readFileSync(join(kit, 'manifest.json'), 'utf8'));
    expect(manifest.exercises.map((e: { id: string }) => e.id)).toEqual(EXERCISES.map((e) => e.id));
    // The README's install and check commands are the ones this test runs.
    const readme = readFileSync(join(kit, 'README.md'), 'utf8');
    expect(readme).toContain('npx --yes pnpm@12.4.2 install');
    expect(readme).toContain('npx pnpm@12.4.2 check');
    expect(readme).toContain('pnpm train --layers <path-to-this-kit>');
    expect(readme).toContain('](docs/batchnorm-backward.md)');
  });

  it('refuses a folder that holds files, and leaves nothing behind', () => {
    const busy = join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    expect(() => initKit(busy)).toThrow(`init: ${busy} already exists and is not empty`);
    expect(readdirSync(busy)).toEqual(['notes.txt']);
    expect(() => initKit(join(root, 'x'), { only: ['nope'] })).toThrow(/^--only: unknown exercise nope/);
    expect(readdirSync(root).sort()).toEqual(['busy', 'my-kit']);
  });

  it('installs offline from vendor/, typechecks, and pnpm check reports every exercise not started', () => {
    const install = pnpm(['install', '--offline']);
    expect(install.status, install.stderr + install.stdout).toBe(0);
    expect(existsSync(join(kit, 'node_modules/@backprop-lab/layers/dist/index.js'))).toBe(true);
    const typecheck = pnpm(['--silent', 'typecheck']);
    expect(typecheck.status, typecheck.stdout + typecheck.stderr).toBe(0);
    const { status, report } = check();
    expect(status).toBe(0);
    expect(report.exercises.map((e) => [e.id, e.status])).toEqual(
      EXERCISES.map((e) => [e.id, 'not started']),
    );
  });

  it('passes batchnorm-forward once it is written, collects it, and exits 1 while an exercise fails', () => {
    fillKitFile(kit, 'batchnorm.ts', 'packages/layers/src');
    const passing = check(['--only', 'batchnorm-forward']);
    expect(passing.report.exercises.map((e) => [e.id, e.status])).toEqual([['batchnorm-forward', 'pass']]);
    expect(passing.status).toBe(0);
    // pnpm collect runs the vendored package's collect: the zip it writes reads back untouched.
    const collect = pnpm(['--silent', 'collect']);
    expect(collect.status, collect.stderr).toBe(0);
    expect(collect.stdout).toMatch(/^wrote submission\.zip: src\/affine\.ts, .+; hand in submission\.zip\n$/);
    const submission = readSubmission(join(kit, 'submission.zip'));
    expect([submission.tampered, submission.problems]).toEqual([[], []]);
    expect(readFileSync(join(submission.srcDir, 'batchnorm.ts'), 'utf8')).toBe(
      readFileSync(join(kit, 'src/batchnorm.ts'), 'utf8'),
    );
    submission.cleanup();
    fillKitFile(kit, 'relu.ts', 'packages/layers/src', {
      functions: ['reluForward'],
      bodies: { reluForward: 'return reference.reluForward(reference_neg(x));' },
    });
    const path = join(kit, 'src/relu.ts');
    writeFileSync(
      path,
      `import { neg as reference_neg } from '@backprop-lab/tensor';\n${readFileSync(path, 'utf8')}`,
    );
    const failing = check(['--only', 'relu']);
    expect(failing.report.exercises[0].status).toBe('fail');
    expect(failing.status).toBe(1);
  });
});
