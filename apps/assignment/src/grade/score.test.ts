// The scoring rule (score.ts) on hand-made reports: each part earns its points × lines passed / lines
// due, errors and stubs fail and do not shrink what is due, a load problem zeroes the exercise.
import type { CheckLine, ExerciseReport } from '@backprop-lab/assignment';
import { describe, expect, it } from 'vitest';
import { countLines, type ScoredRun, scoreSubmission } from './score.js';

function lines(passed: number, failed: number): CheckLine[] {
  const line = (pass: boolean) => ({
    name: 'dx vs reference',
    pass,
    relError: pass ? 0 : 1,
    threshold: 1e-8,
  });
  return [
    ...Array.from({ length: passed }, () => line(true)),
    ...Array.from({ length: failed }, () => line(false)),
  ];
}

function run(checks: CheckLine[], extra: Partial<ExerciseReport> = {}, referenceLines = 4): ScoredRun {
  const report: ExerciseReport = {
    id: 'affine',
    title: 'Affine layer',
    file: 'affine.ts',
    status: 'pass',
    checks,
    notStarted: [],
    errors: [],
    mistakes: [],
    notes: [],
    ...extra,
  };
  return { report, referenceLines };
}

function score(visible: ScoredRun, hidden: ScoredRun[], options: { points?: number; problem?: string } = {}) {
  const loadProblems = new Map(options.problem ? [['affine.ts', options.problem]] : []);
  return scoreSubmission({
    runs: new Map([['affine', { visible, hidden }]]),
    loadProblems,
    points: { affine: options.points ?? 10 },
    visibleWeight: 0.4,
  });
}

describe('scoreSubmission', () => {
  it('gives all the points when every line due passes, split 40/60 between visible and hidden', () => {
    const result = score(run(lines(4, 0)), [run(lines(4, 0)), run(lines(4, 0))]);
    expect(result.exercises[0]).toMatchObject({
      score: 10,
      max: 10,
      visible: { score: 4, max: 4, passed: 4, due: 4 },
      hidden: { score: 6, max: 6, passed: 8, due: 8 },
    });
    expect(result).toMatchObject({ score: 10, max: 10 });
  });

  it('scores each part by the fraction of its lines that pass, over all its runs', () => {
    const result = score(run(lines(3, 1)), [run(lines(4, 0)), run(lines(1, 3))]);
    expect(result.exercises[0].visible.score).toBe(3); // 4 × 3/4
    expect(result.exercises[0].hidden.score).toBe(3.75); // 6 × 5/8
    expect(result.score).toBe(6.75);
  });

  it('counts an error and the checks it kept from running as failing: throwing never beats a wrong answer', () => {
    // The backward threw: the forward's line passed, the backward's 3 lines never ran.
    const threw = run(lines(1, 0), { errors: ['affineBackward threw Error: x'] });
    expect(countLines(threw)).toEqual({ passed: 1, due: 4 });
    const wrong = run(lines(1, 3));
    expect(score(threw, []).score).toBe(score(wrong, []).score);
    const stub = run([], { notStarted: ['affineForward', 'affineBackward'] });
    expect(countLines(stub)).toEqual({ passed: 0, due: 4 });
    expect(score(stub, [stub]).score).toBe(0);
  });

  it('counts the lines the student’s run wrote when they outnumber the reference’s', () => {
    expect(countLines(run(lines(4, 1), { errors: ['x'] }, 4))).toEqual({ passed: 4, due: 6 });
  });

  it('scores 0 with the reason when the exercise’s file did not load', () => {
    const result = score(run(lines(4, 0)), [run(lines(4, 0))], {
      problem: 'src/affine.ts threw at import: x',
    });
    expect(result.exercises[0]).toMatchObject({
      score: 0,
      max: 10,
      reason: 'src/affine.ts threw at import: x',
    });
  });

  it('gives the visible part every point when there are no hidden runs', () => {
    const result = score(run(lines(2, 2)), []);
    expect(result.exercises[0].visible).toMatchObject({ score: 5, max: 10 });
    expect(result.exercises[0].hidden).toMatchObject({ score: 0, max: 0 });
  });

  it('rounds each part to 0.01 and sums the rounded parts', () => {
    const result = score(run(lines(1, 2), {}, 3), [run(lines(2, 1), {}, 3)], { points: 7 });
    // visible 2.8 × 1/3 = 0.9333…, hidden 4.2 × 2/3 = 2.8
    expect(result.exercises[0].visible.score).toBe(0.93);
    expect(result.exercises[0].hidden.score).toBe(2.8);
    expect(result.score).toBe(3.73);
    expect(result.max).toBe(7);
  });
});
