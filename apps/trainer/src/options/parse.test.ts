import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { parseTrainArgs } from '../commands/train.js';
import { UsageError } from '../errors.js';
import { defaultConfig } from './parse.js';

const dir = tempDirSync('trainer-options');
function configFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const run = parseTrainArgs;

function usage(argv: string[]): string {
  try {
    parseTrainArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`parseTrainArgs(${argv.join(' ')}) did not throw`);
}

describe('parseTrainArgs', () => {
  it('gives the CS231n deep-net study with no flags', () => {
    const config = run([]);
    expect(config).toEqual(defaultConfig());
    expect(config).toMatchObject({
      experiment: 'compare',
      hidden: [100, 100, 100, 100, 100],
      norms: ['none', 'batchnorm'],
      numTrain: 1000,
      weightScale: 0.02,
      optimizer: 'adam',
      lr: 0.001,
      epochs: 10,
      batchSize: 50,
      seeds: [1, 2, 3],
      dtype: 'float64',
      train: null,
      progress: true,
      json: false,
    });
  });

  it('applies experiment presets, which flags override', () => {
    const init = run(['--experiment', 'init-sweep']);
    expect(init.hidden).toEqual([50, 50, 50, 50, 50, 50, 50]);
    expect(init.weightScales).toHaveLength(20);
    expect(init.weightScales[0]).toBe(1e-4);
    expect(init.weightScales[19]).toBe(1);
    expect(init.seeds).toEqual([1]);
    expect(run(['--experiment=batch-sweep']).norms).toEqual(['none', 'batchnorm', 'layernorm']);
    expect(run(['--experiment', 'init-sweep', '--hidden', '20,20', '--seeds', '4,5']).hidden).toEqual([
      20, 20,
    ]);
  });

  it('reads every value form: --flag value, --flag=value, switches, --no-progress, auto/all', () => {
    const config = run([
      '--lr=3e-3',
      '--norm',
      'none,batchnorm,layernorm',
      '--json',
      '--no-progress',
      '--num-train',
      'all',
      '--loss-threshold',
      '1.5',
      '--val-threshold=auto',
      '--optimizer',
      'momentum',
      '--dtype',
      'float32',
    ]);
    expect(config).toMatchObject({
      lr: 0.003,
      norms: ['none', 'batchnorm', 'layernorm'],
      json: true,
      progress: false,
      numTrain: null,
      lossThreshold: 1.5,
      valThreshold: null,
      optimizer: 'momentum',
      dtype: 'float32',
    });
  });

  it('names the flag and the value at fault', () => {
    expect(usage(['--lr', 'fast'])).toBe('--lr: expected a number > 0, got "fast"');
    expect(usage(['--lr', '0'])).toBe('--lr: expected a number > 0, got "0"');
    expect(usage(['--epochs', '2.5'])).toBe('--epochs: expected an integer in [1, 10000], got "2.5"');
    expect(usage(['--hidden', '100,,100'])).toBe(
      '--hidden: item 2: expected an integer in [1, 100000], got ""',
    );
    expect(usage(['--norm', 'none,groupnorm'])).toBe(
      '--norm: item 2: expected one of none|batchnorm|layernorm, got "groupnorm"',
    );
    expect(usage(['--optimizer', 'adamw'])).toBe(
      '--optimizer: expected one of sgd|momentum|rmsprop|adam, got "adamw"',
    );
    expect(usage(['--dropout', '1.5'])).toBe('--dropout: expected a number > 0 and <= 1, got "1.5"');
    expect(usage(['--seeds', '1,2,1'])).toBe('--seeds: 1 is listed twice');
    // Number() would read these as 16, 1, Infinity and 0: only decimal notation is a number here.
    expect(usage(['--epochs', '0x10'])).toBe('--epochs: expected an integer in [1, 10000], got "0x10"');
    expect(usage(['--batch-size', '0b1'])).toBe('--batch-size: expected an integer >= 1, got "0b1"');
    expect(usage(['--lr', 'Infinity'])).toBe('--lr: expected a number > 0, got "Infinity"');
    expect(usage(['--lr', '1e999'])).toBe('--lr: expected a number > 0, got "1e999"');
    expect(usage(['--reg', ' '])).toBe('--reg: expected a number >= 0, got " "');
    expect(run(['--lr', '.5e-3', '--epochs', '1e2'])).toMatchObject({ lr: 0.5e-3, epochs: 100 });
  });

  it('rejects unknown flags (with a suggestion), missing values, repeats and stray words', () => {
    const hint = ' (see pnpm train --help)';
    expect(usage(['--learning-rate', '1'])).toBe(`unknown option --learning-rate${hint}`);
    expect(usage(['--epoch', '3'])).toBe(`unknown option --epoch (did you mean --epochs?)${hint}`);
    expect(usage(['--batch_size', '3'])).toBe(
      `unknown option --batch_size (did you mean --batch-size?)${hint}`,
    );
    expect(usage(['--wieght-scale', '1'])).toBe(
      `unknown option --wieght-scale (did you mean --weight-scale?)${hint}`,
    );
    expect(usage(['--lr'])).toBe(`--lr needs a value${hint}`);
    expect(usage(['--lr', '--epochs', '3'])).toBe(
      `--lr needs a value (write --lr=<value> for one that starts with -)${hint}`,
    );
    expect(usage(['--lr', '1', '--lr', '2'])).toBe(`--lr given twice${hint}`);
    expect(usage(['--progress', '--no-progress'])).toBe(`--progress given twice${hint}`);
    expect(usage(['--json=yes'])).toBe(`--json takes no value${hint}`);
    expect(usage(['--no-progress=1'])).toBe(`--no-progress takes no value${hint}`);
    expect(usage(['adam'])).toBe(
      `unexpected argument "adam" (options start with --; commands: report, slurm)${hint}`,
    );
  });

  it('rejects a sweep option for another experiment', () => {
    expect(usage(['--batch-sizes', '5,10'])).toBe(
      '--batch-sizes applies only to --experiment batch-sweep (this is compare)',
    );
    expect(run(['--experiment', 'batch-sweep', '--batch-sizes', '5,10']).batchSizes).toEqual([5, 10]);
  });

  it('needs --train and --val together', () => {
    expect(usage(['--train', 'a.csv'])).toBe(
      '--train given without --val: your own data needs both --train and --val (--test is optional); leave all three out for the built-in dataset',
    );
    expect(usage(['--test', 't.csv'])).toMatch(/^--test given without --train/);
    expect(run(['--train', 'a.csv', '--val', 'b.csv'])).toMatchObject({
      train: 'a.csv',
      val: 'b.csv',
      test: null,
    });
  });
});

