/**
 * STAND-IN, to be replaced at merge by g-sandbox's isolated runner (same export, same shape). It loads a
 * submission's src/*.ts IN THIS THREAD: no process boundary, no time or memory limit per call, student
 * code can reach the reference and patch globals. The grading pool's per-submission deadline and worker
 * heap limit are the only guards meanwhile. Runs only in the pool's worker threads (tsx registered there).
 */
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXERCISES, type StudentImpl } from '@backprop-lab/assignment';

export interface SandboxLimits {
  /** Longest one call of a student function may take, in ms. */
  timeLimitMs: number;
  /** Heap of the process running the student's code, in MB. */
  memoryMb: number;
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

export async function openSubmission(srcDir: string, _limits: SandboxLimits): Promise<OpenedSubmission> {
  registerHooks();
  const impl: Record<string, unknown> = {};
  const loadProblems = new Map<string, string>();
  for (const file of new Set(EXERCISES.map((exercise) => exercise.file))) {
    const path = join(srcDir, file);
    if (!existsSync(path)) {
      loadProblems.set(file, `src/${file} is missing`);
      continue;
    }
    try {
      Object.assign(impl, await import(pathToFileURL(path).href));
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      loadProblems.set(file, `src/${file} threw at import: ${text.split('\n')[0]}`);
    }
  }
  return { impl, loadProblems, close: () => {} };
}
