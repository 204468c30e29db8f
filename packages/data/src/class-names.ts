/**
 * The optional class-names sidecar: `<name>.classes.txt` next to `<name>.csv`, one class name per line,
 * line k naming class k (so `airplane` on line 1 is label 0). Plain text, because CIFAR-10's own
 * `batches.meta.txt` has this form and a person can edit it.
 */
import { writeFileAtomic } from '@backprop-lab/fs-atomic';
import { DataError, quoteValue } from './errors.js';
import { readTextFileIfAny } from './files.js';

export function classNamesPath(csvPath: string): string {
  return `${csvPath.replace(/\.csv$/i, '')}.classes.txt`;
}

/** The names in the sidecar of `csvPath`, or undefined when there is none. */
export async function readClassNames(csvPath: string): Promise<string[] | undefined> {
  const path = classNamesPath(csvPath);
  const text = await readTextFileIfAny(path, 'the class-names file');
  return text === undefined ? undefined : parseClassNames(path, text);
}

/** One name per line; BOM, CRLF and trailing blank lines tolerated, names trimmed. */
export function parseClassNames(path: string, text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new DataError(path, 1, 1, 'the class-names file is empty');
  const seen = new Map<string, number>();
  return lines.map((raw, index) => {
    const name = raw.trim();
    if (name === '') throw new DataError(path, index + 1, 1, `class ${index} has an empty name`);
    const first = seen.get(name);
    if (first !== undefined) {
      throw new DataError(
        path,
        index + 1,
        1,
        `class name ${quoteValue(name)} is repeated (also line ${first + 1})`,
      );
    }
    seen.set(name, index);
    return name;
  });
}

export async function writeClassNames(csvPath: string, names: readonly string[]): Promise<void> {
  await writeFileAtomic(classNamesPath(csvPath), `${names.join('\n')}\n`);
}
