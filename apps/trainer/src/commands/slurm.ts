/**
 * `pnpm train slurm <pnpm train options> --out <dir> [--shards N] ... [--submit [--wait]]`: the job script
 * of a sharded study (slurm/script.ts), printed or submitted. Its flags are the scheduler's plus every
 * `pnpm train` option; the train options the user gave are checked here and passed on to every task as given.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomicSync } from '@backprop-lab/fs-atomic';
import type { CliIo, Command, FlagSpec } from '../cli/command.js';
import { integer, type Parser, ValueError } from '../cli/values.js';
import type { TrainConfig } from '../config.js';
import { OutputError, UsageError } from '../errors.js';
import { planRuns } from '../experiment/plan.js';
import { TRAIN_FLAGS } from '../options/flags.js';
import { configFromFlags } from '../options/parse.js';
import { logDir, type SlurmOptions, slurmScript } from '../slurm/script.js';

/** Partition names, time limits, job names: what an #SBATCH line carries safely. */
const word: Parser<string> = (raw) => {
  if (typeof raw === 'string' && /^[\w.:+,-]+$/.test(raw)) return raw;
  throw new ValueError(`${JSON.stringify(raw)}: letters, digits and . : + , - _ only`);
};

const group = 'SLURM';
const SLURM_FLAGS: readonly FlagSpec[] = [
  // Checked against the planned runs in slurmRequest, so no parse here.
  {
    name: 'shards',
    type: 'string',
    value: '<n>',
    group,
    description: 'array tasks, one shard each',
    default: 'one per planned run',
  },
  { name: 'partition', type: 'string', value: '<p>', group, description: 'SLURM partition', parse: word },
  {
    name: 'time',
    type: 'string',
    value: '<t>',
    group,
    description: "each task's time limit (SLURM's syntax)",
    parse: word,
  },
  {
    name: 'cpus-per-task',
    type: 'string',
    value: '<c>',
    group,
    description: 'cores per task; its --workers default',
    default: '1',
    parse: integer(1, 4096),
  },
  {
    name: 'array-limit',
    type: 'string',
    value: '<k>',
    group,
    description: 'at most k tasks at once',
    parse: integer(1),
  },
  {
    name: 'job-name',
    type: 'string',
    value: '<name>',
    group,
    description: 'job name',
    default: 'backprop-lab-<experiment>',
    parse: word,
  },
  {
    name: 'submit',
    type: 'boolean',
    group,
    description: 'run the script (sbatch on PATH), a copy kept in <dir>/slurm-logs/submit.sh',
  },
  {
    name: 'wait',
    type: 'boolean',
    group,
    description: "with --submit: wait for the report, exit with the report job's status",
  },
];
const SLURM_NAMES = new Set(SLURM_FLAGS.map((flag) => flag.name));

export interface SlurmRequest {
  options: SlurmOptions;
  submit: boolean;
  /** The study's own flags, passed to every task as given. */
  trainArgs: string[];
  config: TrainConfig;
}

/** The train flags as argv again, in the order given (a value starting with - joined with =). */
function trainArgv(values: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(values).flatMap(([name, value]) => {
    if (SLURM_NAMES.has(name)) return [];
    if (value === true) return [`--${name}`];
    if (value === false) return [`--no-${name}`];
    const text = String(value);
    return text.startsWith('-') ? [`--${name}=${text}`] : [`--${name}`, text];
  });
}

/** The scheduler's options and the study's, from the flag values of `pnpm train slurm`. */
export function slurmRequest(values: Readonly<Record<string, unknown>>): SlurmRequest {
  if (values.wait === true && values.submit !== true)
    throw new UsageError('slurm: --wait needs --submit (it waits for the submitted jobs)');
  const trainValues = Object.fromEntries(Object.entries(values).filter(([name]) => !SLURM_NAMES.has(name)));
  const config = configFromFlags(trainValues);
  if (config.out === null)
    throw new UsageError('slurm: --out <dir> is required: the run folder every task of the array shares');
  if (config.shard !== null) throw new UsageError('slurm: leave out --shard: each array task gets its own');
  if (config.overwrite)
    throw new UsageError('slurm: --overwrite does not apply (saved runs are kept and skipped)');
  const planned = planRuns(config).length;
  let shards = planned;
  if (values.shards !== undefined) {
    try {
      shards = integer(1, planned)(values.shards);
    } catch (error) {
      if (error instanceof ValueError) throw new UsageError(`slurm: --shards: ${error.message}`);
      throw error;
    }
  }
  return {
    options: {
      shards,
      cpusPerTask: (values['cpus-per-task'] as number | undefined) ?? 1,
      partition: (values.partition as string | undefined) ?? null,
      time: (values.time as string | undefined) ?? null,
      arrayLimit: (values['array-limit'] as number | undefined) ?? null,
      jobName: (values['job-name'] as string | undefined) ?? `backprop-lab-${config.experiment}`,
      wait: values.wait === true,
    },
    submit: values.submit === true,
    trainArgs: trainArgv(values),
    config,
  };
}

/** node + tsx + bin/train.ts, absolute, so a job finds them from any directory and without PATH. */
function trainBin(): string[] {
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  return [process.execPath, tsxCli, fileURLToPath(new URL('../bin/train.ts', import.meta.url))];
}

async function slurm(values: Readonly<Record<string, unknown>>, io: CliIo): Promise<number> {
  const { options, submit, trainArgs, config } = slurmRequest(values);
  const outDir = resolve(config.out as string);
  const script = slurmScript({ train: trainBin(), args: trainArgs, outDir, workDir: process.cwd() }, options);
  if (!submit) {
    io.out(script.trimEnd());
    return 0;
  }
  if (spawnSync('sbatch', ['--version'], { stdio: 'ignore' }).error)
    throw new UsageError(
      'slurm --submit: sbatch is not on PATH (without --submit the script is printed instead)',
    );
  const file = join(logDir(outDir), 'submit.sh');
  try {
    mkdirSync(logDir(outDir), { recursive: true });
  } catch (error) {
    throw new OutputError(`--out ${outDir}: cannot create ${logDir(outDir)} (${(error as Error).message})`);
  }
  writeFileAtomicSync(file, script);
  const run = spawnSync('bash', [file], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (run.error) throw new OutputError(`slurm: cannot run bash ${file} (${run.error.message})`);
  for (const line of run.stdout.trimEnd().split('\n')) if (line) io.out(line);
  if (run.status === 0)
    io.out(
      options.wait ? `Wrote the report in ${outDir}` : `Submitted; the report will be written in ${outDir}`,
    );
  return run.status ?? 1;
}

export const slurmCommand: Command = {
  name: 'slurm',
  brief: 'print (or --submit) a SLURM job array that runs the study in shards, then its report',
  usage: '<pnpm train options> --out <dir> [--shards N] ... [--submit [--wait]]',
  summary:
    'Prints a SLURM job script for the study: an array of N tasks (default: one per planned run), task i\n' +
    'running pnpm train ... --shard i/N into the shared --out folder, then a report job once all have ended.\n' +
    'The train options given here are passed to every task as given.',
  flags: [...SLURM_FLAGS, ...TRAIN_FLAGS],
  run: ({ values }, io) => slurm(values, io),
};
