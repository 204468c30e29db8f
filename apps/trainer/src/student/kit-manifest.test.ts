import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { readKitManifest } from './kit-manifest.js';
import { casesFor, layersSentence, REFERENCE_LAYERS } from './student-layers.js';

function kitWith(manifest: string | null): string {
  const dir = tempDirSync('kit-manifest');
  if (manifest !== null) writeFileSync(join(dir, 'manifest.json'), manifest);
  return dir;
}

describe('--layers <kit>: the kit manifest', () => {
  it('reads the exercises of a kit', () => {
    const dir = kitWith(
      JSON.stringify({
        kitVersion: 1,
        exercises: [{ id: 'relu', file: 'relu.ts', functions: ['reluForward'] }],
      }),
    );
    expect(readKitManifest(dir)).toEqual({
      dir,
      kitVersion: 1,
      exercises: [{ id: 'relu', file: 'relu.ts', functions: ['reluForward'] }],
    });
  });

  it('names the folder and the file in every usage error', () => {
    expect(() => readKitManifest('/no/such/kit')).toThrow(
      new UsageError('--layers /no/such/kit: no such folder (give a kit written by pnpm assignment init)'),
    );
    const empty = kitWith(null);
    expect(() => readKitManifest(empty)).toThrow(
      `--layers ${empty}: ${join(empty, 'manifest.json')} is missing`,
    );
    const broken = kitWith('{ "kitVersion": 1,');
    expect(() => readKitManifest(broken)).toThrow(new RegExp(`^--layers ${broken}: .*manifest.json: .*JSON`));
    const future = kitWith(JSON.stringify({ kitVersion: 2, exercises: [] }));
    expect(() => readKitManifest(future)).toThrow('kitVersion 2 is not supported (this trainer reads 1)');
    // A file name that could reach outside src/ is refused.
    const escaping = kitWith(
      JSON.stringify({ kitVersion: 1, exercises: [{ id: 'x', file: '../x.ts', functions: [] }] }),
    );
    expect(() => readKitManifest(escaping)).toThrow('exercises must be a list of { id, file, functions }');
  });
});

describe('--layers: what is checked and what the report says', () => {
  it('gradient-checks the normalizations the study trains, and dropout when it is on', () => {
    expect(casesFor({ norms: ['none', 'batchnorm'], dropout: 1 })).toEqual(['net-none', 'net-batchnorm-n10']);
    expect(casesFor({ norms: ['layernorm'], dropout: 0.5 })).toEqual(['net-layernorm', 'net-dropout']);
  });

  it('says whose layers ran', () => {
    expect(layersSentence(REFERENCE_LAYERS)).toBe("Layers: the toolkit's reference layers.");
    expect(
      layersSentence({
        source: 'student',
        kit: '/k',
        student: { batchnormForward: 'batchnormForward', batchnormBackward: 'batchnormBackward' },
        reference: ['affineForward'],
        gradcheck: { cases: ['net-batchnorm-n10'], parameters: 20, worstRelError: 3e-9 },
      }),
    ).toBe(
      "Layers: the student's from /k (batchnormForward, batchnormBackward); the reference for affineForward. Gradient check before training: worst relative error 3.0e-9 over 20 parameters (net-batchnorm-n10).",
    );
  });
});
