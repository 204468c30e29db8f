/** --help for any Command, rendered from its declaration: usage, summary, flags by group, subcommands. */
import type { Command, FlagSpec, Program } from './command.js';
import { renderTable } from './table.js';

const HELP_FLAG: FlagSpec = { name: 'help', type: 'boolean', description: 'this text' };

/** `--name <value>` as --help shows it. */
export function flagText(flag: FlagSpec): string {
  return flag.display ?? (flag.value ? `--${flag.name} ${flag.value}` : `--${flag.name}`);
}

export function flagDescription(flag: FlagSpec): string {
  return flag.default === undefined ? flag.description : `${flag.description} [default: ${flag.default}]`;
}

/** `path` is the command's words after the program, e.g. ['inspect'] for `pnpm data inspect`. */
export function renderHelp(program: Program, command: Command, path: readonly string[] = []): string {
  const usage =
    command.usage ??
    [command.subcommands?.length ? '<command>' : '', command.positionals?.usage ?? '', '[options]']
      .filter(Boolean)
      .join(' ');
  const lines = [`Usage: ${[program.invocation, ...path, usage].join(' ')}`, '', command.summary, ''];
  const flags = [...command.flags, { ...HELP_FLAG, group: command.flags.at(-1)?.group }];
  const groups = [...new Set(flags.map((flag) => flag.group ?? 'Options'))];
  // One table for all groups, so every description starts in the same column.
  const rendered = renderTable(
    flags.map((flag) => [flagText(flag), flagDescription(flag)]),
    { indent: 2 },
  );
  for (const group of groups) {
    lines.push(`${group}:`);
    flags.forEach((flag, i) => {
      if ((flag.group ?? 'Options') === group) lines.push(rendered[i]);
    });
    lines.push('');
  }
  if (command.subcommands?.length) {
    lines.push('Commands:');
    lines.push(
      ...renderTable(
        command.subcommands.map((sub) => [sub.name, sub.brief ?? '']),
        { indent: 2 },
      ),
    );
    lines.push(
      '',
      `Run \`${[program.invocation, ...path].join(' ')} <command> --help\` for its options.`,
      '',
    );
  }
  for (const section of command.sections ?? []) {
    lines.push(`${section.title}:`, ...renderTable(section.rows, { indent: 2 }), '');
  }
  lines.push(...(command.footer ?? []));
  return lines.join('\n').trimEnd();
}
