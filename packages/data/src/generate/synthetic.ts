/**
 * The synthetic CIFAR-like dataset: 10 balanced classes of 32×32 RGB images (see render.ts for how one
 * image is made). Each split has its own RNG stream derived from the seed, so adding test rows never
 * changes the training rows.
 */
import { join } from 'node:path';
import { createRng, permutation } from '@backprop-lab/tensor';
import { writeClassNames } from '../class-names.js';
import { checkCount, checkOptionKeys } from '../errors.js';
import { pixelColumnNames, writeCsvRows } from '../write-csv.js';
import { IMAGE_PIXELS, renderImage, SYNTHETIC_CLASS_NAMES } from './render.js';

/** Bumped whenever the images a seed gives change, so stored copies are regenerated. */
export const SYNTHETIC_VERSION = 1;
export const SYNTHETIC_FEATURES = 3 * IMAGE_PIXELS;
export { SYNTHETIC_CLASS_NAMES };

export const SPLIT_NAMES = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

/** Images [N, 3072] as bytes in CIFAR order and labels [N]. */
export interface SyntheticImages {
  pixels: Uint8Array;
  labels: Int32Array;
}

/** The RNG seed of one split: distinct for every (seed, split) pair. */
export function splitSeed(seed: number, split: SplitName): number {
  return seed * SPLIT_NAMES.length + SPLIT_NAMES.indexOf(split);
}

/** `count` images, classes balanced (counts differ by at most one) and shuffled. */
export function generateSynthetic(count: number, seed: number): SyntheticImages {
  checkCount('generateSynthetic', 'count', count);
  if (!Number.isInteger(seed)) throw new TypeError(`generateSynthetic: seed must be an integer, got ${seed}`);
  const rng = createRng(seed);
  const classes = SYNTHETIC_CLASS_NAMES.length;
  const order = permutation(count, rng);
  const labels = Int32Array.from(order, (k) => k % classes);
  const pixels = new Uint8Array(count * SYNTHETIC_FEATURES);
  for (let i = 0; i < count; i++) {
    renderImage(labels[i], rng, pixels.subarray(i * SYNTHETIC_FEATURES, (i + 1) * SYNTHETIC_FEATURES));
  }
  return { pixels, labels };
}

export interface SyntheticOptions {
  train?: number;
  val?: number;
  test?: number;
  seed?: number;
  /** File names are `<prefix>-<split>.csv`. Default 'synthetic'. */
  prefix?: string;
}

export const SYNTHETIC_DEFAULTS = {
  train: 5000,
  val: 1000,
  test: 1000,
  seed: 231,
  prefix: 'synthetic',
} as const;

/** The small sample committed as datasets/sample-train.csv (a test checks it still matches the generator). */
export const SYNTHETIC_SAMPLE = { file: 'sample-train.csv', rows: 60, seed: 1 } as const;

/**
 * Writes `<prefix>-train.csv`, `-val.csv` and `-test.csv` (each with its class-names sidecar) into `dir`,
 * atomically; a split of size 0 is skipped. Returns the paths written.
 */
export async function writeSyntheticDataset(
  dir: string,
  options: SyntheticOptions = {},
): Promise<Partial<Record<SplitName, string>>> {
  const fn = 'writeSyntheticDataset';
  checkOptionKeys(fn, options, ['train', 'val', 'test', 'seed', 'prefix']);
  const settings = { ...SYNTHETIC_DEFAULTS, ...options };
  if (!Number.isInteger(settings.seed))
    throw new TypeError(`${fn}: seed must be an integer, got ${settings.seed}`);
  if (!/^[\w.-]+$/.test(settings.prefix))
    throw new TypeError(`${fn}: prefix must be a plain file name part, got ${settings.prefix}`);
  const paths: Partial<Record<SplitName, string>> = {};
  for (const split of SPLIT_NAMES) {
    const count = checkCount(fn, split, settings[split]);
    if (count === 0) continue;
    const path = join(dir, `${settings.prefix}-${split}.csv`);
    await writeSyntheticCsv(path, count, splitSeed(settings.seed, split));
    paths[split] = path;
  }
  return paths;
}

/** One split as CSV + sidecar (the images are rendered first: 3 KB each). */
export async function writeSyntheticCsv(path: string, count: number, seed: number): Promise<void> {
  const { pixels, labels } = generateSynthetic(count, seed);
  await writeCsvRows(path, pixelColumnNames(SYNTHETIC_FEATURES), async (emit) => {
    for (let i = 0; i < count; i++)
      await emit(labels[i], pixels.subarray(i * SYNTHETIC_FEATURES, (i + 1) * SYNTHETIC_FEATURES));
  });
  await writeClassNames(path, SYNTHETIC_CLASS_NAMES);
}
