/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, no URLs) that opens offline.
 */

import { formatFixed, formatNumber, normLabel } from '../analysis/format.js';
import type { Summary } from '../analysis/summary.js';
import type { TrainConfig } from '../config.js';
import { OPTIONS, showValue } from '../options/table.js';
import { layersSentence } from '../student/student-layers.js';
import { type Chart, compareCharts, sweepCharts } from './charts.js';
import { diagnosticCharts } from './diagnostic-charts.js';
import { renderSvg } from './svg.js';
import { comparisonTable, runTable, sweepTable, type TextTable } from './tables.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `
body { font-family: 'DejaVu Sans', Arial, sans-serif; margin: 2rem auto; max-width: 980px; color: #222; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: right; }
th:first-child, td:first-child, table.config td { text-align: left; }
th { background: #f3f3f3; }
.banner { background: #fff3cd; border: 1px solid #e0b100; padding: 0.75rem 1rem; font-weight: bold; }
.conclusion li { margin: 0.3rem 0; }
figure.chart { margin: 1rem 0 1.5rem; } figcaption { font-size: 0.85rem; color: #555; }
.diverged { color: #b00; }
`;

function htmlTable(table: TextTable, className = ''): string {
  const head = `<tr>${table.header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr>`;
  const body = table.rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table class="${className}">\n${head}\n${body}\n</table>`;
}

function configTable(summary: Summary): string {
  const config = summary.config as Partial<Record<keyof TrainConfig, unknown>>;
  const rows = OPTIONS.filter((spec) => config[spec.key] !== undefined).map((spec) => [
    `--${spec.name}`,
    showValue(spec, config[spec.key] as TrainConfig[keyof TrainConfig]),
  ]);
  return htmlTable({ header: ['option', 'value'], rows }, 'config');
}

export async function renderReport(summary: Summary): Promise<string> {
  const charts =
    summary.experiment === 'compare'
      ? compareCharts(summary.runs, summary.norms)
      : summary.sweep
        ? sweepCharts(summary.sweep, summary.runs, summary.norms)
        : [];
  const figures = await renderFigures(charts);
  const diagnostics =
    summary.experiment === 'compare'
      ? await renderFigures(diagnosticCharts(summary.runs, summary.norms))
      : [];
  const title = `backprop-lab: ${summary.experiment} (${summary.norms.map(normLabel).join(' vs ')})`;
  const banner = summary.complete
    ? ''
    : `<p class="banner" data-incomplete="true">Incomplete: interrupted after ${summary.runs.length} of ${summary.plannedRuns} runs. ` +
      `Missing: ${escapeHtml(summary.missingRuns.join(', ') || 'none')}.</p>`;
  const data = summary.data;
  const dataLine =
    `Training rows ${data.train.rows} (${escapeHtml(data.train.path)}), validation rows ${data.val.rows}` +
    `${data.test ? `, test rows ${data.test.rows}` : ''}; ${data.train.features} features, ${data.numClasses} classes. ` +
    `Preprocessing: ${escapeHtml(data.preprocessing)}.`;
  const table =
    summary.comparison !== null
      ? `<h2>Comparison</h2>\n${thresholdLine(summary)}\n${htmlTable(comparisonTable(summary.comparison), 'comparison')}`
      : summary.sweep !== null
        ? `<h2>Sweep: ${escapeHtml(summary.sweep.label)}</h2>\n${htmlTable(sweepTable(summary.sweep), 'sweep')}`
        : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body data-complete="${summary.complete}">
<h1>${escapeHtml(title)}</h1>
${banner}
<p>Started ${escapeHtml(summary.meta.startedAt)}, ${formatFixed(summary.meta.wallTimeMs / 1000, 1)} s on ${summary.meta.workers} worker(s), ${escapeHtml(summary.meta.backend)} kernels. ${dataLine}</p>
<p class="layers">${escapeHtml(layersSentence(summary.layers))}</p>
<h2>Conclusion</h2>
<ul class="conclusion">
${summary.conclusion.map((sentence) => `<li>${escapeHtml(sentence)}</li>`).join('\n')}
</ul>
${table}
<h2>Charts</h2>
${figures.join('\n')}
${diagnostics.length ? `<h2>Diagnostics</h2>\n${diagnosticsIntro(summary)}\n${diagnostics.join('\n')}` : ''}
<h2>Runs</h2>
${htmlTable(runTable(summary.runs), 'runs')}
<h2>Configuration</h2>
${configTable(summary)}
<p>Full histories: summary.json and metrics.csv beside this file (schema: docs/report-schema.md).</p>
</body>
</html>
`;
}

async function renderFigures(charts: readonly Chart[]): Promise<string[]> {
  const figures: string[] = [];
  for (const chart of charts) {
    const svg = await renderSvg(chart.spec);
    figures.push(
      `<figure class="chart" data-chart="${chart.id}" data-series="${chart.series}">\n<h3>${escapeHtml(chart.title)}</h3>\n${svg}\n` +
        `<figcaption>${escapeHtml(chart.caption)}</figcaption>\n</figure>`,
    );
  }
  return figures;
}

function diagnosticsIntro(summary: Summary): string {
  return (
    `<p>What a careful practitioner looks at while a net trains, sampled every ${summary.config.statsEvery} iterations ` +
    '(and at the last) on that iteration’s training minibatch. Every panel is one normalization; colours ramp with the layer.</p>'
  );
}

function thresholdLine(summary: Summary): string {
  const comparison = summary.comparison!;
  const describe = (threshold: { value: number; source: string } | null, what: string) =>
    threshold
      ? `${what} ${formatNumber(threshold.value)} (${threshold.source === 'auto' ? 'chosen from the runs' : 'from the flag'})`
      : `${what}: none`;
  return (
    `<p>Thresholds: ${describe(comparison.lossThreshold, 'training loss')}, smoothed over ${comparison.smoothingWindow} iterations; ` +
    `${describe(comparison.valThreshold, 'validation accuracy')}. Speedups are ${normLabel(comparison.baseline)}'s iterations ÷ the variant's, ` +
    'paired by seed. Values are mean ± sample std over seeds.</p>'
  );
}
