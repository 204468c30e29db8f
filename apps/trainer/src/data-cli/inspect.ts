/**
 * `data inspect`: rows, columns, class counts, value statistics, and a contact sheet PNG (by default
 * `<file>.sheet.png` beside the CSV; `--sheet <png>` elsewhere, `--no-sheet` none).
 */

import { stat } from 'node:fs/promises';
import {
  contactSheet,
  type DatasetSummary,
  imageLayout,
  readCsvDataset,
  summarizeDataset,
  type ValueStats,
} from '@backprop-lab/data';
import { printable, writeFileAtomic } from '@backprop-lab/fs-atomic';
import type { CliIo, Command, ParsedInput } from '../cli/command.js';
import { renderTable } from '../cli/table.js';
import { integer } from '../cli/values.js';
import { OutputError, UsageError } from '../errors.js';
import { shortPath } from './generate.js';

export const inspectCommand: Command = {
  name: 'inspect',
  brief: 'Rows, class counts, pixel statistics and a contact sheet of a CSV',
  summary:
    'Prints what a dataset CSV holds: rows, feature columns, rows per class, value statistics (per colour channel\n' +
    'for 3072-column CIFAR-like rows), and draws a contact sheet of a few samples per class, by default as\n' +
    '<file>.sheet.png beside the CSV (<file> = the path without .csv).',
  positionals: { min: 1, max: 1, usage: '<file.csv>' },
  flags: [
    { name: 'json', type: 'boolean', description: 'print the figures as one JSON object' },
    {
      name: 'sheet',
      type: 'string',
      value: '<out.png>',
      description: 'where to write the contact sheet PNG (one row per class)',
      default: '<file>.sheet.png',
    },
    { name: 'no-sheet', type: 'boolean', description: 'do not draw a contact sheet' },
    {
      name: 'per-class',
      type: 'string',
      value: '<N>',
      description: 'samples per class on the sheet',
      default: '8',
      parse: integer(1),
    },
    {
      name: 'label-column',
      type: 'string',
      value: '<name>',
      description: 'name of the label column',
      default: 'label',
    },
  ],
  run: (input, io) => runInspect(input, io),
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

export async function inspectFile(file: string, values: ParsedInput['values']): Promise<InspectResult> {
  const explicit = values.sheet as string | undefined;
  const perClass = values['per-class'] as number | undefined;
  if (values['no-sheet'] && explicit !== undefined)
    throw new UsageError('inspect: --sheet and --no-sheet contradict each other');
  if (values['no-sheet'] && perClass !== undefined)
    throw new UsageError('inspect: --per-class is for the contact sheet, which --no-sheet turns off');
  const labelColumn = (values['label-column'] as string | undefined) ?? 'label';
  const data = await readCsvDataset(file, { labelColumn });
  const summary = summarizeDataset(data);
  if (values['no-sheet']) return { file, summary, sheet: null };
  if (!imageLayout(summary.features)) {
    // A table that is not an image still gets its figures; only an explicit --sheet is a mistake.
    if (explicit === undefined) return { file, summary, sheet: null };
    throw new UsageError(
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
    throw new OutputError(
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
      throw new UsageError(`${command}: ${flag} ${out} is the input ${input}: it would be overwritten`);
  }
}

async function runInspect({ values, positionals }: ParsedInput, io: CliIo): Promise<undefined> {
  const result = await inspectFile(positionals[0], values);
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else for (const line of formatInspect(result)) io.out(line);
  return undefined;
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
  const lines = [
    `file      ${printable(shortPath(file))}`,
    `rows      ${summary.rows}`,
    `features  ${summary.features}${shape}`,
    `classes   ${summary.numClasses}`,
    ...renderTable(
      summary.classCounts.map((count, label) => [String(label), classNames?.[label] ?? '', String(count)]),
      { align: ['right', 'left', 'right'], indent: 2, gap: 1, minWidths: [3, 0, 7] },
    ),
    `values    ${stats(summary.values)}`,
    ...(summary.channels ?? []).map((c) => `  ${c.channel.padEnd(6)}  ${stats(c)}`),
  ];
  if (sheet)
    lines.push(`contact sheet: ${printable(shortPath(sheet))} (one row per class, class 0 at the top)`);
  else if (!layout) lines.push(`contact sheet: none (${summary.features} columns are not an image)`);
  return lines;
}
