/**
 * `data inspect`: rows, columns, class counts, value statistics, and a contact sheet PNG (by default
 * `<file>.sheet.png` beside the CSV; `--sheet <png>` elsewhere, `--no-sheet` none).
 */

import { stat } from 'node:fs/promises';
import {
  contactSheet,
  type DatasetSummary,
  imageLayout,
  printable,
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
    'for 3072-column CIFAR-like rows), and draws a contact sheet of a few samples per class, by default as\n' +
    '<file>.sheet.png beside the CSV (<file> = the path without .csv).',
  positionals: '<file.csv>',
  minPositionals: 1,
  maxPositionals: 1,
  options: [
    { name: 'json', kind: 'boolean', description: 'print the figures as one JSON object' },
    {
      name: 'sheet',
      kind: 'string',
      value: '<out.png>',
      description: 'where to write the contact sheet PNG (one row per class) [default: <file>.sheet.png]',
    },
    { name: 'no-sheet', kind: 'boolean', description: 'do not draw a contact sheet' },
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
  /** The contact sheet written, or null: `--no-sheet`, or (by default) columns that are not an image. */
  sheet: string | null;
}

/** `data.csv` → `data.sheet.png`; a name not ending in .csv keeps it whole (`data.txt.sheet.png`). */
export function defaultSheetPath(file: string): string {
  return `${file.replace(/\.csv$/i, '')}.sheet.png`;
}

export async function inspectFile(file: string, values: OptionValues): Promise<InspectResult> {
  const explicit = values.sheet as string | undefined;
  const perClass = values['per-class'] as number | undefined;
  if (values['no-sheet'] && explicit !== undefined)
    throw new CliUsageError('inspect: --sheet and --no-sheet contradict each other');
  if (values['no-sheet'] && perClass !== undefined)
    throw new CliUsageError('inspect: --per-class is for the contact sheet, which --no-sheet turns off');
  const labelColumn = (values['label-column'] as string | undefined) ?? 'label';
  const data = await readCsvDataset(file, { labelColumn });
  const summary = summarizeDataset(data);
  if (values['no-sheet']) return { file, summary, sheet: null };
  if (!imageLayout(summary.features)) {
    // A table that is not an image still gets its figures; only an explicit --sheet is a mistake.
    if (explicit === undefined) return { file, summary, sheet: null };
    throw new CliUsageError(
      `inspect: --sheet needs 3072 columns or a square number of them; ${file} has ${summary.features}`,
    );
  }
  const sheet = explicit ?? defaultSheetPath(file);
  await refuseOverwritingInput('inspect', sheet, [file], '--sheet');
  const png = contactSheet(data, { perClass: perClass ?? 8 });
  try {
    await writeFileAtomic(sheet, png);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      `inspect: cannot write the contact sheet ${sheet} (${code}); choose another path with --sheet <out.png> or skip it with --no-sheet`,
    );
  }
  return { file, summary, sheet };
}

/** `--sheet a.csv` on `a.csv` (or `--out` naming an input) would replace the very file being read. */
export async function refuseOverwritingInput(
  command: string,
  out: string,
  inputs: string[],
  flag: string,
): Promise<void> {
  const target = await stat(out).catch(() => undefined);
  if (!target) return;
  for (const input of inputs) {
    const source = await stat(input).catch(() => undefined);
    if (source && source.ino === target.ino && source.dev === target.dev)
      throw new CliUsageError(`${command}: ${flag} ${out} is the input ${input}: it would be overwritten`);
  }
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
  // The path and the class names come from outside: escaped, as values in error messages are.
  const classNames = summary.classNames?.map(printable);
  const nameWidth = Math.max(0, ...(classNames ?? []).map((name) => name.length));
  const lines = [
    `file      ${printable(shortPath(file))}`,
    `rows      ${summary.rows}`,
    `features  ${summary.features}${shape}`,
    `classes   ${summary.numClasses}`,
    ...summary.classCounts.map((count, label) => {
      const name = classNames?.[label] ?? '';
      return `  ${String(label).padStart(3)} ${name.padEnd(nameWidth)} ${String(count).padStart(7)}`;
    }),
    `values    ${stats(summary.values)}`,
    ...(summary.channels ?? []).map((c) => `  ${c.channel.padEnd(6)}  ${stats(c)}`),
  ];
  if (sheet)
    lines.push(`contact sheet: ${printable(shortPath(sheet))} (one row per class, class 0 at the top)`);
  else if (!layout) lines.push(`contact sheet: none (${summary.features} columns are not an image)`);
  return lines;
}
