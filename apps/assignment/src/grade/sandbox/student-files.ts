/**
 * The submission's exercise files (src/<file> of the manifest) and the src/ files they import, compiled
 * for the student's process. A file that is missing, does not parse, or imports what graded code may not
 * (a node: module, a package other than the toolkit's, a path outside src/) is left out with one line
 * saying why; the other files do not depend on it unless they import it.
 */
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';
import { STUDENT_PACKAGES, specifierFrom } from './toolkit.js';
import { type Decision, transpile } from './transpile.js';

/** A source file larger than this is refused (a student file is a few kB). */
const MAX_SOURCE_BYTES = 2 ** 20;

export interface CompiledSubmission {
  /** Temp-dir path → JavaScript. */
  files: Map<string, string>;
  /** Exercise files that compiled, in the manifest's order (kit-relative to src/, e.g. 'batchnorm.ts'). */
  loadable: string[];
  /** Exercise file → one line: why it cannot load. */
  problems: Map<string, string>;
}

export const EXERCISE_FILES = [...new Set(EXERCISES.map((e) => e.file))];

function outPath(srcRelative: string): string {
  return `student/${srcRelative.split(sep).join('/').replace(/\.ts$/, '.js')}`;
}

class Refused extends Error {}

/** One file and the src/ files it imports; Refused with the first problem met. */
function compileInto(src: string, file: string, files: Map<string, string>, done: Set<string>): void {
  if (done.has(file)) return;
  done.add(file);
  const abs = join(src, file);
  const shown = `src/${file.split(sep).join('/')}`;
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(abs);
  } catch {
    throw new Refused(`${shown} is missing`);
  }
  // A link could point at the grader's own reference source: only regular files inside src/ are read.
  if (!stat.isFile()) throw new Refused(`${shown} is not a regular file (links are not followed)`);
  if (relative(realpathSync(src), realpathSync(abs)).startsWith('..'))
    throw new Refused(`${shown} is outside src/`);
  if (stat.size > MAX_SOURCE_BYTES) throw new Refused(`${shown} is larger than 1 MB`);
  const imported: string[] = [];
  const decide = (specifier: string | undefined): Decision => {
    if (specifier === undefined)
      return { denied: 'import() of a computed name is not allowed in graded code' };
    const pkg = STUDENT_PACKAGES[specifier];
    if (pkg) return { to: specifierFrom(outPath(file), pkg) };
    if (specifier.startsWith('./') || specifier.startsWith('../')) {
      const target = relative(src, join(dirname(abs), specifier)).replace(/\.js$/, '.ts');
      if (target.startsWith('..') || isAbsolute(target) || !target.endsWith('.ts'))
        return { denied: `imports '${specifier}': graded code may import only .js paths of files in src/` };
      imported.push(target);
      return { to: specifier };
    }
    return {
      denied: `imports '${specifier}', which graded code may not use (allowed: ${Object.keys(STUDENT_PACKAGES).join(', ')} and files in src/)`,
    };
  };
  const { js, problems } = transpile(readFileSync(abs, 'utf8'), shown, decide);
  if (problems.length > 0) throw new Refused(problems[0]);
  files.set(outPath(file), js);
  for (const target of imported) compileInto(src, target, files, done);
}

export function compileSubmission(src: string): CompiledSubmission {
  const files = new Map<string, string>();
  const loadable: string[] = [];
  const problems = new Map<string, string>();
  for (const file of EXERCISE_FILES) {
    const own = new Map<string, string>();
    try {
      compileInto(src, file, own, new Set());
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      problems.set(file, error.message);
      continue;
    }
    for (const [path, js] of own) files.set(path, js);
    loadable.push(file);
  }
  return { files, loadable, problems };
}
