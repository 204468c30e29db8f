// `pnpm assignment` through the trainer's CLI kit, in this process: --help, usage errors (one line, exit
// 2) and a folder that cannot be used (one line, exit 1). Writing a kit is init.test.ts's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';
import { tempDirSync } from '@backprop-lab/test-support';
import { runCaptured } from '@backprop-lab/trainer/testing/cli';
import { describe, expect, it } from 'vitest';
import { assignmentProgram } from './command.js';

describe('pnpm assignment', () => {
  it('--help lists init and grade; init --help its folder, --only and exit codes', async () => {
    const top = await runCaptured(assignmentProgram, ['--help']);
    expect(top.code).toBe(0);
    expect(top.out.join('\n')).toMatch(/^Usage: pnpm assignment <command> \[options\]\n/);
    expect(top.out.join('\n')).toMatch(/Commands:\n {2}init +writes a student's starter kit/);
    expect(top.out.join('\n')).toMatch(/\n {2}grade +grades submissions/);
    const init = await runCaptured(assignmentProgram, ['init', '--help']);
    expect(init.code).toBe(0);
    const help = init.out.join('\n');
    expect(help).toMatch(/^Usage: pnpm assignment init <dir> \[options\]\n/);
    expect(help).toMatch(/--only <exercise,\.\.\.> +only these exercises \[default: all\]/);
    expect(help).toContain('Exit codes: 0 written, 1 the folder cannot be used or written, 2 usage error.');
  });

  const ids = EXERCISES.map((exercise) => exercise.id).join('|');
  it.each([
    [['grad'], 'assignment: unknown command "grad" (did you mean grade? commands: init, grade)'],
    [['ini'], 'assignment: unknown command "ini" (did you mean init? commands: init, grade)'],
    [['init'], 'assignment: init: expected <dir>, got 0 argument(s)'],
    [['init', 'a', 'b'], 'assignment: init: expected <dir>, got 2 argument(s)'],
    [
      ['init', 'a', '--onl', 'affine'],
      'assignment: init: unknown option --onl (did you mean --only?) (see pnpm assignment init --help)',
    ],
    [
      ['init', 'a', '--only', 'batchnorm'],
      `assignment: init: --only: item 1: expected one of ${ids}, got "batchnorm"`,
    ],
  ])('%j is a usage error: one line, exit 2', async (argv, line) => {
    expect(await runCaptured(assignmentProgram, argv)).toEqual({ code: 2, out: [], err: [line] });
  });

  it('bare, it shows its help on stderr with exit 2', async () => {
    const { code, out, err } = await runCaptured(assignmentProgram, []);
    expect({ code, out }).toEqual({ code: 2, out: [] });
    expect(err.join('\n')).toMatch(/^Usage: pnpm assignment <command>/);
  });

  it('a folder that is not empty is one line, exit 1, and left as it was', async () => {
    const dir = join(tempDirSync('assignment-command'), 'kit');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    expect(await runCaptured(assignmentProgram, ['init', dir, '--only', 'affine'])).toEqual({
      code: 1,
      out: [],
      err: [`assignment: init: ${dir} already exists and is not empty`],
    });
  });
});
