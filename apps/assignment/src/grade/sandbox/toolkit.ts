/**
 * The grader's own code as the student's process runs it: the toolkit packages (compiled from their
 * sources, following imports from each entry), the child's runtime, and the shims that student code gets
 * for '@backprop-lab/layers', '@backprop-lab/optim' and '@backprop-lab/assignment'. Paths are relative to
 * the submission's temp dir. Compiled text is kept per source file until the file changes.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, posix, relative, sep } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';
import ts from 'typescript';
import { REPO_ROOT } from '../../generate.js';
import { transpile } from './transpile.js';

const HERE = import.meta.dirname;
const PACKAGES = join(REPO_ROOT, 'packages');

/** Exercise functions, and what else would hand a student the reference's answer. */
const EXERCISE_NAMES = EXERCISES.flatMap((e) => e.functions.map((f) => f.split('.')[0]));
/** The rules' other forms and what runs them by name; and file access (checkpoints), which graded code has no use for. */
const OPTIM_DENIED = [
  'adamInPlace',
  'rmspropInPlace',
  'sgdMomentumInPlace',
  'UPDATE_RULES',
  'Solver',
  'updateParams',
  'loadCheckpoint',
  'saveCheckpoint',
  'writeFileAtomic',
];
/** Layers' helpers that compose the reference layers: they run only inside the student's net (gate.ts). */
const LAYERS_GATED = [
  'affineReluForward',
  'affineReluBackward',
  'affineNormReluForward',
  'affineNormReluBackward',
];
const LAYERS_WRAPPED = ['defaultLayers', 'resolveOptions'];

function packageDir(name: string): string {
  return join(PACKAGES, name.replace('@backprop-lab/', ''));
}

function packageJson(dir: string): { exports?: Record<string, unknown>; imports?: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

function entryOf(name: string): string {
  const dir = packageDir(name);
  const target = packageJson(dir).exports?.['.'];
  if (typeof target !== 'string') throw new Error(`grader: ${name} has no "." export to compile`);
  return join(dir, target);
}

/** Where a trusted source file's JavaScript goes in the temp dir. */
function outPath(abs: string): string {
  const js = abs.replace(/\.ts$/, '.js');
  if (abs.startsWith(HERE + sep)) return posix.join('runtime', relative(HERE, js).split(sep).join('/'));
  return posix.join('toolkit', relative(PACKAGES, js).split(sep).join('/'));
}

/** `to` as an import specifier from the file at `from` (both temp-dir relative). */
export function specifierFrom(from: string, to: string): string {
  const path = posix.relative(posix.dirname(from), to);
  return path.startsWith('.') ? path : `./${path}`;
}

/** A package.json "imports" entry (#name) of the package that holds `abs`. */
function subpathImport(specifier: string, abs: string): string {
  for (let dir = dirname(abs); dir.startsWith(PACKAGES); dir = dirname(dir)) {
    if (!existsSync(join(dir, 'package.json'))) continue;
    const entry = packageJson(dir).imports?.[specifier];
    const target =
      typeof entry === 'string' ? entry : (entry as Record<string, unknown> | undefined)?.default;
    if (typeof target !== 'string') break;
    return join(dir, target);
  }
  throw new Error(`no "imports" entry for ${specifier}`);
}

function resolveTrusted(specifier: string, abs: string): string | 'builtin' {
  if (isBuiltin(specifier)) return 'builtin';
  if (specifier.startsWith('#')) return subpathImport(specifier, abs);
  if (specifier.startsWith('@backprop-lab/')) return entryOf(specifier);
  if (specifier.startsWith('.')) return join(dirname(abs), specifier).replace(/\.js$/, '.ts');
  throw new Error(`'${specifier}' is not a toolkit package`);
}

const cache = new Map<string, { mtimeMs: number; js: string; deps: string[] }>();

function compileTrusted(abs: string): { js: string; deps: string[] } {
  const { mtimeMs } = statSync(abs);
  const hit = cache.get(abs);
  if (hit && hit.mtimeMs === mtimeMs) return hit;
  const deps: string[] = [];
  const { js, problems } = transpile(readFileSync(abs, 'utf8'), relative(REPO_ROOT, abs), (specifier) => {
    if (specifier === undefined) return { to: '' }; // the child's own import of a student file
    try {
      const target = resolveTrusted(specifier, abs);
      if (target === 'builtin') return { to: specifier };
      deps.push(target);
      return { to: specifierFrom(outPath(abs), outPath(target)) };
    } catch (error) {
      return { denied: (error as Error).message };
    }
  });
  if (problems.length > 0) throw new Error(`grader: the toolkit does not compile: ${problems[0]}`);
  const entry = { mtimeMs, js, deps };
  cache.set(abs, entry);
  return entry;
}

function addGraph(entry: string, files: Map<string, string>): void {
  const out = outPath(entry);
  if (files.has(out)) return;
  const { js, deps } = compileTrusted(entry);
  files.set(out, js);
  for (const dep of deps) addGraph(dep, files);
}

/** The value (not type) names a package entry exports, following `export *`. */
function valueExports(abs: string): string[] {
  const source = ts.createSourceFile(abs, readFileSync(abs, 'utf8'), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || statement.isTypeOnly) continue;
    const clause = statement.exportClause;
    if (clause && ts.isNamedExports(clause)) {
      for (const element of clause.elements) if (!element.isTypeOnly) names.push(element.name.text);
    } else if (!clause && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      names.push(...valueExports(join(dirname(abs), statement.moduleSpecifier.text.replace(/\.js$/, '.ts'))));
    }
  }
  return names;
}

