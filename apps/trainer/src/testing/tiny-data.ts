/**
 * Tiny learnable CSV datasets for tests: each class has its own mean pattern plus seeded noise, written
 * in the CSV format @backprop-lab/data reads (a `label` column, then feature columns).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@backprop-lab/tensor';
import type { TrainConfig } from '../config.js';
import { defaultConfig } from '../options/parse.js';

export interface TinyDataset {
  train: string;
  val: string;
  test: string;
}

export function writeTinyDataset(
  dir: string,
  { features = 12, classes = 3, rows = { train: 90, val: 30, test: 30 }, seed = 7 } = {},
): TinyDataset {
  mkdirSync(dir, { recursive: true });
  const rng = createRng(seed);
  const means = Array.from({ length: classes }, () =>
    Array.from({ length: features }, () => Math.round(255 * rng.uniform())),
  );
  const header = ['label', ...Array.from({ length: features }, (_, j) => `p${j}`)].join(',');
  const write = (name: keyof TinyDataset, count: number) => {
    const lines = [header];
    for (let i = 0; i < count; i++) {
      const label = i % classes;
      const pixels = means[label].map((mean) =>
        Math.min(255, Math.max(0, Math.round(mean + 60 * rng.normal()))),
      );
      lines.push([label, ...pixels].join(','));
    }
    const path = join(dir, `tiny-${name}.csv`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  return { train: write('train', rows.train), val: write('val', rows.val), test: write('test', rows.test) };
}

/** A compare config small enough for tests (well under a second per run). */
export function tinyConfig(
  data: TinyDataset,
  out: string,
  overrides: Partial<TrainConfig> = {},
): TrainConfig {
  return {
    ...defaultConfig('compare'),
    train: data.train,
    val: data.val,
    test: data.test,
    numTrain: null,
    hidden: [16, 16, 16],
    epochs: 3,
    batchSize: 10,
    weightScale: 5e-2,
    seeds: [1, 2],
    statsEvery: 3,
    workers: 1,
    out,
    progress: false,
    ...overrides,
  };
}
