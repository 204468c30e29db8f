/** The grader folder's README: what is in it, Gradescope and GitHub Classroom step by step, the limits. */
import { DEFAULT_SUBMISSION_LIMITS } from '../collect/read-submission.js';
import { PNPM_VERSION } from './gradescope.js';

const MB = 1024 * 1024;

export function graderReadme(commit: string, repository: string): string {
  const limits = DEFAULT_SUBMISSION_LIMITS;
  return `# backprop-lab grader

Written by \`pnpm assignment init --grader\` from backprop-lab at commit \`${commit}\` (a snapshot of
that commit is \`backprop-lab.tar.gz\`: committed files only). Students hand in what
\`npx pnpm@${PNPM_VERSION} collect\` writes in their kit: \`submission.zip\`, holding \`submission.json\` (the kit's
version, the exercises, a SHA-256 hash of every file) and their \`src/<exercise>.ts\` files.

| file | what it is |
|---|---|
| \`grader.json\` | the grade command's config: points per exercise, hidden runs, seed, limits. Edit it. |
| \`setup.sh\`, \`run_autograder\` | Gradescope's autograder scripts |
| \`backprop-lab.tar.gz\` | the toolkit and the grader, installed by \`setup.sh\` |
| \`github-classroom/.github/\` | GitHub Classroom's autograding test and workflow |

## Grading on your machine

From a clone of backprop-lab, with a folder of submissions (zips or kit folders):

\`\`\`sh
pnpm assignment grade submissions/ --config grader.json --out results/
\`\`\`

## Gradescope

1. Make the autograder zip, with the files at its root (not inside a folder):
   \`zip autograder.zip setup.sh run_autograder grader.json backprop-lab.tar.gz\`
2. Create a Programming Assignment; under Configure Autograder, upload \`autograder.zip\` (Ubuntu
   base image). \`setup.sh\` installs Node 20, pnpm and backprop-lab while the image builds (a few minutes).
3. Students upload \`submission.zip\`, which Gradescope unpacks into \`/autograder/submission\`.
   \`run_autograder\` grades it and writes \`/autograder/results/results.json\`: one test per exercise for
   the visible checks, one for the hidden ones, and the fingerprints' diagnoses as feedback. When the
   grader itself fails, the student gets 0 with the reason and you the full error in the stdout log.
4. Changed \`grader.json\`? Zip again and upload again, then regrade.

## GitHub Classroom

The starter repository is a kit (\`pnpm assignment init\`, with its \`vendor/\`). Copy
\`github-classroom/.github\` into it (and \`grader.json\` into its \`.github/classroom/\` if you changed it).
The workflow checks out backprop-lab from \`${repository}\` at the commit above into \`.backprop-lab\`;
change \`repository:\` in \`.github/workflows/classroom.yml\` if your copy lives elsewhere (a private one
needs a \`token:\`). Its one test, worth full marks, grades the student's repository on every push and
fails below full marks; the log shows the feedback. Students can read and edit these files in their
repository: treat the score as feedback and grade for the record from the repositories themselves
(\`pnpm assignment grade\` on the clones).
Classroom assignments whose tests are set in its web form instead take the same command as a
"Run command" test: \`bash .github/classroom/grade.sh\` (with the workflow's checkout and install steps).

## What a submission may hold, and what is reported

- Only \`submission.json\` and \`src/<exercise>.ts\`: no other entry, no absolute path, no \`..\`, no
  symbolic link; at most ${limits.maxEntries} entries, ${limits.maxEntryBytes / MB} MB per file and
  ${limits.maxTotalBytes / MB} MB in all (checked from the headers and again while inflating), a zip of
  at most ${limits.maxZipBytes / MB} MB. A zip that breaks these rules, is damaged, or is not a zip is not
  graded; the reason is one line naming the entry.
- A missing exercise file scores 0 for its exercises only; the others are graded.
- Reported as tampering, and graded all the same: a kit file other than \`src/\` that differs from what
  \`pnpm assignment init\` wrote (\`check.ts was modified\`), and a file that does not match the hash
  \`collect\` recorded (the zip was edited afterwards). The grader never runs the kit's own files: it
  loads the student's \`src/\` files and runs its own checks. It compares with the kit *this* backprop-lab
  writes, so grade with the commit the kits were made from: a later one may pin other versions in
  \`pnpm-workspace.yaml\` and report it as modified in every submission.
`;
}
