/**
 * The comparison of normalizations (compare experiment): iterations to a loss and an accuracy threshold,
 * the speedup over the baseline paired by seed, loss-curve area, best accuracies, as mean ± std over seeds.
 * Threshold rules (when not given by flag) are documented in docs/report-schema.md.
 */
import type { Norm } from '../config.js';
import { firstAtLeast, firstBelow, meanArea, roundSignificant, stat, trailingMean } from './stats.js';
import type { Comparison, RunResult, Threshold, VariantComparison } from './types.js';

export interface ComparisonOptions {
  norms: readonly Norm[];
  lossThreshold: number | null;
  valThreshold: number | null;
}

/** Fraction of the way from the reachable level back up toward the initial loss (see the docs). */
const LOSS_MARGIN = 0.25;
/** The automatic accuracy threshold is this fraction of the weakest variant's mean best accuracy. */
const VAL_FRACTION = 0.8;

export function smoothingWindow(runs: readonly RunResult[]): number {
  const perEpoch = runs[0]?.iterationsPerEpoch ?? 1;
  return Math.max(1, Math.round(perEpoch / 4));
}

export function compareRuns(runs: readonly RunResult[], options: ComparisonOptions): Comparison {
  const norms = options.norms.filter((norm) => runs.some((run) => run.norm === norm));
  const baseline: Norm = norms.includes('none') ? 'none' : (norms[0] ?? options.norms[0]);
  const window = smoothingWindow(runs);
  const smoothed = new Map(runs.map((run) => [run, trailingMean(run.lossHistory, window)]));
  const completed = runs.filter((run) => run.status === 'completed');
  const lossThreshold = pickLossThreshold(options.lossThreshold, completed, norms, smoothed);
  const valThreshold = pickValThreshold(options.valThreshold, runs, norms);

  const itersToLoss = (run: RunResult): number | null =>
    lossThreshold === null ? null : firstBelow(smoothed.get(run)!, lossThreshold.value);
  const itersToVal = (run: RunResult): number | null =>
    valThreshold === null ? null : firstAtLeast(run.accIterations, run.valAccHistory, valThreshold.value);

  const variants = norms.map((norm): VariantComparison => {
    const mine = runs.filter((run) => run.norm === norm);
    const done = mine.filter((run) => run.status === 'completed');
    const reached = (measure: (run: RunResult) => number | null) =>
      mine.map(measure).filter((value): value is number => value !== null);
    const speedup = (measure: (run: RunResult) => number | null) => {
      if (norm === baseline) return null;
      const ratios: number[] = [];
      for (const run of mine) {
        const base = runs.find((other) => other.norm === baseline && other.seed === run.seed);
        const ours = measure(run);
        const theirs = base ? measure(base) : null;
        if (ours !== null && theirs !== null) ratios.push(theirs / ours);
      }
      return stat(ratios);
    };
    return {
      norm,
      runs: mine.length,
      diverged: mine.length - done.length,
      itersToLoss: stat(reached(itersToLoss)),
      itersToVal: stat(reached(itersToVal)),
      lossAuc: stat(done.map((run) => meanArea(run.lossHistory))),
      finalLoss: stat(done.map((run) => run.finalLoss!)),
      bestValAcc: stat(mine.map((run) => run.bestValAcc)),
      bestTrainAcc: stat(mine.map((run) => run.bestTrainAcc)),
      testAcc: stat(mine.flatMap((run) => (run.testAcc === null ? [] : [run.testAcc]))),
      finalTestAcc: stat(mine.flatMap((run) => (run.finalTestAcc === null ? [] : [run.finalTestAcc]))),
      speedupLoss: speedup(itersToLoss),
      speedupVal: speedup(itersToVal),
    };
  });
  return { baseline, smoothingWindow: window, lossThreshold, valThreshold, variants };
}

/**
 * Auto: each variant's mean (over its completed runs) of the lowest smoothed loss it reached; the highest
 * of those, L_reach, is a level every variant reached. The threshold sits LOSS_MARGIN of the way from that
 * level back to the mean initial loss, rounded up to 2 significant digits, so most runs of every variant
 * cross it. It must also lie strictly below every run's initial smoothed loss (else a run "reaches" it at
 * iteration 1 and the speedup is meaningless): when the rounded value does not, a finer rounding, or the
 * margin taken from the lowest initial loss, is used; when nothing lies in [L_reach, lowest initial loss),
 * there is no meaningful threshold and the result is null.
 */
export function pickLossThreshold(
  given: number | null,
  completed: readonly RunResult[],
  norms: readonly Norm[],
  smoothed: ReadonlyMap<RunResult, readonly number[]>,
): Threshold | null {
  if (given !== null) return { value: given, source: 'flag' };
  const levels = norms.flatMap((norm) => {
    const mins = completed.filter((run) => run.norm === norm).map((run) => Math.min(...smoothed.get(run)!));
    return mins.length ? [stat(mins).mean!] : [];
  });
  if (levels.length === 0) return null;
  const initial = stat(completed.map((run) => run.lossHistory[0])).mean!;
  // Every run's first smoothed value: a threshold at or above the lowest is crossed at iteration 1.
  const ceiling = Math.min(...completed.map((run) => smoothed.get(run)![0]));
  const reachable = Math.max(...levels);
  if (!(initial > reachable) || !(ceiling > reachable)) return null;
  let raw = reachable + LOSS_MARGIN * (initial - reachable);
  if (!(raw < ceiling)) raw = reachable + LOSS_MARGIN * (ceiling - reachable);
  const fits = (value: number) => value >= reachable && value < ceiling;
  const candidates = [2, 3, 4, 5, 6].flatMap((digits) => [
    roundSignificant(raw, digits, 'up'),
    roundSignificant(raw, digits, 'down'),
  ]);
  candidates.push(raw);
  const value = candidates.find(fits);
  return value === undefined ? null : { value, source: 'auto' };
}

/** Auto: VAL_FRACTION of the lowest variant-mean best validation accuracy, rounded down to 0.01. */
function pickValThreshold(
  given: number | null,
  runs: readonly RunResult[],
  norms: readonly Norm[],
): Threshold | null {
  if (given !== null) return { value: given, source: 'flag' };
  const bests = norms.flatMap((norm) => {
    const values = runs.filter((run) => run.norm === norm).map((run) => run.bestValAcc);
    return values.length ? [stat(values).mean!] : [];
  });
  if (bests.length === 0) return null;
  const value = Math.floor(VAL_FRACTION * Math.min(...bests) * 100 + 1e-9) / 100;
  return value > 0 ? { value, source: 'auto' } : null;
}
