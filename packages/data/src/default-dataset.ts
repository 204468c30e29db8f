/**
 * The default dataset, so `pnpm train` works offline on a fresh clone without committing data: the
 * synthetic CIFAR-like splits (seed 231; 5,000 train, 1,000 val, 1,000 test) are generated into the
 * repository's git-ignored datasets/ folder on first use and reused afterwards. A manifest in
 * datasets/.cache/ records the generator version, seed, sizes and each file's size and mtime; any
 * mismatch (a file missing, edited or truncated, or a newer generator) regenerates every split.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from './atomic.js';
import { classNamesPath } from './class-names.js';
import { SPLIT_NAMES, SYNTHETIC_DEFAULTS, SYNTHETIC_VERSION, type SplitName, writeSyntheticDataset } from './generate/synthetic.js';

/** The repository's datasets/ folder (three levels above this file, in src/ or dist/ alike). */
export const DEFAULT_DATASET_DIR = fileURLToPath(new URL('../../../datasets/', import.meta.url));

export interface DefaultDataset {
  train: string;
  val: string;
  test: string;
  /** True when this call (re)generated the files. */
  generated: boolean;
}

interface Manifest {
  version: number;
  seed: number;
  sizes: Record<SplitName, number>;
  files: Record<string, { size: number; mtimeMs: number }>;
}

function expectedManifest(): Omit<Manifest, 'files'> {
  const { train, val, test, seed } = SYNTHETIC_DEFAULTS;
  return { version: SYNTHETIC_VERSION, seed, sizes: { train, val, test } };
}

export async function ensureDefaultDataset(dir: string = DEFAULT_DATASET_DIR): Promise<DefaultDataset> {
  const paths = Object.fromEntries(SPLIT_NAMES.map((split) => [split, join(dir, `${SYNTHETIC_DEFAULTS.prefix}-${split}.csv`)])) as Record<
    SplitName,
    string
  >;
  const tracked = SPLIT_NAMES.flatMap((split) => [paths[split], classNamesPath(paths[split])]);
  const manifestPath = join(dir, '.cache', 'synthetic-manifest.json');
  if (await upToDate(manifestPath, tracked)) return { ...paths, generated: false };

  await writeSyntheticDataset(dir, { ...SYNTHETIC_DEFAULTS });
  const files: Manifest['files'] = {};
  for (const path of tracked) {
    const { size, mtimeMs } = await stat(path);
    files[basename(path)] = { size, mtimeMs };
  }
  const manifest: Manifest = { ...expectedManifest(), files };
  await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { ...paths, generated: true };
}

async function upToDate(manifestPath: string, tracked: string[]): Promise<boolean> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  } catch {
    return false; // no manifest (first run) or an unreadable one: regenerate
  }
  const expected = expectedManifest();
  if (JSON.stringify({ version: manifest.version, seed: manifest.seed, sizes: manifest.sizes }) !== JSON.stringify(expected)) {
    return false;
  }
  for (const path of tracked) {
    const recorded = manifest.files?.[basename(path)];
    const current = await stat(path).catch(() => undefined);
    if (!recorded || !current || current.size !== recorded.size || current.mtimeMs !== recorded.mtimeMs) return false;
  }
  return true;
}
