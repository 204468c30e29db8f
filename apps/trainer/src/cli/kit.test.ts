/**
 * The CLI kit on a toy program with a subcommand: dispatch, --help, every kind of usage error (one line,
 * exit 2), value parsing, and the exit code of a failure. The app's own commands: commands/commands.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { OutputError } from '../errors.js';
import { runCaptured } from '../testing/cli.js';
import type { Command, Program } from './command.js';
import { renderTable } from './table.js';
import { integer, oneOf } from './values.js';

const calls: unknown[] = [];
const show: Command = {
  name: 'show',
  brief: 'shows a file',
  summary: 'Shows a file.',
  positionals: { min: 1, max: 2, usage: '<file> [<file>]' },
  flags: [
    {
      name: 'rows',
      type: 'string',
      value: '<n>',
      description: 'rows shown',
      default: '10',
      parse: integer(1),
    },
    { name: 'colour', type: 'boolean', description: 'in colour', negatable: true, group: 'Look' },
    { name: 'tag', type: 'string', value: '<t>', description: 'tags', multiple: true, group: 'Look' },
  ],
  run(input) {
    calls.push(input);
    if (input.positionals[0] === 'full.txt') throw new OutputError('full.txt: no space left');
    return 0;
  },
};
const toy: Program = {
  name: 'toy',
  invocation: 'pnpm toy',
  root: {
    name: 'toy',
    summary: 'A toy.',
    flags: [{ name: 'mode', type: 'string', value: '<m>', description: 'mode', parse: oneOf(['a', 'b']) }],
    subcommands: [show],
    footer: ['Exit codes: 0 done, 2 usage error.'],
    run: (input) => {
      calls.push(input);
      return 3;
    },
  },
};

describe('CLI kit', () => {
  it('runs the root or a subcommand with parsed values, returning its exit code', async () => {
    calls.length = 0;
    expect((await runCaptured(toy, ['--mode', 'b'])).code).toBe(3);
    expect(
      await runCaptured(toy, ['show', 'a.txt', '--rows=5', '--no-colour', '--tag', 'x', '--tag', 'y']),
    ).toEqual({
      code: 0,
      out: [],
      err: [],
    });
    expect(calls).toEqual([
      { values: { mode: 'b' }, positionals: [] },
      { values: { rows: 5, colour: false, tag: ['x', 'y'] }, positionals: ['a.txt'] },
    ]);
  });

  it('renders --help (or -h, anywhere) from the declarations, flags grouped, subcommands listed', async () => {
    const root = await runCaptured(toy, ['--mode', 'a', '-h']);
    expect(root.code).toBe(0);
    expect(root.out.join('\n')).toBe(
      [
        'Usage: pnpm toy <command> [options]',
        '',
        'A toy.',
        '',
        'Options:',
        '  --mode <m>  mode',
        '  --help      this text',
        '',
        'Commands:',
        '  show  shows a file',
        '',
        'Run `pnpm toy <command> --help` for its options.',
        '',
        'Exit codes: 0 done, 2 usage error.',
      ].join('\n'),
    );
    const sub = (await runCaptured(toy, ['show', '--help'])).out.join('\n');
    expect(sub).toContain('Usage: pnpm toy show <file> [<file>] [options]');
    expect(sub).toContain('  --rows <n>  rows shown [default: 10]\n\nLook:\n  --colour    in colour');
  });

  it.each([
    [['--nope'], 'toy: unknown option --nope (see pnpm toy --help)'],
    [['--mod', 'a'], 'toy: unknown option --mod (did you mean --mode?) (see pnpm toy --help)'],
    [
      ['show', 'a', '--Rows', '2'],
      'toy: show: unknown option --Rows (did you mean --rows?) (see pnpm toy show --help)',
    ],
    [['--mode'], 'toy: --mode needs a value (see pnpm toy --help)'],
    [['--mode', 'a', '--mode', 'b'], 'toy: --mode given twice (see pnpm toy --help)'],
    [['--mode', 'c'], 'toy: --mode: expected one of a|b, got "c"'],
    [['show', 'a', '--rows', '0'], 'toy: show: --rows: expected an integer >= 1, got "0"'],
    [['show', 'a', '--colour=yes'], 'toy: show: --colour takes no value (see pnpm toy show --help)'],
    [['show'], 'toy: show: expected <file> [<file>], got 0 argument(s)'],
    [['sho'], 'toy: unexpected argument "sho" (options start with --; commands: show) (see pnpm toy --help)'],
  ])('%j: one line on stderr, exit 2', async (argv, line) => {
    expect(await runCaptured(toy, argv)).toEqual({ code: 2, out: [], err: [line] });
  });

  it('a failure of the command is one line with exit 1; control characters are escaped', async () => {
    expect(await runCaptured(toy, ['show', 'full.txt'])).toEqual({
      code: 1,
      out: [],
      err: ['toy: full.txt: no space left'],
    });
    const crash: Program = {
      ...toy,
      root: {
        ...toy.root,
        subcommands: [],
        run: () => {
          throw new TypeError('bad \u001b[31m');
        },
      },
    };
    const { code, err } = await runCaptured(crash, []);
    expect(code).toBe(1);
    expect(err).toEqual([
      'toy: internal error (a bug, please report it): TypeError: bad \\u001b[31m (BACKPROP_LAB_DEBUG=1 shows the stack)',
    ]);
  });

  it('a command that only groups others shows its help as a usage error when bare', async () => {
    const group: Program = { ...toy, root: { ...toy.root, run: undefined } };
    const bare = await runCaptured(group, []);
    expect(bare.code).toBe(2);
    expect(bare.err.join('\n')).toMatch(/^Usage: pnpm toy <command> \[options\]/);
    expect((await runCaptured(group, ['help'])).code).toBe(0);
    expect(await runCaptured(group, ['frob'])).toEqual({
      code: 2,
      out: [],
      err: ['toy: unknown command "frob" (commands: show)'],
    });
    expect((await runCaptured(group, ['sho'])).err).toEqual([
      'toy: unknown command "sho" (did you mean show? commands: show)',
    ]);
  });
});

describe('renderTable', () => {
  it('pads by code points, aligns per column, draws a rule under a header and trims line ends', () => {
    expect(
      renderTable(
        [
          ['loss ≤ 1', '2.5×', ''],
          ['b', '10', 'x'],
        ],
        { header: ['', 'value', 'note'], align: ['left', 'right'] },
      ),
    ).toEqual(['          value  note', '────────  ─────  ────', 'loss ≤ 1   2.5×', 'b            10  x']);
    expect(renderTable([['1', 'a']], { indent: 2, gap: 1, minWidths: [3], align: ['right'] })).toEqual([
      '    1 a',
    ]);
  });
});
