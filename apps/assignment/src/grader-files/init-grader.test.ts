// `pnpm assignment init --grader`: the folder's files, that its scripts are executable and parse, that
// autograding.json names the command, and what run_autograder and grade.sh do around the grade command
// (run here with a stand-in `pnpm` on PATH: the grade command itself is tested in grade/).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { runCaptured } from '@backprop-lab/trainer/testing/cli';
import { describe, expect, it } from 'vitest';
import { assignmentProgram } from '../command.js';

const root = tempDirSync('init-grader');
const grader = join(root, 'grader');
const read = (path: string) => readFileSync(join(grader, path), 'utf8');

/**
 * A `pnpm` that only acts out `assignment grade`: writes --results-json (score given) or fails, with the
 * line real pnpm adds after a failing script's own.
 */
function fakePnpm(bin: string, behaviour: { score: number } | { fail: string }): void {
  mkdirSync(bin, { recursive: true });
  const act =
    'fail' in behaviour
      ? `echo "${behaviour.fail}" >&2; echo "[ELIFECYCLE] Command failed with exit code 1." >&2; exit 1`
      : `mkdir -p "$out/sub" && echo "# feedback" > "$out/sub/feedback.md"
         echo '{"score": ${behaviour.score}, "tests": [{"score": 1, "max_score": 60}, {"score": 0, "max_score": 40}]}' > "$results"`;
  writeFileSync(
    join(bin, 'pnpm'),
    `#!/usr/bin/env bash
echo "$@" > "$(dirname "$0")/args"
while [ $# -gt 0 ]; do case "$1" in --out) out="$2"; shift;; --results-json) results="$2"; shift;; esac; shift; done
${act}
`,
  );
  chmodSync(join(bin, 'pnpm'), 0o755);
}

describe('pnpm assignment init --grader', () => {
  it('writes the grader folder: scripts executable, config, snapshot, GitHub Classroom files', async () => {
    const { code, out, err } = await runCaptured(assignmentProgram, ['init', '--grader', grader]);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out[0]).toMatch(/^wrote 8 files to .+ \(backprop-lab at [0-9a-f]{12}\)$/);
    expect(readdirSync(grader).sort()).toEqual([
      'README.md',
      'backprop-lab.tar.gz',
      'github-classroom',
      'grader.json',
      'run_autograder',
      'setup.sh',
    ]);
    for (const script of ['setup.sh', 'run_autograder', 'github-classroom/.github/classroom/grade.sh']) {
      expect(statSync(join(grader, script)).mode & 0o111).toBe(0o111);
      const syntax = spawnSync('bash', ['-n', join(grader, script)], { encoding: 'utf8' });
      expect(syntax.status, syntax.stderr).toBe(0);
    }
    expect(statSync(grader).mode & 0o777).toBe(0o755);
    // The snapshot holds the grader's source.
    const listing = execFileSync('tar', ['-tzf', join(grader, 'backprop-lab.tar.gz')], { encoding: 'utf8' });
    expect(listing.split('\n')).toContain('apps/assignment/src/command.ts');
    expect(read('setup.sh')).toContain('tar -xzf /autograder/source/backprop-lab.tar.gz');
    const points = Object.values(JSON.parse(read('grader.json')).points as Record<string, number>);
    const autograding = JSON.parse(read('github-classroom/.github/classroom/autograding.json'));
    expect(autograding.tests).toHaveLength(1);
    expect(autograding.tests[0]).toMatchObject({
      run: 'bash .github/classroom/grade.sh',
      comparison: 'included',
      points: points.reduce((a, b) => a + b, 0),
    });
    expect(read('github-classroom/.github/classroom/grade.sh')).toContain(
      'pnpm --silent assignment grade "$repo"',
    );
    const workflow = read('github-classroom/.github/workflows/classroom.yml');
    expect(workflow).toContain('uses: education/autograding@v1');
    expect(workflow).toMatch(/ref: [0-9a-f]{40}\n/);
  });

  it('run_autograder grades /autograder/submission into results.json, and writes a 0 with the reason when grading fails', () => {
    const home = join(root, 'autograder');
    for (const dir of ['backprop-lab', 'source', 'submission', 'results'])
      mkdirSync(join(home, dir), { recursive: true });
    const script = join(home, 'run_autograder');
    writeFileSync(script, read('run_autograder').replaceAll('/autograder', home));
    const run = (bin: string) =>
      spawnSync('bash', [script], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      });
    fakePnpm(join(root, 'ok-bin'), { score: 61 });
    expect(run(join(root, 'ok-bin')).status).toBe(0);
    expect(readFileSync(join(root, 'ok-bin/args'), 'utf8')).toMatch(
      new RegExp(
        `^--silent assignment grade ${home}/submission --config ${home}/source/grader.json --jobs 1 --out \\S+ --results-json ${home}/results/results.json\\n$`,
      ),
    );
    expect(JSON.parse(readFileSync(join(home, 'results/results.json'), 'utf8')).score).toBe(61);
    fakePnpm(join(root, 'failing-bin'), { fail: 'assignment: grade: something broke' });
    const failed = run(join(root, 'failing-bin'));
    expect(failed.status).toBe(0);
    expect(failed.stderr).toContain('assignment: grade: something broke');
    const results = JSON.parse(readFileSync(join(home, 'results/results.json'), 'utf8'));
    expect(results.score).toBe(0);
    expect(results.output).toMatch(
      /^The autograder could not grade this submission: assignment: grade: something broke\n/,
    );
  });

  it("GitHub Classroom's grade.sh passes at full marks only, and prints the feedback", () => {
    const repo = join(root, 'student-repo');
    mkdirSync(join(repo, '.github/classroom'), { recursive: true });
    mkdirSync(join(repo, '.backprop-lab'));
    writeFileSync(
      join(repo, '.github/classroom/grade.sh'),
      read('github-classroom/.github/classroom/grade.sh'),
    );
    const run = (bin: string) =>
      spawnSync('bash', [join(repo, '.github/classroom/grade.sh')], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      });
    fakePnpm(join(root, 'partial-bin'), { score: 61 });
    const partial = run(join(root, 'partial-bin'));
    expect(partial.stdout).toBe('# feedback\nscore: 61 / 100\n');
    expect(partial.status).toBe(1);
    fakePnpm(join(root, 'full-bin'), { score: 100 });
    expect(run(join(root, 'full-bin')).status).toBe(0);
  });

  it('refuses --only with --grader (usage, exit 2) and a folder that holds files (exit 1)', async () => {
    expect(
      await runCaptured(assignmentProgram, ['init', '--grader', join(root, 'x'), '--only', 'affine']),
    ).toEqual({
      code: 2,
      out: [],
      err: ['assignment: init: --only applies to a kit, not to --grader'],
    });
    expect(await runCaptured(assignmentProgram, ['init', '--grader', grader])).toEqual({
      code: 1,
      out: [],
      err: [`assignment: init: ${grader} already exists and is not empty`],
    });
    expect(readdirSync(root).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
