/**
 * The CLI side of sharded studies (the engine is experiment/run-shard.ts, report-from-runs.ts and
 * slurm/script.ts): `pnpm train --shard I/N`, `pnpm train report <run-folder>` and `pnpm train slurm`.
 * Each returns its exit code; errors are thrown for the bin to print as one line.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainConfig } from '../config.js';
import { OutputError, UsageError } from '../errors.js';
import { planRuns } from '../experiment/plan.js';
import { reportRunFolder } from '../experiment/report-from-runs.js';
import { runShard } from '../experiment/run-shard.js';
import { writeFileAtomic } from '../io/atomic.js';
import { parseArgs } from '../options/parse.js';
import { integer, ValueError } from '../options/values.js';
import { logDir, type SlurmOptions, slurmScript } from '../slurm/script.js';
import { createProgress, progressMode } from './progress.js';

/** Where a command writes (the bin passes stdout/stderr, tests collect lines). */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  /** A stream for the live progress display; absent = none. */
  progress?: NodeJS.WriteStream;
  signal?: AbortSignal;
}

/** `pnpm train --shard I/N --out dir`: exit 0 when every run of the shard is in the folder, 130 if stopped. */
export async function shardCommand(config: TrainConfig, io: CommandIo): Promise<number> {
  const display = createProgress(
    io.progress ? progressMode(config.progress && !config.json, io.progress) : 'off',
    io.progress ?? process.stderr,
  );
  io.signal?.addEventListener('abort', () => display.stop());
  try {
    const outcome = await runShard(config, { onProgress: display.update, signal: io.signal });
    display.stop();
    const { shard, runIds, skipped, saved } = outcome;
    io.out(
      `shard ${shard}: ${runIds.length} runs; ${saved.length} trained and saved, ${skipped.length} already in ` +
        `${outcome.outDir}${outcome.complete ? '' : `, ${runIds.length - saved.length - skipped.length} stopped`}`,
    );
    return outcome.complete ? 0 : 130;
  } finally {
    display.stop();
  }
}

const REPORT_HELP = `Usage: pnpm train report <run-folder>

Writes summary.json, metrics.csv and report.html into a run folder that shards (--shard I/N) write into,
from the runs it holds now; the runs not there are listed as missing. Exit codes: 0 every planned run
present, 1 runs missing (the report is written anyway) or an error, 2 usage error.`;

/** `pnpm train report <run-folder>` */
export async function reportCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(REPORT_HELP);
    return 0;
  }
  if (argv.length !== 1 || argv[0].startsWith('--'))
    throw new UsageError('report: expected one argument, the run folder (pnpm train report <run-folder>)');
  const { summary, files } = await reportRunFolder(resolve(argv[0]));
  io.out(`Wrote ${files.report}\n      ${files.summary}\n      ${files.metrics}`);
  if (summary.complete) return 0;
  const shown = summary.missingRuns.slice(0, 5).join(', ') + (summary.missingRuns.length > 5 ? ', ...' : '');
  io.err(
    `train: report: ${summary.missingRuns.length} of ${summary.plannedRuns} runs are missing (${shown}); ` +
      'run their shards again (runs already saved are skipped), then the report',
  );
  return 1;
}

const SLURM_HELP = `Usage: pnpm train slurm <pnpm train options> --out <dir> [--shards N] [--partition P] [--time T]
       [--cpus-per-task C] [--array-limit K] [--job-name NAME] [--submit [--wait]]

Prints a SLURM job script for the study: an array of N tasks (default: one per planned run), task i
running pnpm train ... --shard i/N into the shared --out folder, then a report job once all have ended.
--submit runs it (sbatch must be on PATH), keeping a copy in <dir>/slurm-logs/submit.sh; --wait blocks
until the report is written and exits with the report job's status. Each task's worker threads default
to its --cpus-per-task (default 1).`;

