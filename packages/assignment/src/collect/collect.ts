/**
 * `pnpm collect` in a kit: zips the exercise files (src/<file>) with submission.json (kit and toolkit
 * versions, exercises, the SHA-256 of every exercise file and of the kit's fixed files) into
 * submission.zip, written whole or not at all. Refuses, in one line, a kit whose exercise file is
 * missing, not a regular file, or larger than MAX_FILE_BYTES: the grader would only score it 0.
 */

import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { writeFileAtomicSync } from '@backprop-lab/fs-atomic';
import { zipSync } from 'fflate';
import {
  exerciseFiles,
  KIT_FILE_PATTERN,
  KIT_FIXED_FILES,
  KIT_MANIFEST,
  MAX_FILE_BYTES,
  SUBMISSION_JSON,
  SUBMISSION_VERSION,
  SUBMISSION_ZIP,
  type SubmissionExercise,
  type SubmissionManifest,
  sha256,
} from './format.js';

/** The kit cannot be collected; the message is one line naming the file at fault. */
export class CollectError extends Error {
  override name = 'CollectError';
}

interface KitManifest {
  kitVersion: number;
  toolkitVersion: string;
  exercises: SubmissionExercise[];
  /** Fixed file → hash as init wrote it. */
  fixedFiles: Record<string, string>;
}

function readKitManifest(kit: string): KitManifest {
  const path = join(kit, KIT_MANIFEST);
  let manifest: Partial<KitManifest>;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CollectError(`${KIT_MANIFEST}: ${(error as Error).message}; run pnpm collect in your kit`);
  }
  const { kitVersion, toolkitVersion, exercises, fixedFiles } = manifest;
  const valid =
    typeof kitVersion === 'number' &&
    typeof toolkitVersion === 'string' &&
    Array.isArray(exercises) &&
    exercises.every((e) => typeof e?.id === 'string' && KIT_FILE_PATTERN.test(String(e?.file))) &&
    typeof fixedFiles === 'object' &&
    fixedFiles !== null;
  if (!valid) {
    throw new CollectError(
      `${KIT_MANIFEST}: expected kitVersion, toolkitVersion, exercises and fixedFiles as init wrote them`,
    );
  }
  return manifest as KitManifest;
}

/** The bytes of an exercise file, refused when it is missing, not a regular file, or too large. */
function readExerciseFile(kit: string, file: string, exercises: readonly SubmissionExercise[]): Buffer {
  const name = `src/${file}`;
  const ids = exercises.filter((e) => e.file === file).map((e) => e.id);
  let stats: ReturnType<typeof lstatSync>;
  try {
    stats = lstatSync(join(kit, name));
  } catch {
    throw new CollectError(
      `${name} is missing (exercise ${ids.join(', ')}); put the file back, even unfinished, and collect again`,
    );
  }
  if (!stats.isFile()) {
    const kind = stats.isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
    throw new CollectError(`${name} is ${kind}; the submission takes the file itself`);
  }
  if (stats.size > MAX_FILE_BYTES) {
    throw new CollectError(`${name} is ${stats.size} bytes, over the ${MAX_FILE_BYTES}-byte limit per file`);
  }
  return readFileSync(join(kit, name));
}

/** Hash of each fixed kit file that is a regular file (a missing one is left out: the grader says so). */
function kitFileHashes(kit: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const file of [...KIT_FIXED_FILES, KIT_MANIFEST]) {
    try {
      if (lstatSync(join(kit, file)).isFile()) hashes[file] = sha256(readFileSync(join(kit, file)));
    } catch {
      // Missing: left out of kitFiles.
    }
  }
  return hashes;
}

/**
 * The .ts files under src/ that are not exercise files: `pnpm check` imports them, but only the exercise
 * files are handed in, so an exercise file that imports one would not load when graded.
 */
function leftOutFiles(kit: string, exercise: ReadonlySet<string>): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(kit, 'src'), { recursive: true }) as string[];
  } catch {
    return [];
  }
  return entries
    .map((entry) => entry.split(sep).join('/'))
    .filter((entry) => entry.endsWith('.ts') && !exercise.has(entry))
    .filter((entry) => lstatSync(join(kit, 'src', entry)).isFile())
    .map((entry) => `src/${entry}`)
    .sort();
}

export interface CollectResult {
  /** The zip written. */
  zip: string;
  /** Its entries: src/<file>... and submission.json. */
  entries: string[];
  /** Fixed kit files that differ from what init wrote (or are gone): the grader will report them. */
  modified: string[];
  /** Other .ts files under src/ (src/util.ts): not handed in. */
  leftOut: string[];
}

export function collectKit(kit: string): CollectResult {
  const manifest = readKitManifest(kit);
  const files: Record<string, string> = {};
  const zipped: Record<string, Uint8Array> = {};
  for (const file of exerciseFiles(manifest.exercises)) {
    const bytes = readExerciseFile(kit, file, manifest.exercises);
    files[`src/${file}`] = sha256(bytes);
    zipped[`src/${file}`] = bytes;
  }
  const kitFiles = kitFileHashes(kit);
  const submission: SubmissionManifest = {
    submissionVersion: SUBMISSION_VERSION,
    kitVersion: manifest.kitVersion,
    toolkitVersion: manifest.toolkitVersion,
    exercises: manifest.exercises.map(({ id, file }) => ({ id, file })),
    files,
    kitFiles,
  };
  zipped[SUBMISSION_JSON] = Buffer.from(`${JSON.stringify(submission, null, 2)}\n`);
  // A fixed date: the same files make the same zip, byte for byte.
  const zip = join(kit, SUBMISSION_ZIP);
  writeFileAtomicSync(zip, zipSync(zipped, { level: 6, mtime: new Date(2000, 0, 1) }));
  const modified = KIT_FIXED_FILES.filter((file) => kitFiles[file] !== manifest.fixedFiles[file]);
  const leftOut = leftOutFiles(kit, new Set(exerciseFiles(manifest.exercises)));
  return { zip, entries: Object.keys(zipped), modified, leftOut };
}

/** The kit's `pnpm collect`: prints what it wrote or one line saying why not; returns the exit code. */
/** Where runCollect prints; the process's stdout and stderr unless a test collects the lines. */
export interface CollectIo {
  out(line: string): void;
  err(line: string): void;
}

const CONSOLE_IO: CollectIo = { out: (line) => console.log(line), err: (line) => console.error(line) };

export function runCollect(kit: string, io: CollectIo = CONSOLE_IO): number {
  let result: CollectResult;
  try {
    result = collectKit(kit);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`pnpm collect: ${message.replace(/\s*\n\s*/g, ' ')}`);
    return 1;
  }
  const sources = result.entries.filter((entry) => entry !== SUBMISSION_JSON);
  io.out(`wrote ${SUBMISSION_ZIP}: ${sources.join(', ')} and ${SUBMISSION_JSON}; hand in ${SUBMISSION_ZIP}`);
  for (const file of result.modified)
    io.out(`note: ${file} differs from the kit as init wrote it; the grader will report it as modified`);
  const { leftOut } = result;
  if (leftOut.length > 0) {
    const names =
      leftOut.length === 1 ? leftOut[0] : `${leftOut.slice(0, -1).join(', ')} and ${leftOut.at(-1)}`;
    io.out(
      `note: ${names} ${leftOut.length === 1 ? 'is' : 'are'} not handed in (only the exercise files are); ` +
        `an exercise file that imports ${leftOut.length === 1 ? 'it' : 'them'} will not load when graded`,
    );
  }
  return 0;
}
