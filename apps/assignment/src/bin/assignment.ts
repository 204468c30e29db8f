// `pnpm assignment <command>`: the commands are command.ts, run through the trainer's CLI kit.
import { runMain } from '@backprop-lab/trainer';
import { assignmentProgram } from '../command.js';

await runMain(assignmentProgram);
