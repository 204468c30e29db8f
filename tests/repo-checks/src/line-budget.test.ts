import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { runScript } from './run-script.js';

const lines = (count: number) => 'const x = 1;\n'.repeat(count);

describe('line budget (scripts/line-budget.mjs)', () => {
  it('holds for this repository, and prints the largest files as a table', () => {
    const { status, stdout, stderr } = runScript('line-budget.mjs');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^file +lines {2}status$/);
    expect(stdout).toMatch(/^\d+ source files, \d+ lines; budget 350 lines per file/m);
  });

  it('fails on a source file over 350 lines, naming it, and lets generated files and data pass', () => {
    const root = tempDirSync('line-budget');
    mkdirSync(join(root, 'packages/p/src'), { recursive: true });
    mkdirSync(join(root, 'packages/p/node_modules/dep'), { recursive: true });
    writeFileSync(join(root, 'packages/p/src/long.ts'), lines(351));
    writeFileSync(join(root, 'packages/p/src/fits.ts'), lines(350));
    writeFileSync(join(root, 'packages/p/src/table.generated.ts'), lines(900));
    writeFileSync(join(root, 'packages/p/src/data.csv'), lines(900));
    writeFileSync(join(root, 'packages/p/node_modules/dep/index.js'), lines(900));
    const { status, stdout, stderr } = runScript('line-budget.mjs', '--root', root);
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'line budget: packages/p/src/long.ts has 351 lines, over the 350-line budget: split it by kind, ' +
        'or name it in EXCEPTIONS of scripts/line-budget.mjs with the reason',
    ]);
    expect(stdout).toMatch(/^packages\/p\/src\/long\.ts +351 {2}OVER$/m);
    expect(stdout).toMatch(/^packages\/p\/src\/fits\.ts +350 {2}ok$/m);
    expect(stdout).toMatch(/^packages\/p\/src\/table\.generated\.ts +900 {2}exception: generated/m);
    expect(stdout).not.toMatch(/data\.csv|node_modules/);
    expect(stdout).toMatch(/^3 source files, 1601 lines;/m);
  });
});
