/**
 * What every bin shares around runCli: stdout and stderr as line writers, a reader closing stdout early
 * (`| head`) taken as its choice, anything escaping the command still ending in one line, and the exit
 * code; and Ctrl-C as every bin takes it (interruptSignal). What stopping means stays with each command
 * (train writes a partial report, grade the class.csv of what it graded).
 */
import { classifyError, errorLine, exitCodeFor } from '../errors.js';
import type { CliIo, Program } from './command.js';
import { runCli } from './run.js';

export async function runMain(program: Program, extra: Pick<CliIo, 'signal'> = {}): Promise<void> {
  const fail = (error: unknown) => {
    process.stderr.write(`${errorLine(program.name, error)}\n`);
    process.exit(exitCodeFor(classifyError(error)));
  };
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    fail(error);
  });
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    progress: process.stderr,
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    ...extra,
  };
  process.exitCode = await runCli(program, process.argv.slice(2), io);
}

/**
 * Ctrl-C for a bin: the first aborts the returned signal, which the command reads to stop and keep what it
 * can (exit 130); a second quits at once, saying `<name>: interrupted again, quitting <lost>` (files are
 * written atomically, so none is left half-written).
 */
export function interruptSignal(name: string, lost: string): AbortSignal {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) {
      process.stderr.write(`\n${name}: interrupted again, quitting ${lost}\n`);
      process.exit(130);
    }
    controller.abort();
  });
  return controller.signal;
}
