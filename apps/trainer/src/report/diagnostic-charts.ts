/**
 * The report's diagnostics section: activation and gradient histograms at the start, middle and end of
 * training, dead units, the update:data ratio with its 1e-3 reference, ‖dW‖/‖W‖ and batchnorm's
 * train/test gap. One panel per normalization side by side; colours ramp with the layer number.
 */

import { normLabel } from '../analysis/format.js';
import type { RunResult } from '../analysis/types.js';
import type { Norm } from '../config.js';
import type { Chart } from './charts.js';
import {
  deadSeries,
  gapRows,
  gradRatioSeries,
  histogramRows,
  type SeriesRow,
  STAGES,
  seriesRows,
  updateRatioSeries,
} from './diagnostic-data.js';

const PANEL_WIDTH = 520;

function panelWidth(norms: readonly Norm[]): number {
  return Math.floor(PANEL_WIDTH / Math.max(1, norms.length)) - 20;
}

function layerColor(title: string) {
  // Numbers on an ordinal scale sort numerically (1, 2, ..., 10), unlike strings.
  return { field: 'layer', type: 'ordinal', title, sort: 'ascending', scale: { scheme: 'viridis' } };
}

function column(norms: readonly Norm[]) {
  return { field: 'series', type: 'nominal', title: null, sort: norms.map(normLabel) };
}

function histogramChart(
  runs: readonly RunResult[],
  norms: readonly Norm[],
  which: 'activation' | 'gradient',
) {
  const rows = histogramRows(runs, norms, which);
  if (rows.length === 0) return [];
  const what =
    which === 'activation'
      ? 'hidden activations (after ReLU)'
      : 'gradients arriving at the hidden activations';
  return [
    {
      id: `hist-${which}`,
      title: `Histograms of the ${what}`,
      caption:
        `Share of the N·H entries of one training minibatch per bin of log10|x| (bins ${0.25} wide), at the first, ` +
        'middle and last iteration (rows), mean over seeds. A log axis because layers differ by orders of magnitude ' +
        'without normalization. Exact zeros (units a ReLU switched off) are not drawn: see the dead-units chart and summary.json.',
      series: new Set(rows.map((row) => `${row.series}/${row.stage}/${row.layer}`)).size,
      spec: {
        data: { values: rows },
        facet: {
          row: { field: 'stage', type: 'nominal', title: null, sort: [...STAGES] },
          column: column(norms),
        },
        spec: {
          width: panelWidth(norms),
          height: 110,
          mark: { type: 'line', strokeWidth: 1.3, interpolate: 'step' },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: `log10 |${which === 'activation' ? 'a' : 'da'}|` },
            y: { field: 'value', type: 'quantitative', title: 'share' },
            color: layerColor('hidden layer'),
          },
        },
      },
    },
  ];
}

function seriesChart(
  id: string,
  title: string,
  caption: string,
  rows: SeriesRow[],
  norms: readonly Norm[],
  options: { legend: string; y: Record<string, unknown>; reference?: number },
): Chart[] {
  if (rows.length === 0) return [];
  const line = {
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'iteration', type: 'quantitative' },
      y: { field: 'value', type: 'quantitative', ...options.y },
      color: layerColor(options.legend),
    },
  };
  const reference =
    options.reference === undefined
      ? []
      : [
          {
            mark: { type: 'rule', strokeDash: [4, 4], color: '#555' },
            encoding: { y: { datum: options.reference } },
          },
        ];
  return [
    {
      id,
      title,
      caption,
      series: new Set(rows.map((row) => `${row.series}/${row.layer}`)).size,
      spec: {
        data: { values: rows },
        facet: { column: column(norms) },
        spec: { width: panelWidth(norms), height: 200, layer: [line, ...reference] },
      },
    },
  ];
}

export function diagnosticCharts(runs: readonly RunResult[], norms: readonly Norm[]): Chart[] {
  const present = norms.filter((norm) => runs.some((run) => run.norm === norm));
  return [
    ...histogramChart(runs, present, 'activation'),
    ...histogramChart(runs, present, 'gradient'),
    ...seriesChart(
      'dead-units',
      'Dead units per hidden layer',
      'Share of each hidden layer’s units whose ReLU output is 0 for every row of the sampled minibatch, mean over seeds.',
      seriesRows(runs, present, deadSeries),
      present,
      { legend: 'hidden layer', y: { title: 'dead share', scale: { domain: [0, 1] } } },
    ),
    ...seriesChart(
      'update-ratio',
      'Update:data ratio per weight matrix',
      'log10(‖ΔW‖ / ‖W‖), ΔW the step the optimizer took at the sampled iteration (learning rate included). ' +
        'The dashed line is −3 (updates a thousandth of the weights), the usual healthy level; far below, a layer ' +
        'barely learns; far above, it is thrashed. Colour: weight matrix W1…WL (WL the output layer).',
      seriesRows(runs, present, updateRatioSeries),
      present,
      { legend: 'weight matrix', y: { title: 'log10 update:data', scale: { zero: false } }, reference: -3 },
    ),
    ...seriesChart(
      'grad-ratio',
      'Weight gradient norm relative to the weights',
      '‖dW‖ / ‖W‖ per weight matrix at the sampled iteration (before its update), log axis, mean over seeds.',
      seriesRows(runs, present, gradRatioSeries).filter((row) => row.value > 0),
      present,
      { legend: 'weight matrix', y: { title: '‖dW‖ / ‖W‖', scale: { type: 'log' } } },
    ),
    ...gapChart(runs),
  ];
}

function gapChart(runs: readonly RunResult[]): Chart[] {
  const rows = gapRows(runs);
  if (rows.length === 0) return [];
  const gap = runs.find((run) => run.bnGap !== null)!.bnGap!;
  return [
    {
      id: 'bn-gap',
      title: 'Batchnorm: batch statistics vs running statistics',
      caption:
        `The same weights scored on the first ${gap.rows} validation rows in minibatches of ${gap.batchSize}: each batch ` +
        'normalized by its own mean and variance (batch statistics, train mode, as in training) or by the running averages (test mode, as every accuracy ' +
        'in this report). Measured after the first iteration and at each epoch end; mean over seeds; softmax loss without regularization.',
      series: new Set(rows.map((row) => `${row.metric}/${row.statistics}`)).size,
      spec: {
        data: { values: rows },
        // Side by side rather than faceted: the loss needs a log axis (running averages of one step can
        // give a loss of 50, which would flatten the rest), the accuracy a linear one.
        hconcat: (['validation accuracy', 'validation loss'] as const).map((metric) => ({
          transform: [{ filter: { field: 'metric', equal: metric } }],
          width: 250,
          height: 200,
          mark: { type: 'line', point: true, strokeWidth: 1.5 },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: 'iteration' },
            y: {
              field: 'value',
              type: 'quantitative',
              title: metric,
              scale: metric === 'validation loss' ? { type: 'log' } : { zero: false },
            },
            color: { field: 'statistics', type: 'nominal', title: 'normalized by' },
          },
        })),
      },
    },
  ];
}
