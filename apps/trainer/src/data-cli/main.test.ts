import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDataCli } from './main.js';

const tempDirs: string[] = [];
/** A fresh folder under the OS temp dir, removed after this file's tests. */
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `bpl-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

const DIGITS = new URL('../../../../../shared/datasets/digits.csv', import.meta.url).pathname;

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDataCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('data CLI: usage', () => {
  it('prints help with exit 0, and usage on stderr with exit 2 when no command is given', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toMatch(/convert-cifar[\s\S]*inspect[\s\S]*generate/);
    const inspectHelp = await cli('inspect', '--help');
    expect(inspectHelp.out.join('\n')).toMatch(
      /Usage: data inspect <file\.csv> \[options\][\s\S]*--sheet <out\.png>/,
    );
    expect((await cli()).code).toBe(2);
  });

  it.each([
    [['frobnicate'], 'data: unknown command "frobnicate" (commands: convert-cifar, inspect, generate)'],
    [['inspect', 'a.csv', '--colour'], 'data: inspect: unknown option --colour (see data inspect --help)'],
    [['generate', '--train=-5'], 'data: generate: --train must be an integer >= 0, got "-5"'],
    [
      ['generate', '--train', '-5'],
      'data: generate: --train needs a value (write --train=<value> for one that starts with -) (see data generate --help)',
    ],
    [['generate', '--train'], 'data: generate: --train needs a value (see data generate --help)'],
    [['inspect', 'a.csv', '--json=yes'], 'data: inspect: --json takes no value (see data inspect --help)'],
    [['generate', '--seed', '1.5'], 'data: generate: --seed must be an integer >= 0, got "1.5"'],
    [['inspect'], 'data: inspect: expected <file.csv>, got 0 argument(s)'],
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
    const { code, out } = await cli('inspect', DIGITS, '--sheet', sheet, '--per-class', '3');
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
    const inspected = await cli('inspect', join(dir, 'synthetic-train.csv'), '--json');
    const result = JSON.parse(inspected.out.join('\n'));
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
    const result = JSON.parse((await cli('inspect', out, '--json')).out.join('\n'));
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
      'data: inspect: unknown option --nope (see data inspect --help)',
    ]);
    const data = spawnSync(tsx, [bin, 'inspect', '/nonexistent.csv'], { encoding: 'utf8' });
    expect(data.status).toBe(1);
    expect(data.stderr.trim()).toBe('data: /nonexistent.csv: no such file or folder');
  });
});
