// Inputs a hostile or careless user gives `data inspect`: each must end in one escaped line on stderr,
// exit 1 (2 for a usage mistake), and leave no file written or overwritten.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './cli-testing.js';

describe('data CLI: hostile inputs end in one line, exit 1, and no file written', () => {
  const LONG = 17 * 1024 * 1024; // past the 16 MiB limit of one line
  const cases: [string, string | Buffer, RegExp][] = [
    ['empty.csv', '', /empty\.csv, line 1, column 1: the file is empty/],
    ['header-only.csv', 'label,a,b\n', /line 2, column 1: the header has no data rows/],
    ['nul.csv', Buffer.from('label,a\n0,\u0000\n'), /nul\.csv: not a text CSV: NUL byte at byte offset 10$/],
    [
      'gzip.csv',
      Buffer.from([0x1f, 0x8b, 8, 0, 0x41, 0x0a, 0x42]),
      /not a text CSV: NUL byte at byte offset 3$/,
    ],
    [
      'latin1.csv',
      Buffer.from([0x6c, 0xe9, 0x2c, 0x61, 0x0a]),
      /not a text CSV: invalid UTF-8 at byte offset 1$/,
    ],
    ['long-header.csv', `label,${'a'.repeat(LONG)}`, /the header line is longer than 16777216 bytes/],
    [
      'long-row.csv',
      `label,a\n0,${'1'.repeat(LONG)}\n`,
      /line 2, .*the row is longer than 16777216 characters/,
    ],
    ['dup.csv', 'label,a,a\n0,1,2\n', /column 3: duplicate column name "a" \(also column 2\)/],
    ['text.csv', 'label,a\n0,abc\n', /line 2, column 2 \(a\): "abc" is not a number/],
    ['huge.csv', 'label,a\n0,1e309\n', /"1e309" is not a number/],
    ['nan.csv', 'label,a\n0,NaN\n', /"NaN" is not a number/],
    ['negative.csv', 'label,a\n-1,1\n', /label -1 is out of range: labels must be >= 0/],
    ['fraction.csv', 'label,a\n0.5,1\n', /label "0.5" is not an integer/],
    ['wide.csv', 'label,a\n0,1,2\n', /line 2, column 3: the row has 3 fields but the header has 2/],
    ['escape.csv', 'lab\u001b[2Jel,a\n0,1\n', /columns: "lab\\u001b\[2Jel","a"\)$/],
    ['c1.csv', 'label,\u009b31m\n0,x\n', /column 2 \(\\u009b31m\): "x" is not a number$/],
  ];
  it.each(cases)('%s', async (name, contents, message) => {
    const dir = await tempDir('hostile');
    await writeFile(join(dir, name), contents);
    const { code, out, err } = await cli('inspect', join(dir, name));
    expect([code, out, err.length]).toEqual([1, [], 1]);
    expect(err[0]).toMatch(message);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters
    expect(err[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(await readdir(dir)).toEqual([name]);
  });

  it('a folder, a FIFO, a symlink loop, a folder as class-names sidecar: one line each, no hang', async () => {
    const dir = await tempDir('hostile-kinds');
    const fifo = join(dir, 'fifo.csv');
    execFileSync('mkfifo', [fifo]);
    await mkdir(join(dir, 'folder.csv'));
    await symlink(join(dir, 'loop-b.csv'), join(dir, 'loop-a.csv'));
    await symlink(join(dir, 'loop-a.csv'), join(dir, 'loop-b.csv'));
    await writeFile(join(dir, 'named.csv'), 'label,a\n0,1\n');
    await mkdir(join(dir, 'named.classes.txt'));
    const expected: [string, string][] = [
      [
        'fifo.csv',
        `${fifo}: is a pipe (process substitution or a FIFO), but a data file must be a regular file; save it to a file first`,
      ],
      ['folder.csv', `${join(dir, 'folder.csv')}: is a folder, but a data file must be a regular file`],
      ['loop-a.csv', `${join(dir, 'loop-a.csv')}: too many levels of symbolic links (a symlink loop?)`],
      [
        'named.csv',
        `${join(dir, 'named.classes.txt')}: is a folder, but the class-names file must be a regular file`,
      ],
    ];
    for (const [name, line] of expected) {
      const { code, out, err } = await cli('inspect', join(dir, name));
      expect([code, out, err]).toEqual([1, [], [`data: ${line}`]]);
    }
  });

  it('a BOM and CRLF line ends are fine; names from the file are printed escaped', async () => {
    const dir = await tempDir('hostile-ok');
    const path = join(dir, 'we\u001b[1mird.csv');
    await writeFile(path, '\uFEFFlabel,a\r\n0,1\r\n1,2\r\n');
    await writeFile(join(dir, 'we\u001b[1mird.classes.txt'), 'cat\u001b[31m\ndog\n');
    const { code, out } = await cli('inspect', path, '--no-sheet');
    expect(code).toBe(0);
    expect(out[0]).toBe(`file      ${join(dir, 'we\\u001b[1mird.csv')}`);
    expect(out.filter((line) => /^ +\d /.test(line))).toEqual([
      '    0 cat\\u001b[31m       1',
      '    1 dog                 1',
    ]);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters
    expect(out.join('\n')).not.toMatch(/\u001b/);
  });

  it('refuses --sheet or --out naming the input, which stays as it was', async () => {
    const dir = await tempDir('hostile-self');
    const csv = join(dir, 'square.csv');
    await writeFile(csv, 'label,a,b,c,d\n0,0,1,2,3\n');
    const sheet = await cli('inspect', csv, '--sheet', csv);
    expect([sheet.code, sheet.err]).toEqual([
      2,
      [`data: inspect: --sheet ${csv} is the input ${csv}: it would be overwritten`],
    ]);
    const batch = join(dir, 'test_batch.bin');
    await writeFile(batch, Buffer.alloc(3073));
    const convert = await cli('convert-cifar', batch, '--out', batch);
    expect(convert.code).toBe(2);
    expect(await readFile(csv, 'utf8')).toBe('label,a,b,c,d\n0,0,1,2,3\n');
    expect((await readFile(batch)).length).toBe(3073);
  });
});
