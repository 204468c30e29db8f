// `pnpm assignment <command>`: the commands are command.ts, run through the trainer's CLI kit. Ctrl-C
// stops a grading the way `grade` says (exit 130, class.csv of the submissions graded so far); a second
// one quits at once.
import { interruptSignal, runMain } from '@backprop-lab/trainer';
import { assignmentProgram } from '../command.js';

await runMain(assignmentProgram, { signal: interruptSignal('assignment', 'without class.csv') });
