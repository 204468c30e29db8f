/**
 * `pnpm assignment grade <submission...> --out <dir>`: grades kit folders and collect's zips (or folders
 * of them) on a worker pool, prints a line per submission and a summary, and writes results.json and
 * feedback.md per submission and class.csv. Exit 0 once everything is graded, whatever the students
 * scored; 1 when the grader itself cannot run or write; 2 for a usage mistake; 130 interrupted.
 */
import { availableParallelism } from 'node:os';
import { writeFileAtomicSync } from '@backprop-lab/fs-atomic';
import { type Command, integer, OutputError, openRunFolder, path, UsageError } from '@backprop-lab/trainer';
import { DEFAULT_CONFIG, type GraderConfig, readConfig } from './config.js';
import { findSubmissions } from './find-submissions.js';
import type { GradeResult } from './grade-one.js';
import { gradeAll } from './pool.js';
import { gradescopeResults } from './results-json.js';
import { json, writeClassCsv, writeSubmission } from './write-outputs.js';

export const gradeCommand: Command = {
  name: 'grade',
  brief: 'grades submissions (kit folders or zips): results.json, feedback.md, class.csv',
  summary:
    'Grades each submission (a kit folder, a zip from `pnpm collect`, or a folder of them) with the\n' +
    "visible checks and hidden ones (other seeds and sizes), scores it by the config's points, and writes\n" +
    '<out>/<name>/results.json (Gradescope), <out>/<name>/feedback.md and <out>/class.csv.',
  usage: '<submission...> --out <dir> [options]',
  flags: [
    {
      name: 'out',
      type: 'string',
      value: '<dir>',
      description: 'folder for the results (new or empty)',
      parse: path,
    },
    { name: 'overwrite', type: 'boolean', description: 'write into --out even if it holds files' },
    {
      name: 'config',
      type: 'string',
      value: '<grader.json>',
      description: 'points, hidden runs, seed and limits (see README: Grading)',
      default: 'built-in',
      parse: path,
    },
    {
      name: 'jobs',
      type: 'string',
      value: '<n>',
      description: 'submissions graded at once',
      default: 'the number of cores',
      parse: integer(1, 256),
    },
    {
      name: 'results-json',
      type: 'string',
      value: '<file>',
      description: "also write the one submission's results.json here (Gradescope)",
      parse: path,
    },
  ],
  positionals: { min: 1, max: Number.MAX_SAFE_INTEGER, usage: '<submission...>' },
  footer: [
    'Exit codes: 0 graded (whatever the scores), 1 the grader cannot run or write, 2 usage error, 130 interrupted (class.csv of those graded).',
  ],
  run: async ({ values, positionals }, io) => {
    const out = values.out as string | undefined;
    if (out === undefined) throw new UsageError('grade: --out <dir> is required');
    const config: GraderConfig =
      values.config === undefined ? structuredClone(DEFAULT_CONFIG) : readConfig(values.config as string);
    const submissions = findSubmissions(positionals, [out]);
    const resultsJson = values['results-json'] as string | undefined;
    if (resultsJson !== undefined && submissions.length !== 1)
      throw new UsageError(`grade: --results-json takes one submission, got ${submissions.length}`);
    const folder = openRunFolder(out, values.overwrite === true);
    let failed = true;
    try {
      const { results, aborted } = await gradeWithProgress(
        submissions,
        config,
        (values.jobs as number) ?? availableParallelism(),
        out,
        io,
      );
      writeClassCsv(out, results);
      if (aborted) {
        io.err(
          `grade: interrupted: ${results.length} of ${submissions.length} graded; class.csv lists those`,
        );
        failed = false;
        return 130;
      }
      if (resultsJson !== undefined)
        writeFileAtomicSync(resultsJson, json(gradescopeResults(results[0], config)));
      io.out(summaryLine(results, out));
      failed = false;
      return 0;
    } finally {
      folder.close({ failed });
    }
  },
};

/** Grades, writes each submission's files as it finishes, and prints its line in name order. */
async function gradeWithProgress(
  submissions: ReturnType<typeof findSubmissions>,
  config: GraderConfig,
  jobs: number,
  out: string,
  io: Parameters<NonNullable<Command['run']>>[1],
): Promise<{ results: GradeResult[]; aborted: boolean }> {
  const width = Math.max(...submissions.map((s) => s.name.length));
  const lines: (string | undefined)[] = new Array(submissions.length);
  let printed = 0;
  let writeError: unknown;
  const outcome = await gradeAll(submissions, config, {
    jobs,
    signal: io.signal,
    onResult: (index, result, seconds) => {
      try {
        writeSubmission(out, result, config);
      } catch (error) {
        writeError ??= error;
      }
      const { score, max } = result.score;
      const why = result.failure ? `  ${result.failure}` : '';
      lines[index] =
        `${result.name.padEnd(width)}  ${`${score}/${max}`.padStart(11)}  ${seconds.toFixed(1).padStart(6)} s${why}`;
      while (printed < lines.length && lines[printed] !== undefined) io.out(lines[printed++]!);
    },
  });
  if (writeError !== undefined)
    throw writeError instanceof OutputError ? writeError : new OutputError(String(writeError));
  const results = outcome.results.filter((result) => result !== undefined);
  return { results, aborted: outcome.aborted };
}

function summaryLine(results: readonly GradeResult[], out: string): string {
  const max = results[0]?.score.max ?? 0;
  const mean = results.reduce((sum, r) => sum + r.score.score, 0) / Math.max(1, results.length);
  const full = results.filter((r) => r.score.score === r.score.max).length;
  const notGraded = results.filter((r) => r.failure !== undefined).length;
  return (
    `graded ${results.length} submission${results.length === 1 ? '' : 's'}: mean ${mean.toFixed(2)} / ${max}, ` +
    `${full} with full marks, ${notGraded} not graded; results in ${out} (class.csv)`
  );
}
