/** `data generate`: writes the synthetic CIFAR-like splits (see datasets/README.md for how they are made). */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import {
  DEFAULT_DATASET_DIR,
  SPLIT_NAMES,
  SYNTHETIC_DEFAULTS,
  writeSyntheticDataset,
} from '@backprop-lab/data';
import type { CommandSpec, OptionValues } from './args.js';
import type { CliIo } from './io.js';

export const generateSpec: CommandSpec = {
  name: 'generate',
  brief: 'Writes the synthetic CIFAR-like dataset (train/val/test CSVs)',
  summary:
    'Generates the synthetic CIFAR-like dataset (32×32 RGB, 10 shape classes) as <prefix>-train.csv, -val.csv and\n' +
    '-test.csv with class-names sidecars. The same seed always gives the same bytes.',
  positionals: '',
  minPositionals: 0,
  maxPositionals: 0,
  options: [
    {
      name: 'out',
      kind: 'string',
      value: '<dir>',
      description: `output folder [default: the repository's datasets/]`,
    },
    {
      name: 'train',
      kind: 'integer',
      value: '<N>',
      description: `training rows [default: ${SYNTHETIC_DEFAULTS.train}]`,
    },
    {
      name: 'val',
      kind: 'integer',
      value: '<N>',
      description: `validation rows [default: ${SYNTHETIC_DEFAULTS.val}]`,
    },
    {
      name: 'test',
      kind: 'integer',
      value: '<N>',
      description: `test rows, 0 for none [default: ${SYNTHETIC_DEFAULTS.test}]`,
    },
    {
      name: 'seed',
      kind: 'integer',
      value: '<S>',
      description: `random seed [default: ${SYNTHETIC_DEFAULTS.seed}]`,
    },
    {
      name: 'prefix',
      kind: 'string',
      value: '<name>',
      description: `file name prefix [default: ${SYNTHETIC_DEFAULTS.prefix}]`,
    },
  ],
};

export async function runGenerate(values: OptionValues, _positionals: string[], io: CliIo): Promise<void> {
  const dir = (values.out as string | undefined) ?? DEFAULT_DATASET_DIR;
  const options = {
    ...(values.train !== undefined ? { train: values.train as number } : {}),
    ...(values.val !== undefined ? { val: values.val as number } : {}),
    ...(values.test !== undefined ? { test: values.test as number } : {}),
    ...(values.seed !== undefined ? { seed: values.seed as number } : {}),
    ...(values.prefix !== undefined ? { prefix: values.prefix as string } : {}),
  };
  const started = performance.now();
  const paths = await writeSyntheticDataset(dir, options);
  const seconds = (performance.now() - started) / 1000;
  const sizes = { ...SYNTHETIC_DEFAULTS, ...options };
  for (const split of SPLIT_NAMES) {
    const path = paths[split];
    if (path === undefined) continue;
    const rows = sizes[split];
    const megabytes = statSync(path).size / 1e6;
    io.out(`wrote ${shortPath(path)} (${rows} rows, ${megabytes.toFixed(1)} MB)`);
  }
  io.out(`seed ${sizes.seed}, ${seconds.toFixed(1)} s`);
}

export function shortPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere.startsWith('..') || fromHere === '' ? path : fromHere;
}
