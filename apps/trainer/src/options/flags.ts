/**
 * The train options as the CLI kit's flags (for parsing and --help) and as the README's options table:
 * both rendered from OPTIONS, so neither can drift from the other.
 */
import type { FlagSpec } from '../cli/command.js';
import { flagText } from '../cli/help.js';
import { EXPERIMENTS } from '../config.js';
import { OPTIONS, type OptionSpec, showValue } from './table.js';

const GROUPS = ['Data', 'Model and training', 'Experiment', 'Output'] as const;

/** The default, then what each experiment's preset changes it to. */
function defaultText(spec: OptionSpec): string {
  const base = showValue(spec, spec.default);
  const presets = EXPERIMENTS.flatMap((experiment) => {
    const preset = spec.presets?.[experiment];
    return preset === undefined ? [] : [`${experiment}: ${showValue(spec, preset)}`];
  });
  return presets.length ? `${base} (${presets.join('; ')})` : base;
}

function toFlag(spec: OptionSpec): FlagSpec {
  // Options without a value placeholder are switches: --json, --overwrite, and --progress (on by
  // default, so --help shows the form that changes something: --no-progress).
  const isSwitch = spec.value === undefined;
  return {
    name: spec.name,
    type: isSwitch ? 'boolean' : 'string',
    value: spec.value,
    description: spec.description,
    default: defaultText(spec),
    group: spec.group,
    negatable: isSwitch,
    display: isSwitch && spec.default === true ? `--no-${spec.name}` : undefined,
  };
}

export const CONFIG_FLAG: FlagSpec = {
  name: 'config',
  type: 'string',
  value: '<file.json>',
  description: 'options as a JSON object keyed by flag name; flags win',
  group: 'Output',
};

/** Every flag of `pnpm train`, in --help order: the options by group, then --config. */
export const TRAIN_FLAGS: readonly FlagSpec[] = [
  ...GROUPS.flatMap((group) => OPTIONS.filter((spec) => spec.group === group).map(toFlag)),
  CONFIG_FLAG,
];

/** The options table of apps/trainer/README.md (a test keeps the README in step). */
export function renderOptionsMarkdown(): string {
  const escapePipes = (text: string) => text.replace(/\|/g, '\\|');
  const lines = ['| option | default | what it does |', '| --- | --- | --- |'];
  for (const flag of TRAIN_FLAGS) {
    lines.push(
      `| \`${escapePipes(flagText(flag))}\` | ${escapePipes(flag.default ?? 'none')} | ${escapePipes(flag.description)} |`,
    );
  }
  lines.push('| `--help` |  | lists every option with its default |');
  return lines.join('\n');
}
