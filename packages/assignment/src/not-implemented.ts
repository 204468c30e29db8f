import { fileOf } from './manifest.js';

/**
 * What a kit's stub throws until the student writes it. The checks read it as 'not started', not as a
 * crash. Recognised by name as well as by class, so a second copy of this package (a kit's vendored one
 * beside the toolkit's) still counts.
 */
export class NotImplemented extends Error {
  readonly functionName: string;

  constructor(functionName: string) {
    const file = fileOf(functionName);
    const where = file === undefined ? '' : ` (see the TODOs in src/${file})`;
    super(`${functionName} is not implemented yet${where}`);
    this.name = 'NotImplemented';
    this.functionName = functionName;
  }
}

export function isNotImplemented(error: unknown): error is NotImplemented {
  return error instanceof NotImplemented || (error instanceof Error && error.name === 'NotImplemented');
}
