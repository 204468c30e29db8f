/**
 * STAND-IN, to be replaced at merge by g-sandbox's isolated runner (same export, same shape). It loads a
 * submission's src/*.ts IN THIS THREAD: no process boundary, no time or memory limit per call, student
 * code can reach the reference and patch globals. The grading pool's per-submission deadline and worker
 * heap limit are the only guards meanwhile. Runs only in the pool's worker threads (tsx registered there).
 */
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXERCISES, type StudentImpl } from '@backprop-lab/assignment';

/** g-sandbox's limits (the stand-in enforces none of them). */
export interface SandboxLimits {
  /** Each call of a student function, and each file's import, in ms. */
  timeLimitMs?: number;
  /** The student process's V8 heap, in MB. */
  heapMb?: number;
  /** Its address space, in MB. */
  addressSpaceMb?: number;
}

export interface OpenedSubmission {
  /** The student's exports merged, as runChecks takes them. */
  impl: StudentImpl;
  /** Kit file (e.g. 'affine.ts') → one line saying why it did not load. */
  loadProblems: Map<string, string>;
  close(): void;
}

// The kit's imports of the toolkit resolve to the grader's own packages (one Tensor class for both sides).
const HOOKS = `
let repo = ''; let parent = '';
export function initialize(data) { repo = data.repo; parent = data.parent; }
export function resolve(specifier, context, next) {
  if (specifier.startsWith('@backprop-lab/') && context.parentURL?.startsWith('file:') && !context.parentURL.startsWith(repo))
    return next(specifier, { ...context, parentURL: parent });
  return next(specifier, context);
}`;
let registered = false;

function registerHooks(): void {
  if (registered) return;
  const parent = import.meta.resolve('@backprop-lab/assignment');
  const repo = new URL('../../../../../', import.meta.url).href;
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { repo, parent } });
  registered = true;
}

export async function openSubmission(srcDir: string, _limits: SandboxLimits = {}): Promise<OpenedSubmission> {
  registerHooks();
  // A copy under a package.json of type module: tsx takes the kit's files for ES modules, as the kit does.
  const root = mkdtempSync(join(tmpdir(), 'backprop-sandbox-'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n', { flag: 'wx' });
  cpSync(srcDir, join(root, 'src'), { recursive: true });
  const impl: Record<string, unknown> = {};
  const loadProblems = new Map<string, string>();
  for (const file of new Set(EXERCISES.map((exercise) => exercise.file))) {
    const path = join(root, 'src', file);
    if (!existsSync(path)) {
      loadProblems.set(file, `src/${file} is missing`);
      continue;
    }
    try {
      Object.assign(impl, await import(pathToFileURL(path).href));
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const line = text.split('\n')[0].split(`${root}/`).join('');
      loadProblems.set(file, `src/${file} threw at import: ${line}`);
    }
  }
  return { impl, loadProblems, close: () => rmSync(root, { recursive: true, force: true }) };
}
