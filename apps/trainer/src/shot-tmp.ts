import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { renderReport } from './report/html.js';
const [dir, outPrefix] = process.argv.slice(2);
const summary = JSON.parse(readFileSync(`${dir}/summary.json`, 'utf8'));
const html = await renderReport(summary);
writeFileSync(`${outPrefix}.html`, html);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
await page.goto(`file://${outPrefix}.html`);
for (const id of await page.$$eval('figure.chart', (f) => f.map((x) => x.getAttribute('data-chart')))) {
  await page.locator(`figure[data-chart="${id}"]`).screenshot({ path: `${outPrefix}-${id}.png` });
}
await page.locator('ul.conclusion').screenshot({ path: `${outPrefix}-conclusion.png` });
await browser.close();
console.log('ok');
