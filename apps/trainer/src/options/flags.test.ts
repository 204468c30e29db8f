import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderHelp } from '../cli/help.js';
import { trainCommand, trainProgram } from '../commands/train.js';
import { renderOptionsMarkdown } from './flags.js';
import { optionsTableIn, README_PATH, tableCells } from './readme.js';
import { OPTIONS } from './table.js';

describe('--help and the README table', () => {
  it('--help lists every option with its default', () => {
    const help = renderHelp(trainProgram, trainCommand);
    for (const spec of OPTIONS) {
      const flag = spec.name === 'progress' ? '--no-progress' : `--${spec.name}`;
      const line = help
        .split('\n')
        .find((candidate) => candidate.trimStart().startsWith(`${flag} `) || candidate.trim() === flag);
      expect(line, flag).toBeDefined();
      expect(line, flag).toMatch(/\[default: .+\]$/);
    }
    expect(help).toContain('--seeds <list>');
    expect(help).toContain('[default: 1,2,3 (init-sweep: 1; batch-sweep: 1; lr-sweep: 1)]');
  });

  it('the README holds the table generated from the same option data', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    // On failure: pnpm --filter @backprop-lab/trainer exec tsx src/bin/options-table.ts --write
    const table = optionsTableIn(readme);
    expect(table).not.toBeNull();
    expect(tableCells(table!)).toEqual(tableCells(renderOptionsMarkdown()));
  });
});