const SLURM_FLAGS = ['shards', 'partition', 'time', 'cpus-per-task', 'array-limit', 'job-name'] as const;
const SLURM_SWITCHES = ['submit', 'wait'] as const;
/** Partition names, time limits, job names: what an #SBATCH line carries safely. */
const SLURM_WORD = /^[\w.:+,-]+$/;

export interface SlurmRequest {
  options: SlurmOptions;
  submit: boolean;
  /** The study's own flags, passed to every task as given. */
  trainArgs: string[];
  config: TrainConfig;
}

/** Splits `pnpm train slurm` argv into the scheduler's flags and the study's (which are checked here). */
export function parseSlurmArgs(argv: readonly string[]): SlurmRequest {
  const given = new Map<string, string>();
  const switches = new Set<string>();
  const trainArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq >= 0 ? eq : undefined) : '';
    if ((SLURM_SWITCHES as readonly string[]).includes(name) && eq < 0) switches.add(name);
    else if ((SLURM_FLAGS as readonly string[]).includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`slurm: --${name} needs a value`);
      if (given.has(name)) throw new UsageError(`slurm: --${name} given twice`);
      given.set(name, value);
    } else trainArgs.push(arg);
  }
  if (switches.has('wait') && !switches.has('submit'))
    throw new UsageError('slurm: --wait needs --submit (it waits for the submitted jobs)');
  const parsed = parseArgs(trainArgs);
  if (parsed.kind === 'help') throw new UsageError('slurm: --help goes alone (pnpm train slurm --help)');
  const { config } = parsed;
  if (config.out === null)
    throw new UsageError('slurm: --out <dir> is required: the run folder every task of the array shares');
  if (config.shard !== null) throw new UsageError('slurm: leave out --shard: each array task gets its own');
  if (config.overwrite)
    throw new UsageError('slurm: --overwrite does not apply (saved runs are kept and skipped)');
  const planned = planRuns(config).length;
  const number = (name: string, max: number, fallback: number | null) => {
    const raw = given.get(name);
    if (raw === undefined) return fallback;
    try {
      return integer(1, max)(raw);
    } catch (error) {
      if (error instanceof ValueError) throw new UsageError(`slurm: --${name}: ${error.message}`);
      throw error;
    }
  };
  const word = (name: string, fallback: string | null) => {
    const raw = given.get(name);
    if (raw === undefined) return fallback;
    if (!SLURM_WORD.test(raw))
      throw new UsageError(`slurm: --${name} ${JSON.stringify(raw)}: letters, digits and . : + , - _ only`);
    return raw;
  };
  return {
    options: {
      shards: number('shards', planned, planned) as number,
      cpusPerTask: number('cpus-per-task', 4096, 1) as number,
      partition: word('partition', null),
      time: word('time', null),
      arrayLimit: number('array-limit', Number.MAX_SAFE_INTEGER, null),
      jobName: word('job-name', `backprop-lab-${config.experiment}`) as string,
      wait: switches.has('wait'),
    },
    submit: switches.has('submit'),
    trainArgs,
    config,
  };
}

/** node + tsx + bin/train.ts, absolute, so a job finds them from any directory and without PATH. */
function trainProgram(): string[] {
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  return [process.execPath, tsxCli, fileURLToPath(new URL('../bin/train.ts', import.meta.url))];
}

/** `pnpm train slurm ...` */
export async function slurmCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(SLURM_HELP);
    return 0;
  }
  const { options, submit, trainArgs, config } = parseSlurmArgs(argv);
  const outDir = resolve(config.out as string);
  const script = slurmScript(
    { train: trainProgram(), args: trainArgs, outDir, workDir: process.cwd() },
    options,
  );
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
  writeFileAtomic(file, script);
  const run = spawnSync('bash', [file], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (run.error) throw new OutputError(`slurm: cannot run bash ${file} (${run.error.message})`);
  for (const line of run.stdout.trimEnd().split('\n')) if (line) io.out(line);
  if (run.status === 0)
    io.out(
      options.wait ? `Wrote the report in ${outDir}` : `Submitted; the report will be written in ${outDir}`,
    );
  return run.status ?? 1;
}
