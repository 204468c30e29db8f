/**
 * The report's written conclusion: plain sentences generated from the comparison or sweep numbers, so
 * the text always agrees with the tables and charts beside it.
 */
import type { Experiment, Norm } from '../config.js';
import { formatFixed, formatNumber, formatStat, normPhrase, plural } from './format.js';
import { divergenceBound, stat } from './stats.js';
import { goodRange } from './sweep.js';
import type { Comparison, LayerSeries, RunResult, Stat, Sweep, VariantComparison } from './types.js';

export interface ConclusionInput {
  experiment: Experiment;
  norms: readonly Norm[];
  runs: readonly RunResult[];
  plannedRuns: number;
  complete: boolean;
  comparison: Comparison | null;
  sweep: Sweep | null;
  /** Chance accuracy is 1 / numClasses. */
  numClasses: number;
}

export function writeConclusion(input: ConclusionInput): string[] {
  const sentences: string[] = [];
  if (!input.complete) {
    sentences.push(
      `Interrupted: ${input.runs.length} of ${plural(input.plannedRuns, 'run')} finished; everything below uses only those.`,
    );
  }
  if (input.runs.length === 0) return sentences;
  if (input.comparison) sentences.push(...compareSentences(input.comparison, input.runs));
  if (input.sweep) sentences.push(...sweepSentences(input.sweep, input.norms, input.numClasses));
  sentences.push(...divergenceSentences(input.runs, input.numClasses));
  return sentences;
}

function seedsNote(value: Stat): string {
  return value.n > 1 ? `mean ± std over ${value.n} seeds` : 'one seed';
}

function compareSentences(comparison: Comparison, runs: readonly RunResult[]): string[] {
  const out: string[] = [];
  const base = comparison.variants.find((variant) => variant.norm === comparison.baseline);
  const others = comparison.variants.filter((variant) => variant.norm !== comparison.baseline);
  const loss = comparison.lossThreshold;
  if (base && loss) {
    for (const variant of others) {
      const speedup = variant.speedupLoss;
      if (variant.itersToLoss.mean === null) {
        out.push(
          `${capital(normPhrase(variant.norm))} the training loss never fell below ${formatNumber(loss.value)}.`,
        );
        continue;
      }
      let sentence =
        `${capital(normPhrase(variant.norm))} the training loss (trailing mean over ${comparison.smoothingWindow} iterations) ` +
        `fell below ${formatNumber(loss.value)} after ${formatStat(variant.itersToLoss, 0)} iterations`;
      if (speedup && speedup.mean !== null && base.itersToLoss.mean !== null) {
        sentence += `, ${formatFixed(speedup.mean, 1)}× sooner than ${normPhrase(base.norm)} (${formatStat(base.itersToLoss, 0)})`;
      }
      out.push(`${sentence}; ${seedsNote(variant.itersToLoss)}.`);
    }
    // Name every variant with completed runs that never got below the threshold (they are left out of the
    // iteration counts above), so a count over fewer runs is never mistaken for all of them.
    for (const variant of [base, ...others]) {
      const missing = variant.runs - variant.diverged - variant.itersToLoss.n;
      if (missing > 0 && variant.itersToLoss.n > 0)
        out.push(
          `${capital(normPhrase(variant.norm))} ${missing} of ${plural(variant.runs, 'run')} never got below ${formatNumber(loss.value)}.`,
        );
    }
    if (others.length > 0 && base.itersToLoss.n === 0 && base.runs > base.diverged)
      out.push(
        `${capital(normPhrase(base.norm))} the training loss never fell below ${formatNumber(loss.value)}.`,
      );
  }
  const val = comparison.valThreshold;
  if (base && val) {
    const perEpoch = runs[0].iterationsPerEpoch;
    for (const variant of others) {
      if (variant.itersToVal.mean === null || base.itersToVal.mean === null) continue;
      const ratio = variant.speedupVal?.mean;
      // Accuracy is only measured at iteration 1 and at epoch ends: a crossing is known to within an epoch.
      out.push(
        `Validation accuracy reached ${formatFixed(val.value, 2)} after ${formatStat(variant.itersToVal, 0)} iterations ` +
          `${normPhrase(variant.norm)} and ${formatStat(base.itersToVal, 0)} ${normPhrase(base.norm)}` +
          `${ratio ? ` (${formatFixed(ratio, 1)}× sooner)` : ''}; accuracy is measured after iteration 1 and at each epoch end, ` +
          `so these counts and their ratio are exact only to within one epoch = ${plural(perEpoch, 'iteration')}.`,
      );
    }
  }
  const list = (pick: (variant: VariantComparison) => Stat, decimals: number | null) =>
    comparison.variants
      .map((variant) => `${formatStat(pick(variant), decimals)} ${normPhrase(variant.norm)}`)
      .join(', ');
  out.push(`Best validation accuracy: ${list((variant) => variant.bestValAcc, 3)}.`);
  if (comparison.variants.some((variant) => variant.testAcc.n > 0)) {
    out.push(
      `Test accuracy of the model with the best validation accuracy (its weights and the batchnorm running statistics it had then): ` +
        `${list((variant) => variant.testAcc, 3)}; of the model after the last epoch: ${list((variant) => variant.finalTestAcc, 3)}.`,
    );
  }
  if (comparison.variants.every((variant) => variant.lossAuc.mean !== null)) {
    out.push(
      `Mean training loss over the run (area under the loss curve ÷ iterations): ${list((variant) => variant.lossAuc, 2)}.`,
    );
  }
  out.push(
    ...layerSentences(
      runs,
      comparison.variants.map((variant) => variant.norm),
    ),
  );
  return out;
}

