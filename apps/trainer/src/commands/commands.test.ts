/**
 * Every command of the app through the one kit, in this process: --help, a usage error of each kind the
 * command adds (one line, exit 2), and its JSON output. The spawned bins are tested for what needs a
 * process (signals, exit codes of the process) in bin/train.test.ts, data-cli/main.test.ts, gradcheck/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIGITS_CSV, tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { dataProgram } from '../data-cli/main.js';
import { runCaptured } from '../testing/cli.js';
import { writeTinyDataset } from '../testing/tiny-data.js';
import { gradcheckProgram } from './gradcheck.js';
import { trainProgram } from './train.js';

describe('pnpm train', () => {
  it('--help lists the option groups, --config and the exit codes', async () => {
    const { code, out } = await runCaptured(trainProgram, ['--help']);
    expect(code).toBe(0);
    const help = out.join('\n');
    expect(help).toMatch(/^Usage: pnpm train \[options\]\n/);
    for (const group of ['Data:', 'Model and training:', 'Experiment:', 'Output:'])
      expect(help).toContain(group);
    expect(help).toMatch(/--config <file\.json> +options as a JSON object keyed by flag name; flags win/);
    expect(help).toMatch(/Exit codes: 0 done, 1 data error or failure, 2 usage error, 130 interrupted/);
  });

  it.each([
    [['--epochs', 'ten'], 'train: --epochs: expected an integer in [1, 10000], got "ten"'],
    [['--lrs', '0.1'], 'train: --lrs applies only to --experiment lr-sweep (this is compare)'],
    [['--learnig-rate', '1'], 'train: unknown option --learnig-rate (see pnpm train --help)'],
  ])('%j is a usage error: one line, exit 2', async (argv, line) => {
    expect(await runCaptured(trainProgram, argv)).toEqual({ code: 2, out: [], err: [line] });
  });

  it('--json prints summary.json and nothing else', async () => {
    const root = tempDirSync('commands-train');
    const data = writeTinyDataset(join(root, 'data'));
    const out = join(root, 'run');
    const flags = [
      '--train',
      data.train,
      '--val',
      data.val,
      '--hidden',
      '8',
      '--epochs',
      '1',
      '--num-train',
      'all',
    ];
    const run = await runCaptured(trainProgram, [
      ...flags,
      '--seeds',
      '1',
      '--workers',
      '1',
      '--json',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    expect(`${run.out.join('\n')}\n`).toBe(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(JSON.parse(run.out.join('\n')).runs.map((r: { id: string }) => r.id)).toEqual([
      'none-s1',
      'batchnorm-s1',
    ]);
  });
});

describe('pnpm train report and pnpm train slurm', () => {
  it('--help of each, and train --help lists them', async () => {
    const train = await runCaptured(trainProgram, ['--help']);
    expect(train.out.join('\n')).toMatch(/Commands:\n {2}report +write the report of a sharded study/);
    expect(train.out.join('\n')).toMatch(/\n {2}slurm +print \(or --submit\) a SLURM job array/);
    const report = await runCaptured(trainProgram, ['report', '--help']);
    expect(report.code).toBe(0);
    expect(report.out.join('\n')).toMatch(/^Usage: pnpm train report <run-folder> \[options\]\n/);
    expect(report.out.join('\n')).toMatch(/Exit codes: 0 every planned run present, 1 runs missing/);
    const slurm = await runCaptured(trainProgram, ['slurm', '-h']);
    expect(slurm.code).toBe(0);
    const help = slurm.out.join('\n');
    expect(help).toMatch(/^Usage: pnpm train slurm <pnpm train options> --out <dir> \[--shards N\]/);
    expect(help).toMatch(
      /SLURM:\n {2}--shards <n> +array tasks, one shard each \[default: one per planned run\]/,
    );
    // Every train option is taken too, and passed on to the tasks.
    expect(help).toMatch(/Experiment:\n(.*\n)* {2}--experiment /);
  });

  it.each([
    [['report'], 'train: report: expected <run-folder>, got 0 argument(s)'],
    [['report', 'a', 'b'], 'train: report: expected <run-folder>, got 2 argument(s)'],
    [['report', 'a', '--json'], 'train: report: unknown option --json (see pnpm train report --help)'],
    [
      ['repot', 'a'],
      'train: unexpected argument "repot" (options start with --; commands: report, slurm) (see pnpm train --help)',
    ],
    [
      ['slurm', '--experiment', 'init-sweep'],
      'train: slurm: --out <dir> is required: the run folder every task of the array shares',
    ],
    [
      ['slurm', '--out', 'x', '--shard', '0/2'],
      'train: slurm: leave out --shard: each array task gets its own',
    ],
    [
      ['slurm', '--out', 'x', '--wait'],
      'train: slurm: --wait needs --submit (it waits for the submitted jobs)',
    ],
    [
      ['slurm', '--out', 'x', '--shards', '0'],
      'train: slurm: --shards: expected an integer in [1, 6], got "0"',
    ],
    [
      ['slurm', '--out', 'x', '--partition', 'a b'],
      'train: slurm: --partition: "a b": letters, digits and . : + , - _ only',
    ],
    [['slurm', '--out', 'x', '--time'], 'train: slurm: --time needs a value (see pnpm train slurm --help)'],
    [['slurm', '--out', 'x', '--lr', 'fast'], 'train: --lr: expected a number > 0, got "fast"'],
    [['--shard', '2/2'], 'train: --shard: expected I/N with 0 <= I < N, e.g. 0/4, got "2/2"'],
  ])('%j is a usage error: one line, exit 2', async (argv, line) => {
    expect(await runCaptured(trainProgram, argv)).toEqual({ code: 2, out: [], err: [line] });
  });
});

describe('pnpm gradcheck', () => {
  it('--help lists the flags and every check', async () => {
    const { code, out } = await runCaptured(gradcheckProgram, ['-h']);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/--dtype float64\|float32 +float32 shows why .* \[default: float64\]/);
    expect(out.join('\n')).toMatch(/Checks:\n {2}affine +/);
  });

  it.each([
    [['--dtype', 'float16'], 'gradcheck: --dtype: expected one of float64|float32, got "float16"'],
    [['--only', 'relu,reluu'], 'gradcheck: --only: unknown check reluu (checks: '],
    [['--jsn'], 'gradcheck: unknown option --jsn (did you mean --json?) (see pnpm gradcheck --help)'],
  ])('%j is a usage error: one line, exit 2', async (argv, start) => {
    const { code, out, err } = await runCaptured(gradcheckProgram, argv);
    expect([code, out, err.length]).toEqual([2, [], 1]);
    expect(err[0].startsWith(start)).toBe(true);
  });

  it('--json prints the rows of the checks asked for, --only repeated or comma-separated', async () => {
    const { code, out } = await runCaptured(gradcheckProgram, ['--only', 'relu', '--only', 'svm', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(out.join('\n'));
    expect(rows.map((row: { check: string }) => row.check)).toEqual(['relu', 'svm']);
    expect(rows.every((row: { ok: boolean }) => row.ok)).toBe(true);
  });
});

describe('pnpm data', () => {
  it('--help of the group and of a subcommand', async () => {
    const group = await runCaptured(dataProgram, ['--help']);
    expect(group.code).toBe(0);
    expect(group.out.join('\n')).toMatch(/Commands:\n {2}convert-cifar +CIFAR-10 binary batches/);
    const generate = await runCaptured(dataProgram, ['generate', '--help']);
    expect(generate.out.join('\n')).toMatch(/--seed <S> +random seed \[default: \d+\]/);
  });

  it('a usage error names the subcommand: one line, exit 2', async () => {
    expect(await runCaptured(dataProgram, ['generate', '--seed', '-1'])).toEqual({
      code: 2,
      out: [],
      err: [
        'data: generate: --seed needs a value (write --seed=<value> for one that starts with -) (see pnpm data generate --help)',
      ],
    });
  });

  it('inspect --json prints the figures as one object', async () => {
    const { code, out } = await runCaptured(dataProgram, ['inspect', DIGITS_CSV, '--json', '--no-sheet']);
    expect(code).toBe(0);
    const result = JSON.parse(out.join('\n'));
    expect(result).toMatchObject({
      file: DIGITS_CSV,
      sheet: null,
      summary: { features: 64, numClasses: 10 },
    });
  });
});
