// The one temporary-folder fixture for every package's tests. Importing this module registers an
// afterAll hook in the importing test file (vitest evaluates a test file's imports while collecting it),
// so each folder made by tempDir / tempDirSync is removed once that file's tests are done.
import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

/** A fresh, empty folder `<os tmp>/bpl-<prefix>-XXXXXX`, removed after the calling test file. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `bpl-${prefix}-`));
  made.push(dir);
  return dir;
}

/** tempDir for module scope, where a test file sets up one folder for all its tests before any runs. */
export function tempDirSync(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `bpl-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Removes every folder made so far; the afterAll below calls it, tests of this module call it directly. */
export async function removeTempDirs(): Promise<void> {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
}

afterAll(removeTempDirs);
