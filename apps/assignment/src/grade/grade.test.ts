// `pnpm assignment grade` end to end, through the CLI kit in this process (grading itself runs on worker
// threads): a reference-filled kit scores full marks, planted mistakes score partial marks with their
// fingerprint's feedback, a stub scores 0, hostile kits end as described while the others are graded
// normally, results.json follows Gradescope's schema, and the scores do not depend on order or --jobs.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { runCaptured } from '@backprop-lab/trainer/testing/cli';
import { Ajv } from 'ajv';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignmentProgram } from '../command.js';
import schema from './gradescope-results.schema.json' with { type: 'json' };
import { HOSTILE, PLANTED, referenceKit, stubKit } from './testing.js';

const root = tempDirSync('grade');
const subs = join(root, 'subs');
const config = join(root, 'grader.json');
const loopConfig = join(root, 'loop.json');

beforeAll(() => {
  mkdirSync(subs);
  referenceKit(join(subs, 'ada'));
  referenceKit(join(subs, 'bob-db-mean'), PLANTED.dbMean);
  referenceKit(join(subs, 'cy-softmax-n'), PLANTED.softmaxTimesN);
  stubKit(join(subs, 'dee-stub'));
  referenceKit(join(subs, 'eve-import-throws'), HOSTILE.importThrows);
  referenceKit(join(subs, 'fay-exits'), HOSTILE.exits);
  referenceKit(join(subs, 'ivy-allocates'), HOSTILE.allocates);
  rmSync(join(referenceKit(join(subs, 'jo-no-relu')), 'src/relu.ts'));
  mkdirSync(join(subs, 'hal-not-a-kit'));
  writeFileSync(join(subs, 'hal-not-a-kit', 'notes.txt'), 'my answers are in my head\n');
  // The submission deadline is a backstop well above a sandboxed grading's ~10 s; the heap limit is low so
  // the endless allocation ends soon.
  writeFileSync(
    config,
    JSON.stringify({ limits: { callSeconds: 5, memoryMb: 128, submissionSeconds: 120 } }),
  );
  referenceKit(join(root, 'gus-loops'), HOSTILE.loops);
  // Short limits keep the infinite loop's cost low, whichever stops it: the sandbox's per-call limit or
  // the pool's deadline.
  writeFileSync(loopConfig, JSON.stringify({ limits: { callSeconds: 1, submissionSeconds: 3 } }));
}, 60_000);

const read = (...parts: string[]) => readFileSync(join(root, ...parts), 'utf8');
const results = (out: string, name: string) => JSON.parse(read(out, name, 'results.json'));
const csvRows = (out: string): string[][] => parse(read(out, 'class.csv'));
const exerciseScore = (out: string, name: string, id: string) => {
  const [header, ...rows] = csvRows(out);
  return Number(rows.find((row) => row[0] === name)![header.indexOf(id)]);
};

