/**
 * The grader's config (`pnpm assignment grade --config grader.json`): points per exercise, the visible
 * part's share, the hidden runs, the grader seed and the limits. The file is the instructor's, but it is
 * read like untrusted input: an unknown key, a wrong type or a negative number is one line naming the key.
 * Keys left out keep their defaults (DEFAULT_CONFIG).
 */
import { readFileSync } from 'node:fs';
import { EXERCISES, MIN_SIZES, type Sizes } from '@backprop-lab/assignment';
import { UsageError } from '@backprop-lab/trainer';

export type HiddenVisibility = 'hidden' | 'after_due_date' | 'after_published';

export interface GraderLimits {
  /** Longest a single call of a student's function may run before it is stopped, in seconds. */
  callSeconds: number;
  /** Heap of the process that runs the student's code, in MB. */
  memoryMb: number;
  /** Longest one whole submission may take (all its checks), in seconds; then it scores 0 with a reason. */
  submissionSeconds: number;
}

export interface GraderConfig {
  /** Points per exercise id; the maximum score is their sum. */
  points: Record<string, number>;
  /** Share of each exercise's points earned by the visible checks, in [0, 1]; the hidden ones earn the rest. */
  visibleWeight: number;
  /** Gradescope visibility of the hidden checks' tests. */
  hiddenVisibility: HiddenVisibility;
  /** Derives the hidden runs' seeds: the same seed gives the same grades. */
  seed: number;
  /** One hidden run of every exercise per entry, with these sizes and a seed derived from `seed`. */
  hiddenRuns: Sizes[];
  limits: GraderLimits;
}

/** Harder exercises weigh more; they sum to 100. */
const DEFAULT_POINTS: Readonly<Record<string, number>> = {
  affine: 8,
  relu: 4,
  softmax: 8,
  'fc-net': 12,
  'sgd-momentum': 4,
  rmsprop: 5,
  adam: 7,
  'batchnorm-forward': 12,
  'batchnorm-backward': 12,
  'batchnorm-backward-alt': 8,
  layernorm: 10,
  dropout: 10,
};

/**
 * Sizes the kit's `pnpm check` never uses (it runs N 5, D 4, M 3, C 4): a larger batch with every
 * dimension different (a transposed index shows), the smallest sizes the checks allow (MIN_SIZES: N 4,
 * D 4, M 2, C 2), and more outputs than inputs with an odd batch (M > D, C < M).
 */
const DEFAULT_HIDDEN_RUNS: readonly Sizes[] = [
  { N: 16, D: 12, M: 7, C: 6 },
  { ...MIN_SIZES },
  { N: 9, D: 5, M: 11, C: 3 },
];

export const DEFAULT_CONFIG: Readonly<GraderConfig> = Object.freeze({
  points: { ...DEFAULT_POINTS },
  visibleWeight: 0.4,
  hiddenVisibility: 'after_published',
  seed: 20261207,
  hiddenRuns: DEFAULT_HIDDEN_RUNS.map((sizes) => ({ ...sizes })),
  limits: { callSeconds: 10, memoryMb: 512, submissionSeconds: 300 },
});

/** grader.json with every default written out: what `init --grader` gives an instructor to edit. */
export function defaultConfigJson(): string {
  return `${JSON.stringify(DEFAULT_CONFIG, null, 2)}\n`;
}

/** A config error: the file and the key at fault, one line, exit 2. */
function fail(file: string, message: string): never {
  throw new UsageError(`--config ${file}: ${message}`);
}

