/**
 * openSubmission(srcDir, limits): a student's src/ files loaded into their own process, and `impl`, the
 * record runChecks takes, whose functions call into that process synchronously. The grader keeps every
 * check, reference value and comparison in its own process; the student's only receives inputs.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { StudentImpl } from '@backprop-lab/assignment';
import { type FailureLimits, failureError, Remote } from './remote.js';
import { SyncBroker } from './rpc.js';
import { compileSubmission, EXERCISE_FILES } from './student-files.js';
import { toolkitFiles } from './toolkit.js';

export interface SandboxLimits {
  /** Each call of a student function, and each file's import, in ms. Default 10 000. */
  timeLimitMs?: number;
  /** The student process's V8 heap (--max-old-space-size), in MB. Default 512. */
  heapMb?: number;
  /** Its address space (RLIMIT_AS through prlimit, where /usr/bin/prlimit exists), in MB. Default 3072. */
  addressSpaceMb?: number;
}

export interface Submission {
  /** The student's exported functions and classes by name, merged in the manifest's file order. */
  impl: StudentImpl;
  /** Exercise file (e.g. 'batchnorm.ts') → one line: why it did not load; its functions are absent. */
  loadProblems: Map<string, string>;
  /** Stops the student's process and removes the temp dir. Safe to call twice. */
  close(): void;
}

const DEFAULTS: Required<SandboxLimits> = { timeLimitMs: 10_000, heapMb: 512, addressSpaceMb: 3072 };
/** Node itself needs about 2 GB of address space to start (measured on this machine kind). */
const MIN_ADDRESS_SPACE_MB = 2048;
const PRLIMIT = '/usr/bin/prlimit';

function readLimits(limits: SandboxLimits): Required<SandboxLimits> {
  const resolved = { ...DEFAULTS };
  for (const [key, value] of Object.entries(limits)) {
    if (!(key in DEFAULTS))
      throw new TypeError(
        `openSubmission: unknown limit '${key}' (known: ${Object.keys(DEFAULTS).join(', ')})`,
      );
    if (value === undefined) continue;
    const least = key === 'addressSpaceMb' ? MIN_ADDRESS_SPACE_MB : 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < least)
      throw new RangeError(
        `openSubmission: limits.${key} must be an integer >= ${least}, got ${String(value)}`,
      );
    resolved[key as keyof SandboxLimits] = value;
  }
  return resolved;
}

const PREFIX = 'backprop-grade-';

/**
 * Removes the temp dirs of grader processes that are gone (killed before close() or their exit hook
 * ran): each dir's name carries its process id. A live process's dirs are its own business.
 */
function sweepOrphans(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^backprop-grade-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH')
        rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/** Temp dirs of submissions not closed yet: removed if the grader exits first. */
const open = new Set<string>();
process.on('exit', () => {
  for (const dir of open) rmSync(dir, { recursive: true, force: true });
});

function childCommand(dir: string, limits: Required<SandboxLimits>): { command: string; args: string[] } {
  const node = [
    '--experimental-permission',
    `--allow-fs-read=${dir}`,
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${limits.heapMb}`,
    '--no-warnings',
    join(dir, 'runtime/child.js'),
  ];
  if (!existsSync(PRLIMIT)) return { command: process.execPath, args: node };
  const bytes = limits.addressSpaceMb * 2 ** 20;
  return { command: PRLIMIT, args: [`--as=${bytes}`, '--', process.execPath, ...node] };
}

function loadFiles(broker: SyncBroker, remote: Remote, files: readonly string[], limits: FailureLimits) {
  const impl: Record<string, unknown> = {};
  const problems = new Map<string, string>();
  for (const file of files) {
    const reply = broker.request({ op: 'load', file });
    if (reply.ok) {
      for (const name of reply.names ?? []) impl[name] = remote.exported(name);
      continue;
    }
    const { failure } = reply;
    if (failure.kind === 'throw') {
      // Through failureError, which cuts the student's text and hides the sandbox's path.
      const shown = failureError(failure, `the import of src/${file}`, limits);
      const text = shown instanceof Error ? `${shown.name}: ${shown.message}` : String(shown);
      problems.set(file, `src/${file} threw at import: ${text.split('\n')[0]}`);
    } else
      problems.set(
        file,
        String((failureError(failure, `the import of src/${file}`, limits) as Error).message),
      );
  }
  return { impl: Object.freeze(impl), problems };
}

export interface OpenOptions {
  /**
   * Where the submission's private folder is made (default the OS temp dir). A grader that may kill the
   * thread running this (a deadline) passes a folder of its own and removes it whatever happened.
   */
  tempDir?: string;
}

export function openSubmission(
  srcDir: string,
  limits: SandboxLimits = {},
  options: OpenOptions = {},
): Submission {
  const resolved = readLimits(limits);
  const compiled = compileSubmission(srcDir);
  const files = toolkitFiles();
  for (const [path, js] of compiled.files) files.set(path, js);
  sweepOrphans();
  const dir = realpathSync(mkdtempSync(join(options.tempDir ?? tmpdir(), `${PREFIX}${process.pid}-`)));
  open.add(dir);
  let broker: SyncBroker | undefined;
  const close = () => {
    if (!open.has(dir)) return;
    try {
      broker?.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      open.delete(dir);
    }
  };
  try {
    for (const [path, text] of files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text, { flag: 'wx' });
    }
    const { command, args } = childCommand(dir, resolved);
    const env = { BACKPROP_LAB_BACKEND: 'typescript', BACKPROP_LAB_NATIVE: '0' };
    // Only a bound on the broker itself, which enforces every limit: a restart with all its reloads fits.
    const waitMs = Math.max(resolved.timeLimitMs, 15_000) * (compiled.loadable.length + 2) + 60_000;
    broker = new SyncBroker(
      join(dir, 'runtime/broker.js'),
      { command, args, cwd: dir, env, timeLimitMs: resolved.timeLimitMs },
      waitMs,
    );
    const failureLimits = {
      ...resolved,
      addressSpaceMb: existsSync(PRLIMIT) ? resolved.addressSpaceMb : undefined,
      sandboxDir: dir,
    };
    const remote = new Remote(broker, failureLimits);
    const { impl, problems } = loadFiles(broker, remote, compiled.loadable, failureLimits);
    const all = new Map([...compiled.problems, ...problems]);
    const loadProblems = new Map(EXERCISE_FILES.filter((f) => all.has(f)).map((f) => [f, all.get(f)!]));
    return { impl, loadProblems, close };
  } catch (error) {
    close();
    throw error;
  }
}
