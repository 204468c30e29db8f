/**
 * `pnpm assignment <command>`: its commands declared for the trainer's CLI kit (@backprop-lab/trainer's
 * Command, runCli), so its --help, usage errors (one line, exit 2) and failures read like `pnpm train`'s
 * and `pnpm data`'s. The bin only runs assignmentProgram.
 */
import { EXERCISES } from '@backprop-lab/assignment';
import { type Command, list, oneOf, type Program } from '@backprop-lab/trainer';
import { gradeCommand } from './grade/command.js';
import { runInitGrader } from './grader-files/init-grader.js';
import { initKit } from './init.js';

export const initCommand: Command = {
  name: 'init',
  brief: "writes a student's starter kit into a new or empty folder",
  summary:
    'Writes a student kit into <dir> (new or empty): stubs in src/ generated from the reference layers,\n' +
    'the toolkit in vendor/, check.ts and README.md. Then: cd <dir>, install, `pnpm check`.',
  flags: [
    {
      name: 'only',
      type: 'string',
      value: '<exercise,...>',
      description: 'only these exercises',
      default: 'all',
      parse: list(oneOf(EXERCISES.map((exercise) => exercise.id)), { unique: true }),
    },
    {
      name: 'grader',
      type: 'boolean',
      description: "write an instructor's grader folder instead (Gradescope, GitHub Classroom, grader.json)",
    },
  ],
  positionals: { min: 1, max: 1, usage: '<dir>' },
  footer: ['Exit codes: 0 written, 1 the folder cannot be used or written, 2 usage error.'],
  run: ({ values, positionals }, io) => {
    if (values.grader) return runInitGrader(positionals[0], values.only !== undefined, io);
    const { dir, files } = initKit(positionals[0], { only: (values.only as string[] | undefined) ?? [] });
    io.out(`wrote ${files.length} files to ${dir}`);
    io.out(`next: cd ${dir} && npx --yes pnpm@12.4.2 install && npx pnpm@12.4.2 check`);
    return 0;
  },
};

export const assignmentCommand: Command = {
  name: 'assignment',
  summary:
    "The student side of the batchnorm assignment: a kit of stubs to implement, checked against the\nreference; `pnpm train --layers <kit>` then runs the study on the student's layers.",
  flags: [],
  subcommands: [initCommand, gradeCommand],
};

export const assignmentProgram: Program = {
  name: 'assignment',
  invocation: 'pnpm assignment',
  root: assignmentCommand,
};
