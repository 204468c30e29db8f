/** Keeps the README's options table generated from OPTIONS (see src/bin/options-table.ts). */
import { fileURLToPath } from 'node:url';
import { renderOptionsMarkdown } from './flags.js';

export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));
const START = '<!-- options:start -->';
const END = '<!-- options:end -->';

export function optionsTableIn(readme: string): string | null {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return null;
  return readme.slice(start + START.length, end).trim();
}

/** A markdown table as trimmed cells, so column padding (Biome formats markdown) does not matter. */
export function tableCells(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^-+$/, '---')),
    );
}

export function replaceOptionsTable(readme: string): string {
  if (optionsTableIn(readme) === null) throw new Error(`README has no ${START} ... ${END} markers`);
  const start = readme.indexOf(START) + START.length;
  return `${readme.slice(0, start)}\n\n${renderOptionsMarkdown()}\n\n${readme.slice(readme.indexOf(END))}`;
}
