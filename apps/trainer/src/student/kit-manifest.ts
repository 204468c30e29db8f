/**
 * A student kit's manifest.json (written by `pnpm assignment init`), read and checked: every mistake names
 * the kit's file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export interface KitExercise {
  id: string;
  file: string;
  functions: string[];
}

export interface KitManifest {
  dir: string;
  kitVersion: number;
  exercises: KitExercise[];
}

const SUPPORTED_KIT_VERSION = 1;

export function readKitManifest(kit: string): KitManifest {
  const dir = resolve(kit);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`--layers ${kit}: no such folder (give a kit written by pnpm assignment init)`);
  }
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) {
    throw new UsageError(
      `--layers ${kit}: ${path} is missing; is this a kit written by pnpm assignment init?`,
    );
  }
  let manifest: { kitVersion?: unknown; exercises?: unknown };
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--layers ${kit}: ${path}: ${(error as Error).message}`);
  }
  if (manifest.kitVersion !== SUPPORTED_KIT_VERSION) {
    throw new UsageError(
      `--layers ${kit}: ${path}: kitVersion ${String(manifest.kitVersion)} is not supported (this trainer reads ${SUPPORTED_KIT_VERSION})`,
    );
  }
  const exercises = manifest.exercises;
  const valid =
    Array.isArray(exercises) &&
    exercises.every(
      (e) =>
        typeof e?.id === 'string' &&
        typeof e?.file === 'string' &&
        /^[\w-]+\.ts$/.test(e.file) &&
        Array.isArray(e?.functions) &&
        e.functions.every((fn: unknown) => typeof fn === 'string'),
    );
  if (!valid) {
    throw new UsageError(`--layers ${kit}: ${path}: exercises must be a list of { id, file, functions }`);
  }
  return { dir, kitVersion: SUPPORTED_KIT_VERSION, exercises: exercises as KitExercise[] };
}
