/**
 * The default dataset, so `pnpm train` works offline on a fresh clone without committing data: the
 * synthetic CIFAR-like splits (seed 231; 5,000 train, 1,000 val, 1,000 test) are generated on first use
 * and reused afterwards, into the folder defaultDatasetDir() picks (a checkout's git-ignored datasets/,
 * else a user cache folder: never inside an installed package). A manifest in <dir>/.cache/ records the generator version, seed, sizes and each file's size and mtime; any
 * mismatch (a file missing, edited or truncated, or a newer generator) regenerates every split.
 */

import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@backprop-lab/fs-atomic';
import { classNamesPath } from './class-names.js';
import { readTextFile } from './files.js';
import {
  SPLIT_NAMES,
  type SplitName,
  SYNTHETIC_DEFAULTS,
  SYNTHETIC_VERSION,
  writeSyntheticDataset,
} from './generate/synthetic.js';

/** The environment variable that chooses the default dataset's folder. */
export const DATA_DIR_VARIABLE = 'BACKPROP_LAB_DATA_DIR';

/**
 * Where the default dataset lives: $BACKPROP_LAB_DATA_DIR when set; in a repository checkout, its
 * datasets/ folder (three levels above this file, in src/ or dist/ alike); in an installed package (a
 * path through node_modules/) $XDG_CACHE_HOME/backprop-lab/datasets, or ~/.cache/backprop-lab/datasets.
 * An installed package's folder may be read-only, shared by projects, and is wiped by reinstalls.
 */
export function defaultDatasetDir(
  env: NodeJS.ProcessEnv = process.env,
  moduleUrl: string = import.meta.url,
): string {
  const chosen = env[DATA_DIR_VARIABLE];
  if (chosen) return chosen;
  const here = fileURLToPath(moduleUrl);
  if (!here.split(sep).includes('node_modules'))
    return fileURLToPath(new URL('../../../datasets/', moduleUrl));
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  const cacheHome = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(cacheHome, 'backprop-lab', 'datasets');
}

/** defaultDatasetDir() as this process started. */
export const DEFAULT_DATASET_DIR = defaultDatasetDir();

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

function defaultPaths(dir: string): {
  paths: Record<SplitName, string>;
  tracked: string[];
  manifestPath: string;
} {
  const entries = SPLIT_NAMES.map(
    (split) => [split, join(dir, `${SYNTHETIC_DEFAULTS.prefix}-${split}.csv`)] as const,
  );
  const paths = Object.fromEntries(entries) as Record<SplitName, string>;
  const tracked = SPLIT_NAMES.flatMap((split) => [paths[split], classNamesPath(paths[split])]);
  return { paths, tracked, manifestPath: join(dir, '.cache', 'synthetic-manifest.json') };
}

export async function ensureDefaultDataset(dir: string = DEFAULT_DATASET_DIR): Promise<DefaultDataset> {
  const { paths, tracked, manifestPath } = defaultPaths(dir);
  if ((await staleReason(dir)) === null) return { ...paths, generated: false };

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

/** Why ensureDefaultDataset(dir) would regenerate the files, or null when they are up to date. */
export async function staleReason(dir: string = DEFAULT_DATASET_DIR): Promise<string | null> {
  const { tracked, manifestPath } = defaultPaths(dir);
  let manifest: Manifest;
  try {
    // Through openRegularFile: a FIFO planted at the manifest's path must not hang the first `pnpm train`.
    manifest = JSON.parse(await readTextFile(manifestPath, 'the manifest')) as Manifest;
  } catch {
    return 'no readable manifest (first use)';
  }
  const expected = expectedManifest();
  if (manifest.version !== expected.version)
    return `generator version ${manifest.version} is not the current ${expected.version}`;
  if (
    JSON.stringify({ seed: manifest.seed, sizes: manifest.sizes }) !==
    JSON.stringify({ seed: expected.seed, sizes: expected.sizes })
  ) {
    return 'the seed or the sizes changed';
  }
  for (const path of tracked) {
    const recorded = manifest.files?.[basename(path)];
    const current = await stat(path).catch(() => undefined);
    if (!current) return `${path} is missing`;
    if (!recorded || current.size !== recorded.size || current.mtimeMs !== recorded.mtimeMs)
      return `${path} changed since it was generated`;
  }
  return null;
}