/**
 * What normalization does to each layer: the activation std from the first to the last hidden layer at
 * the first and at the last sample, and the gradient reaching the first hidden layer at the start
 * (the vanishing-signal story). Means over the runs of each normalization.
 */
function layerSentences(runs: readonly RunResult[], norms: readonly Norm[]): string[] {
  const start: string[] = [];
  const end: string[] = [];
  const gradients: string[] = [];
  for (const norm of norms) {
    const mine = runs.filter((run) => run.norm === norm && run.layerStats.layers.length > 0);
    if (mine.length === 0) continue;
    const depth = mine[0].layerStats.layers.length;
    const at = (layer: number, pick: (series: LayerSeries) => number[], sample: 'first' | 'last') =>
      stat(
        mine.map((run) => {
          const values = pick(run.layerStats.layers[layer]);
          return values[sample === 'first' ? 0 : values.length - 1];
        }),
      ).mean!;
    const span = (sample: 'first' | 'last') =>
      `from ${formatNumber(
        at(0, (series) => series.actStd, sample),
        2,
      )} (layer 1) to ` +
      `${formatNumber(
        at(depth - 1, (series) => series.actStd, sample),
        2,
      )} (layer ${depth}) ${normPhrase(norm)}`;
    start.push(span('first'));
    end.push(span('last'));
    gradients.push(
      `${formatNumber(
        at(0, (series) => series.actGradNorm, 'first'),
        2,
      )} ${normPhrase(norm)}`,
    );
  }
  if (start.length === 0) return [];
  return [
    `At the start of training the standard deviation of the hidden activations went ${start.join('; ')}; ` +
      `by the end ${end.join('; ')}.`,
    `The gradient reaching hidden layer 1 at the start had norm ${gradients.join(' and ')}.`,
  ];
}

