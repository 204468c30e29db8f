import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { runScript } from './run-script.js';

/** A throwaway tree of TypeScript files, written from { path: text }. */
function tree(files: Record<string, string>): string {
  const root = tempDirSync('import-cycles');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import cycles (scripts/import-cycles.mjs)', () => {
  it('finds no import cycle in this repository', () => {
    const { status, stdout, stderr } = runScript('import-cycles.mjs');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\d+ modules cruised; 0 import cycle\(s\), 0 known:$/m);
  });

  it('fails on a new cycle between files, type-only imports included, and between trainer folders', () => {
    const root = tree({
      'packages/p/src/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\n",
      'packages/p/src/b.ts': "import type { A } from './a.js';\nexport interface B { a?: A }\n",
      'packages/p/src/c.ts': "import type { A } from './a.js';\nexport const c: A = {};\n",
      'apps/trainer/src/one/x.ts': "import { y } from '../two/y.js';\nexport const x = () => y;\n",
      'apps/trainer/src/two/y.ts': 'export const y = 2;\n',
      'apps/trainer/src/two/z.ts': "import { x } from '../one/x.js';\nexport const z = x;\n",
    });
    const { status, stdout, stderr } = runScript('import-cycles.mjs', '--root', root);
    expect(status).toBe(1);
    expect(stdout).toContain('NEW    file: packages/p/src/a.ts -> packages/p/src/b.ts');
    expect(stdout).toContain('NEW    folder: apps/trainer/src/one -> apps/trainer/src/two');
    expect(stdout).not.toMatch(/c\.ts|x\.ts -> |y\.ts/);
    expect(stderr).toContain(
      'import cycles: new cycle file: packages/p/src/a.ts -> packages/p/src/b.ts: break it',
    );
  });

  it('fails when a known cycle is gone, so the list of known cycles cannot go stale', () => {
    const root = tree({ 'packages/p/src/a.ts': 'export const a = 1;\n' });
    const gone = 'file: packages/p/src/a.ts -> packages/p/src/b.ts';
    const { status, stderr } = runScript('import-cycles.mjs', '--root', root, '--known', gone);
    expect(status).toBe(1);
    expect(stderr).toContain(
      `import cycles: known cycle gone: ${gone}: delete it from KNOWN_CYCLES in scripts/import-cycles.mjs`,
    );
    expect(stderr).not.toContain('new cycle');
  });
});