/** `"x"`, `[...]`, `null`: what was found, short. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function record(file: string, key: string, value: unknown, known: readonly string[]) {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(file, `${key || 'the file'} must be an object, got ${shown(value)}`);
  for (const name of Object.keys(value)) {
    if (!known.includes(name))
      fail(file, `unknown key ${key ? `${key}.` : ''}${name} (known: ${known.join(', ')})`);
  }
  return value as Record<string, unknown>;
}

function number(file: string, key: string, value: unknown, least: number, most = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < least || value > most) {
    const range = most === Infinity ? `a number >= ${least}` : `a number in [${least}, ${most}]`;
    fail(file, `${key} must be ${range}, got ${shown(value)}`);
  }
  return value;
}

function integer(file: string, key: string, value: unknown, least: number, most: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < least || (value as number) > most)
    fail(file, `${key} must be an integer in [${least}, ${most}], got ${shown(value)}`);
  return value as number;
}

function readPoints(file: string, value: unknown): Record<string, number> {
  const ids = EXERCISES.map((exercise) => exercise.id);
  const given = record(file, 'points', value, ids);
  const points = { ...DEFAULT_POINTS };
  for (const [id, p] of Object.entries(given)) points[id] = number(file, `points.${id}`, p, 0);
  if (Object.values(points).every((p) => p === 0)) fail(file, 'points are all 0: nothing to grade');
  return points;
}

function readHiddenRuns(file: string, value: unknown): Sizes[] {
  if (!Array.isArray(value)) fail(file, `hiddenRuns must be a list of { N, D, M, C }, got ${shown(value)}`);
  if (value.length > 10) fail(file, `hiddenRuns has ${value.length} runs; at most 10`);
  return value.map((entry, i) => {
    const sizes = record(file, `hiddenRuns[${i}]`, entry, ['N', 'D', 'M', 'C']);
    const read = (name: keyof Sizes) => {
      if (!(name in sizes)) fail(file, `hiddenRuns[${i}] has no ${name}`);
      return integer(file, `hiddenRuns[${i}].${name}`, sizes[name], MIN_SIZES[name], 64);
    };
    return { N: read('N'), D: read('D'), M: read('M'), C: read('C') };
  });
}

function readLimits(file: string, value: unknown): GraderLimits {
  const known = ['callSeconds', 'memoryMb', 'submissionSeconds'] as const;
  const given = record(file, 'limits', value, known);
  const limits = { ...DEFAULT_CONFIG.limits };
  if ('callSeconds' in given) limits.callSeconds = number(file, 'limits.callSeconds', given.callSeconds, 0.1);
  if ('memoryMb' in given) limits.memoryMb = integer(file, 'limits.memoryMb', given.memoryMb, 64, 65536);
  if ('submissionSeconds' in given)
    limits.submissionSeconds = number(file, 'limits.submissionSeconds', given.submissionSeconds, 1);
  return limits;
}

/** JSON.parse's "... at position 42" as "... at line 3, column 5". */
function jsonErrorText(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (!at) return message;
  const before = text.slice(0, Number(at[1])).split('\n');
  const where = `line ${before.length}, column ${before[before.length - 1].length + 1}`;
  return message.replace(/at position \d+/, `at ${where}`).replace(/ in JSON/, '');
}

const VISIBILITIES: readonly HiddenVisibility[] = ['hidden', 'after_due_date', 'after_published'];

/** The config from a file's text; `file` names it in errors. */
export function parseConfig(text: string, file: string): GraderConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(file, `not valid JSON: ${jsonErrorText(text, (error as Error).message)}`);
  }
  const keys = Object.keys(DEFAULT_CONFIG);
  const given = record(file, '', json, keys);
  const config: GraderConfig = structuredClone(DEFAULT_CONFIG) as GraderConfig;
  if ('points' in given) config.points = readPoints(file, given.points);
  if ('visibleWeight' in given)
    config.visibleWeight = number(file, 'visibleWeight', given.visibleWeight, 0, 1);
  if ('hiddenVisibility' in given) {
    const v = given.hiddenVisibility;
    if (!VISIBILITIES.includes(v as HiddenVisibility))
      fail(file, `hiddenVisibility must be one of ${VISIBILITIES.join(', ')}, got ${shown(v)}`);
    config.hiddenVisibility = v as HiddenVisibility;
  }
  if ('seed' in given) config.seed = integer(file, 'seed', given.seed, 0, 2 ** 40);
  if ('hiddenRuns' in given) config.hiddenRuns = readHiddenRuns(file, given.hiddenRuns);
  if ('limits' in given) config.limits = readLimits(file, given.limits);
  return config;
}

/** Reads `--config <file>`; a file that cannot be read is one line too. */
export function readConfig(file: string): GraderConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(file, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(error)})`);
  }
  return parseConfig(text, file);
}
