/**
 * argv → flag values and positionals for one Command, through node:util's parseArgs (strict: an unknown
 * flag is an error). Its multi-line messages become one line naming the flag; a near miss gets a
 * "did you mean" from fastest-levenshtein; a repeated flag and a bad value are usage errors too.
 */
import { parseArgs } from 'node:util';
import { closest, distance } from 'fastest-levenshtein';
import { UsageError } from '../errors.js';
import type { Command, FlagSpec, ParsedInput } from './command.js';
import { ValueError } from './values.js';

/** How a usage error of this command begins (`inspect: `) and ends (` (see pnpm data inspect --help)`). */
export interface ErrorContext {
  prefix: string;
  hint: string;
}

type ParseConfig = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** True when argv asks for help (before a `--` that ends the options). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

export function parseFlags(
  command: Pick<Command, 'flags' | 'positionals' | 'subcommands'>,
  argv: readonly string[],
  context: ErrorContext,
): ParsedInput {
  const usage = (message: string) => new UsageError(`${context.prefix}${message}${context.hint}`);
  const options: ParseConfig = {};
  for (const flag of command.flags) {
    options[flag.name] = { type: flag.type, multiple: flag.multiple ?? false };
    if (flag.negatable) options[`no-${flag.name}`] = { type: 'boolean' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    throw usage(describeParseError(error, command.flags));
  }
  const raw = new Map<string, unknown>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const negated = token.name.startsWith('no-') && !command.flags.some((flag) => flag.name === token.name);
    const flag = command.flags.find((spec) => spec.name === (negated ? token.name.slice(3) : token.name))!;
    const value = negated ? false : flag.type === 'boolean' ? true : token.value;
    if (flag.multiple) raw.set(flag.name, [...((raw.get(flag.name) as unknown[]) ?? []), value]);
    else if (raw.has(flag.name)) throw usage(`--${flag.name} given twice`);
    else raw.set(flag.name, value);
  }
  const { positionals } = parsed;
  const wanted = command.positionals ?? { min: 0, max: 0, usage: '' };
  if (positionals.length > 0 && wanted.max === 0) {
    const commands = command.subcommands?.map((sub) => sub.name).join(', ');
    const expected = commands ? `options start with --; commands: ${commands}` : 'options start with --';
    throw usage(`unexpected argument ${JSON.stringify(positionals[0])} (${expected})`);
  }
  if (positionals.length < wanted.min || positionals.length > wanted.max) {
    throw new UsageError(`${context.prefix}expected ${wanted.usage}, got ${positionals.length} argument(s)`);
  }
  const values: Record<string, unknown> = {};
  for (const [name, value] of raw) {
    const flag = command.flags.find((spec) => spec.name === name)!;
    values[name] = flag.parse ? parseValue(flag, value, context.prefix) : value;
  }
  return { values, positionals };
}

function parseValue(flag: FlagSpec, value: unknown, prefix: string): unknown {
  try {
    return Array.isArray(value) ? value.map((item) => flag.parse!(item)) : flag.parse!(value);
  } catch (error) {
    if (error instanceof ValueError) throw new UsageError(`${prefix}--${flag.name}: ${error.message}`);
    throw error;
  }
}

/** parseArgs's messages run over several lines and suggest `--` forms: one short line instead. */
function describeParseError(error: unknown, flags: readonly FlagSpec[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(--?[^'\s=]+)/.exec(message)?.[1] ?? '';
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${flag}${suggest(flag, flags)}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('ambiguous'))
      return `${flag} needs a value (write ${flag}=<value> for one that starts with -)`;
    return message.includes('does not take') ? `${flag} takes no value` : `${flag} needs a value`;
  }
  return message.split('\n')[0];
}

/** The name of `names` nearest to `given` when it is a near miss: a typo or two, or an underscore/case spelling. */
export function nearest(given: string, names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const normalized = given.replace(/_/g, '-').toLowerCase();
  const hit = closest(normalized, [...names]);
  // One edit for short names (--epoch), two for long ones (--wieght-scale).
  return distance(hit, normalized) <= (given.length >= 6 ? 2 : 1) ? hit : null;
}

/** " (did you mean --x?)" for a near miss of a flag name. */
export function suggest(given: string, flags: readonly FlagSpec[]): string {
  const names = flags.flatMap((flag) => (flag.negatable ? [flag.name, `no-${flag.name}`] : [flag.name]));
  const hit = nearest(given.replace(/^-+/, ''), names);
  return hit === null ? '' : ` (did you mean --${hit}?)`;
}
