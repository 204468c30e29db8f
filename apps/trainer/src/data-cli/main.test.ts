import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIGITS_CSV } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './cli-testing.js';

describe('data CLI: usage', () => {
  it('prints help with exit 0, and usage on stderr with exit 2 when no command is given', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toMatch(/convert-cifar[\s\S]*inspect[\s\S]*generate/);
    const inspectHelp = await cli('inspect', '--help');
    expect(inspectHelp.out.join('\n')).toMatch(
      /Usage: pnpm data inspect <file\.csv> \[options\][\s\S]*--sheet <out\.png> +where to write the contact sheet PNG \(one row per class\) \[default: <file>\.sheet\.png\][\s\S]*--no-sheet +do not draw/,
    );
    expect((await cli()).code).toBe(2);
  });

  it.each([
    [['frobnicate'], 'data: unknown command "frobnicate" (commands: convert-cifar, inspect, generate)'],
    [
      ['inspect', 'a.csv', '--colour'],
      'data: inspect: unknown option --colour (see pnpm data inspect --help)',
    ],
    [['generate', '--train=-5'], 'data: generate: --train: expected an integer >= 0, got "-5"'],
    [
      ['generate', '--train', '-5'],
      'data: generate: --train needs a value (write --train=<value> for one that starts with -) (see pnpm data generate --help)',
    ],
    [['generate', '--train'], 'data: generate: --train needs a value (see pnpm data generate --help)'],
    [
      ['inspect', 'a.csv', '--json=yes'],
      'data: inspect: --json takes no value (see pnpm data inspect --help)',
    ],
    [['generate', '--seed', '1.5'], 'data: generate: --seed: expected an integer >= 0, got "1.5"'],
    [['inspect'], 'data: inspect: expected <file.csv>, got 0 argument(s)'],
    [
      ['inspect', 'a.csv', '--no-sheet', '--sheet', 'a.png'],
      'data: inspect: --sheet and --no-sheet contradict each other',
    ],
    [
      ['inspect', 'a.csv', '--no-sheet', '--per-class', '2'],
      'data: inspect: --per-class is for the contact sheet, which --no-sheet turns off',
    ],
    [['convert-cifar', 'x.bin'], 'data: convert-cifar: --out <file.csv> is required'],
  ])('%j is a usage error: one line, exit 2', async (argv, line) => {
    const { code, out, err } = await cli(...argv);
    expect(code).toBe(2);
    expect(err).toEqual([line]);
    expect(out).toEqual([]);
  });
});

describe('data CLI: data errors', () => {
  it('reports a missing file and a malformed CSV in one line with exit 1', async () => {
    const missing = await cli('inspect', '/nonexistent/file.csv');
    expect([missing.code, missing.err]).toEqual([1, ['data: /nonexistent/file.csv: no such file or folder']]);
    const dir = await tempDir('cli');
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'label,a\n0,1\n1,x\n');
    const malformed = await cli('inspect', bad);
    expect(malformed.code).toBe(1);
    expect(malformed.err).toEqual([`data: ${bad}, line 3, column 2 (a): "x" is not a number`]);
  });
});

