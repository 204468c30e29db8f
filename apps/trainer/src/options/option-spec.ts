/**
 * The shape of one `pnpm train` option in the table (table.ts): its flag, its config key, its default and
 * presets, how it parses and how it prints.
 */
import type { Parser } from '../cli/values.js';
import type { Experiment, TrainConfig } from '../config.js';

export type OptionGroup = 'Data' | 'Model and training' | 'Experiment' | 'Output';

export interface OptionSpec<K extends keyof TrainConfig = keyof TrainConfig> {
  /** Flag name without the dashes; also the key in a --config file. */
  name: string;
  key: K;
  group: OptionGroup;
  /** Shown in --help after the flag, e.g. `<csv>`; absent for switches. */
  value?: string;
  default: TrainConfig[K];
  /** Defaults that an experiment changes (the sweeps reproduce CS231n's own setups). */
  presets?: Partial<Record<Experiment, TrainConfig[K]>>;
  /** Only meaningful for these experiments; giving it for another one is a usage error. */
  onlyFor?: Experiment[];
  description: string;
  parse: Parser<TrainConfig[K]>;
  /** How a value prints in --help and the README. */
  show?: (value: TrainConfig[K]) => string;
}

export function option<K extends keyof TrainConfig>(spec: OptionSpec<K>): OptionSpec {
  return spec as unknown as OptionSpec;
}
