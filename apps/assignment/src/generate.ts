/**
 * The kit's generated text: one stub file per exercise file (stub.ts over the reference source), the
 * derivation docs, and the manifest. Pure apart from reading the repo; init.ts writes it out.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { EXERCISES, type Exercise } from '@backprop-lab/assignment';
import ts from 'typescript';
import { graphTodos } from './graph-todos.js';
import { StubError, stubSource } from './stub.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
/** The kit's version: bumped when its layout or check contract changes. */
export const KIT_VERSION = 1;

/** The packages a kit's stubs may import from, by source folder. */
const PACKAGES = [
  { name: '@backprop-lab/layers', src: 'packages/layers/src' },
  { name: '@backprop-lab/optim', src: 'packages/optim/src' },
];

/** The exercises `--only` selects (all by default), in the manifest's order; an unknown id is an error. */
export function selectExercises(only: readonly string[] = []): Exercise[] {
  const unknown = only.filter((id) => !EXERCISES.some((e) => e.id === id));
  if (unknown.length) {
    throw new StubError(
      `--only: unknown exercise ${unknown.join(', ')} (exercises: ${EXERCISES.map((e) => e.id).join(', ')})`,
    );
  }
  return EXERCISES.filter((e) => only.length === 0 || only.includes(e.id));
}

/** The names a package's entry exports (its `export { ... } from` lines). */
function exportedNames(indexPath: string): Set<string> {
  const sf = ts.createSourceFile(indexPath, readFileSync(indexPath, 'utf8'), ts.ScriptTarget.Latest, true);
  const names = new Set<string>();
  for (const statement of sf.statements) {
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements) names.add(element.name.text);
    }
  }
  return names;
}

function importResolver(reference: string, kitFiles: ReadonlyMap<string, string>) {
  const pkg = PACKAGES.find((p) => reference.startsWith(`${p.src}/`));
  if (!pkg) throw new StubError(`${reference}: not in a package the kit can import from`);
  const exported = exportedNames(join(REPO_ROOT, pkg.src, 'index.ts'));
  return (specifier: string, name: string): string => {
    if (!specifier.startsWith('.')) return specifier;
    const target = relative(REPO_ROOT, join(REPO_ROOT, dirname(reference), specifier)).replace(
      /\.js$/,
      '.ts',
    );
    const kitFile = kitFiles.get(target);
    if (kitFile) return `./${kitFile.replace(/\.ts$/, '.js')}`;
    if (exported.has(name)) return pkg.name;
    throw new StubError(
      `${reference}: ${name} (from '${specifier}') is not exported by ${pkg.name}; export it or drop its use from the kept declarations`,
    );
  };
}

export interface KitText {
  /** Kit-relative path → content: src/*.ts stubs and docs/*.md. */
  files: Map<string, string>;
  exercises: Exercise[];
}

export function generateKitText(only: readonly string[] = []): KitText {
  const exercises = selectExercises(only);
  const byFile = new Map<string, Exercise[]>();
  for (const e of exercises) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const kitFiles = new Map([...byFile].map(([file, list]) => [list[0].reference, file]));
  const files = new Map<string, string>();
  const docs = new Set(exercises.flatMap((e) => (e.docs ? [e.docs] : [])));
  const graphDoc = readFileSync(join(REPO_ROOT, 'docs/batchnorm-backward.md'), 'utf8');
  for (const [file, list] of byFile) {
    const reference = list[0].reference;
    const source = readFileSync(join(REPO_ROOT, reference), 'utf8');
    const text = stubSource(source, reference, {
      functions: list.flatMap((e) => e.functions),
      resolveImport: importResolver(reference, kitFiles),
      todos: { batchnormBackward: graphTodos(graphDoc) },
    });
    files.set(`src/${file}`, text);
  }
  for (const doc of docs)
    files.set(`docs/${doc.split('/').pop()}`, readFileSync(join(REPO_ROOT, doc), 'utf8'));
  return { files, exercises };
}