describe('data CLI: commands', () => {
  it('inspect prints rows, class counts and statistics of digits.csv, and draws a sheet', async () => {
    const dir = await tempDir('cli');
    const sheet = join(dir, 'digits.png');
    const { code, out } = await cli('inspect', DIGITS_CSV, '--sheet', sheet, '--per-class', '3');
    expect(code).toBe(0);
    expect(out).toContain('rows      1797');
    expect(out).toContain('features  64 (8×8 grayscale)');
    expect(
      out.filter((line) => /^\s+\d+\s+\d+$/.test(line)).map((line) => Number(line.trim().split(/\s+/)[1])),
    ).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(out).toContain('values    min 0  max 16  mean 4.88  std 6.02');
    const png = await readFile(sheet);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height at bytes 16 and 20. 8×8 digits are scaled ×8 to 64-pixel tiles, 2-pixel gaps.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 + 3 * 66, 2 + 10 * 66]);
  });

  it('inspect draws the sheet by default as <file>.sheet.png, and skips it for a table that is no image', async () => {
    const dir = await tempDir('cli');
    const square = join(dir, 'Square.CSV');
    await writeFile(square, 'label,a,b,c,d\n0,0,1,2,3\n1,3,2,1,0\n');
    const drawn = await cli('inspect', square);
    expect(drawn.code).toBe(0);
    expect(drawn.out.at(-1)).toBe(
      `contact sheet: ${join(dir, 'Square.sheet.png')} (one row per class, class 0 at the top)`,
    );
    expect((await readFile(join(dir, 'Square.sheet.png'))).subarray(1, 4).toString('latin1')).toBe('PNG');

    const table = join(dir, 'table.csv');
    await writeFile(table, 'label,a,b\n0,1,2\n1,3,4\n');
    const plain = await cli('inspect', table);
    expect(plain.code).toBe(0);
    expect(plain.out.at(-1)).toBe('contact sheet: none (2 columns are not an image)');
    expect(JSON.parse((await cli('inspect', table, '--json')).out.join('\n')).sheet).toBeNull();
    expect((await readdir(dir)).filter((name) => name.endsWith('.png'))).toEqual(['Square.sheet.png']);
    const explicit = await cli('inspect', table, '--sheet', join(dir, 't.png'));
    expect([explicit.code, explicit.err]).toEqual([
      2,
      [`data: inspect: --sheet needs 3072 columns or a square number of them; ${table} has 2`],
    ]);
  });

  it('inspect names the sheet and the way out when the sheet cannot be written', async () => {
    const dir = await tempDir('cli');
    const csv = join(dir, 'square.csv');
    await writeFile(csv, 'label,a,b,c,d\n0,0,1,2,3\n');
    const blocked = join(dir, 'a-folder'); // renaming a file over a folder fails, even as root
    await mkdir(blocked);
    const { code, out, err } = await cli('inspect', csv, '--sheet', blocked);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      `data: inspect: cannot write the contact sheet ${blocked} (EISDIR); choose another path with --sheet <out.png> or skip it with --no-sheet`,
    ]);
  });

  it('generate writes the splits; inspect --json reads them back with per-channel figures', async () => {
    const dir = await tempDir('cli');
    const made = await cli(
      'generate',
      '--out',
      dir,
      '--train',
      '20',
      '--val',
      '10',
      '--test',
      '0',
      '--seed',
      '4',
    );
    expect(made.code).toBe(0);
    expect(made.out[0]).toMatch(/^wrote .*synthetic-train\.csv \(20 rows, 0\.2 MB\)$/);
    expect(made.out).toHaveLength(3);
    const inspected = await cli('inspect', join(dir, 'synthetic-train.csv'), '--json', '--per-class', '1');
    const result = JSON.parse(inspected.out.join('\n'));
    // The contact sheet is part of inspect: by default <file>.sheet.png beside the CSV, named in the JSON.
    expect(result.sheet).toBe(join(dir, 'synthetic-train.sheet.png'));
    const png = await readFile(result.sheet);
    // 32×32 tiles scaled ×2 to 64 pixels, 2-pixel gaps: one column (per-class 1), ten rows.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 + 66, 2 + 10 * 66]);
    expect(result.summary.rows).toBe(20);
    expect(result.summary.features).toBe(3072);
    expect(result.summary.classCounts).toEqual(new Array(10).fill(2));
    expect(result.summary.classNames[0]).toBe('disc');
    expect(result.summary.channels.map((c: { channel: string }) => c.channel)).toEqual([
      'red',
      'green',
      'blue',
    ]);
    expect(result.summary.values.min).toBeGreaterThanOrEqual(0);
    expect(result.summary.values.max).toBeLessThanOrEqual(255);
  });

  it('convert-cifar turns binary records into a CSV that inspect reads', async () => {
    const dir = await tempDir('cli');
    const records = Buffer.alloc(4 * 3073);
    for (let r = 0; r < 4; r++) {
      records[r * 3073] = r;
      records.fill(r * 60, r * 3073 + 1, (r + 1) * 3073);
    }
    await writeFile(join(dir, 'test_batch.bin'), records);
    await writeFile(
      join(dir, 'batches.meta.txt'),
      'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n',
    );
    const out = join(dir, 'cifar-test.csv');
    const converted = await cli('convert-cifar', join(dir, 'test_batch.bin'), '--out', out);
    expect(converted.code).toBe(0);
    expect(converted.out[0]).toMatch(/cifar-test\.csv: 4 rows from 1 file\(s\)/);
    expect(converted.out[1]).toMatch(/class names: .*cifar-test\.classes\.txt \(airplane, automobile/);
    const result = JSON.parse((await cli('inspect', out, '--json', '--no-sheet')).out.join('\n'));
    expect(result.sheet).toBeNull();
    expect(await readdir(dir)).not.toContain('cifar-test.sheet.png');
    expect(result.summary.classCounts).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(result.summary.values).toMatchObject({ min: 0, max: 180, mean: 90 });
  });
});

describe('the bin', () => {
  it('exits 2 on a usage error and 1 on a data error, one line on stderr, no stack trace', () => {
    const bin = new URL('../bin/data.ts', import.meta.url).pathname;
    const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
    const usage = spawnSync(tsx, [bin, 'inspect', '--nope'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr.trim().split('\n')).toEqual([
      'data: inspect: unknown option --nope (see pnpm data inspect --help)',
    ]);
    const data = spawnSync(tsx, [bin, 'inspect', '/nonexistent.csv'], { encoding: 'utf8' });
    expect(data.status).toBe(1);
    expect(data.stderr.trim()).toBe('data: /nonexistent.csv: no such file or folder');
  });

  it('says a process substitution is a pipe (not "the file is empty")', () => {
    const bin = new URL('../bin/data.ts', import.meta.url).pathname;
    const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
    const shell = spawnSync('bash', ['-c', `"$0" "$1" inspect <(printf 'label,a\\n0,1\\n')`, tsx, bin], {
      encoding: 'utf8',
    });
    expect(shell.status).toBe(1);
    expect(shell.stderr).toMatch(
      /^data: \/dev\/fd\/\d+: is a pipe \(process substitution or a FIFO\), but a data file must be a regular file; save it to a file first\n$/,
    );
  });

  it('on SIGINT mid-write stops, leaves no temporary file and no target, says so and exits 130', async () => {
    const dir = await tempDir('cli-sigint');
    const bin = new URL('../bin/data.ts', import.meta.url).pathname;
    // Node itself with tsx's loader, not tsx's wrapper: the wrapper relays the signal to a child node and,
    // on a loaded machine, may exit before that child has said anything (seen as an empty stderr).
    // About 45 MB of CSV: over a second of writing, so the signal lands while the temporary file grows.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', bin, 'generate', '--out', dir, '--train', '4000', '--val', '1', '--test', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    // 'close', not 'exit': 'exit' can fire before the child's stderr has been read to the end.
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let temporary: string | undefined;
    while (temporary === undefined && child.exitCode === null) {
      temporary = (await readdir(dir)).find((name) => name.endsWith('.tmp'));
      if (temporary === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(temporary).toMatch(/^\.synthetic-train\.csv\.[0-9a-f]{24}\.tmp$/);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr.trim()).toBe('data: interrupted');
    expect(stdout).toBe('');
    expect(await readdir(dir)).toEqual([]);
  });
});
