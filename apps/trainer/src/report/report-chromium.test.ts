/**
 * Opens report.html in headless Chromium (Debian's /usr/bin/chromium via playwright-core) and checks that
 * every chart holds data (SVG marks with real geometry, as many lines as series) and that the page and
 * each chart are visibly drawn (pixel variance of screenshots). A missing Chromium fails the test.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS, tempDirSync } from '@backprop-lab/test-support';
import { type Browser, chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Experiment } from '../config.js';
import { fakeSummary } from '../testing/fake-summary.js';
import { renderReport } from './html.js';

interface ChartProbe {
  id: string;
  series: number;
  lines: { width: number; height: number; commands: number }[];
  areas: number;
  rules: number;
  texts: number;
}

/** Mean and variance of the luminance of a PNG, and the share of pixels that are not near-white. */
function pixelStats(png: Buffer): { variance: number; inked: number } {
  const image = PNG.sync.read(png);
  const count = image.width * image.height;
  let sum = 0;
  let squares = 0;
  let inked = 0;
  for (let i = 0; i < count; i++) {
    const [r, g, b] = [image.data[4 * i], image.data[4 * i + 1], image.data[4 * i + 2]];
    const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    sum += luminance;
    squares += luminance * luminance;
    if (luminance < 235) inked++;
  }
  const mean = sum / count;
  return { variance: squares / count - mean * mean, inked: inked / count };
}

let browser: Browser;
const dir = tempDirSync('trainer-chromium');

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it with scripts/install-chromium.sh (apt-get install chromium)`,
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
});

async function open(experiment: Experiment, complete = true) {
  const file = join(dir, `${experiment}-${complete}.html`);
  writeFileSync(file, await renderReport(fakeSummary(experiment, { complete })));
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const failed: string[] = [];
  // Offline means offline: any request other than the file itself fails the test.
  page.on('request', (request) => {
    if (request.url() !== pathToFileURL(file).href) failed.push(request.url());
  });
  await page.goto(pathToFileURL(file).href);
  const charts: ChartProbe[] = await page.$$eval('figure.chart', (figures) =>
    figures.map((figure) => ({
      id: figure.getAttribute('data-chart') ?? '',
      series: Number(figure.getAttribute('data-series')),
      lines: [...figure.querySelectorAll('g.mark-line path')].map((path) => {
        // getBBox is SVG's; the app's typings carry no DOM lib, so it is typed structurally.
        const box = (path as unknown as { getBBox(): { width: number; height: number } }).getBBox();
        return {
          width: box.width,
          height: box.height,
          commands: (path.getAttribute('d') ?? '').match(/[LC]/g)?.length ?? 0,
        };
      }),
      areas: figure.querySelectorAll('g.mark-area path').length,
      rules: figure.querySelectorAll('g.mark-rule line').length,
      texts: figure.querySelectorAll('text').length,
    })),
  );
  return { page, charts, failed };
}

describe('report.html in headless Chromium', () => {
  it('compare: every chart draws one line per series with real extent, and the page is not blank', async () => {
    const { page, charts, failed } = await open('compare');
    expect(charts.map((chart) => chart.id)).toEqual([
      'loss',
      'train-acc',
      'val-acc',
      'layer-actStd',
      'layer-actMean',
      'layer-gradNorm',
      'layer-actGradNorm',
      'hist-activation',
      'hist-gradient',
      'dead-units',
      'update-ratio',
      'grad-ratio',
      'bn-gap',
    ]);
    const counts = Object.fromEntries(charts.map((chart) => [chart.id, chart.lines.length]));
    // 2 normalizations; the per-layer charts draw 3 layers × 2 normalizations, the histograms that at
    // 3 stages, the per-weight charts 4 weight matrices × 2; the batchnorm gap 2 metrics × 2 statistics.
    expect(counts).toEqual({
      loss: 2,
      'train-acc': 2,
      'val-acc': 2,
      'layer-actStd': 6,
      'layer-actMean': 6,
      'layer-gradNorm': 6,
      'layer-actGradNorm': 6,
      'hist-activation': 18,
      'hist-gradient': 18,
      'dead-units': 6,
      'update-ratio': 8,
      'grad-ratio': 8,
      'bn-gap': 4,
    });
    for (const chart of charts) {
      expect(chart.lines.length, chart.id).toBe(chart.series);
      expect(chart.texts, `${chart.id} axis labels`).toBeGreaterThan(5);
      for (const line of chart.lines) {
        expect(line.width, `${chart.id} line width`).toBeGreaterThan(100);
        expect(line.commands, `${chart.id} line segments`).toBeGreaterThanOrEqual(3);
      }
    }
    expect(charts.find((chart) => chart.id === 'loss')?.areas).toBe(2);
    // The loss curves fall: the lines span a good part of the plot's height.
    expect(Math.max(...charts[0].lines.map((line) => line.height))).toBeGreaterThan(50);
    const page_ = pixelStats(await page.screenshot({ fullPage: true }));
    expect(page_.variance).toBeGreaterThan(200);
    expect(page_.inked).toBeGreaterThan(0.02);
    // The update:data chart draws its −3 reference line in each normalization's panel.
    expect(charts.find((chart) => chart.id === 'update-ratio')?.rules).toBeGreaterThanOrEqual(2);
    for (const id of ['loss', 'layer-actStd', 'hist-activation', 'update-ratio', 'bn-gap']) {
      const chart = pixelStats(await page.locator(`figure[data-chart="${id}"] svg`).screenshot());
      expect(chart.variance, id).toBeGreaterThan(200);
      expect(chart.inked, id).toBeGreaterThan(0.01);
    }
    expect(failed).toEqual([]);
    await page.close();
  });

  it('init-sweep: the three sweep plots draw a line per normalization on a log axis', async () => {
    const { page, charts, failed } = await open('init-sweep');
    expect(charts.map((chart) => [chart.id, chart.lines.length])).toEqual([
      ['sweep-best-val', 2],
      ['sweep-best-train', 2],
      ['sweep-final-loss', 2],
    ]);
    for (const chart of charts) for (const line of chart.lines) expect(line.width).toBeGreaterThan(300);
    // Log axis ticks: 0.0001 .. 1 appear as labels.
    const labels = await page.$$eval('figure[data-chart="sweep-best-val"] text', (texts) =>
      texts.map((text) => text.textContent),
    );
    expect(labels).toEqual(expect.arrayContaining(['0.0001', '1']));
    expect(pixelStats(await page.screenshot({ fullPage: true })).variance).toBeGreaterThan(200);
    expect(failed).toEqual([]);
    await page.close();
  });

  it('batch-sweep: accuracy per epoch by batch size, 3 normalizations × 3 batch sizes', async () => {
    const { page, charts } = await open('batch-sweep');
    const counts = Object.fromEntries(charts.map((chart) => [chart.id, chart.lines.length]));
    expect(counts).toMatchObject({ 'sweep-best-val': 3, 'batch-train-acc': 9, 'batch-val-acc': 9 });
    // Batch sizes listed as numbers (5, 10, 50), not as text (10, 5, 50).
    const legend = await page.$$eval('figure[data-chart="batch-val-acc"] .role-legend-label text', (texts) =>
      texts.map((text) => text.textContent),
    );
    expect(legend).toEqual(['5', '10', '50']);
    await page.close();
  });

  it('an incomplete report shows its banner', async () => {
    const { page } = await open('compare', false);
    await expect(page.locator('.banner').textContent()).resolves.toMatch(
      /^Incomplete: interrupted after 2 of 6 runs/,
    );
    await page.close();
  });
});
