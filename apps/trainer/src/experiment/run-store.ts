/**
 * A sharded study's run folder, shared by every shard writing into it:
 *
 *   study.json        what the study is (config that decides the numbers, data, planned run ids)
 *   runs/<id>.json    one finished run each: its RunResult and the task that ran it
 *
 * Every file is created whole or not at all (createFileAtomicSync: temp file, then link), and never replaced,
 * so no lock is needed: two shards writing at once only add files, a shard killed mid-run leaves only
 * whole files behind, and a run already present is skipped on the next try. The numbers are stored so they
 * read back bit for bit (see encodeNumbers), which is what lets the report equal a one-machine run's.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFileAtomicSync, describeFsError } from '@backprop-lab/fs-atomic';
import type { DataInfo, StudyConfig } from '../analysis/summary.js';
import type { RunResult } from '../analysis/types.js';
import { OutputError, UsageError } from '../errors.js';

export const STUDY_FILE = 'study.json';
export const RUNS_DIR = 'runs';
const STUDY_FORMAT = 'backprop-lab study';
const RUN_FORMAT = 'backprop-lab run';

export interface StudyRecord {
  format: typeof STUDY_FORMAT;
  version: 1;
  config: StudyConfig;
  data: DataInfo;
  /** Planned run ids in plan order; a check that the report plans the same runs. */
  runIds: string[];
}

/** Which task ran a run, and when: the report's `meta` is built from these. */
export interface TaskRecord {
  /** Random per task process: runs with the same id ran in the same process. */
  id: string;
  shard: string;
  host: string;
  workers: number;
  node: string;
  backend: string;
  /** When the task started, and when this run finished (ISO 8601). */
  startedAt: string;
  finishedAt: string;
}

interface RunRecord {
  format: typeof RUN_FORMAT;
  version: 1;
  /** sha256 of the study.json text the run belongs to. */
  study: string;
  task: TaskRecord;
  run: RunResult;
}

/**
 * JSON has no NaN, ±Infinity or −0 (JSON.stringify writes null, null and 0), and a diverged run's last
 * loss is often one of them: those numbers are written as {"$float": "NaN"} and read back as numbers.
 * Finite numbers need nothing: JSON.stringify writes the shortest text that parses to the same double.
 */
function encodeNumbers(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || (Number.isFinite(value) && !Object.is(value, -0))) return value;
  return { $float: Object.is(value, -0) ? '-0' : String(value) };
}

function decodeNumbers(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !('$float' in value)) return value;
  const text = (value as { $float: unknown }).$float;
  if (text === '-0') return -0;
  if (text === 'NaN' || text === 'Infinity' || text === '-Infinity') return Number(text);
  throw new Error(`unknown $float ${JSON.stringify(text)}`);
}

export function encodeJson(value: unknown, indent = 0): string {
  return `${JSON.stringify(value, encodeNumbers, indent)}\n`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function runFile(dir: string, id: string): string {
  return join(dir, RUNS_DIR, `${id}.json`);
}

/**
 * Records the study in `dir` (created if missing), or checks that the one recorded there is the same:
 * shards of different studies must not mix their runs. Returns the study's hash for the run files.
 */
export function recordStudy(dir: string, study: Omit<StudyRecord, 'format' | 'version'>): string {
  const text = encodeJson({ format: STUDY_FORMAT, version: 1, ...study } satisfies StudyRecord, 2);
  const file = join(dir, STUDY_FILE);
  try {
    mkdirSync(join(dir, RUNS_DIR), { recursive: true });
  } catch (error) {
    throw new OutputError(`--out ${dir}: cannot create the run folder (${describeFsError(error)})`);
  }
  if (!createFileAtomicSync(file, text)) {
    const recorded = readText(file);
    if (recorded !== text) throw new UsageError(`--out ${dir}: ${differsFrom(recorded, text, file)}`);
  }
  return sha256(text);
}

/** Names the first top-level key where two study.json texts differ. */
function differsFrom(recorded: string, ours: string, file: string): string {
  let key = 'format';
  try {
    const [a, b] = [parseJson(recorded) as StudyRecord, parseJson(ours) as StudyRecord];
    const configKey = Object.keys(b.config).find(
      (name) =>
        JSON.stringify(a.config?.[name as keyof StudyConfig]) !==
        JSON.stringify(b.config[name as keyof StudyConfig]),
    );
    key = configKey
      ? `config.${configKey}`
      : ((['data', 'runIds'] as const).find((name) => JSON.stringify(a[name]) !== JSON.stringify(b[name])) ??
        key);
  } catch {}
  return `the folder holds the runs of another study (${file} differs at ${key}); give these shards another --out`;
}

/** Saves a finished run; false if the folder already had it (another task ran it too: same bits). */
export function saveRun(dir: string, studyHash: string, task: TaskRecord, run: RunResult): boolean {
  const record: RunRecord = { format: RUN_FORMAT, version: 1, study: studyHash, task, run };
  return createFileAtomicSync(runFile(dir, run.id), encodeJson(record));
}

/** Ids of the runs saved in `dir` (temp files and anything not `<id>.json` are ignored). */
export function savedRunIds(dir: string): Set<string> {
  let names: string[];
  try {
    names = readdirSync(join(dir, RUNS_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw new OutputError(`cannot read ${join(dir, RUNS_DIR)} (${describeFsError(error)})`);
  }
  return new Set(
    names.filter((name) => !name.startsWith('.') && name.endsWith('.json')).map((name) => name.slice(0, -5)),
  );
}

export interface StoredStudy {
  study: StudyRecord;
  /** By run id: the run and the task that ran it. */
  runs: Map<string, { run: RunResult; task: TaskRecord }>;
}

/** Reads study.json and every run file, checking that each belongs to the study (one line if not). */
export function readStoredStudy(dir: string): StoredStudy {
  const file = join(dir, STUDY_FILE);
  const text = readText(
    file,
    `${dir} is not a sharded run folder: no ${STUDY_FILE} (a shard writes it when it starts)`,
  );
  const study = parseJson(text, file) as StudyRecord;
  if (study?.format !== STUDY_FORMAT || study.version !== 1)
    throw new UsageError(`${file}: not a ${STUDY_FORMAT} file of version 1`);
  const hash = sha256(text);
  const planned = new Set(study.runIds);
  const runs: StoredStudy['runs'] = new Map();
  for (const id of [...savedRunIds(dir)].sort()) {
    const path = runFile(dir, id);
    const record = parseJson(readText(path), path) as RunRecord;
    if (record?.format !== RUN_FORMAT || record.version !== 1 || record.run?.id !== id)
      throw new UsageError(`${path}: not the run file of run ${id}`);
    if (record.study !== hash || !planned.has(id))
      throw new UsageError(
        `${path}: run ${id} belongs to another study than ${file}; move it out of the folder`,
      );
    runs.set(id, { run: record.run, task: record.task });
  }
  return { study, runs };
}

function readText(file: string, missing?: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (missing && (error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(missing);
    throw new OutputError(`cannot read ${file} (${describeFsError(error)})`);
  }
}

function parseJson(text: string, file = 'JSON'): unknown {
  try {
    return JSON.parse(text, decodeNumbers);
  } catch (error) {
    throw new UsageError(
      `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
