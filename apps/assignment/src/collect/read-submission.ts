/**
 * readSubmission: what the grader knows of one hand-in, from a kit folder, the zip `pnpm collect` wrote,
 * or a folder that zip was unpacked into (Gradescope unpacks uploads). The exercise files are copied into
 * a private temp folder (srcDir) that the grader loads them from; nothing else of the submission is ever
 * run or written. Unreadable input is a SubmissionError (one line); what only spoils part of it is a
 * problem (an exercise file missing: that file's exercises) or a tampering note (a file changed that the
 * student had no reason to change, or a zip edited after collect).
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';
import {
  exerciseFiles,
  KIT_FIXED_FILES,
  KIT_MANIFEST,
  MAX_FILE_BYTES,
  SUBMISSION_JSON,
  SUBMISSION_ZIP,
  type SubmissionExercise,
  sha256,
} from '@backprop-lab/assignment/collect';
import { selectExercises } from '../generate.js';
import { kitPins } from '../init.js';
import { kitFixedFiles } from '../kit-templates.js';
import { parseKitManifest, parseSubmissionJson, SubmissionError } from './submission-json.js';
import { inflateEntry, listZipEntries, quoted, ZipError, type ZipLimits } from './zip-reader.js';

export { SubmissionError } from './submission-json.js';

export interface SubmissionLimits extends ZipLimits {
  /** The zip file itself. */
  maxZipBytes: number;
}

export const DEFAULT_SUBMISSION_LIMITS: SubmissionLimits = {
  maxEntries: 64,
  maxEntryBytes: MAX_FILE_BYTES,
  maxTotalBytes: 16 * MAX_FILE_BYTES,
  maxZipBytes: 16 * MAX_FILE_BYTES,
};

export interface Submission {
  /** The file or folder name, without `.zip`. */
  name: string;
  /** Private folder holding `<file>` for each exercise file that could be read; its parent says `"type": "module"`. */
  srcDir: string;
  manifest: { kitVersion: number; toolkitVersion: string; exercises: SubmissionExercise[] };
  /** One line each: a kit file that differs from init's, or an exercise file edited after collect. */
  tampered: string[];
  /** One line each, naming the file: the values of fileProblems. */
  problems: string[];
  /** Kit file (`relu.ts`) → why it was not read: its exercises score 0, the others are graded. */
  fileProblems: Map<string, string>;
  /** Removes srcDir's folder. */
  cleanup(): void;
}

/** A file's bytes, or why not: never through a symbolic link, never a FIFO or device, never too large. */
function readRegularFile(path: string, limit: number): Buffer | string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'is missing';
    return code === 'ELOOP' ? 'is a symbolic link (not followed)' : `cannot be read (${code})`;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return 'is not a regular file';
    if (stats.size > limit) return `is ${stats.size} bytes, over the ${limit}-byte limit per file`;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** What each kind of submission yields before the common checks. */
interface Contents {
  manifest: Submission['manifest'];
  /** `src/<file>` → bytes or why not. */
  sources: Map<string, Buffer | string>;
  /** `src/<file>` → hash recorded by collect (none for a kit folder). */
  recorded?: Record<string, string>;
  /** Fixed kit file → hash of what the student had. */
  kitFiles: Record<string, string>;
  /** Exercise files in a zip that its submission.json does not list: added after collect, not graded. */
  extra?: string[];
}

const ALLOWED_ENTRIES = new Set([
  SUBMISSION_JSON,
  'src/',
  ...exerciseFiles(EXERCISES).map((file) => `src/${file}`),
]);

function fromZip(path: string, limits: SubmissionLimits): Contents {
  const size = statSync(path).size;
  if (size > limits.maxZipBytes)
    throw new SubmissionError(
      `${path}: ${size} bytes, over the ${limits.maxZipBytes}-byte limit for a submission`,
    );
  const zip = readFileSync(path);
  try {
    const entries = listZipEntries(zip, limits);
    for (const entry of entries) {
      if (!ALLOWED_ENTRIES.has(entry.name))
        throw new ZipError(
          `entry ${quoted(entry.name)}: not part of a submission (submission.json and src/<exercise file>)`,
        );
    }
    const json = entries.find((entry) => entry.name === SUBMISSION_JSON);
    if (!json) throw new ZipError(`no ${SUBMISSION_JSON}: make the zip with pnpm collect in the kit`);
    const manifest = parseSubmissionJson(
      inflateEntry(zip, json).toString('utf8'),
      `${path}: ${SUBMISSION_JSON}`,
    );
    const sources = new Map<string, Buffer | string>();
    for (const name of Object.keys(manifest.files)) {
      const entry = entries.find((candidate) => candidate.name === name);
      sources.set(name, entry ? inflateEntry(zip, entry) : 'is missing from the zip');
    }
    const extra = entries
      .filter(
        (entry) => !entry.isDirectory && entry.name.startsWith('src/') && !(entry.name in manifest.files),
      )
      .map((entry) => entry.name);
    return { manifest, sources, recorded: manifest.files, kitFiles: manifest.kitFiles, extra };
  } catch (error) {
    if (error instanceof ZipError) throw new SubmissionError(`${path}: ${error.message}`);
    throw error;
  }
}

/** Each exercise file of a folder; all of them unread when src/ is not a real folder. */
function readSources(dir: string, files: readonly string[]): Map<string, Buffer | string> {
  let srcIsFolder = false;
  try {
    srcIsFolder = lstatSync(join(dir, 'src')).isDirectory();
  } catch {
    // Missing: every file below says so.
  }
  return new Map(
    files.map((file) => [
      `src/${file}`,
      srcIsFolder
        ? readRegularFile(join(dir, 'src', file), MAX_FILE_BYTES)
        : 'is missing (src/ is not a folder)',
    ]),
  );
}

