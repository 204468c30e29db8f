/**
 * The job script `pnpm train slurm` prints (and with --submit runs): a SLURM job array whose task i runs
 * `pnpm train <options> --shard i/N`, then a report job that starts when every task has ended
 * (afterany: a task that failed or ran out of time leaves its runs listed as missing in the report,
 * instead of no report at all). Re-running the script resumes: runs already in the folder are skipped.
 *
 * The script is plain bash around two `sbatch` here-documents, so users of another scheduler can read off
 * what each task runs (the shard index from their own variable: a Kubernetes Indexed Job's
 * JOB_COMPLETION_INDEX, a CI matrix index) and when the report may run.
 */
import { UsageError } from '../errors.js';

export interface SlurmOptions {
  /** Array tasks, one shard each. */
  shards: number;
  cpusPerTask: number;
  partition: string | null;
  /** SLURM's time limit syntax, e.g. 30, 2:00:00, 1-00:00:00 (checked by sbatch). */
  time: string | null;
  /** At most this many tasks at once (`--array=0-N%K`); null = no limit. */
  arrayLimit: number | null;
  jobName: string;
  /** `sbatch --wait` on the report job: the script ends when the report is written. */
  wait: boolean;
}

export interface SlurmJob {
  /** Program and arguments that run `pnpm train` (absolute paths: the job may start anywhere). */
  train: readonly string[];
  /** The study's options as the user gave them, without --shard. */
  args: readonly string[];
  /** The shared run folder (absolute), and where the jobs start (relative paths in args resolve there). */
  outDir: string;
  workDir: string;
}

/** Single-quoted for bash: safe for any string. */
export function shellQuote(value: string): string {
  return /^[\w./:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const command = (words: readonly string[]) => words.map(shellQuote).join(' ');

/**
 * A value for an #SBATCH line, which sbatch splits at blanks and reads without the shell's quoting: a
 * value with blanks or quotes is refused rather than mangled.
 */
function directive(what: string, value: string): string {
  if (/^[^\s'"\\$`]+$/.test(value)) return value;
  throw new UsageError(
    `${what} ${value}: SLURM job scripts cannot hold blanks or quotes in this path; use another folder`,
  );
}

export function logDir(outDir: string): string {
  return `${outDir}/slurm-logs`;
}

export function slurmScript(job: SlurmJob, options: SlurmOptions): string {
  const logs = logDir(job.outDir);
  const limit = options.arrayLimit === null ? '' : `%${options.arrayLimit}`;
  const common = [
    `#SBATCH --cpus-per-task=${options.cpusPerTask}`,
    ...(options.partition === null ? [] : [`#SBATCH --partition=${options.partition}`]),
    ...(options.time === null ? [] : [`#SBATCH --time=${options.time}`]),
    `#SBATCH --chdir=${directive('the working directory', job.workDir)}`,
  ];
  const train = command([...job.train, ...job.args]);
  return `#!/usr/bin/env bash
# backprop-lab: a sharded study on SLURM, written by \`pnpm train slurm\`.
# ${options.shards} array tasks each run one shard of the planned runs into the run folder
#   ${job.outDir}
# (each finished run is saved at once; runs already there are skipped, so re-running this script resumes),
# then one job writes summary.json, metrics.csv and report.html there once every task has ended.
set -euo pipefail
mkdir -p ${shellQuote(logs)}

shards=$(sbatch --parsable <<'SHARDS'
#!/usr/bin/env bash
#SBATCH --job-name=${options.jobName}
#SBATCH --array=0-${options.shards - 1}${limit}
${common.join('\n')}
#SBATCH --output=${directive('--out', `${logs}/shard-%a.out`)}
# Each task uses the cores it was given: --workers defaults to SLURM_CPUS_PER_TASK.
exec ${train} --shard "$SLURM_ARRAY_TASK_ID/${options.shards}"
SHARDS
)
echo "shards: job \${shards%%;*} (array 0-${options.shards - 1})"

# afterany: the report also runs when a task failed, listing the runs that are missing.
sbatch --parsable --dependency="afterany:\${shards%%;*}"${options.wait ? ' --wait' : ''} <<'REPORT'
#!/usr/bin/env bash
#SBATCH --job-name=${options.jobName}-report
${common.join('\n')}
#SBATCH --output=${directive('--out', `${logs}/report.out`)}
exec ${command([...job.train, 'report', job.outDir])}
REPORT
`;
}
