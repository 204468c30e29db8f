/**
 * One exercise's check in progress: calls the student's functions so that a stub, a throw or a malformed
 * result becomes one line of the report and never a crash, and collects the lines.
 */
import type { Rng } from '@backprop-lab/tensor';
import type { Exercise } from './manifest.js';
import { isNotImplemented } from './not-implemented.js';
import type { CheckLine, ExerciseReport, MistakeMatch, StepDiff } from './report.js';

/** The student's modules merged into one record: `{ ...affine, ...relu, ...fcNet, ... }`. */
export type StudentImpl = Readonly<Record<string, unknown>>;

/** Input sizes: N batch, D features, M affine outputs / hidden units, C classes. */
export interface Sizes {
  N: number;
  D: number;
  M: number;
  C: number;
}

// biome-ignore lint/suspicious/noExplicitAny: the student's functions are called with the arguments their stubs declare
export type StudentFunction = (...args: any[]) => any;

/** A student's class (FullyConnectedNet), constructed with the options its stub declares. */
// biome-ignore lint/suspicious/noExplicitAny: as StudentFunction
export type StudentClass = new (...args: any[]) => any;

/** A student's result lacks what the exercise returns (thrown inside `call`, reported as that function's error). */
export class ResultError extends Error {}

/** `value.key`, or a ResultError naming the function and what it should have returned. */
export function field<T = unknown>(fn: string, value: unknown, key: string, shape: string): T {
  if (value === null || typeof value !== 'object' || !(key in value)) {
    const got =
      value === null ? 'null' : typeof value === 'object' ? `an object without ${key}` : typeof value;
    throw new ResultError(`${fn} returned ${got}; it should return ${shape}`);
  }
  return (value as Record<string, T>)[key];
}

/**
 * What the grader's sandbox throws when the student's process fails (time limit, exit, memory): its
 * message already names the function, so it is reported as it is.
 */
function ownLine(error: unknown): boolean {
  return error instanceof ResultError || (error instanceof Error && error.name === 'StudentProcessError');
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0];
}

export class ExerciseRun {
  readonly report: ExerciseReport;
  /** Picks the entries differentiated numerically; drawn first, so no student behaviour moves the inputs. */
  readonly sampleSeed: number;
  private readonly stopped = new Set<string>();

  constructor(
    readonly exercise: Exercise,
    private readonly impl: StudentImpl,
    readonly rng: Rng,
    readonly sizes: Sizes,
  ) {
    this.sampleSeed = rng.int(2 ** 31);
    const { id, title, file } = exercise;
    this.report = {
      id,
      title,
      file,
      status: 'pass',
      checks: [],
      notStarted: [],
      errors: [],
      mistakes: [],
      notes: [],
    };
  }

  /** The student's function `name` ('Class.method' resolves to the class), or undefined if absent. */
  lookup(name: string): StudentFunction | undefined {
    const value = this.impl[name.split('.')[0]];
    return typeof value === 'function' ? (value as StudentFunction) : undefined;
  }

  /** Whether `name` may still be called: present, and has not yet thrown NotImplemented or crashed. */
  ready(name: string): boolean {
    if (this.stopped.has(name)) return false;
    if (this.lookup(name) === undefined) {
      this.stop(name, 'missing');
      return false;
    }
    return true;
  }

  /**
   * Runs `body` (which calls the student's `name`); returns its result, or undefined after recording a
   * stub as not started and any other throw as one error line. Later calls of that function are skipped.
   */
  call<T>(name: string, body: (fn: StudentFunction) => T): T | undefined {
    if (!this.ready(name)) return undefined;
    try {
      return body(this.lookup(name)!);
    } catch (error) {
      const owned = this.exercise.functions.includes(name);
      if (isNotImplemented(error)) {
        const other = (error as { functionName?: string }).functionName ?? error.message.split(' ')[0];
        this.stop(name, other === name ? 'stub' : `waits for ${other}, not implemented yet`);
      } else if (owned) {
        this.stopped.add(name);
        this.report.errors.push(
          ownLine(error) ? (error as Error).message : `${name} threw ${firstLine(error)}`,
        );
      } else {
        // Another exercise's function: its own check reports the error; here it only means a fallback.
        this.stopped.add(name);
        this.note(`your ${name} threw (${firstLine(error)}); the reference's was used instead`);
      }
      return undefined;
    }
  }

  private stop(name: string, why: string): void {
    this.stopped.add(name);
    if (!this.exercise.functions.includes(name)) {
      this.note(
        `your ${name} is not ready (${why === 'stub' ? 'not implemented yet' : why}); the reference's was used instead`,
      );
      return;
    }
    if (why === 'stub') this.report.notStarted.push(name);
    else if (why === 'missing')
      this.report.notStarted.push(`${name} (not exported by src/${this.exercise.file})`);
    else this.report.notStarted.push(`${name} (${why})`);
  }

  add(line: CheckLine): CheckLine {
    this.report.checks.push(line);
    return line;
  }

  mistake(match: MistakeMatch): void {
    if (!this.report.mistakes.some((m) => m.id === match.id)) this.report.mistakes.push(match);
  }

  step(diff: StepDiff): void {
    this.report.firstDifferingStep ??= diff;
  }

  note(text: string): void {
    this.report.notes.push(text);
  }

  /** Settles the status once every check has run. */
  finish(): ExerciseReport {
    const r = this.report;
    const failed = r.errors.length > 0 || r.checks.some((c) => !c.pass);
    if (failed) r.status = 'fail';
    else if (r.notStarted.length > 0) r.status = r.checks.length === 0 ? 'not started' : 'partial';
    else r.status = 'pass';
    return r;
  }
}
