/** `pnpm gradcheck`: the command is commands/gradcheck.ts, run through the CLI kit. */
import { runMain } from '../cli/main.js';
import { gradcheckProgram } from '../commands/gradcheck.js';

await runMain(gradcheckProgram);
