/** The kit's README: install, check, the exercises in order, and training the study with your layers. */
import type { Exercise } from '@backprop-lab/assignment';

function exerciseList(exercises: readonly Exercise[]): string {
  return exercises
    .map((e, i) => {
      const fns = e.functions.map((fn) => `\`${fn}\``).join(', ');
      const doc = e.docs ? ` Read [${e.docs.split('/').pop()}](docs/${e.docs.split('/').pop()}) first.` : '';
      return `${i + 1}. **${e.title}** (\`${e.id}\`): ${fns} in \`src/${e.file}\`.${doc}\n   \`npx pnpm@12.4.2 check --only ${e.id}\``;
    })
    .join('\n');
}

export function kitReadme(exercises: readonly Exercise[]): string {
  const hasBatchnorm = exercises.some((e) => e.id.startsWith('batchnorm'));
  return `# backprop-lab assignment kit

You write the layers, optimizers and the fully connected net of CS231n's assignment 2 in TypeScript, on
backprop-lab's tensors. Every file in \`src/\` keeps the reference's types, signatures and doc comments
(shapes, formulas, hints); each body throws \`NotImplemented\` until you write it.

## 1. Install (once)

Node 20 or newer. In this folder:

\`\`\`sh
npx --yes pnpm@12.4.2 install
\`\`\`

The toolkit (\`@backprop-lab/tensor\`, \`layers\`, \`optim\`, \`gradcheck\`, \`assignment\`) comes from the
tarballs in \`vendor/\`, never from a registry; only tsx and TypeScript are downloaded (or taken from pnpm's
store: \`npx --yes pnpm@12.4.2 install --offline\` works where they are already there).

## 2. Check your work

\`\`\`sh
npx pnpm@12.4.2 check                      # every exercise: pass, fail, or not started
npx pnpm@12.4.2 check --only affine,relu   # some of them
npx pnpm@12.4.2 check --json               # the same report as JSON
\`\`\`

Forward values are compared with the reference on fixed inputs; backward passes against numerical
gradients of *your own* forward (float64, centered differences) and against the reference. The command
exits with 1 while any exercise fails; exercises you have not started are listed, not failed.
\`npx pnpm@12.4.2 typecheck\` runs the TypeScript compiler over your files.

## 3. The exercises, in order

${exerciseList(exercises)}

Each function's doc comment gives the shapes (N batch, D features, H hidden units, C classes) and the
formula. Build on the tensor ops of \`@backprop-lab/tensor\` (\`matmul\`, \`sum\`, \`mean\`, \`mul\`, ...): they
broadcast like numpy, and your own files may import each other (\`import { affineForward } from './affine.js'\`).
${
  hasBatchnorm
    ? `
The graph form of batchnorm's backward (\`batchnormBackward\`) walks [the derivation](docs/batchnorm-backward.md)
node by node: its stub lists every named intermediate of section 2 as a TODO line. Return them as
\`steps\` and the check tells you the first one that differs from the reference, and which local derivative
that step needed.
`
    : ''
}
## 4. Hand in

\`\`\`sh
npx pnpm@12.4.2 collect
\`\`\`

writes \`submission.zip\`: your exercise files in \`src/\` and \`submission.json\` (the kit's version and a
SHA-256 hash of each file). Only those: a file of your own (\`src/util.ts\`) is left out, with a note, and
an exercise file that imports it will not load when graded, so keep your code in the exercise files. Hand in that zip as it is (on Gradescope, upload it; with GitHub Classroom, push this
folder instead). It refuses, in one line, when an exercise file is missing, is not a plain file, or is
over 1 MB: put the file back, even unfinished, and run it again. Change only the files in \`src/\`: the
grader runs its own checks, and reports any other kit file (\`check.ts\`, \`package.json\`, ...) that
differs from the kit as written, as well as a zip edited after \`collect\`.

## 5. Train the batchnorm study with your layers

From a clone of backprop-lab (where \`pnpm install\` has run), point the trainer at this folder:

\`\`\`sh
pnpm train --layers <path-to-this-kit>
\`\`\`

Before training, the trainer gradient-checks a small net built from your layers and stops with the failing
parameter if your backward is wrong. Layers you have not started fall back to the reference, with a
one-line note per layer; the report says whose layers ran. Your batchnorm, filled in correctly, gives the
same study as the built-in layers.
`;
}
