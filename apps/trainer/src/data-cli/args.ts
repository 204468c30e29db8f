/**
 * Command-line options declared as data, parsed with node:util's parseArgs (strict: an unknown flag is an
 * error), then checked and converted here so every bad value becomes a UsageError naming the flag.
 */
import { parseArgs } from 'node:util';

/** A mistake in how the command was called: exit code 2. */
export class CliUsageError extends Error {
  override name = 'UsageError';
}

export interface OptionSpec {
  name: string;
  kind: 'string' | 'integer' | 'boolean';
  /** Placeholder in the help text, e.g. `<file.csv>`. */
  value?: string;
  description: string;
  /** Smallest allowed integer. */
  min?: number;
}

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  brief: string;
  summary: string;
  /** e.g. `<file.csv>`; shown after the command name. */
  positionals: string;
  minPositionals: number;
  maxPositionals: number;
  options: OptionSpec[];
}

export type OptionValues = Record<string, string | number | boolean | undefined>;

export function parseCommandArgs(
  spec: CommandSpec,
  argv: string[],
): { values: OptionValues; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: Object.fromEntries(
        spec.options.map((option) => [
          option.name,
          { type: option.kind === 'boolean' ? 'boolean' : 'string' },
        ]),
      ) as Record<string, { type: 'string' | 'boolean' }>,
    });
  } catch (error) {
    throw new CliUsageError(`${spec.name}: ${describeParseError(error)} (see data ${spec.name} --help)`);
  }
  const { positionals } = parsed;
  if (positionals.length < spec.minPositionals || positionals.length > spec.maxPositionals) {
    throw new CliUsageError(
      `${spec.name}: expected ${spec.positionals || 'no arguments'}, got ${positionals.length} argument(s)`,
    );
  }
  const values: OptionValues = {};
  for (const option of spec.options) {
    const raw = parsed.values[option.name];
    if (raw === undefined) continue;
    if (Array.isArray(raw)) throw new CliUsageError(`${spec.name}: --${option.name} given twice`);
    values[option.name] = option.kind === 'integer' ? toInteger(spec.name, option, String(raw)) : raw;
  }
  return { values, positionals };
}

/** parseArgs's messages run over several lines and suggest `--` forms: one short line instead. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? '';
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${flag}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('ambiguous'))
      return `${flag} needs a value (write ${flag}=<value> for one that starts with -)`;
    return message.includes('does not take') ? `${flag} takes no value` : `${flag} needs a value`;
  }
  return message.split('\n')[0];
}

function toInteger(command: string, option: OptionSpec, raw: string): number {
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  const min = option.min ?? 0;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new CliUsageError(
      `${command}: --${option.name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

export function commandHelp(spec: CommandSpec): string {
  const flags = spec.options.map((option) => [
    `--${option.name}${option.value ? ` ${option.value}` : ''}`,
    option.description,
  ]);
  flags.push(['--help', 'this text']);
  const width = Math.max(...flags.map(([flag]) => flag.length)) + 2;
  return [
    `Usage: data ${spec.name} ${spec.positionals}${spec.options.length ? ' [options]' : ''}`.trimEnd(),
    '',
    spec.summary,
    '',
    'Options:',
    ...flags.map(([flag, description]) => `  ${flag.padEnd(width)}${description}`),
  ].join('\n');
}
