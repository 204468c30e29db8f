// The manifest against what it describes: every exercise has a check, its reference file exists and
// exports its functions, and NotImplemented points the student at the right file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from './exercises/index.js';
import { EXERCISES, fileOf } from './manifest.js';
import { isNotImplemented, NotImplemented } from './not-implemented.js';

const root = join(import.meta.dirname, '../../..');

describe('EXERCISES', () => {
  it('has unique ids, each with a check', () => {
    const ids = EXERCISES.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(CHECKS).sort()).toEqual([...ids].sort());
  });

  it('points at reference sources and docs that exist and define each function', () => {
    for (const exercise of EXERCISES) {
      const source = readFileSync(join(root, exercise.reference), 'utf8');
      for (const name of exercise.functions) {
        const [owner, method] = name.split('.');
        const definition = method === undefined ? `export function ${owner}(` : `export class ${owner} `;
        expect(source, `${exercise.id}: ${name}`).toContain(definition);
        if (method) expect(source).toContain(`  ${method}(`);
      }
      if (exercise.docs) expect(existsSync(join(root, exercise.docs)), exercise.docs).toBe(true);
    }
  });
});

describe('NotImplemented', () => {
  it('names the function and the kit file to edit', () => {
    expect(new NotImplemented('batchnormForward').message).toBe(
      'batchnormForward is not implemented yet (see the TODOs in src/batchnorm.ts)',
    );
    expect(new NotImplemented('FullyConnectedNet.loss').message).toBe(
      'FullyConnectedNet.loss is not implemented yet (see the TODOs in src/fc-net.ts)',
    );
    expect(fileOf('batchnormBackwardAlt')).toBe('batchnorm-backward.ts');
  });

  it('is recognised by name too (a second copy of the package)', () => {
    const copy = Object.assign(new Error('x is not implemented yet'), { name: 'NotImplemented' });
    expect(isNotImplemented(copy)).toBe(true);
    expect(isNotImplemented(new Error('x'))).toBe(false);
    expect(new NotImplemented('adam')).toBeInstanceOf(Error);
  });
});
