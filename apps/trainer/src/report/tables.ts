/** The comparison, sweep and run tables as rows of text, shared by the terminal and report.html. */

import { formatFixed, formatNumber, formatStat, normLabel } from '../analysis/format.js';
import type { Comparison, RunResult, Stat, Sweep, VariantComparison } from '../analysis/types.js';
import { type Align, renderTable } from '../cli/table.js';

export interface TextTable {
  header: string[];
  rows: string[][];
}

function reachedStat(value: Stat, variant: VariantComparison): string {
  if (value.n === 0) return 'not reached';
  const shown = formatStat(value, 0);
  return value.n < variant.runs ? `${shown} (${value.n}/${variant.runs} runs)` : shown;
}

function speedup(value: Stat | null): string {
  if (value === null) return 'baseline';
  if (value.mean === null) return 'n/a';
  return value.n > 1 ? `${value.mean.toFixed(2)}× ± ${value.std!.toFixed(2)}` : `${value.mean.toFixed(2)}×`;
}

/** Rows for a threshold that does not exist (nothing learned, no meaningful level) are left out. */
export function comparisonTable(comparison: Comparison): TextTable {
  const variants = comparison.variants;
  const loss = comparison.lossThreshold;
  const val = comparison.valThreshold;
  const row = (label: string, cell: (variant: VariantComparison) => string) => [label, ...variants.map(cell)];
  return {
    header: ['', ...variants.map((variant) => normLabel(variant.norm))],
    rows: [
      row('runs (diverged)', (v) => `${v.runs} (${v.diverged})`),
      ...(loss
        ? [
            row(`iterations to loss ≤ ${formatNumber(loss.value)}`, (v) => reachedStat(v.itersToLoss, v)),
            row('  speedup', (v) => speedup(v.speedupLoss)),
          ]
        : []),
      ...(val
        ? [
            row(`iterations to val acc ≥ ${formatFixed(val.value, 2)}`, (v) => reachedStat(v.itersToVal, v)),
            row('  speedup', (v) => speedup(v.speedupVal)),
          ]
        : []),
      row('mean loss (curve area)', (v) => formatStat(v.lossAuc, 3)),
      row('final loss (last epoch)', (v) => formatStat(v.finalLoss, 3)),
      row('best val acc', (v) => formatStat(v.bestValAcc, 3)),
      row('best train acc', (v) => formatStat(v.bestTrainAcc, 3)),
      row('test acc (best model)', (v) => formatStat(v.testAcc, 3)),
      row('test acc (last epoch)', (v) => formatStat(v.finalTestAcc, 3)),
    ],
  };
}

export function sweepTable(sweep: Sweep): TextTable {
  return {
    header: ['norm', sweep.label, 'best val acc', 'best train acc', 'final loss', 'diverged'],
    rows: sweep.points.map((point) => [
      normLabel(point.norm),
      formatNumber(point.value, 3),
      formatStat(point.bestValAcc, 3),
      formatStat(point.bestTrainAcc, 3),
      formatStat(point.finalLoss, 3),
      `${point.diverged}/${point.runs}`,
    ]),
  };
}

export function runTable(runs: readonly RunResult[]): TextTable {
  return {
    header: [
      'run',
      'norm',
      'seed',
      'status',
      'iterations',
      'best val acc',
      'best train acc',
      'final loss',
      'test acc (best)',
      'test acc (last)',
    ],
    rows: runs.map((run) => [
      run.id,
      normLabel(run.norm),
      String(run.seed),
      run.status === 'diverged' ? `diverged at ${run.divergedAt}` : 'completed',
      String(run.lossHistory.length),
      formatFixed(run.bestValAcc, 3),
      formatFixed(run.bestTrainAcc, 3),
      formatFixed(run.finalLoss, 3),
      formatFixed(run.testAcc, 3),
      formatFixed(run.finalTestAcc, 3),
    ]),
  };
}

/** Fixed-width text for the terminal (the CLI kit's table): first column left-aligned, the rest right. */
export function renderTextTable(table: TextTable): string {
  const align = table.header.map((_, column): Align => (column === 0 ? 'left' : 'right'));
  return renderTable(table.rows, { header: table.header, align }).join('\n');
}
