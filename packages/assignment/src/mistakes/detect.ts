/**
 * Mistake fingerprints: a known wrong variant of the reference, run on the same inputs. When the student's
 * values equal the variant's (not the reference's), the report names the mistake and its fix.
 */
import type { Tensor } from '@backprop-lab/tensor';
import { sameValues } from '../compare.js';
import type { ExerciseRun } from '../context.js';
import type { MistakeMatch } from '../report.js';

export interface Fingerprint extends MistakeMatch {
  /** The wrong variant's values of the outputs this mistake changes, by the student's output names. */
  outputs: Record<string, Tensor | number>;
}

/**
 * Names every fingerprint the student's outputs match. Only runs when a check failed: a right answer is
 * never explained by a mistake.
 */
export function detect(
  run: ExerciseRun,
  student: Record<string, unknown>,
  fingerprints: Fingerprint[],
): void {
  if (run.report.checks.every((line) => line.pass)) return;
  for (const { outputs, ...match } of fingerprints) {
    const names = Object.keys(outputs);
    if (names.length > 0 && names.every((name) => sameValues(student[name], outputs[name])))
      run.mistake(match);
  }
}
