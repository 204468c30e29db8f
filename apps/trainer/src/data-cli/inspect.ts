/** `data inspect`: rows, columns, class counts, value statistics, and optionally a contact sheet PNG. */
import {
  contactSheet,
  type DatasetSummary,
  imageLayout,
  readCsvDataset,
  summarizeDataset,
  type ValueStats,
  writeFileAtomic,
} from '@backprop-lab/data';
import { CliUsageError, type CommandSpec, type OptionValues } from './args.js';
import { shortPath } from './generate.js';
import type { CliIo } from './io.js';

export const inspectSpec: CommandSpec = {
  name: 'inspect',
  brief: 'Rows, class counts, pixel statistics and a contact sheet of a CSV',
  summary:
    'Prints what a dataset CSV holds: rows, feature columns, rows per class, value statistics (per colour channel\n' +
    'for 3072-column CIFAR-like rows), and draws a contact sheet of a few samples per class.',
  positionals: '<file.csv>',
  minPositionals: 1,
  maxPositionals: 1,
  options: [
    { name: 'json', kind: 'boolean', description: 'print the figures as one JSON object' },
    {
      name: 'sheet',
      kind: 'string',
      value: '<out.png>',
      description: 'write a contact sheet PNG (one row per class)',
    },
    {
      name: 'per-class',
      kind: 'integer',
      value: '<N>',
      min: 1,
      description: 'samples per class on the sheet [default: 8]',
    },
    {
      name: 'label-column',
      kind: 'string',
      value: '<name>',
      description: 'name of the label column [default: label]',
    },
  ],
};

export interface InspectResult {
  file: string;
  summary: DatasetSummary;
  sheet?: string;
}

export async function inspectFile(file: string, values: OptionValues): Promise<InspectResult> {
  const labelColumn = (values['label-column'] as string | undefined) ?? 'label';
  const data = await readCsvDataset(file, { labelColumn });
  const summary = summarizeDataset(data);
  const sheet = values.sheet as string | undefined;
  if (sheet !== undefined) {
    if (!imageLayout(summary.features)) {
      throw new CliUsageError(
        `inspect: --sheet needs 3072 columns or a square number of them; ${file} has ${summary.features}`,
      );
    }
    const png = contactSheet(data, { perClass: (values['per-class'] as number | undefined) ?? 8 });
    await writeFileAtomic(sheet, png);
  }
  return { file, summary, ...(sheet ? { sheet } : {}) };
}

export async function runInspect(values: OptionValues, positionals: string[], io: CliIo): Promise<void> {
  const result = await inspectFile(positionals[0], values);
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else for (const line of formatInspect(result)) io.out(line);
}

function stats(s: ValueStats): string {
  const show = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
  return `min ${show(s.min)}  max ${show(s.max)}  mean ${show(s.mean)}  std ${show(s.std)}`;
}

export function formatInspect({ file, summary, sheet }: InspectResult): string[] {
  const layout = imageLayout(summary.features);
  const shape = layout
    ? ` (${layout.side}×${layout.side} ${layout.channels === 3 ? 'RGB' : 'grayscale'})`
    : '';
  const nameWidth = Math.max(0, ...(summary.classNames ?? []).map((name) => name.length));
  const lines = [
    `file      ${shortPath(file)}`,
    `rows      ${summary.rows}`,
    `features  ${summary.features}${shape}`,
    `classes   ${summary.numClasses}`,
    ...summary.classCounts.map((count, label) => {
      const name = summary.classNames?.[label] ?? '';
      return `  ${String(label).padStart(3)} ${name.padEnd(nameWidth)} ${String(count).padStart(7)}`;
    }),
    `values    ${stats(summary.values)}`,
    ...(summary.channels ?? []).map((c) => `  ${c.channel.padEnd(6)}  ${stats(c)}`),
  ];
  if (sheet) lines.push(`contact sheet: ${shortPath(sheet)} (one row per class, class 0 at the top)`);
  return lines;
}
