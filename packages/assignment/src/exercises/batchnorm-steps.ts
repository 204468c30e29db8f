/**
 * The graph form's named intermediates in graph order, each with the local derivative its line needs
 * (docs/batchnorm-backward.md, section 2). The first that differs from the reference is where the bug is.
 */
import type { BatchnormSteps } from '@backprop-lab/layers';
import { compare, REFERENCE_THRESHOLD } from '../compare.js';
import type { ExerciseRun } from '../context.js';

export const STEPS: readonly (readonly [keyof BatchnormSteps, string])[] = [
  ['dgammax', 'stage 9, out = gammax + beta: addition passes the gradient through, dgammax = dout'],
  ['dxhat', 'stage 8, gammax = gamma · xhat: dxhat = dgammax · gamma'],
  ['divar', 'stage 7, xhat = xmu · ivar, ivar [D] broadcast over the rows: divar = Σn dxhat · xmu'],
  ['dxmu1', 'stage 7, xhat = xmu · ivar: dxmu1 = dxhat · ivar'],
  ['dsqrtvar', 'stage 6, ivar = 1 / sqrtvar, d(1/s)/ds = −1/s²: dsqrtvar = −1 / sqrtvar² · divar'],
  [
    'dvariance',
    'stage 5, sqrtvar = √(variance + eps), d√v/dv = 1/(2√v): dvariance = 0.5 / sqrtvar · dsqrtvar',
  ],
  ['dsq', 'stage 4, variance = (1/N) Σn sq: dsq = (1/N) · ones(N, D) · dvariance'],
  ['dxmu2', 'stage 3, sq = xmu², d(u²)/du = 2u: dxmu2 = 2 · xmu · dsq'],
  ['dx1', 'stage 2, xmu reaches the output by two paths: dx1 = dxmu1 + dxmu2'],
  ['dmu', 'stage 2, xmu = x − mu, mu [D] broadcast over the rows: dmu = −Σn dx1'],
  ['dx2', 'stage 1, mu = (1/N) Σn x: dx2 = (1/N) · ones(N, D) · dmu'],
];

/**
 * Compares the steps the student returned (any subset) with the reference's, in graph order; reports the
 * first that differs, with its local derivative, as a failing line. Steps the student left out are skipped.
 */
export function checkSteps(run: ExerciseRun, steps: unknown, reference: BatchnormSteps): void {
  if (steps === undefined) return;
  if (steps === null || typeof steps !== 'object') {
    run.add({
      name: 'steps',
      pass: false,
      relError: null,
      threshold: null,
      detail: `steps should be an object of named tensors, got ${typeof steps}`,
    });
    return;
  }
  const given = steps as Record<string, unknown>;
  const unknown = Object.keys(given).filter((name) => !STEPS.some(([step]) => step === name));
  if (unknown.length > 0)
    run.note(`steps has names the derivation does not use: ${unknown.join(', ')} (ignored)`);
  let compared = 0;
  for (const [step, localDerivative] of STEPS) {
    if (given[step] === undefined) continue;
    compared++;
    const line = compare(`steps.${step}`, 'reference', given[step], reference[step], REFERENCE_THRESHOLD);
    if (!line.pass) {
      run.add({
        ...line,
        detail: `${line.detail} (the first step that differs)`,
      });
      run.step({ step, relError: line.relError, localDerivative });
      return;
    }
  }
  if (compared > 0) {
    run.add({
      name: `steps (${compared} of ${STEPS.length}) vs reference`,
      pass: true,
      relError: null,
      threshold: REFERENCE_THRESHOLD,
    });
  }
}
