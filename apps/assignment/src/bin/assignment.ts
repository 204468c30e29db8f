// `pnpm assignment <command>`: the commands are command.ts, run through the trainer's CLI kit. Ctrl-C
// stops a grading the way `grade` says (exit 130, class.csv of the submissions graded so far); a second
// one quits at once.
import { runMain } from '@backprop-lab/trainer';
import { assignmentProgram } from '../command.js';

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) {
    process.stderr.write('\nassignment: interrupted again, quitting without class.csv\n');
    process.exit(130);
  }
  controller.abort();
});

await runMain(assignmentProgram, { signal: controller.signal });
