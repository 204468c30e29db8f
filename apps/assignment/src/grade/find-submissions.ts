/**
 * The submissions a `grade` command names: each path is one submission (a kit folder, a .zip, or a folder
 * holding collect's zip or its unpacked contents: isSubmissionFolder), or a folder of them (every sub-folder and .zip in it; hidden entries, __MACOSX and other files skipped). Each gets a
 * name that is safe as a folder name in --out, unique, sorted.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '@backprop-lab/trainer';
import { isSubmissionFolder } from '../collect/index.js';
import type { SubmissionPath } from './pool.js';

/** Only letters, digits, `.`, `_` and `-`; never a hidden name, never class.csv. */
export function submissionName(path: string): string {
  const name = basename(path)
    .replace(/\.zip$/i, '')
    .replace(/[^\w.-]/g, '_');
  if (name === '' || name.startsWith('.')) return `_${name}`;
  return name === 'class.csv' ? '_class.csv' : name;
}

function kind(path: string): 'one' | 'zip' | 'folder' | 'other' {
  const stat = statSync(path);
  if (stat.isFile()) return /\.zip$/i.test(path) ? 'zip' : 'other';
  if (!stat.isDirectory()) return 'other';
  return isSubmissionFolder(path) ? 'one' : 'folder';
}

function expand(path: string, skip: ReadonlySet<string>): string[] {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file or folder`);
  const what = kind(path);
  if (what === 'one' || what === 'zip') return [path];
  if (what === 'other') throw new UsageError(`${path}: not a kit folder, a .zip or a folder of them`);
  const inside = readdirSync(path)
    // __MACOSX: the resource forks macOS's Compress adds beside a zipped kit, never a submission.
    .filter((entry) => !entry.startsWith('.') && entry !== '__MACOSX')
    .map((entry) => join(path, entry))
    .filter((entry) => !skip.has(entry))
    .filter((entry) => {
      const stat = statSync(entry, { throwIfNoEntry: false });
      return stat?.isDirectory() || (stat?.isFile() && /\.zip$/i.test(entry));
    });
  if (inside.length === 0)
    throw new UsageError(`${path}: no submissions in it (kit folders with manifest.json, or .zip files)`);
  return inside;
}

/** `skip`: folders never taken for a submission (--out, when it sits among the submissions). */
export function findSubmissions(paths: readonly string[], skip: readonly string[] = []): SubmissionPath[] {
  const byName = new Map<string, string>();
  const skipped = new Set(skip.map((p) => resolve(p)));
  for (const path of paths.flatMap((p) => expand(resolve(p), skipped))) {
    const name = submissionName(path);
    const other = byName.get(name);
    if (other !== undefined && other !== path)
      throw new UsageError(`${other} and ${path} would both be graded as ${name}; rename one`);
    byName.set(name, path);
  }
  return [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, path]) => ({ name, path }));
}
