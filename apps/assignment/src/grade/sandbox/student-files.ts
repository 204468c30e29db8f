/**
 * The submission's exercise files (src/<file> of the manifest) and the src/ files they import, compiled
 * for the student's process. A file that is missing, does not parse, or imports what graded code may not
 * (a node: module, a package other than the toolkit's, a path outside src/) is left out with one line
 * saying why; the other files do not depend on it unless they import it.
 */
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';
import { STUDENT_PACKAGES, specifierFrom } from './toolkit.js';
import { type Decision, transpile } from './transpile.js';

/** A source file larger than this is refused (a student file is a few kB). */
const MAX_SOURCE_BYTES = 2 ** 20;
/** A relative specifier as a file path and a URL read the same: letters, digits, `_`, `-`, `.`, `/`. */
const PLAIN_PATH = /^[\w./-]+$/;

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

/** openSubmission was given something other than a submission's src/ folder (collect's SubmissionError is about what a submission holds). */
export class SourceFolderError extends Error {
  override name = 'SourceFolderError';
}

type Compiled = { js: string; imports: string[] } | Refused;

/** One file's JavaScript and the src/ files it imports, or why it cannot load. */
function compileOne(src: string, file: string): Compiled {
  const abs = join(src, file);
  const shown = `src/${file.split(sep).join('/')}`;
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(abs);
  } catch {
    return new Refused(`${shown} is missing`);
  }
  // A link could point at the grader's own reference source: only regular files inside src/ are read.
  if (!stat.isFile()) return new Refused(`${shown} is not a regular file (links are not followed)`);
  if (relative(realpathSync(src), realpathSync(abs)).startsWith('..'))
    return new Refused(`${shown} is outside src/`);
  if (stat.size > MAX_SOURCE_BYTES) return new Refused(`${shown} is larger than 1 MB`);
  const imported: string[] = [];
  const decide = (specifier: string | undefined): Decision => {
    if (specifier === undefined)
      return { denied: 'import() of a computed name is not allowed in graded code' };
    // Own keys only: `import 'constructor'` would otherwise find Object's and crash the compile.
    const pkg = Object.hasOwn(STUDENT_PACKAGES, specifier) ? STUDENT_PACKAGES[specifier] : undefined;
    if (pkg) return { to: specifierFrom(outPath(file), pkg) };
    if (specifier.startsWith('./') || specifier.startsWith('../')) {
      const target = relative(src, join(dirname(abs), specifier)).replace(/\.js$/, '.ts');
      // The child resolves a specifier as a URL, where `#` and `?` end the path and `%2e%2e` is `..`:
      // `../toolkit/layers/src/index.js#/../../../../src/relu.js` names src/relu.ts here but loads the
      // ungated reference there. Plain characters only, and the child gets the path checked here.
      if (
        !PLAIN_PATH.test(specifier) ||
        target.startsWith('..') ||
        isAbsolute(target) ||
        !target.endsWith('.ts')
      )
        return { denied: `imports '${specifier}': graded code may import only .js paths of files in src/` };
      imported.push(target);
      return { to: specifierFrom(outPath(file), outPath(target)) };
    }
    return {
      denied: `imports '${specifier}', which graded code may not use (allowed: ${Object.keys(STUDENT_PACKAGES).join(', ')} and files in src/)`,
    };
  };
  const { js, problems } = transpile(readFileSync(abs, 'utf8'), shown, decide);
  return problems.length > 0 ? new Refused(problems[0]) : { js, imports: imported };
}

/** `file` and every src/ file it imports, into `files`; the first problem met, if any. */
function compileGraph(src: string, file: string, memo: Map<string, Compiled>, files: Map<string, string>) {
  const seen = new Set<string>();
  const pending = [file];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    if (!memo.has(next)) memo.set(next, compileOne(src, next));
    const compiled = memo.get(next)!;
    if (compiled instanceof Refused) return compiled;
    files.set(outPath(next), compiled.js);
    pending.push(...compiled.imports);
  }
  return undefined;
}

export function compileSubmission(srcDir: string): CompiledSubmission {
  const src = resolve(srcDir);
  if (!existsSync(src) || !statSync(src).isDirectory())
    throw new SourceFolderError(`openSubmission: ${src} is not a folder (give the kit's src/)`);
  const files = new Map<string, string>();
  const loadable: string[] = [];
  const problems = new Map<string, string>();
  const memo = new Map<string, Compiled>();
  for (const file of EXERCISE_FILES) {
    const own = new Map<string, string>();
    const refused = compileGraph(src, file, memo, own);
    if (refused) {
      problems.set(file, refused.message);
      continue;
    }
    for (const [path, js] of own) files.set(path, js);
    loadable.push(file);
  }
  return { files, loadable, problems };
}