function sweepSentences(sweep: Sweep, norms: readonly Norm[], numClasses: number): string[] {
  const out: string[] = [];
  if (sweep.parameter === 'batchSize') {
    const spreads = norms.flatMap((norm) => {
      const points = sweep.points.filter((point) => point.norm === norm && point.bestValAcc.mean !== null);
      if (points.length < 2) return [];
      const sorted = [...points].sort((a, b) => a.bestValAcc.mean! - b.bestValAcc.mean!);
      const low = sorted[0];
      const high = sorted[sorted.length - 1];
      out.push(
        `${capital(normPhrase(norm))} the best validation accuracy ranged from ${formatFixed(low.bestValAcc.mean, 3)} ` +
          `(batch ${low.value}) to ${formatFixed(high.bestValAcc.mean, 3)} (batch ${high.value}).`,
      );
      return [{ norm, spread: high.bestValAcc.mean! - low.bestValAcc.mean! }];
    });
    if (spreads.length > 1) {
      const steadiest = spreads.reduce((best, entry) => (entry.spread < best.spread ? entry : best));
      out.push(
        `The accuracy depended least on the batch size ${normPhrase(steadiest.norm)} (spread ${formatFixed(steadiest.spread, 3)}).`,
      );
    }
    return out;
  }
  for (const norm of norms) {
    const range = goodRange(sweep, norm);
    if (!range) continue;
    const total = range.grid.length;
    const values = range.values;
    const span = values.length ? ` (${describeValues(values, range.grid)})` : '';
    let sentence =
      `${capital(normPhrase(norm))} the best validation accuracy peaked at ${formatFixed(range.peak.bestValAcc.mean, 3)} ` +
      `(${sweep.label} ${formatNumber(range.peak.value, 2)}) and stayed within 0.05 of that for ` +
      `${values.length} of ${total} ${sweep.label}s${span}`;
    if (sweep.parameter === 'lr' && values.length) {
      sentence += `; the largest learning rate that trained that well was ${formatNumber(Math.max(...values), 2)}`;
    }
    out.push(`${sentence}.`);
  }
  out.push(...learnedSentence(sweep, norms, numClasses));
  return out;
}

/** How many sweep points trained at all: best validation accuracy at least twice chance. */
function learnedSentence(sweep: Sweep, norms: readonly Norm[], numClasses: number): string[] {
  const bar = 2 / numClasses;
  const parts = norms.flatMap((norm) => {
    const points = sweep.points.filter((point) => point.norm === norm);
    if (points.length === 0) return [];
    const learned = points.filter(
      (point) => (point.bestValAcc.mean ?? 0) >= bar && point.diverged < point.runs,
    ).length;
    return [`${learned} of ${points.length} ${sweep.label}s ${normPhrase(norm)}`];
  });
  if (parts.length === 0) return [];
  return [
    `The net learned (best validation accuracy at least twice chance, ${formatFixed(bar, 2)}) at ${parts.join(' and ')}.`,
  ];
}

/**
 * `values` (a subset of `grid`, both ascending) as contiguous stretches of the grid: "1e-3 to 0.1" only
 * when every grid point between is in; otherwise "1e-3, 0.01 to 0.1 and 1".
 */
export function describeValues(values: readonly number[], grid: readonly number[]): string {
  const inside = new Set(values);
  const stretches: number[][] = [];
  let current: number[] = [];
  for (const value of grid) {
    if (inside.has(value)) current.push(value);
    else if (current.length) {
      stretches.push(current);
      current = [];
    }
  }
  if (current.length) stretches.push(current);
  const parts = stretches.map((stretch) =>
    stretch.length === 1
      ? formatNumber(stretch[0], 2)
      : `${formatNumber(stretch[0], 2)} to ${formatNumber(stretch[stretch.length - 1], 2)}`,
  );
  return parts.length <= 1
    ? (parts[0] ?? '')
    : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function divergenceSentences(runs: readonly RunResult[], numClasses: number): string[] {
  const diverged = runs.filter((run) => run.status === 'diverged');
  if (diverged.length === 0) return [`All ${plural(runs.length, 'run')} completed without diverging.`];
  const shown = diverged.slice(0, 5).map((run) => `${run.id} at iteration ${run.divergedAt}`);
  const more = diverged.length > shown.length ? ` and ${diverged.length - shown.length} more` : '';
  const bound = formatNumber(divergenceBound(numClasses), 3);
  const completed = runs.length - diverged.length;
  return [
    `${diverged.length} of ${plural(runs.length, 'run')} diverged: a minibatch loss was not finite or above ${bound} ` +
      `(10 × ln ${numClasses}, ten times the loss of guessing) and training stopped there (${shown.join(', ')}${more}; ` +
      `iteration 0 means the initial weights already gave such a loss). Their losses are left out of the loss figures` +
      `${completed > 0 ? `; the other ${plural(completed, 'run')} completed` : ''}.`,
  ];
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
