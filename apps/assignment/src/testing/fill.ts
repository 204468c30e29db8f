/**
 * Test helper: fills a generated kit's stubs the way a student who copied the reference would, each body
 * calling the reference function of the same name with the same arguments. Functions the student "wrote"
 * may be given a different body (a planted mistake).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const PACKAGE_OF: Record<string, string> = {
  'packages/layers/src': '@backprop-lab/layers',
  'packages/optim/src': '@backprop-lab/optim',
};

export interface FillOptions {
  /** Only these functions (default: every top-level stub in the file). */
  functions?: readonly string[];
  /** Replacement bodies by function name, e.g. a wrong backward. */
  bodies?: Readonly<Record<string, string>>;
}

/** Rewrites `<kit>/src/<file>`, whose reference lives in `referenceDir` (repo-relative). */
export function fillKitFile(
  kit: string,
  file: string,
  referenceDir: string,
  options: FillOptions = {},
): void {
  const path = join(kit, 'src', file);
  const text = readFileSync(path, 'utf8');
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const statement of sf.statements) {
    if (!ts.isFunctionDeclaration(statement) || !statement.body || !statement.name) continue;
    const name = statement.name.text;
    if (options.functions && !options.functions.includes(name)) continue;
    if (!statement.body.getText(sf).includes('NotImplemented')) continue;
    const args = statement.parameters.map((p) => p.name.getText(sf)).join(', ');
    const body = options.bodies?.[name] ?? `return reference.${name}(${args});`;
    edits.push({ start: statement.body.getStart(sf), end: statement.body.end, text: `{\n  ${body}\n}` });
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  writeFileSync(path, `import * as reference from '${PACKAGE_OF[referenceDir]}';\n${out}`);
}
