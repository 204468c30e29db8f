/**
 * Every `pnpm train` option, declared once as data: the flag parser, `--help`, the `--config` file keys and
 * the README's options table all read this list. A `--config` file uses the flag names as keys.
 */
import { DTYPES } from '@backprop-lab/tensor';
import { formatNumber } from '../analysis/format.js';
import { boolean, integer, list, logspace, number, oneOf, orNull, path } from '../cli/values.js';
import { EXPERIMENTS, type Experiment, NORMS, OPTIMIZERS, type TrainConfig } from '../config.js';
import { type OptionSpec, option } from './option-spec.js';
import { formatShard, shard } from './shard-value.js';

export type { OptionGroup, OptionSpec } from './option-spec.js';

const DEEP = [100, 100, 100, 100, 100];
const numberList = (values: number[]) => values.map((value) => String(value)).join(',');
/** The default list by its formula, any other list value by value. */
const listOr = (formula: string, defaults: number[]) => (values: number[]) =>
  values.length === defaults.length && values.every((value, i) => value === defaults[i])
    ? formula
    : values.map((value) => formatNumber(value, 3)).join(',');
const WEIGHT_SCALES = logspace(-4, 0, 20);
const LEARNING_RATES = logspace(-5, -1, 9);

export const OPTIONS: readonly OptionSpec[] = [
  // Data
  option({
    name: 'train',
    key: 'train',
    group: 'Data',
    value: '<csv>',
    default: null,
    description: 'training split CSV (default: the built-in dataset, generated into datasets/ on first use)',
    parse: path,
    show: (value) => value ?? 'built-in',
  }),
  option({
    name: 'val',
    key: 'val',
    group: 'Data',
    value: '<csv>',
    default: null,
    description: 'validation split CSV',
    parse: path,
    show: (value) => value ?? 'built-in',
  }),
  option({
    name: 'test',
    key: 'test',
    group: 'Data',
    value: '<csv>',
    default: null,
    description: 'test split CSV (the best model of each run is scored on it)',
    parse: path,
    show: (value) => value ?? 'built-in',
  }),
  option({
    name: 'num-train',
    key: 'numTrain',
    group: 'Data',
    value: '<n|all>',
    default: 1000,
    description: 'training rows used, the first n of the file (CS231n uses 1000 for these studies)',
    parse: orNull('all', integer(1)),
    show: (value) => (value === null ? 'all' : String(value)),
  }),
  // Model and training
  option({
    name: 'hidden',
    key: 'hidden',
    group: 'Model and training',
    value: '<dims>',
    default: DEEP,
    presets: { 'init-sweep': [50, 50, 50, 50, 50, 50, 50] },
    description: 'hidden layer sizes, comma-separated',
    parse: list(integer(1, 100_000)),
    show: numberList,
  }),
  option({
    name: 'norm',
    key: 'norms',
    group: 'Model and training',
    value: '<list>',
    default: ['none', 'batchnorm'],
    presets: { 'batch-sweep': ['none', 'batchnorm', 'layernorm'] },
    description: 'normalizations compared: none, batchnorm, layernorm',
    parse: list(oneOf(NORMS), { unique: true }),
    show: (value) => value.join(','),
  }),
  option({
    name: 'epochs',
    key: 'epochs',
    group: 'Model and training',
    value: '<n>',
    default: 10,
    description: 'passes over the training rows',
    parse: integer(1, 10_000),
  }),
  option({
    name: 'batch-size',
    key: 'batchSize',
    group: 'Model and training',
    value: '<n>',
    default: 50,
    description: 'minibatch size',
    parse: integer(1),
  }),
  option({
    name: 'optimizer',
    key: 'optimizer',
    group: 'Model and training',
    value: '<rule>',
    default: 'adam',
    description: `update rule: ${OPTIMIZERS.join('|')}`,
    parse: oneOf(OPTIMIZERS),
  }),
  option({
    name: 'lr',
    key: 'lr',
    group: 'Model and training',
    value: '<rate>',
    default: 1e-3,
    description: 'learning rate',
    parse: number(0, Number.POSITIVE_INFINITY, { lowOpen: true }),
  }),
  option({
    name: 'lr-decay',
    key: 'lrDecay',
    group: 'Model and training',
    value: '<factor>',
    default: 1,
    description: 'learning rate multiplier applied after every epoch',
    parse: number(0, 1, { lowOpen: true }),
  }),
  option({
    name: 'weight-scale',
    key: 'weightScale',
    group: 'Model and training',
    value: '<std>',
    default: 2e-2,
    description: 'standard deviation of the initial weights, W ~ N(0, scale²)',
    parse: number(0, Number.POSITIVE_INFINITY, { lowOpen: true }),
  }),
  option({
    name: 'reg',
    key: 'reg',
    group: 'Model and training',
    value: '<λ>',
    default: 0,
    description: 'L2 regularization strength (loss adds 0.5·reg·ΣW²)',
    parse: number(0),
  }),
  option({
    name: 'dropout',
    key: 'dropout',
    group: 'Model and training',
    value: '<keep>',
    default: 1,
    description: 'probability of keeping a unit (1 = no dropout)',
    parse: number(0, 1, { lowOpen: true }),
  }),
  option({
    name: 'seeds',
    key: 'seeds',
    group: 'Model and training',
    value: '<list>',
    default: [1, 2, 3],
    presets: { 'init-sweep': [1], 'batch-sweep': [1], 'lr-sweep': [1] },
    description: 'seeds; each seed gives every variant the same initial weights and minibatch order',
    parse: list(integer(0, 2 ** 32 - 1), { unique: true }),
    show: numberList,
  }),
  option({
    name: 'dtype',
    key: 'dtype',
    group: 'Model and training',
    value: '<type>',
    default: 'float64',
    description: `element type: ${DTYPES.join('|')}`,
    parse: oneOf(DTYPES),
  }),
  option({
    name: 'layers',
    key: 'layers',
    group: 'Model and training',
    value: '<kit>',
    default: null,
    description:
      'train with the layers of a student kit (pnpm assignment init): gradient-checked first; layers not ' +
      'started there fall back to the reference',
    parse: path,
    show: (value) => value ?? 'reference',
  }),
  // Experiment
  option({
    name: 'experiment',
    key: 'experiment',
    group: 'Experiment',
    value: '<name>',
    default: 'compare',
    description: `${EXPERIMENTS.join('|')}; presets below marked per experiment`,
    parse: oneOf(EXPERIMENTS),
  }),
  option({
    name: 'weight-scales',
    key: 'weightScales',
    group: 'Experiment',
    value: '<list>',
    default: WEIGHT_SCALES,
    onlyFor: ['init-sweep'],
    description: 'init-sweep: weight scales tried, comma-separated',
    parse: list(number(0, Number.POSITIVE_INFINITY, { lowOpen: true }), { unique: true }),
    show: listOr('logspace(-4,0,20)', WEIGHT_SCALES),
  }),
  option({
    name: 'batch-sizes',
    key: 'batchSizes',
    group: 'Experiment',
    value: '<list>',
    default: [5, 10, 50],
    onlyFor: ['batch-sweep'],
    description: 'batch-sweep: batch sizes tried',
    parse: list(integer(1), { unique: true }),
    show: numberList,
  }),
  option({
    name: 'lrs',
    key: 'lrs',
    group: 'Experiment',
    value: '<list>',
    default: LEARNING_RATES,
    onlyFor: ['lr-sweep'],
    description: 'lr-sweep: learning rates tried, comma-separated',
    parse: list(number(0, Number.POSITIVE_INFINITY, { lowOpen: true }), { unique: true }),
    show: listOr('logspace(-5,-1,9)', LEARNING_RATES),
  }),
  option({
    name: 'loss-threshold',
    key: 'lossThreshold',
    group: 'Experiment',
    value: '<loss|auto>',
    default: null,
    description: 'training-loss level for "iterations to reach" (auto: chosen from the runs)',
    parse: orNull('auto', number(0, Number.POSITIVE_INFINITY, { lowOpen: true })),
    show: (value) => (value === null ? 'auto' : String(value)),
  }),
  option({
    name: 'val-threshold',
    key: 'valThreshold',
    group: 'Experiment',
    value: '<acc|auto>',
    default: null,
    description: 'validation-accuracy level for "iterations to reach" (auto: chosen from the runs)',
    parse: orNull('auto', number(0, 1, { lowOpen: true })),
    show: (value) => (value === null ? 'auto' : String(value)),
  }),
  option({
    name: 'stats-every',
    key: 'statsEvery',
    group: 'Experiment',
    value: '<n>',
    default: 10,
    description: 'sample per-layer activation and gradient statistics every n iterations',
    parse: integer(1),
  }),
  option({
    name: 'workers',
    key: 'workers',
    group: 'Experiment',
    value: '<n>',
    default: 0,
    description: 'parallel worker threads (0 = one per available core); results do not depend on it',
    parse: integer(0, 256),
    show: (value) => (value === 0 ? 'cores' : String(value)),
  }),
  option({
    name: 'shard',
    key: 'shard',
    group: 'Experiment',
    value: '<i/n>',
    default: null,
    description:
      'run only shard i (0-based) of n of the planned runs, each finished run saved in --out/runs/; runs ' +
      'already there are skipped. `pnpm train report <dir>` then writes the report (see the README)',
    parse: shard,
    show: (value) => (value === null ? 'all runs' : formatShard(value)),
  }),
  // Output
  option({
    name: 'out',
    key: 'out',
    group: 'Output',
    value: '<dir>',
    default: null,
    description: 'run folder for summary.json, metrics.csv, report.html',
    parse: path,
    show: (value) => value ?? 'runs/<timestamp>-<experiment>/',
  }),
  option({
    name: 'overwrite',
    key: 'overwrite',
    group: 'Output',
    default: false,
    description:
      'write into an --out folder that already holds files, replacing its summary.json, metrics.csv and ' +
      'report.html (without it a non-empty folder is refused; a folder another run is writing always is)',
    parse: boolean,
  }),
  option({
    name: 'json',
    key: 'json',
    group: 'Output',
    default: false,
    description: 'print summary.json on stdout instead of the table and chart (implies --no-progress)',
    parse: boolean,
  }),
  option({
    name: 'progress',
    key: 'progress',
    group: 'Output',
    default: true,
    description: 'turns off the progress display (bars on a terminal, plain lines otherwise)',
    parse: boolean,
    show: (value) => (value ? 'progress shown' : 'hidden'),
  }),
];

export function findOption(name: string): OptionSpec | undefined {
  return OPTIONS.find((spec) => spec.name === name);
}

/** The value an option takes for an experiment before files and flags: preset, else default. */
export function presetValue(spec: OptionSpec, experiment: Experiment): TrainConfig[keyof TrainConfig] {
  const preset = spec.presets?.[experiment];
  return preset === undefined ? spec.default : preset;
}

export function showValue(spec: OptionSpec, value: TrainConfig[keyof TrainConfig]): string {
  if (spec.show) return spec.show(value as never);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}
