/**
 * Parsed flags (the CLI kit has turned argv into values by flag name) and --config files → TrainConfig.
 * Precedence, lowest first: option default, the experiment's preset, the --config file, flags. Every
 * error is a UsageError naming the flag or file key at fault.
 */
import { readFileSync } from 'node:fs';
import { suggest } from '../cli/parse.js';
import { ValueError } from '../cli/values.js';
import type { Experiment, TrainConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { TRAIN_FLAGS } from './flags.js';
import { findOption, OPTIONS, type OptionSpec, presetValue } from './table.js';

/** Raw values by option name, with where each came from for error messages. */
type RawValues = Map<string, { raw: unknown; source: string }>;

/**
 * The config from `pnpm train`'s parsed flags (strings and switches, by flag name; see flags.ts) and the
 * --config file they may name.
 */
export function configFromFlags(values: Readonly<Record<string, unknown>>): TrainConfig {
  const flags: RawValues = new Map();
  for (const [name, raw] of Object.entries(values)) {
    if (name !== 'config') flags.set(name, { raw, source: `--${name}` });
  }
  const file = typeof values.config === 'string' ? readConfigFile(values.config) : new Map();
  return resolveConfig(file, flags);
}

/** Builds the config from --config file values and flag values (flags win). */
export function resolveConfig(file: RawValues, flags: RawValues): TrainConfig {
  const merged: RawValues = new Map([...file, ...flags]);
  const experimentSpec = findOption('experiment')!;
  const experiment = merged.has('experiment')
    ? (parseOne(experimentSpec, merged.get('experiment')!) as Experiment)
    : (experimentSpec.default as Experiment);
  const config: Record<string, unknown> = {};
  for (const spec of OPTIONS) {
    const given = merged.get(spec.name);
    if (given && spec.onlyFor && !spec.onlyFor.includes(experiment)) {
      throw new UsageError(
        `${given.source} applies only to --experiment ${spec.onlyFor.join('|')} (this is ${experiment})`,
      );
    }
    config[spec.key] = given ? parseOne(spec, given) : presetValue(spec, experiment);
  }
  checkDataPaths(config as unknown as TrainConfig);
  return config as unknown as TrainConfig;
}

/** Your own data needs both --train and --val (--test optional); the built-in dataset needs none of them. */
export function checkDataPaths(config: Pick<TrainConfig, 'train' | 'val' | 'test'>): void {
  const given = (['train', 'val', 'test'] as const).filter((name) => config[name] !== null);
  if (given.length > 0 && (config.train === null || config.val === null)) {
    throw new UsageError(
      `--${given.join(', --')} given without ${config.train === null ? '--train' : '--val'}: your own data needs ` +
        'both --train and --val (--test is optional); leave all three out for the built-in dataset',
    );
  }
}

/** The config `pnpm train` runs with no flags (for `experiment`, with that experiment's presets). */
export function defaultConfig(experiment: Experiment = 'compare'): TrainConfig {
  return resolveConfig(new Map(), new Map([['experiment', { raw: experiment, source: 'defaultConfig' }]]));
}

function parseOne(spec: OptionSpec, given: { raw: unknown; source: string }): unknown {
  try {
    return spec.parse(given.raw);
  } catch (error) {
    if (error instanceof ValueError) throw new UsageError(`${given.source}: ${error.message}`);
    throw error;
  }
}

/** A JSON object whose keys are flag names ("lr", "num-train", "norm"...); values as in JSON or as flags. */
export function readConfigFile(file: string): RawValues {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`--config ${file}: cannot read the file (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${file}: invalid JSON${jsonPosition(text, error)}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new UsageError(`--config ${file}: expected a JSON object of option names to values`);
  }
  const values: RawValues = new Map();
  for (const [key, raw] of Object.entries(json)) {
    if (!findOption(key)) {
      throw new UsageError(
        `--config ${file}: unknown key "${key}"${suggest(key, TRAIN_FLAGS)} (keys are the flag names)`,
      );
    }
    values.set(key, { raw, source: `--config ${file}: key "${key}"` });
  }
  return values;
}

/** " at line L column C" from V8's "... in JSON at position P" message, when it has one. */
function jsonPosition(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const match = /position (\d+)/.exec(message);
  if (!match) return message ? `: ${message}` : '';
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` at line ${line} column ${column}`;
}
