/**
 * `pnpm assignment init --grader <dir>`: an instructor's grader folder (Gradescope's scripts, GitHub
 * Classroom's test, grader.json, a snapshot of backprop-lab), written whole or not at all.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { type CliIo, UsageError } from '@backprop-lab/trainer';
import { REPO_ROOT } from '../generate.js';
import { InitError, type InitResult, writeFiles, writeFolderAtomically } from '../init.js';
import { autogradingJson, classroomWorkflow, GRADE_SH } from './github-classroom.js';
import { graderConfigJson, totalPoints } from './grader-config.js';
import { graderReadme } from './grader-readme.js';
import { RUN_AUTOGRADER, SETUP_SH } from './gradescope.js';

const EXECUTABLE = ['setup.sh', 'run_autograder', 'github-classroom/.github/classroom/grade.sh'];
/** Where the workflow fetches backprop-lab when the clone's origin is not a GitHub repository. */
const PLACEHOLDER_REPOSITORY = 'YOUR-ORG/backprop-lab';

function git(args: string[]): string {
  return execFileSync('git', args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** owner/name of the clone's origin on GitHub, or the placeholder the README says to replace. */
function githubRepository(): string {
  try {
    return (
      /github\.com[:/]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(git(['remote', 'get-url', 'origin']))?.[1] ??
      PLACEHOLDER_REPOSITORY
    );
  } catch {
    return PLACEHOLDER_REPOSITORY;
  }
}

/** The commit graded with, and its snapshot (committed files only, so it matches the commit). */
function snapshot(file: string): string {
  try {
    const commit = git(['rev-parse', 'HEAD']);
    git(['archive', '--format=tar.gz', '-o', file, commit]);
    return commit;
  } catch (error) {
    const reason = String((error as { stderr?: string }).stderr || (error as Error).message)
      .trim()
      .split('\n')[0];
    throw new InitError(
      `init --grader: cannot snapshot backprop-lab with git archive (${reason}); run it in a git clone`,
    );
  }
}

export function initGrader(target: string): InitResult & { commit: string } {
  let commit = '';
  const result = writeFolderAtomically(target, (staging) => {
    commit = snapshot(join(staging, 'backprop-lab.tar.gz'));
    const config = graderConfigJson();
    const repository = githubRepository();
    const files = new Map([
      ['README.md', graderReadme(commit, repository)],
      ['grader.json', config],
      ['setup.sh', SETUP_SH],
      ['run_autograder', RUN_AUTOGRADER],
      ['github-classroom/.github/classroom/autograding.json', autogradingJson(totalPoints(config))],
      ['github-classroom/.github/classroom/grade.sh', GRADE_SH],
      ['github-classroom/.github/workflows/classroom.yml', classroomWorkflow(repository, commit)],
    ]);
    const written = writeFiles(staging, files);
    for (const file of EXECUTABLE) chmodSync(join(staging, file), 0o755);
    return [...written, 'backprop-lab.tar.gz'];
  });
  return { ...result, commit };
}

/** `init --grader <dir>`: writes the folder and says what to do next. */
export function runInitGrader(target: string, only: boolean, io: CliIo): number {
  if (only) throw new UsageError('init: --only applies to a kit, not to --grader');
  const { dir, files, commit } = initGrader(target);
  io.out(`wrote ${files.length} files to ${dir} (backprop-lab at ${commit.slice(0, 12)})`);
  io.out(
    `next: read ${dir}/README.md (Gradescope: zip its files and upload; GitHub Classroom: copy .github)`,
  );
  return 0;
}
