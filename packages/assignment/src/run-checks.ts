/**
 * runChecks(impl, { only, seed, sizes }): every exercise's check against the student's functions, as data.
 * One exercise's stub, throw or malformed result never stops the others. The grader reuses this with
 * hidden seeds and sizes.
 */
import { createRng } from '@backprop-lab/tensor';
import { ExerciseRun, type Sizes, type StudentImpl } from './context.js';
import { CHECKS } from './exercises/index.js';
import { EXERCISES, type Exercise } from './manifest.js';
import type { CheckReport, ExerciseReport } from './report.js';

export interface RunChecksOptions {
  /** Exercise ids to check (default: all), e.g. ['batchnorm-forward', 'batchnorm-backward']. */
  only?: readonly string[];
  /** Seeds every input (an integer in [-2^40, 2^40]); the same seed and sizes give the same report. Default 0. */
  seed?: number;
  /** Input sizes, at least MIN_SIZES and at most 64. Default N 5, D 4, M 3, C 4. */
  sizes?: Partial<Sizes>;
}

export const DEFAULT_SIZES: Readonly<Sizes> = Object.freeze({ N: 5, D: 4, M: 3, C: 4 });

/**
 * Below 4 samples (batchnorm) or 4 features (layernorm) every normalised value is close to ±1 whatever
 * the input, so dx is of order ε and its numerical check reads round-off (docs/batchnorm-backward.md, §4).
 */
export const MIN_SIZES: Readonly<Sizes> = Object.freeze({ N: 4, D: 4, M: 2, C: 2 });

export function runChecks(impl: StudentImpl, options: RunChecksOptions = {}): CheckReport {
  const { exercises, seed, sizes } = readOptions(impl, options);
  const reports = exercises.map((exercise) => checkOne(exercise, impl, seed, sizes));
  const count = (status: ExerciseReport['status']) => reports.filter((r) => r.status === status).length;
  const summary = {
    pass: count('pass'),
    fail: count('fail'),
    partial: count('partial'),
    notStarted: count('not started'),
  };
  return { seed, exercises: reports, summary, ok: summary.fail === 0 };
}

function checkOne(exercise: Exercise, impl: StudentImpl, seed: number, sizes: Sizes): ExerciseReport {
  // Each exercise draws from its own stream, so --only and the order never change an exercise's inputs.
  const index = EXERCISES.indexOf(exercise);
  const run = new ExerciseRun(exercise, impl, createRng(seed * 101 + index), sizes);
  try {
    CHECKS[exercise.id](run);
  } catch (error) {
    // A student's value odd enough to trip the check itself: still one line, and the next exercise runs.
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    run.report.errors.push(`the check could not finish: ${text.split('\n')[0]}`);
  }
  return run.finish();
}

function readOptions(impl: StudentImpl, options: RunChecksOptions) {
  if (impl === null || typeof impl !== 'object') {
    throw new TypeError(
      `runChecks: impl must be an object of the student's functions, got ${impl === null ? 'null' : typeof impl}`,
    );
  }
  const known = ['only', 'seed', 'sizes'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw new TypeError(`runChecks: unknown option '${key}' (known: ${known.join(', ')})`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || Math.abs(seed) > 2 ** 40) {
    throw new RangeError(`runChecks: seed must be an integer in [-2^40, 2^40], got ${String(seed)}`);
  }
  const sizes = { ...DEFAULT_SIZES, ...options.sizes };
  for (const [name, value] of Object.entries(sizes)) {
    if (!(name in MIN_SIZES))
      throw new TypeError(`runChecks: sizes has unknown key '${name}' (known: N, D, M, C)`);
    const least = MIN_SIZES[name as keyof Sizes];
    if (!Number.isInteger(value) || value < least || value > 64) {
      throw new RangeError(
        `runChecks: sizes.${name} must be an integer in [${least}, 64], got ${String(value)}`,
      );
    }
  }
  const ids = EXERCISES.map((e) => e.id);
  const only = options.only ?? ids;
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new RangeError(`runChecks: unknown exercise '${unknown[0]}' in only (known: ${ids.join(', ')})`);
  }
  return { exercises: EXERCISES.filter((e) => only.includes(e.id)), seed, sizes };
}
