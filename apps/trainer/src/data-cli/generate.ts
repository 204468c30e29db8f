/** `data generate`: writes the synthetic CIFAR-like splits (see datasets/README.md for how they are made). */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import {
  DEFAULT_DATASET_DIR,
  SPLIT_NAMES,
  SYNTHETIC_DEFAULTS,
  writeSyntheticDataset,
} from '@backprop-lab/data';
import type { CliIo, Command, ParsedInput } from '../cli/command.js';
import { integer } from '../cli/values.js';

export const generateCommand: Command = {
  name: 'generate',
  brief: 'Writes the synthetic CIFAR-like dataset (train/val/test CSVs)',
  summary:
    'Generates the synthetic CIFAR-like dataset (32×32 RGB, 10 shape classes) as <prefix>-train.csv, -val.csv and\n' +
    '-test.csv with class-names sidecars. The same seed always gives the same bytes.',
  flags: [
    {
      name: 'out',
      type: 'string',
      value: '<dir>',
      description: `output folder`,
      default: `the repository's datasets/`,
    },
    {
      name: 'train',
      type: 'string',
      value: '<N>',
      description: 'training rows',
      default: `${SYNTHETIC_DEFAULTS.train}`,
      parse: integer(0),
    },
    {
      name: 'val',
      type: 'string',
      value: '<N>',
      description: 'validation rows',
      default: `${SYNTHETIC_DEFAULTS.val}`,
      parse: integer(0),
    },
    {
      name: 'test',
      type: 'string',
      value: '<N>',
      description: 'test rows, 0 for none',
      default: `${SYNTHETIC_DEFAULTS.test}`,
      parse: integer(0),
    },
    {
      name: 'seed',
      type: 'string',
      value: '<S>',
      description: 'random seed',
      default: `${SYNTHETIC_DEFAULTS.seed}`,
      parse: integer(0),
    },
    {
      name: 'prefix',
      type: 'string',
      value: '<name>',
      description: `file name prefix`,
      default: `${SYNTHETIC_DEFAULTS.prefix}`,
    },
  ],
  run: (input, io) => runGenerate(input, io),
};

async function runGenerate({ values }: ParsedInput, io: CliIo): Promise<undefined> {
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
  return undefined;
}

export function shortPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere.startsWith('..') || fromHere === '' ? path : fromHere;
}
