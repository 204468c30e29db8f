/**
 * GitHub Classroom's autograding: .github/classroom/autograding.json lists tests, each a command whose
 * exit status passes or fails it for its points (education/autograding reads it; the workflow below runs
 * that action on every push). Ours is one test: grade the repository's kit, exit non-zero below full marks.
 */
import { PNPM_VERSION } from './gradescope.js';

/** Where the workflow checks backprop-lab out, inside the student's repository. */
const CHECKOUT = '.backprop-lab';

export function autogradingJson(points: number): string {
  const test = {
    name: 'backprop-lab grader: every exercise, visible and hidden checks',
    setup: '',
    run: 'bash .github/classroom/grade.sh',
    input: '',
    output: '',
    comparison: 'included',
    timeout: 15,
    points,
  };
  return `${JSON.stringify({ tests: [test] }, null, 2)}\n`;
}

export const GRADE_SH = `#!/usr/bin/env bash
# GitHub Classroom's test: grades this repository's kit with backprop-lab's grader (checked out in
# ${CHECKOUT} by the workflow), prints the feedback, and exits 1 below full marks.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
config=()
if [ -f "$repo/.github/classroom/grader.json" ]; then config=(--config "$repo/.github/classroom/grader.json"); fi
(cd "$repo/${CHECKOUT}" && pnpm --silent assignment grade "$repo" "\${config[@]}" \\
  --out "$work/grade" --results-json "$work/results.json")
cat "$work"/grade/*/feedback.md
node -e '
  const results = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  const max = results.tests.reduce((sum, test) => sum + (test.max_score ?? 0), 0);
  console.log("score: " + results.score + " / " + max);
  process.exit(results.score >= max ? 0 : 1);
' "$work/results.json"
`;

export function classroomWorkflow(repository: string, commit: string): string {
  return `# GitHub Classroom's autograding: on every push, the tests of .github/classroom/autograding.json.
name: GitHub Classroom Workflow
on:
  - push
  - workflow_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  build:
    name: Autograding
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: '20'
      # The grader: backprop-lab at the commit this grader folder was made from.
      - uses: actions/checkout@v4
        with:
          repository: ${repository}
          ref: ${commit}
          path: ${CHECKOUT}
      - run: npm install -g pnpm@${PNPM_VERSION} && cd ${CHECKOUT} && pnpm install --frozen-lockfile
      - uses: education/autograding@v1
`;
}
