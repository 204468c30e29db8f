/**
 * Vega-Lite → Vega → SVG in Node, with the headless 'none' renderer: no canvas, no browser, no network.
 * Text widths are estimated by Vega without a canvas, which is fine for axis labels.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const CONFIG = {
  font: 'DejaVu Sans, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  view: { stroke: '#bbb' },
};

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const full = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    ...spec,
  } as TopLevelSpec;
  const view = new View(parse(compile(full).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
