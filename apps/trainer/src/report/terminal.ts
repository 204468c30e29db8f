/** What `pnpm train` prints at the end: the comparison or sweep table, a loss chart, the conclusion. */
// asciichart ships no types: the trainer's declaration comes along wherever this file is compiled (the
// assignment app typechecks it through the CLI kit it imports).
/// <reference path="../types/asciichart.d.ts" />

import asciichart from 'asciichart';
import { smoothingWindow } from '../analysis/compare.js';
import { formatNumber, normLabel } from '../analysis/format.js';
import { stat, trailingMean } from '../analysis/stats.js';
import type { Summary } from '../analysis/summary.js';
import type { RunResult } from '../analysis/types.js';
import type { Norm } from '../config.js';
import { layersSentence } from '../student/student-layers.js';
import { comparisonTable, renderTextTable, sweepTable } from './tables.js';

const CHART_WIDTH = 70;
const COLORS: Record<Norm, string> = {
  none: asciichart.red,
  batchnorm: asciichart.blue,
  layernorm: asciichart.green,
};

/** Bucket means, so a curve of any length fits `width` columns. */
export function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  return Array.from({ length: width }, (_, i) => {
    const start = Math.floor((i * values.length) / width);
    const end = Math.floor(((i + 1) * values.length) / width);
    return stat(values.slice(start, end)).mean!;
  });
}

/** Mean over seeds of each norm's smoothed loss, on the iterations every finished run reached. */
function meanLossCurves(
  runs: readonly RunResult[],
  norms: readonly Norm[],
): { norm: Norm; curve: number[] }[] {
  const window = smoothingWindow(runs);
  return norms.flatMap((norm) => {
    const mine = runs.filter((run) => run.norm === norm && run.status === 'completed');
    if (mine.length === 0) return [];
    const curves = mine.map((run) => trailingMean(run.lossHistory, window));
    const length = Math.min(...curves.map((curve) => curve.length));
    const mean = Array.from({ length }, (_, i) => stat(curves.map((curve) => curve[i])).mean!);
    return [{ norm, curve: downsample(mean, CHART_WIDTH) }];
  });
}

function chart(series: { norm: Norm; curve: number[] }[], color: boolean, title: string): string[] {
  const drawn = series.filter((entry) => entry.curve.length > 0);
  if (drawn.length === 0) return [];
  const all = drawn.flatMap((entry) => entry.curve);
  const base = {
    min: Math.min(...all),
    max: Math.max(...all),
    format: (value: number) => formatNumber(value, 3).padStart(8),
  };
  if (color) {
    const plot = asciichart.plot(
      drawn.map((entry) => entry.curve),
      { ...base, height: 12, colors: drawn.map((entry) => COLORS[entry.norm]) },
    );
    const legend = drawn
      .map((entry) => `${COLORS[entry.norm]}──${asciichart.reset} ${normLabel(entry.norm)}`)
      .join('   ');
    return ['', title, plot, `         ${legend}`];
  }
  // Without color the lines could not be told apart: one small chart per normalization, same y range.
  return [
    '',
    title,
    ...drawn.flatMap((entry) => [
      `  ${normLabel(entry.norm)}:`,
      asciichart.plot(entry.curve, { ...base, height: 7 }),
    ]),
  ];
}

export function renderTerminal(summary: Summary, { color }: { color: boolean }): string {
  const lines: string[] = [];
  if (!summary.complete) {
    lines.push(`INCOMPLETE: interrupted after ${summary.runs.length} of ${summary.plannedRuns} runs.`);
  }
  if (summary.comparison) {
    lines.push('', renderTextTable(comparisonTable(summary.comparison)));
    const curves = meanLossCurves(summary.runs, summary.norms);
    const iterations = summary.runs[0]?.numIterations ?? 0;
    lines.push(
      ...chart(curves, color, `Training loss (mean over seeds, smoothed), iterations 0..${iterations}:`),
    );
  } else if (summary.sweep) {
    const sweep = summary.sweep;
    lines.push('', renderTextTable(sweepTable(sweep)));
    const series = summary.norms.flatMap((norm) => {
      const points = sweep.points.filter((point) => point.norm === norm && point.bestValAcc.mean !== null);
      return points.length ? [{ norm, curve: points.map((point) => point.bestValAcc.mean!) }] : [];
    });
    const values = sweep.points.map((point) => point.value);
    const span = values.length
      ? `${formatNumber(Math.min(...values))} .. ${formatNumber(Math.max(...values))}`
      : '';
    lines.push(
      ...chart(series, color, `Best validation accuracy vs ${sweep.label} (${span}, one column per point):`),
    );
  }
  if (summary.conclusion.length) lines.push('', ...summary.conclusion.map((sentence) => `• ${sentence}`));
  lines.push('', layersSentence(summary.layers));
  return lines.join('\n');
}
