/**
 * The CLI kit's vocabulary: every command of the app (train, data and its subcommands, gradcheck, and
 * the ones to come) is a Command declared as data and run by runCli (run.ts). Flags are parsed by
 * node:util's parseArgs (parse.ts); --help is rendered from the same declarations (help.ts).
 */
import type { Parser } from './values.js';

export interface FlagSpec {
  /** Without the dashes. */
  name: string;
  /** A string flag takes a value; a boolean one is a switch. */
  type: 'string' | 'boolean';
  /** Placeholder shown in --help after the flag, e.g. `<file.csv>`. */
  value?: string;
  description: string;
  /** Shown as ` [default: ...]` after the description. */
  default?: string;
  /** Heading under which --help lists the flag (default: Options). */
  group?: string;
  /** Shown in --help instead of `--name <value>` (e.g. `--no-progress` for a switch that is on). */
  display?: string;
  /** A switch that also takes the `--no-<name>` form (value false). */
  negatable?: boolean;
  /** The flag may be repeated; its value is then the list of values given. */
  multiple?: boolean;
  /** Turns the string into the value the command gets; a ValueError becomes a usage error naming the flag. */
  parse?: Parser<unknown>;
}

/** What a command's run gets: flag values by name (parsed when the flag has `parse`) and the positionals. */
export interface ParsedInput {
  values: Record<string, unknown>;
  positionals: string[];
}

/** Where a command's output goes: the bin passes the process's streams, tests collect lines. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** A terminal stream for live progress; absent (tests, pipes handled by the command) = no live display. */
  progress?: NodeJS.WriteStream;
  /** Whether stdout takes ANSI colours. */
  color?: boolean;
  /** Aborted when the user interrupts (Ctrl-C); commands that can stop early listen to it. */
  signal?: AbortSignal;
}

export interface Command {
  name: string;
  /** One line in the parent's command list. */
  brief?: string;
  /** Paragraph under the usage line of --help. */
  summary: string;
  /** What follows the command in the usage line; default `[options]` (or `<command> [options]`). */
  usage?: string;
  flags: readonly FlagSpec[];
  positionals?: { min: number; max: number; usage: string };
  subcommands?: readonly Command[];
  /** Extra --help sections after the flags, e.g. gradcheck's list of checks. */
  sections?: readonly { title: string; rows: readonly (readonly string[])[] }[];
  /** Lines at the end of --help (exit codes, pointers). */
  footer?: readonly string[];
  /** Returns the exit code (default 0). A command with subcommands and no run only dispatches. */
  run?(input: ParsedInput, io: CliIo): Promise<number | undefined> | number | undefined;
}

/** A bin: its root command, its name in error lines (`train: ...`) and how users invoke it. */
export interface Program {
  name: string;
  /** e.g. `pnpm train`; the usage line and the `(see ... --help)` hints use it. */
  invocation: string;
  root: Command;
}
