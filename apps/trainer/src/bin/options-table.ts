/**
 * Prints the options table of apps/trainer/README.md from the option declarations; with --write, replaces
 * the table between the README's `<!-- options:start -->` and `<!-- options:end -->` markers.
 * Usage: pnpm --filter @backprop-lab/trainer exec tsx src/bin/options-table.ts [--write]
 */

import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '@backprop-lab/fs-atomic';
import { renderOptionsMarkdown } from '../options/flags.js';
import { README_PATH, replaceOptionsTable } from '../options/readme.js';

if (process.argv.includes('--write')) {
  writeFileAtomicSync(README_PATH, replaceOptionsTable(readFileSync(README_PATH, 'utf8')));
  process.stdout.write(`updated ${README_PATH}\n`);
} else {
  process.stdout.write(`${renderOptionsMarkdown()}\n`);
}
