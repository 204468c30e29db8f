// pnpm assignment init <dir>: parse → initKit → print → exit code. One line per mistake, no stack.
import { parseAssignmentArgs, USAGE, UsageError } from '../args.js';
import { InitError, initKit } from '../init.js';
import { StubError } from '../stub.js';

function main(argv: readonly string[]): number {
  try {
    const command = parseAssignmentArgs(argv);
    if (command.command === 'help') {
      console.log(USAGE);
      return 0;
    }
    const { dir, files } = initKit(command.dir, { only: command.only });
    console.log(
      `wrote ${files.length} files to ${dir}\nnext: cd ${dir} && npx --yes pnpm@12.4.2 install && npx pnpm@12.4.2 check`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message} (pnpm assignment --help)`);
      return 2;
    }
    if (error instanceof InitError || error instanceof StubError) {
      console.error(error.message);
      return 1;
    }
    if (process.env.BACKPROP_LAB_DEBUG) throw error;
    console.error(`pnpm assignment: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