function layersShim(realPath: string): string {
  const names = valueExports(entryOf('@backprop-lab/layers'));
  const plain = names.filter(
    (n) => !EXERCISE_NAMES.includes(n) && !LAYERS_GATED.includes(n) && !LAYERS_WRAPPED.includes(n),
  );
  const gatedNames = names.filter((n) => LAYERS_GATED.includes(n));
  return [
    `import * as real from '${realPath}';`,
    `import { gated, gateLayers } from '../runtime/gate.js';`,
    `export const { ${plain.join(', ')} } = real;`,
    ...gatedNames.map((n) => `export const ${n} = gated('${n}', real.${n});`),
    'export const defaultLayers = Object.freeze(gateLayers(real.defaultLayers, real.defaultLayers));',
    'export function resolveOptions(options) {',
    '  const resolved = real.resolveOptions(options);',
    '  return { ...resolved, layers: gateLayers(resolved.layers, real.defaultLayers) };',
    '}',
    '',
  ].join('\n');
}

function optimShim(realPath: string): string {
  const names = valueExports(entryOf('@backprop-lab/optim'));
  const plain = names.filter((n) => !EXERCISE_NAMES.includes(n) && !OPTIM_DENIED.includes(n));
  return `import * as real from '${realPath}';\nexport const { ${plain.join(', ')} } = real;\n`;
}

/** What student code may import, and the temp-dir file each name loads. */
export const STUDENT_PACKAGES: Readonly<Record<string, string>> = {
  '@backprop-lab/tensor': outPath(entryOf('@backprop-lab/tensor')),
  '@backprop-lab/gradcheck': outPath(entryOf('@backprop-lab/gradcheck')),
  '@backprop-lab/layers': 'shims/layers.js',
  '@backprop-lab/optim': 'shims/optim.js',
  '@backprop-lab/assignment': 'shims/assignment.js',
};

/** Every grader-owned file of a submission's temp dir, by temp-dir path. */
export function toolkitFiles(): Map<string, string> {
  const files = new Map<string, string>([['package.json', '{ "type": "module" }\n']]);
  const notImplemented = join(packageDir('@backprop-lab/assignment'), 'src/not-implemented.ts');
  for (const entry of [
    join(HERE, 'child.ts'),
    join(HERE, 'broker.ts'),
    entryOf('@backprop-lab/tensor'),
    entryOf('@backprop-lab/gradcheck'),
    entryOf('@backprop-lab/layers'),
    entryOf('@backprop-lab/optim'),
    notImplemented,
  ])
    addGraph(entry, files);
  const from = (pkg: string) => specifierFrom('shims/x.js', outPath(entryOf(pkg)));
  // Everything student code may import, evaluated when the child starts: module top-level code then
  // runs before any student file could have replaced a builtin it calls (Object.keys of a LayerSet).
  const preload = Object.values(STUDENT_PACKAGES).map(
    (path) => `import '${specifierFrom('runtime/x.js', path)}';`,
  );
  files.set('runtime/preload.js', `${preload.join('\n')}\n`);
  files.set('shims/layers.js', layersShim(from('@backprop-lab/layers')));
  files.set('shims/optim.js', optimShim(from('@backprop-lab/optim')));
  const notImplementedJs = specifierFrom('shims/x.js', outPath(notImplemented));
  files.set(
    'shims/assignment.js',
    `export { isNotImplemented, NotImplemented } from '${notImplementedJs}';\nexport { EXERCISES, fileOf } from '${notImplementedJs.replace(/not-implemented\.js$/, 'manifest.js')}';\n`,
  );
  return files;
}
