/**
 * Vega-Lite specs for the report's charts. Data is inlined (no URLs), so the rendered SVGs need nothing
 * from the network. Each chart says how many series it draws, which the browser test checks.
 */

import type { RunResult, Sweep } from '../analysis/types.js';
import type { Norm } from '../config.js';
import {
  accuracyBySweepValue,
  bandRows,
  type LayerMetric,
  layerRows,
  lossCurve,
  sweepRows,
  trainAccCurve,
  valAccCurve,
} from './chart-data.js';

export interface Chart {
  id: string;
  title: string;
  caption: string;
  /** Lines (or point series) the chart draws: one per normalization, or per layer × normalization. */
  series: number;
  spec: Record<string, unknown>;
}

const WIDTH = 560;
const HEIGHT = 260;
const NORM_COLORS: Record<Norm, string> = { none: '#d62728', batchnorm: '#1f77b4', layernorm: '#2ca02c' };

/** Same color per normalization in every chart; the legend lists only the ones present. */
function color(norms: readonly Norm[]): Record<string, unknown> {
  return {
    field: 'series',
    type: 'nominal',
    title: 'normalization',
    scale: { domain: norms.map(normName), range: norms.map((norm) => NORM_COLORS[norm]) },
  };
}

/** A mean line with a shaded mean ± std band, per normalization. */
function bandChart(
  norms: readonly Norm[],
  rows: unknown[],
  xTitle: string,
  yTitle: string,
  yScale: Record<string, unknown> = {},
) {
  const x = { field: 'x', type: 'quantitative', title: xTitle };
  return {
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'area', opacity: 0.2 },
        encoding: {
          x,
          y: { field: 'lo', type: 'quantitative', title: yTitle, scale: yScale },
          y2: { field: 'hi' },
          color: color(norms),
        },
      },
      {
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', title: yTitle, scale: yScale },
          color: color(norms),
        },
      },
    ],
  };
}

/** When accuracy is measured, in words, for captions. */
export function accuracyTiming(runs: readonly RunResult[]): string {
  const perEpoch = runs[0]?.iterationsPerEpoch ?? 1;
  return `measured after iteration 1 and at the end of each epoch (every ${perEpoch} iterations)`;
}

export function compareCharts(runs: readonly RunResult[], norms: readonly Norm[]): Chart[] {
  const present = norms.filter((norm) => runs.some((run) => run.norm === norm));
  const when = accuracyTiming(runs);
  const charts: Chart[] = [
    {
      id: 'loss',
      title: 'Training loss per iteration',
      caption: 'Minibatch loss, mean over seeds with a ± 1 std band.',
      series: present.length,
      spec: bandChart(present, bandRows(runs, present, lossCurve), 'iteration', 'training loss', {
        zero: false,
      }),
    },
    {
      id: 'train-acc',
      title: 'Training accuracy',
      caption: `Accuracy on all training rows in test mode (batchnorm with its running statistics), ${when}; mean over seeds with a ± 1 std band.`,
      series: present.length,
      spec: bandChart(present, bandRows(runs, present, trainAccCurve), 'iteration', 'training accuracy'),
    },
    {
      id: 'val-acc',
      title: 'Validation accuracy',
      caption: `Accuracy on the validation split in test mode, ${when}; mean over seeds with a ± 1 std band.`,
      series: present.length,
      spec: bandChart(present, bandRows(runs, present, valAccCurve), 'iteration', 'validation accuracy'),
    },
  ];
  return [...charts, ...layerCharts(runs, present)];
}

const LAYER_METRICS: { metric: LayerMetric; title: string; caption: string; log: boolean }[] = [
  {
    metric: 'actStd',
    title: 'Hidden activation std per layer',
    caption:
      'Std of each hidden layer’s output (after normalization and ReLU) on the sampled minibatch, mean over seeds.',
    log: true,
  },
  {
    metric: 'actMean',
    title: 'Hidden activation mean per layer',
    caption: 'Mean of each hidden layer’s output (after normalization and ReLU).',
    log: false,
  },
  {
    metric: 'gradNorm',
    title: 'Weight gradient norm ‖dW‖ per layer',
    caption:
      'Frobenius norm of the loss gradient with respect to each hidden layer’s weights, mean over seeds.',
    log: true,
  },
  {
    metric: 'actGradNorm',
    title: 'Upstream gradient norm per layer',
    caption:
      'Norm of the gradient arriving at each hidden layer’s output: how much signal reaches it from the loss.',
    log: true,
  },
];

