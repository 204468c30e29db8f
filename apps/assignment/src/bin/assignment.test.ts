/**
 * The bin as an instructor runs it, spawned through tsx: Ctrl-C in the middle of a grading stops it with
 * exit 130, class.csv of what was graded, and no temp folder left (what runCaptured cannot show: the
 * bin's own signal wiring).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDirSync } from '@backprop-lab/test-support';
import { expect, it } from 'vitest';
import { HOSTILE, referenceKit } from '../grade/testing.js';

const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const BIN = fileURLToPath(new URL('./assignment.ts', import.meta.url));

it('grade: Ctrl-C ends with exit 130, class.csv of the submissions graded, and nothing left in TMPDIR', async () => {
  const root = tempDirSync('assignment-bin');
  const tmp = tempDirSync('assignment-bin-tmp');
  const subs = join(root, 'subs');
  // One that is graded at once (not a zip), one still looping when the interrupt comes.
  referenceKit(join(subs, 'b-loops'), HOSTILE.loops);
  writeFileSync(join(subs, 'a-garbage.zip'), 'not a zip');
  const config = join(root, 'grader.json');
  writeFileSync(config, JSON.stringify({ limits: { callSeconds: 600, submissionSeconds: 1200 } }));
  const out = join(root, 'out');
  const child = spawn(TSX, [BIN, 'grade', subs, '--out', out, '--config', config, '--jobs', '2'], {
    env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    // The first submission's line is printed: the other is in its loop.
    if (stdout.includes('a-garbage')) child.kill('SIGINT');
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  expect({ code, stderr }).toEqual({
    code: 130,
    stderr: 'grade: interrupted: 1 of 2 graded; class.csv lists those\n',
  });
  const rows = readFileSync(join(out, 'class.csv'), 'utf8').trim().split('\n');
  expect(rows.map((row) => row.split(',')[0])).toEqual(['submission', 'a-garbage']);
  expect(readdirSync(out).sort()).toEqual(['a-garbage', 'class.csv']);
  // tsx keeps its compile cache there (tsx-<uid>); everything of the grader's is gone.
  expect(readdirSync(tmp).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
}, 120_000);
