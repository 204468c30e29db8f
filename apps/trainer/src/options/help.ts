/** `pnpm train --help` and the README's options table, both rendered from OPTIONS. */
import { EXPERIMENTS } from '../config.js';
import { OPTIONS, type OptionGroup, type OptionSpec, showValue } from './table.js';

const GROUPS: OptionGroup[] = ['Data', 'Model and training', 'Experiment', 'Output'];

function flagText(spec: OptionSpec): string {
  if (spec.name === 'progress') return '--no-progress';
  return spec.value ? `--${spec.name} ${spec.value}` : `--${spec.name}`;
}

function defaultText(spec: OptionSpec): string {
  const base = showValue(spec, spec.default);
  const presets = EXPERIMENTS.flatMap((experiment) => {
    const preset = spec.presets?.[experiment];
    return preset === undefined ? [] : [`${experiment}: ${showValue(spec, preset)}`];
  });
  return presets.length ? `${base} (${presets.join('; ')})` : base;
}

export function renderHelp(): string {
  const lines = [
    'Usage: pnpm train [options]',
    '',
    "Trains CS231n's deep fully connected net with and without batch normalization and reports how the",
    'convergence differs (summary.json, metrics.csv, report.html in the run folder).',
    '',
  ];
  const rows = OPTIONS.map((spec) => ({ spec, flag: flagText(spec) }));
  const width = Math.max(...rows.map((row) => row.flag.length), '--config <file.json>'.length) + 2;
  for (const group of GROUPS) {
    lines.push(`${group}:`);
    for (const { spec, flag } of rows.filter((row) => row.spec.group === group)) {
      lines.push(`  ${flag.padEnd(width)}${spec.description} [default: ${defaultText(spec)}]`);
    }
    if (group === 'Output') {
      lines.push(
        `  ${'--config <file.json>'.padEnd(width)}options as a JSON object keyed by flag name; flags win`,
      );
      lines.push(`  ${'--help'.padEnd(width)}this text`);
    }
    lines.push('');
  }
  lines.push('Exit codes: 0 done, 1 data error or failure, 2 usage error, 130 interrupted (partial report).');
  return lines.join('\n');
}

/** The options table of apps/trainer/README.md (a test keeps the README in step). */
export function renderOptionsMarkdown(): string {
  const escapePipes = (text: string) => text.replace(/\|/g, '\\|');
  const lines = ['| option | default | what it does |', '| --- | --- | --- |'];
  for (const group of GROUPS) {
    for (const spec of OPTIONS.filter((candidate) => candidate.group === group)) {
      lines.push(
        `| \`${escapePipes(flagText(spec))}\` | ${escapePipes(defaultText(spec))} | ${escapePipes(spec.description)} |`,
      );
    }
  }
  lines.push('| `--config <file.json>` | none | options as a JSON object keyed by flag name; flags win |');
  lines.push('| `--help` |  | lists every option with its default |');
  return lines.join('\n');
}
