import { EXERCISES } from './manifest.js';

/** What every stub of a student kit throws until the student writes the body. */
export class NotImplemented extends Error {
  override name = 'NotImplemented';
  /** The function (or `Class.method`) that is still a stub. */
  readonly functionName: string;

  constructor(functionName: string) {
    const exercise = EXERCISES.find((e) => e.functions.includes(functionName));
    const where = exercise ? ` (see the TODOs in src/${exercise.file})` : '';
    super(`${functionName} is not implemented yet${where}`);
    this.functionName = functionName;
  }
}

/**
 * True for a NotImplemented from any copy of this package: a kit loaded by the trainer may bring its
 * own, so the name decides, not instanceof.
 */
export function isNotImplemented(error: unknown): error is NotImplemented {
  return error instanceof Error && error.name === 'NotImplemented';
}
