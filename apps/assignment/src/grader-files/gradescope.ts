/**
 * Gradescope's two scripts (its "Autograder Specifications"): setup.sh runs once, as root, when the
 * autograder image is built; run_autograder runs per submission with the student's upload unpacked in
 * /autograder/submission and must leave /autograder/results/results.json. Our zip's files are in
 * /autograder/source.
 */

export const NODE_VERSION = '20.20.2';
export const PNPM_VERSION = '12.4.2';

export const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image: Node, pnpm, and backprop-lab
# (the toolkit and its grader, from backprop-lab.tar.gz in this zip) installed in /autograder/backprop-lab.
set -euo pipefail
NODE_VERSION=${NODE_VERSION}

# build-essential and python3 let tensor-native compile its C kernels; without them grading runs in JS.
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl xz-utils build-essential python3
curl -fsSL "https://nodejs.org/dist/v\${NODE_VERSION}/node-v\${NODE_VERSION}-linux-x64.tar.xz" |
  tar -xJ -C /usr/local --strip-components=1
npm install -g pnpm@${PNPM_VERSION}

mkdir -p /autograder/backprop-lab
tar -xzf /autograder/source/backprop-lab.tar.gz -C /autograder/backprop-lab
cd /autograder/backprop-lab
CI=true pnpm install --frozen-lockfile
`;

/**
 * Always leaves a results.json: when the grader itself fails (a bug, a broken image), the student sees
 * a score of 0 with the reason, and the instructor the whole error in Gradescope's stdout log. The reason
 * is the grader's last line: pnpm adds its own ("[ELIFECYCLE] Command failed with exit code 2.") after it.
 */
export const RUN_AUTOGRADER = `#!/usr/bin/env bash
# Gradescope runs this for every submission: grades /autograder/submission (the student's submission.zip
# from \`pnpm collect\`, which Gradescope unpacks, or their kit folder) with grader.json, and writes
# /autograder/results/results.json.
set -uo pipefail
results=/autograder/results/results.json
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p /autograder/results
cd /autograder/backprop-lab

if ! pnpm --silent assignment grade /autograder/submission --config /autograder/source/grader.json \\
  --jobs 1 --out "$work/grade" --results-json "$results" 2>"$work/stderr"; then
  node -e '
    const [file, reason] = process.argv.slice(1);
    const output =
      "The autograder could not grade this submission: " + reason + "\\n" +
      "Upload the submission.zip that \`npx pnpm@${PNPM_VERSION} collect\` writes in your kit, or ask your instructor.";
    require("node:fs").writeFileSync(file, JSON.stringify({ score: 0, output }));
  ' "$results" "$(grep -v ELIFECYCLE "$work/stderr" | tail -n 1)"
fi
cat "$work/stderr" >&2
exit 0
`;
