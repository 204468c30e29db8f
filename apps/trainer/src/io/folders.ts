/**
 * Creating and tidying the run folder. Not `mkdirSync(dir, { recursive: true })`: on Node 20 it never
 * returns for a path under /proc (it retries the ENOENT forever), so each missing folder is created here
 * one at a time, from the outermost down.
 */
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates `dir` and any missing parents; returns the outermost folder it created (undefined when `dir`
 * already existed). Throws the fs error (ENOTDIR when a file is in the way, EACCES, ENOENT, ...).
 */
export function makeFolders(dir: string): string | undefined {
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    const kind = statKind(current);
    if (kind === 'folder') break;
    if (kind === 'other')
      throw Object.assign(new Error(`not a directory, mkdir '${current}'`), { code: 'ENOTDIR' });
    missing.push(current);
    if (dirname(current) === current) break;
  }
  let created: string | undefined;
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // Another process made it meanwhile: fine, it is a folder all the same.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || statKind(folder) !== 'folder') {
        if (created !== undefined) removeIfEmpty(dirname(folder), created);
        throw error;
      }
      continue;
    }
    created ??= folder;
  }
  return created;
}

function statKind(path: string): 'folder' | 'other' | 'none' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'none';
    if (code === 'ENOTDIR') return 'other';
    throw error;
  }
}

/**
 * Removes the folders makeFolders created (from `dir` up to `created`) while they are empty; folders that
 * existed before, or that hold anything, stay.
 */
export function removeIfEmpty(dir: string, created: string | undefined): void {
  if (created === undefined) return;
  const top = resolve(created);
  for (let current = resolve(dir); ; current = dirname(current)) {
    try {
      if (readdirSync(current).length > 0) return;
      rmdirSync(current);
    } catch {
      return;
    }
    if (current === top || dirname(current) === current) return;
  }
}
