/**
 * submission.json (from a zip, or a folder Gradescope unpacked it into) and a kit's manifest.json, read
 * as untrusted input: every mistake is one line naming the file and the field, and an unknown field is
 * an error, not ignored.
 */
import { EXERCISES } from '@backprop-lab/assignment';
import {
  exerciseFiles,
  KIT_FIXED_FILES,
  KIT_MANIFEST,
  SUBMISSION_VERSION,
  type SubmissionExercise,
  type SubmissionManifest,
} from '@backprop-lab/assignment/collect';
import { TrainerDataError } from '@backprop-lab/trainer';
import { KIT_VERSION } from '../generate.js';

/** A submission that cannot be read: one line naming the file (and entry or field) at fault. */
export class SubmissionError extends TrainerDataError {}

const HASH = /^[0-9a-f]{64}$/;
const KIT_FILES: readonly string[] = [...KIT_FIXED_FILES, KIT_MANIFEST];
const SUBMISSION_KEYS = [
  'submissionVersion',
  'kitVersion',
  'toolkitVersion',
  'exercises',
  'files',
  'kitFiles',
];

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const shown = (value: unknown) => JSON.stringify(value) ?? String(value);

function parseJson(text: string, where: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SubmissionError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) throw new SubmissionError(`${where}: expected a JSON object, got ${shown(value)}`);
  return value;
}

function checkVersions(json: Json, where: string): { kitVersion: number; toolkitVersion: string } {
  const { kitVersion, toolkitVersion } = json;
  if (kitVersion !== KIT_VERSION)
    throw new SubmissionError(
      `${where}: kitVersion ${shown(kitVersion)} is not supported (this grader reads kits of version ${KIT_VERSION})`,
    );
  if (typeof toolkitVersion !== 'string' || !/^\d+\.\d+\.\d+[\w.-]*$/.test(toolkitVersion))
    throw new SubmissionError(
      `${where}: toolkitVersion: expected a version like "0.1.0", got ${shown(toolkitVersion)}`,
    );
  return { kitVersion, toolkitVersion };
}

/** The exercises a kit holds: known ids, each once, each with the file the assignment gives it. */
function checkExercises(value: unknown, where: string): SubmissionExercise[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new SubmissionError(`${where}: exercises: expected a non-empty list, got ${shown(value)}`);
  const seen = new Set<string>();
  return value.map((item, i) => {
    const id = isRecord(item) ? item.id : undefined;
    const known = EXERCISES.find((exercise) => exercise.id === id);
    if (!known) throw new SubmissionError(`${where}: exercises[${i}].id: unknown exercise ${shown(id)}`);
    if (seen.has(known.id))
      throw new SubmissionError(`${where}: exercises[${i}].id: ${known.id} appears twice`);
    seen.add(known.id);
    if ((item as Json).file !== known.file)
      throw new SubmissionError(
        `${where}: exercises[${i}].file: expected "${known.file}" for ${known.id}, got ${shown((item as Json).file)}`,
      );
    return { id: known.id, file: known.file };
  });
}

/** A record of hashes whose keys are all in `allowed`. */
function checkHashes(value: unknown, allowed: readonly string[], where: string): Record<string, string> {
  if (!isRecord(value))
    throw new SubmissionError(`${where}: expected an object of hashes, got ${shown(value)}`);
  for (const [key, hash] of Object.entries(value)) {
    if (!allowed.includes(key)) throw new SubmissionError(`${where}[${shown(key)}]: not a file of the kit`);
    if (typeof hash !== 'string' || !HASH.test(hash))
      throw new SubmissionError(`${where}[${shown(key)}]: expected a SHA-256 in hex, got ${shown(hash)}`);
  }
  return value as Record<string, string>;
}

export function parseSubmissionJson(text: string, where: string): SubmissionManifest {
  const json = parseJson(text, where);
  const unknown = Object.keys(json).find((key) => !SUBMISSION_KEYS.includes(key));
  if (unknown !== undefined) throw new SubmissionError(`${where}: unknown field ${shown(unknown)}`);
  if (json.submissionVersion !== SUBMISSION_VERSION)
    throw new SubmissionError(
      `${where}: submissionVersion ${shown(json.submissionVersion)} is not supported (this grader reads ${SUBMISSION_VERSION})`,
    );
  const versions = checkVersions(json, where);
  const exercises = checkExercises(json.exercises, where);
  const sources = exerciseFiles(exercises).map((file) => `src/${file}`);
  const files = checkHashes(json.files, sources, `${where}: files`);
  const missing = sources.find((name) => !(name in files));
  if (missing) throw new SubmissionError(`${where}: files: no hash for ${missing}`);
  const kitFiles = checkHashes(json.kitFiles, KIT_FILES, `${where}: kitFiles`);
  return { submissionVersion: SUBMISSION_VERSION, ...versions, exercises, files, kitFiles };
}

/** A kit's manifest.json: its versions and exercises (the grader compares the rest with init's). */
export function parseKitManifest(
  text: string,
  where: string,
): { kitVersion: number; toolkitVersion: string; exercises: SubmissionExercise[] } {
  const json = parseJson(text, where);
  return { ...checkVersions(json, where), exercises: checkExercises(json.exercises, where) };
}
