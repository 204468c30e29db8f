/**
 * Test helper: submissions as students would hand them in, generated with initKit (no vendor/) and filled
 * with fill.ts: the reference copied (fc-net's class method included), or one function given a planted
 * mistake, or hostile code.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';
import { initKit } from '../init.js';
import { type FillOptions, fillKitFile } from '../testing/fill.js';

const FILES = [...new Set(EXERCISES.map((exercise) => exercise.file))];

function referenceDir(file: string): string {
  const exercise = EXERCISES.find((e) => e.file === file)!;
  return exercise.reference.slice(0, exercise.reference.lastIndexOf('/'));
}

/**
 * fill.ts fills functions; the net's loss is a method whose private helpers the stub dropped, so this
 * file becomes the reference's class itself.
 */
function fillNet(kit: string): void {
  writeFileSync(join(kit, 'src/fc-net.ts'), "export { FullyConnectedNet } from '@backprop-lab/layers';\n");
}

let template: string | undefined;

/** A fresh kit as init writes it: generated once per process, then copied (generating takes a second). */
export function stubKit(dir: string): string {
  if (template === undefined) {
    template = join(mkdtempSync(join(tmpdir(), 'grade-kit-')), 'kit');
    initKit(template, { vendor: false });
  }
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** A kit whose every exercise is the reference's; `changes` plants mistakes file by file. */
export function referenceKit(
  dir: string,
  changes: Readonly<Record<string, FillOptions & { imports?: string }>> = {},
): string {
  stubKit(dir);
  for (const file of FILES) {
    if (file === 'fc-net.ts') {
      fillNet(dir);
      continue;
    }
    const change = changes[file];
    // The planted body replaces its function; the file's other functions are the reference's.
    fillKitFile(dir, file, referenceDir(file), { bodies: change?.bodies });
    if (change?.imports) {
      const path = join(dir, 'src', file);
      writeFileSync(path, `${change.imports}\n${readFileSync(path, 'utf8')}`);
    }
  }
  return dir;
}