describe('pnpm assignment grade', () => {
  let run: Awaited<ReturnType<typeof runCaptured>>;
  beforeAll(async () => {
    const argv = ['grade', subs, '--out', join(root, 'out'), '--config', config, '--jobs', '2'];
    run = await runCaptured(assignmentProgram, argv);
  }, 300_000);

  it('exits 0 and prints one line per submission, in name order, then a summary', () => {
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    const names = run.out.slice(0, -1).map((line) => line.split(/\s+/)[0]);
    expect(names).toEqual(readdirSync(subs).sort());
    expect(run.out[0]).toMatch(/^ada +100\/100 +\d+\.\d s$/);
    expect(run.out.at(-1)).toMatch(/^graded 9 submissions: mean \d+\.\d\d \/ 100, 1 with full marks, /);
  });

  it('gives the reference full marks and a stub none', () => {
    expect(results('out', 'ada').score).toBe(100);
    expect(results('out', 'ada').tests.every((t: { status: string }) => t.status === 'passed')).toBe(true);
    expect(results('out', 'dee-stub').score).toBe(0);
    expect(read('out', 'dee-stub', 'feedback.md')).toContain('· affineForward: not started');
  });

  it('gives a planted mistake partial marks and its fingerprint as feedback', () => {
    const affine = exerciseScore('out', 'bob-db-mean', 'affine');
    expect(affine).toBeGreaterThan(0);
    expect(affine).toBeLessThan(8);
    expect(exerciseScore('out', 'bob-db-mean', 'total')).toBe(100 - 8 + affine);
    const feedback = read('out', 'bob-db-mean', 'feedback.md');
    expect(feedback).toContain('→ likely mistake: db averages dout over the batch instead of summing it');
    expect(feedback).toContain('fix: the loss already averaged over N');
    const softmax = exerciseScore('out', 'cy-softmax-n', 'softmax');
    expect(softmax).toBeGreaterThan(0);
    expect(softmax).toBeLessThan(8);
    const hidden = results('out', 'cy-softmax-n').tests.find(
      (t: { name: string }) => t.name === 'softmax: hidden checks',
    );
    expect(hidden).toMatchObject({ visibility: 'after_published', status: 'failed', max_score: 4.8 });
    expect(hidden.output).toMatch(/likely mistake: /);
  });

  it('never shows a hidden run’s values, only which checks failed', () => {
    for (const name of ['bob-db-mean', 'cy-softmax-n']) {
      const tests = results('out', name).tests.filter((t: { name: string }) =>
        t.name.endsWith('hidden checks'),
      );
      for (const test of tests) expect(test.output).not.toMatch(/gives|\d\.\d{4}/);
    }
  });

  it('takes the points of a file that is missing or throws at import, or of a function that exits or allocates without end, and grades the rest', () => {
    expect(exerciseScore('out', 'eve-import-throws', 'relu')).toBe(0);
    expect(exerciseScore('out', 'eve-import-throws', 'affine')).toBe(8);
    expect(read('out', 'eve-import-throws', 'feedback.md')).toContain(
      'src/relu.ts threw at import: Error: boom at import',
    );
    // Behind the sandbox only the call that exits fails (reluBackward still earns its lines); with the
    // in-process stand-in the whole submission does.
    expect(exerciseScore('out', 'fay-exits', 'relu')).toBeLessThan(4);
    expect(read('out', 'fay-exits', 'feedback.md')).toMatch(/code 3/);
    expect(exerciseScore('out', 'jo-no-relu', 'relu')).toBe(0);
    expect(exerciseScore('out', 'jo-no-relu', 'total')).toBe(96);
    expect(
      csvRows('out')
        .find((row) => row[0] === 'jo-no-relu')!
        .at(-1),
    ).toMatch(/relu\.ts/);
    expect(exerciseScore('out', 'ivy-allocates', 'relu')).toBeLessThan(4);
    expect(read('out', 'ivy-allocates', 'feedback.md')).toMatch(/memory/);
  });

  it('scores 0 for an infinite loop, with the limit it passed, and leaves no temporary files', async () => {
    const argv = ['grade', join(root, 'gus-loops'), '--out', join(root, 'loop'), '--config', loopConfig];
    // The worker killed at the deadline cannot remove its copies: the pool removes them for it.
    const temp = join(root, 'tmp');
    mkdirSync(temp);
    const before = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    try {
      expect((await runCaptured(assignmentProgram, argv)).code).toBe(0);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
    // (tsx keeps its compile cache there, as it does in every temp dir.)
    expect(readdirSync(temp).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
    expect(exerciseScore('loop', 'gus-loops', 'relu')).toBe(0);
    expect(read('loop', 'gus-loops', 'feedback.md')).toMatch(/within \d+ s/);
  }, 60_000);

  it('gives a submission that cannot be read a row of 0s with the reason', () => {
    const row = csvRows('out').find((cells) => cells[0] === 'hal-not-a-kit')!;
    expect(row.slice(1, 14).every((cell) => cell === '0')).toBe(true);
    expect(row[14]).toMatch(/^Not graded: .+/);
    expect(results('out', 'hal-not-a-kit').score).toBe(0);
  });

  it('writes class.csv: a row per submission, a column per exercise, the total and a reason', () => {
    const [header, ...rows] = csvRows('out');
    expect(header).toEqual([
      'submission',
      ...['affine', 'relu', 'softmax', 'fc-net', 'sgd-momentum', 'rmsprop', 'adam'],
      ...['batchnorm-forward', 'batchnorm-backward', 'batchnorm-backward-alt', 'layernorm', 'dropout'],
      'total',
      'reason',
    ]);
    expect(rows.map((row) => row[0])).toEqual(readdirSync(subs).sort());
    expect(rows[0]).toEqual([
      'ada',
      '8',
      '4',
      '8',
      '12',
      '4',
      '5',
      '7',
      '12',
      '12',
      '8',
      '10',
      '10',
      '100',
      '',
    ]);
    for (const row of rows) {
      const sum = row.slice(1, 13).reduce((total, cell) => total + Number(cell), 0);
      expect(Number(row[13])).toBeCloseTo(sum, 6);
    }
  });

  it("writes results.json that Gradescope's documented schema accepts", () => {
    const validate = new Ajv({ allErrors: true }).compile(schema);
    for (const name of readdirSync(subs)) {
      const json = results('out', name);
      expect(validate(json), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(json.tests.map((t: { visibility: string }) => t.visibility)).toContain('visible');
    }
    expect(validate({ score: 1, tests: [{ name: 'x', visibility: 'sometimes' }] })).toBe(false);
  });

  it('gives the same files whatever the order of the submissions and the number of jobs', async () => {
    const some = ['dee-stub', 'bob-db-mean', 'ada'].map((name) => join(subs, name));
    const again = await runCaptured(assignmentProgram, [
      ...['grade', ...some, '--out', join(root, 'again'), '--config', config, '--jobs', '1'],
    ]);
    expect(again.code).toBe(0);
    const rows = csvRows('again');
    expect(rows.slice(1)).toEqual(
      csvRows('out').filter((row) => some.some((path) => path.endsWith(`/${row[0]}`))),
    );
    for (const path of some) {
      const name = path.slice(subs.length + 1);
      expect(read('again', name, 'results.json')).toBe(read('out', name, 'results.json'));
      expect(read('again', name, 'feedback.md')).toBe(read('out', name, 'feedback.md'));
    }
  }, 300_000);

  it('--results-json writes the one submission’s results.json where Gradescope wants it', async () => {
    const file = join(root, 'gradescope-results.json');
    const argv = ['grade', join(subs, 'dee-stub'), '--out', join(root, 'single'), '--results-json', file];
    const single = await runCaptured(assignmentProgram, [...argv, '--config', config]);
    expect(single.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(read('out', 'dee-stub', 'results.json'));
  }, 60_000);

  it('refuses a non-empty --out without --overwrite before grading anything', async () => {
    const argv = ['grade', join(subs, 'ada'), '--out', join(root, 'out')];
    const refused = await runCaptured(assignmentProgram, argv);
    expect(refused.code).toBe(1);
    expect(refused.err).toHaveLength(1);
    expect(refused.err[0]).toMatch(
      /^assignment: --out .*: the folder is not empty \(ada, .*give --overwrite/,
    );
  });

  it.each([
    [['grade', 'x'], 'assignment: grade: --out <dir> is required'],
    [
      ['grade', join(root, 'nowhere'), '--out', join(root, 'o1')],
      `assignment: ${join(root, 'nowhere')}: no such file or folder`,
    ],
    [
      [
        'grade',
        join(subs, 'ada'),
        join(subs, 'dee-stub'),
        '--out',
        join(root, 'o2'),
        '--results-json',
        'r.json',
      ],
      'assignment: grade: --results-json takes one submission, got 2',
    ],
  ])('%j is a usage error: one line, exit 2', async (argv, line) => {
    expect(await runCaptured(assignmentProgram, argv)).toEqual({ code: 2, out: [], err: [line] });
  });
});
