/**
 * The bin as users run it: spawned through tsx. Only what needs a real process is tested here (exit codes,
 * one-line errors without stack traces, stdout/stderr split, Ctrl-C); the rest goes through runExperiment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../options/table.js';
import { writeTinyDataset } from '../testing/tiny-data.js';

const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const BIN = fileURLToPath(new URL('./train.ts', import.meta.url));
const root = tempDirSync('trainer-bin');
const data = writeTinyDataset(join(root, 'data'));
const tiny = [
  '--train',
  data.train,
  '--val',
  data.val,
  '--hidden',
  '8,8',
  '--epochs',
  '2',
  '--batch-size',
  '10',
  '--seeds',
  '1',
  '--workers',
  '1',
  '--num-train',
  'all',
];

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): { child: ChildProcess; done: Promise<Finished>; stderr: () => string } {
  const child = spawn(TSX, [BIN, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<Finished>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

const train = (args: string[]) => start(args).done;

/** stderr minus npm/tsx noise that is not ours. */
const ours = (stderr: string) =>
  stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('npm warn'));

describe('pnpm train (spawned)', () => {
  it('--help lists every option with its default and exits 0', async () => {
    const { code, stdout } = await train(['--help']);
    expect(code).toBe(0);
    for (const spec of OPTIONS)
      expect(stdout).toContain(spec.name === 'progress' ? '--no-progress' : `--${spec.name}`);
    expect(stdout).toContain('[default: 100,100,100,100,100 (init-sweep: 50,50,50,50,50,50,50)]');
  });

  it('usage errors: one line naming the flag, exit 2, no stack trace', async () => {
    const unknown = await train(['--learning-rate', '0.1']);
    expect(unknown.code).toBe(2);
    expect(ours(unknown.stderr)).toEqual(['train: unknown option --learning-rate (see pnpm train --help)']);
    const bad = await train(['--epochs', 'ten']);
    expect(bad.code).toBe(2);
    expect(ours(bad.stderr)).toEqual(['train: --epochs: expected an integer in [1, 10000], got "ten"']);
    expect(bad.stdout).toBe('');
  });

  it('impossible combinations are usage errors (exit 2, one line naming the flags), leaving no --out folder', async () => {
    const out = join(root, 'never-made');
    const withBatch1 = tiny.map((arg, i) => (tiny[i - 1] === '--batch-size' ? '1' : arg));
    const batch = await train([...withBatch1, '--no-progress', '--out', out]);
    expect(batch.code).toBe(2);
    expect(ours(batch.stderr)).toEqual([
      'train: --batch-size 1 with batchnorm (--norm none,batchnorm): batchnorm needs at least 2 rows per ' +
        'training batch (the variance of one row is 0), got a batch size of 1; use 2 or more, or leave ' +
        'batchnorm out of --norm',
    ]);
    // tiny ends with --num-train all; ask for more rows than the 90 of the file instead.
    const rows = await train([...tiny.slice(0, -2), '--num-train', '200', '--no-progress', '--out', out]);
    expect(rows.code).toBe(2);
    expect(ours(rows.stderr)).toEqual([
      `train: --num-train 200: --train ${data.train} has only 90 rows; use --num-train 90 or less, or --num-train all`,
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('data errors: missing file and malformed CSV give one line with the place, exit 1', async () => {
    const missing = await train([
      ...tiny.slice(0, 2),
      '--val',
      join(root, 'nope.csv'),
      ...tiny.slice(4),
      '--no-progress',
    ]);
    expect(missing.code).toBe(1);
    expect(ours(missing.stderr)).toEqual([`train: --val ${join(root, 'nope.csv')}: no such file`]);
    const broken = join(root, 'broken.csv');
    const lines = readFileSync(data.val, 'utf8').split('\n');
    lines[3] = lines[3].replace(/,\d+$/, ',abc');
    writeFileSync(broken, lines.join('\n'));
    const malformed = await train([...tiny.slice(0, 2), '--val', broken, ...tiny.slice(4), '--no-progress']);
    expect(malformed.code).toBe(1);
    const message = ours(malformed.stderr);
    expect(message).toHaveLength(1);
    expect(message[0]).toMatch(new RegExp(`^train: ${broken}, line 4, column 13 \\(p11\\): "abc"`));
  });

  it('refuses a non-empty --out unless --overwrite, and an --out that is a file: one line, exit 1', async () => {
    const out = join(root, 'taken');
    mkdirSync(out);
    writeFileSync(join(out, 'summary.json'), '{"mine": true}');
    const refused = await train([...tiny, '--no-progress', '--out', out]);
    expect(refused.code).toBe(1);
    expect(ours(refused.stderr)).toEqual([
      `train: --out ${out}: the folder is not empty (summary.json); give --overwrite to replace its files, or another --out`,
    ]);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe('{"mine": true}');
    const file = await train([...tiny, '--no-progress', '--out', data.train]);
    expect(file.code).toBe(1);
    expect(ours(file.stderr)).toEqual([
      `train: --out ${data.train}: cannot create or write the run folder (a file is in the way)`,
    ]);
  });

  it('a label too large for the net: one line naming the file, exit 1', async () => {
    const huge = join(root, 'huge-label.csv');
    const lines = readFileSync(data.val, 'utf8').split('\n');
    lines[2] = lines[2].replace(/^\d+/, '2000000000');
    writeFileSync(huge, lines.join('\n'));
    const { code, stderr } = await train([
      ...tiny.slice(0, 2),
      '--val',
      huge,
      ...tiny.slice(4),
      '--no-progress',
    ]);
    expect(code).toBe(1);
    const message = ours(stderr);
    expect(message).toHaveLength(1);
    expect(message[0]).toMatch(new RegExp(`^train: --val ${huge}: the largest label is 2000000000, `));
  });

  it('on a full disk writes no file half, prints the results, and ends in one line with exit 1', async () => {
    // Every file write gets 4096 bytes, then ENOSPC: the failure a full disk gives (injected in the process).
    const preload = join(root, 'full-disk.mjs');
    writeFileSync(
      preload,
      `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const real = fs.writeSync;
const room = new Map();
fs.writeSync = (fd, buffer, offset = 0, length, ...rest) => {
  if (fd <= 2 || typeof buffer === 'string') return real(fd, buffer, offset, length, ...rest);
  const left = offset === 0 ? 4096 : room.get(fd);
  const count = Math.min(length ?? buffer.length - offset, left);
  if (count === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  room.set(fd, left - count);
  return real(fd, buffer, offset, count);
};
syncBuiltinESMExports();
`,
    );
    const out = join(root, 'full-disk');
    const child = spawn(
      TSX,
      ['--import', pathToFileURL(preload).href, BIN, ...tiny, '--no-progress', '--out', out],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(ours(stderr)).toEqual([
      `train: --out ${out}: could not write metrics.csv, report.html, summary.json (metrics.csv: ENOSPC: no space ` +
        'left on device; report.html: ENOSPC: no space left on device; summary.json: ENOSPC: no space left on device)',
    ]);
    expect(stdout).toContain('batchnorm');
    expect(existsSync(out)).toBe(false);
  });

  it('--json prints only summary.json on stdout', async () => {
    const out = join(root, 'json-run');
    const { code, stdout, stderr } = await train([...tiny, '--json', '--out', out]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.runs.map((run: { id: string }) => run.id)).toEqual(['none-s1', 'batchnorm-s1']);
    expect(stdout).toBe(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(ours(stderr)).toEqual([]);
  });

  it('Ctrl-C writes the finished runs as an incomplete report and exits 130', async () => {
    const out = join(root, 'interrupted');
    const seeds = '1,2,3,4,5,6,7,8';
    const run = start([
      ...tiny.slice(0, 4),
      '--hidden',
      '32,32',
      '--epochs',
      '300',
      '--batch-size',
      '5',
      '--seeds',
      seeds,
      '--workers',
      '1',
      '--num-train',
      'all',
      '--out',
      out,
    ]);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no run finished within 60 s; stderr:\n${run.stderr()}`)),
        60_000,
      );
      run.child.stderr!.on('data', () => {
        if (/\[1\/16\]/.test(run.stderr())) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    run.child.kill('SIGINT');
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toContain('train: interrupted: stopping the runs and writing a partial report');
    expect(stdout).toMatch(/^\s*INCOMPLETE: interrupted after \d+ of 16 runs/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.complete).toBe(false);
    expect(summary.runs.length).toBeGreaterThanOrEqual(1);
    expect(summary.runs.length + summary.missingRuns.length).toBe(16);
    expect(readdirSync(out).sort()).toEqual(['metrics.csv', 'report.html', 'summary.json']);
  });
});