function layerCharts(runs: readonly RunResult[], norms: readonly Norm[]): Chart[] {
  return LAYER_METRICS.flatMap(({ metric, title, caption, log }) => {
    let rows = layerRows(runs, norms, metric);
    if (log) rows = rows.filter((row) => row.value > 0);
    if (rows.length === 0) return [];
    const combos = new Set(rows.map((row) => `${row.series}/${row.layer}`)).size;
    // Independent y per panel: unnormalized activations are 100× batchnorm's, which a shared axis would flatten.
    const scale = log ? { type: 'log' } : { zero: false };
    return [
      {
        id: `layer-${metric}`,
        title,
        caption,
        series: combos,
        spec: {
          data: { values: rows },
          facet: { column: { field: 'series', type: 'nominal', title: null, sort: norms.map(normName) } },
          resolve: { scale: { y: 'independent' } },
          spec: {
            width: Math.floor(WIDTH / Math.max(1, new Set(rows.map((row) => row.series)).size)) - 20,
            height: 200,
            mark: { type: 'line', strokeWidth: 1.5 },
            encoding: {
              x: { field: 'iteration', type: 'quantitative' },
              y: { field: 'value', type: 'quantitative', title: null, scale },
              color: {
                field: 'layer',
                type: 'ordinal',
                title: 'hidden layer',
                sort: 'ascending',
                scale: { scheme: 'viridis' },
              },
            },
          },
        },
      },
    ];
  });
}

function normName(norm: Norm): string {
  return norm === 'none' ? 'no norm' : norm;
}

/** A metric against the swept value (log x): mean line, ± std error bars, diverged points as crosses. */
function sweepChart(
  norms: readonly Norm[],
  sweep: Sweep,
  metric: 'bestValAcc' | 'bestTrainAcc' | 'finalLoss',
  yTitle: string,
) {
  const rows = sweepRows(sweep, metric);
  const x = { field: 'x', type: 'quantitative', title: sweep.label, scale: { type: 'log' } };
  // Final losses span orders of magnitude when large weights blow up: a log axis keeps the rest readable.
  const yScale = metric === 'finalLoss' ? { type: 'log' } : { zero: false };
  const y = { field: 'mean', type: 'quantitative', title: yTitle, scale: yScale };
  return {
    rows,
    spec: {
      width: WIDTH,
      height: HEIGHT,
      data: { values: rows },
      layer: [
        {
          // A log axis cannot place lo ≤ 0; those bars are left out.
          transform: [{ filter: 'datum.lo > 0' }],
          mark: { type: 'rule' },
          encoding: {
            x,
            y: { field: 'lo', type: 'quantitative', scale: yScale },
            y2: { field: 'hi' },
            color: color(norms),
          },
        },
        { mark: { type: 'line', point: true }, encoding: { x, y, color: color(norms) } },
        {
          transform: [{ filter: 'datum.diverged' }],
          mark: { type: 'point', shape: 'cross', size: 90, filled: true, color: 'black' },
          encoding: { x, y },
        },
      ],
    },
  };
}

export function sweepCharts(sweep: Sweep, runs: readonly RunResult[], norms: readonly Norm[]): Chart[] {
  const present = norms.filter((norm) => sweep.points.some((point) => point.norm === norm));
  const make = (
    id: string,
    metric: 'bestValAcc' | 'bestTrainAcc' | 'finalLoss',
    title: string,
    yTitle: string,
  ): Chart => {
    const { rows, spec } = sweepChart(present, sweep, metric, yTitle);
    return {
      id,
      title: `${title} vs ${sweep.label}`,
      caption: `Mean over seeds (± 1 std bars); × marks a point where a run diverged. Log ${sweep.label} axis.`,
      series: new Set(rows.map((row) => row.series)).size,
      spec,
    };
  };
  const charts = [
    make('sweep-best-val', 'bestValAcc', 'Best validation accuracy', 'best validation accuracy'),
    make('sweep-best-train', 'bestTrainAcc', 'Best training accuracy', 'best training accuracy'),
    make('sweep-final-loss', 'finalLoss', 'Final training loss', 'final loss (last-epoch mean)'),
  ];
  if (sweep.parameter === 'batchSize') {
    for (const which of ['train', 'val'] as const) {
      const rows = accuracyBySweepValue(runs, present, which);
      const batchSizes = [...new Set(rows.map((row) => row.group))].sort((a, b) => a - b);
      charts.push({
        id: `batch-${which}-acc`,
        title: `${which === 'train' ? 'Training' : 'Validation'} accuracy per epoch by batch size`,
        caption: `One line per batch size, one panel per normalization (mean over seeds); accuracy ${accuracyTiming(runs)} of that batch size's run, plotted against epochs.`,
        series: new Set(rows.map((row) => `${row.series}/${row.group}`)).size,
        spec: {
          data: { values: rows },
          facet: { column: { field: 'series', type: 'nominal', title: null, sort: present.map(normName) } },
          spec: {
            width: Math.floor(WIDTH / Math.max(1, present.length)) - 20,
            height: 200,
            mark: { type: 'line', point: true },
            encoding: {
              x: { field: 'x', type: 'quantitative', title: 'epoch' },
              y: { field: 'value', type: 'quantitative', title: `${which} accuracy` },
              // Numeric domain, sorted as numbers: batch 5 before 10 before 50 in the legend and the ramp.
              color: {
                field: 'group',
                type: 'ordinal',
                title: 'batch size',
                sort: batchSizes,
                scale: { domain: batchSizes, scheme: 'viridis' },
              },
            },
          },
        },
      });
    }
  }
  return charts;
}
