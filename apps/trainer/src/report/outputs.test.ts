import { describe, expect, it } from 'vitest';
import { summaryToJson } from '../analysis/summary.js';
import { fakeRun } from '../testing/fake-runs.js';
import { fakeSummary } from '../testing/fake-summary.js';
import { renderReport } from './html.js';
import { METRICS_HEADER, metricsCsv } from './metrics-csv.js';
import { comparisonTable, renderTextTable } from './tables.js';
import { downsample, renderTerminal } from './terminal.js';

describe('metrics.csv', () => {
  it('has one row per measurement in long format', () => {
    const run = fakeRun({ norm: 'batchnorm', seed: 2, epochs: 2, iterationsPerEpoch: 5, layers: 2 });
    const lines = metricsCsv([run]).trim().split('\n');
    expect(lines[0]).toBe(METRICS_HEADER);
    const stats = run.layerStats.iterations.length;
    const metric = (line: string) => line.split(',')[3];
    const count = (pattern: RegExp) => lines.slice(1).filter((line) => pattern.test(metric(line))).length;
    expect(count(/^loss$/)).toBe(10);
    expect(count(/^(train|val)_acc$/)).toBe(2 * 3);
    expect(count(/^layer\d_(act_mean|act_std|grad_norm|act_grad_norm|dead_frac)$/)).toBe(2 * 5 * stats);
    // Three weight matrices (2 hidden layers + output), two ratios each.
    expect(count(/^W\d_(grad_ratio|update_ratio_log10)$/)).toBe(3 * 2 * stats);
    // Start, middle and end; 2 layers; activation and gradient; one zero share each.
    expect(count(/^layer\d_(act|act_grad)_hist_zero$/)).toBe(3 * 2 * 2);
    expect(count(/^bn_val_(loss|acc)_(batch|running)_stats$/)).toBe(4 * 3);
    expect(count(/^test_acc_(last_epoch|best_model)$/)).toBe(2);
    expect(lines[1]).toBe(`batchnorm-s2,2,0,loss,${run.lossHistory[0]}`);
    expect(lines).toContain(`batchnorm-s2,2,5,val_acc,${run.valAccHistory[1]}`);
    expect(lines).toContain(`batchnorm-s2,2,5,layer2_act_std,${run.layerStats.layers[1].actStd[1]}`);
    expect(lines).toContain(`batchnorm-s2,2,5,layer2_dead_frac,${run.layerStats.layers[1].deadFraction[1]}`);
    expect(lines).toContain(
      `batchnorm-s2,2,5,W3_update_ratio_log10,${run.layerStats.weights[2].updateRatio[1]}`,
    );
    // Every histogram row's shares and its zero share add up to 1.
    const start = lines.filter((line) => /,layer1_act_hist_/.test(line) && line.split(',')[2] === '0');
    expect(start.reduce((total, line) => total + Number(line.split(',')[4]), 0)).toBeCloseTo(1, 12);
  });
});

describe('summary.json', () => {
  it('stores non-finite numbers as null and round-trips the rest exactly', () => {
    const summary = fakeSummary('lr-sweep');
    const text = summaryToJson(summary);
    expect(text).not.toMatch(/NaN|Infinity/);
    const back = JSON.parse(text);
    const diverged = back.runs.find((run: { status: string }) => run.status === 'diverged');
    expect(diverged.lossHistory.at(-1)).toBeNull();
    expect(back.runs[0].lossHistory).toEqual(summary.runs[0].lossHistory);
  });
});

describe('terminal output', () => {
  it('downsample keeps short curves and averages buckets of long ones', () => {
    expect(downsample([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(downsample([1, 3, 5, 7], 2)).toEqual([2, 6]);
  });

  it('prints the comparison table, a chart per normalization without color, and the conclusion', () => {
    const summary = fakeSummary('compare');
    const text = renderTerminal(summary, { color: false });
    expect(text).toContain(renderTextTable(comparisonTable(summary.comparison!)));
    expect(text).toMatch(/iterations to loss ≤ [\d.]+ +\d+ ± \d+ +\d+ ± \d+/);
    expect(text).toContain('  no norm:');
    expect(text).toContain('  batchnorm:');
    expect(text).toContain('┤');
    expect(text).not.toContain('\u001b[');
    expect(text).toContain(`• ${summary.conclusion[0]}`);
    expect(renderTerminal(summary, { color: true })).toContain('\u001b[34m');
  });

  it('marks an incomplete run and prints a sweep table', () => {
    expect(renderTerminal(fakeSummary('compare', { complete: false }), { color: false })).toMatch(
      /^INCOMPLETE: interrupted after 2 of 6 runs/,
    );
    const sweep = renderTerminal(fakeSummary('init-sweep'), { color: false });
    expect(sweep).toMatch(/norm +weight scale +best val acc/);
    expect(sweep).toContain('Best validation accuracy vs weight scale (1e-4 .. 1');
  });
});

describe('report.html', () => {
  it('is self-contained: inline SVG charts, no scripts, no external URLs', async () => {
    const html = await renderReport(fakeSummary('compare'));
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    // The only http(s) strings allowed are SVG/XML namespaces.
    const urls = [...html.matchAll(/https?:\/\/[^"'\s<>]+/g)].map((match) => match[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    for (const id of [
      'loss',
      'train-acc',
      'val-acc',
      'layer-actStd',
      'layer-actMean',
      'layer-gradNorm',
      'layer-actGradNorm',
    ]) {
      expect(html).toContain(`data-chart="${id}"`);
    }
  });

  it('escapes text from the data and shows the incomplete banner', async () => {
    const summary = fakeSummary('compare', { complete: false });
    summary.data.train.path = '<b>evil</b>.csv';
    const html = await renderReport(summary);
    expect(html).toContain('&#60;b&#62;evil&#60;/b&#62;.csv');
    expect(html).not.toContain('<b>evil</b>');
    expect(html).toContain('data-incomplete="true"');
  });
});