describe('--config files', () => {
  it('uses flag names as keys, JSON or flag-style values, and flags win', () => {
    const file = configFile(
      'ok.json',
      JSON.stringify({ lr: 0.01, hidden: [30, 20], norm: 'none,layernorm', 'num-train': 'all', epochs: '4' }),
    );
    const config = run(['--config', file, '--epochs', '6']);
    expect(config).toMatchObject({
      lr: 0.01,
      hidden: [30, 20],
      norms: ['none', 'layernorm'],
      numTrain: null,
      epochs: 6,
    });
  });

  it('takes the experiment from the file and applies its presets', () => {
    const file = configFile('sweep.json', '{ "experiment": "lr-sweep", "lrs": [0.001, 0.01] }');
    expect(run(['--config', file])).toMatchObject({ experiment: 'lr-sweep', lrs: [0.001, 0.01], seeds: [1] });
  });

  it('names the file and key at fault', () => {
    const unknown = configFile('unknown.json', '{ "learningRate": 0.1 }');
    expect(usage(['--config', unknown])).toBe(
      `--config ${unknown}: unknown key "learningRate" (keys are the flag names)`,
    );
    const bad = configFile('bad.json', '{ "lr": "fast" }');
    expect(usage(['--config', bad])).toBe(`--config ${bad}: key "lr": expected a number > 0, got "fast"`);
    const broken = configFile('broken.json', '{\n  "lr": 0.1,\n  oops\n}');
    expect(usage(['--config', broken])).toMatch(
      new RegExp(`^--config ${broken}: invalid JSON at line 3 column 3`),
    );
    const list = configFile('list.json', '[1, 2]');
    expect(usage(['--config', list])).toBe(
      `--config ${list}: expected a JSON object of option names to values`,
    );
    expect(usage(['--config', join(dir, 'missing.json')])).toBe(
      `--config ${join(dir, 'missing.json')}: cannot read the file (ENOENT)`,
    );
  });
});