function readManifestText(dir: string, file: string): string {
  const bytes = readRegularFile(join(dir, file), MAX_FILE_BYTES);
  if (typeof bytes === 'string') throw new SubmissionError(`${join(dir, file)} ${bytes}`);
  return bytes.toString('utf8');
}

const holds = (dir: string, file: string) =>
  lstatSync(join(dir, file), { throwIfNoEntry: false }) !== undefined;

/**
 * Whether a folder is one submission (a kit, or collect's zip unpacked or dropped in it) rather than a
 * folder of submissions: what a grader that takes folders of them must ask before looking inside.
 */
export function isSubmissionFolder(dir: string): boolean {
  return [KIT_MANIFEST, SUBMISSION_JSON, SUBMISSION_ZIP].some((file) => holds(dir, file));
}

function fromFolder(dir: string, limits: SubmissionLimits): Contents {
  const has = (file: string) => holds(dir, file);
  if (has(KIT_MANIFEST)) {
    const manifest = parseKitManifest(readManifestText(dir, KIT_MANIFEST), join(dir, KIT_MANIFEST));
    const kitFiles: Record<string, string> = {};
    for (const file of [...KIT_FIXED_FILES, KIT_MANIFEST]) {
      const bytes = readRegularFile(join(dir, file), MAX_FILE_BYTES);
      if (typeof bytes !== 'string') kitFiles[file] = sha256(bytes);
    }
    return { manifest, sources: readSources(dir, exerciseFiles(manifest.exercises)), kitFiles };
  }
  if (has(SUBMISSION_JSON)) {
    const manifest = parseSubmissionJson(readManifestText(dir, SUBMISSION_JSON), join(dir, SUBMISSION_JSON));
    const sources = readSources(dir, exerciseFiles(manifest.exercises));
    return { manifest, sources, recorded: manifest.files, kitFiles: manifest.kitFiles };
  }
  if (has(SUBMISSION_ZIP)) {
    // The student's folder: its zip is read only as a file of its own, never through a link.
    if (!lstatSync(join(dir, SUBMISSION_ZIP)).isFile())
      throw new SubmissionError(`${join(dir, SUBMISSION_ZIP)}: not a regular file`);
    return fromZip(join(dir, SUBMISSION_ZIP), limits);
  }
  throw new SubmissionError(
    `${dir}: neither a kit (no ${KIT_MANIFEST}) nor a collected submission (no ${SUBMISSION_JSON} or ${SUBMISSION_ZIP})`,
  );
}

const expectedCache = new Map<string, Map<string, string>>();

/** The hash of each fixed file as init writes it for these exercises and toolkit version. */
function expectedKitHashes(manifest: Submission['manifest']): Map<string, string> {
  const ids = manifest.exercises.map((exercise) => exercise.id);
  const key = `${manifest.toolkitVersion} ${ids.join(',')}`;
  let hashes = expectedCache.get(key);
  if (!hashes) {
    const files = kitFixedFiles({ ...manifest, exercises: selectExercises(ids), pins: kitPins() });
    hashes = new Map([...files].map(([name, text]) => [name, sha256(text)]));
    expectedCache.set(key, hashes);
  }
  return hashes;
}

function tamperingOf(contents: Contents): string[] {
  const notes: string[] = [];
  for (const [name, hash] of expectedKitHashes(contents.manifest)) {
    const actual = contents.kitFiles[name];
    if (actual === undefined) notes.push(`${name} is missing from the kit`);
    else if (actual !== hash) notes.push(`${name} was modified`);
  }
  for (const [name, bytes] of contents.sources) {
    if (contents.recorded && typeof bytes !== 'string' && sha256(bytes) !== contents.recorded[name])
      notes.push(`${name} does not match the hash pnpm collect recorded: edited after collecting`);
  }
  for (const name of contents.extra ?? [])
    notes.push(`${name} is not in submission.json: added after collecting, not graded`);
  return notes;
}

export interface ReadSubmissionOptions {
  limits?: Partial<SubmissionLimits>;
  /** Where the private folder is made (default: the OS's temp folder). */
  tempDir?: string;
}

export function readSubmission(path: string, options: ReadSubmissionOptions = {}): Submission {
  const limits = { ...DEFAULT_SUBMISSION_LIMITS, ...options.limits };
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) throw new SubmissionError(`${path}: no such file or folder`);
  // A FIFO or device would block the read or never end.
  if (!stats.isDirectory() && !stats.isFile())
    throw new SubmissionError(`${path}: not a regular file or a folder`);
  const isFolder = stats.isDirectory();
  const root = mkdtempSync(join(options.tempDir ?? tmpdir(), 'bpl-submission-'));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    const contents = isFolder ? fromFolder(path, limits) : fromZip(path, limits);
    const srcDir = join(root, 'src');
    mkdirSync(srcDir);
    // The kit's files are ES modules, as its package.json says: the copy must say so too, or a loader
    // takes them for CommonJS.
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n', { flag: 'wx' });
    const fileProblems = new Map<string, string>();
    for (const [name, bytes] of contents.sources) {
      const file = name.slice('src/'.length);
      if (typeof bytes === 'string') fileProblems.set(file, `${name} ${bytes}`);
      else writeFileSync(join(srcDir, file), bytes, { flag: 'wx', mode: 0o600 });
    }
    return {
      name: basename(path).replace(/\.zip$/i, ''),
      srcDir,
      manifest: contents.manifest,
      tampered: tamperingOf(contents),
      problems: [...fileProblems.values()],
      fileProblems,
      cleanup,
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
