/**
 * Test helper: submissions as students hand them in. A solved kit's exercise files hold the reference's
 * code itself, each bundled with its private helpers by esbuild (only the toolkit's packages stay
 * imports): a kit that imported its answers from '@backprop-lab/layers' would be refused by the sandbox,
 * and the grader reads only the exercise files, so each must stand alone. A planted mistake or hostile
 * code overrides one function of a file (ES modules: a local export wins over `export *`).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';
import { buildSync } from 'esbuild';
import { REPO_ROOT } from '../generate.js';
import { initKit } from '../init.js';

const FILES = [...new Set(EXERCISES.map((exercise) => exercise.file))];

export interface FileChange {
  /** Module text after the reference's: imports, and `export function name(...) {...}` overriding it. */
  override?: string;
  /** Statements before everything else in the bundled file (e.g. a throw at import). */
  prefix?: string;
}

/** The files of a kit as init writes it (path relative to the kit → bytes): generated once per process. */
let template: Map<string, Buffer> | undefined;

/**
 * A fresh kit as init writes it: generated once per process into a temp folder, read into memory and the
 * folder removed at once (a test process may be killed, so nothing is left for an exit hook), then written
 * out for each kit (generating takes a second).
 */
export function stubKit(dir: string): string {
  if (template === undefined) {
    const root = mkdtempSync(join(tmpdir(), 'grade-kit-'));
    try {
      initKit(join(root, 'kit'), { vendor: false });
      const files = new Map<string, Buffer>();
      for (const entry of readdirSync(join(root, 'kit'), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const path = join(entry.parentPath, entry.name);
        files.set(relative(join(root, 'kit'), path), readFileSync(path));
      }
      template = files;
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  for (const [path, bytes] of template) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return dir;
}

/** The reference module behind a kit file, with `change` applied, as one file. */
function bundle(file: string, change: FileChange = {}): string {
  const reference = join(REPO_ROOT, EXERCISES.find((e) => e.file === file)!.reference);
  const work = mkdtempSync(join(tmpdir(), 'grade-bundle-'));
  try {
    const entry = join(work, 'entry.ts');
    const ref = JSON.stringify(reference);
    writeFileSync(
      entry,
      `import * as reference from ${ref};\nexport * from ${ref};\n${change.override ?? ''}\n`,
    );
    const { outputFiles } = buildSync({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'node',
      write: false,
      external: ['@backprop-lab/*'],
      logLevel: 'silent',
    });
    return `${change.prefix ?? ''}\n${outputFiles[0].text}`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A kit whose every exercise file is the reference's code, with `changes` by kit file. */
export function referenceKit(dir: string, changes: Readonly<Record<string, FileChange>> = {}): string {
  stubKit(dir);
  for (const file of FILES) writeFileSync(join(dir, 'src', file), bundle(file, changes[file]));
  return dir;
}

const MUL = "import { mul } from '@backprop-lab/tensor';";

/** Planted mistakes, each a change to one kit file, with the fingerprint the checks should name. */
export const PLANTED = {
  /** affine-db-mean: db averaged over the batch instead of summed. */
  dbMean: {
    'affine.ts': {
      override: `${MUL}
export function affineBackward(dout: any, cache: any) {
  const r = reference.affineBackward(dout, cache);
  return { ...r, db: mul(r.db, 1 / dout.shape[0]) };
}`,
    },
  },
  /** softmax-dx-not-averaged: dx not divided by N. */
  softmaxTimesN: {
    'softmax.ts': {
      override: `${MUL}
export function softmaxLoss(scores: any, y: any) {
  const r = reference.softmaxLoss(scores, y);
  return { loss: r.loss, dx: mul(r.dx, scores.shape[0]) };
}`,
    },
  },
  /** No fingerprint: dropout's dx twice what it should be. */
  dropoutScaled: {
    'dropout.ts': {
      override: `${MUL}
export function dropoutBackward(dout: any, cache: any) {
  return mul(reference.dropoutBackward(dout, cache), 2);
}`,
    },
  },
} satisfies Record<string, Record<string, FileChange>>;

/** Hostile code in relu.ts, each to end as that exercise's 0 while the rest is graded. */
export const HOSTILE = {
  importThrows: { 'relu.ts': { prefix: "throw new Error('boom at import');" } },
  exits: { 'relu.ts': { override: 'export function reluForward() {\n  process.exit(3);\n}' } },
  loops: { 'relu.ts': { override: 'export function reluForward() {\n  while (true) {}\n}' } },
  allocates: {
    'relu.ts': {
      override:
        'export function reluForward() {\n  const all = [];\n  for (;;) all.push(new Array(1e6).fill(1));\n}',
    },
  },
} satisfies Record<string, Record<string, FileChange>>;
