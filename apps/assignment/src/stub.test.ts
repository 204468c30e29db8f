// The generated stubs: signatures and docs kept, bodies gone. The leak test normalises every function
// body of the reference sources (comments and whitespace dropped by the TypeScript printer) and looks for
// it, and for each longer statement of an exercise body, in every generated file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { generateKitText, REPO_ROOT, selectExercises } from './generate.js';
import { graphSteps } from './graph-todos.js';
import { stubSource } from './stub.js';

const printer = ts.createPrinter({ removeComments: true });
const squash = (text: string) => text.replace(/\s+/g, '');

function parse(path: string, text: string) {
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
}

/** Printed without comments, then without whitespace: formatting cannot hide a copy. */
function normalised(node: ts.Node, sf: ts.SourceFile): string {
  return squash(printer.printNode(ts.EmitHint.Unspecified, node, sf));
}

interface Body {
  owner: string;
  body: ts.Block;
}

function bodies(sf: ts.SourceFile): Body[] {
  const found: Body[] = [];
  const visit = (node: ts.Node, owner: string) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body && ts.isBlock(node.body)) {
      const name =
        node.name && ts.isIdentifier(node.name)
          ? node.name.text
          : ts.isConstructorDeclaration(node)
            ? 'constructor'
            : '(arrow)';
      found.push({ owner: owner ? `${owner}.${name}` : name, body: node.body });
    }
    const nextOwner = ts.isClassDeclaration(node) ? (node.name?.text ?? '') : owner;
    ts.forEachChild(node, (child) => visit(child, nextOwner));
  };
  visit(sf, '');
  return found;
}

const { files } = generateKitText();
const generated = [...files].filter(([path]) => path.startsWith('src/'));
const generatedText = generated
  .map(([path, text]) => normalised(parse(path, text), parse(path, text)))
  .join('\n');
/** Kept on purpose: the net's constructor and its parameter bookkeeping are setup, not the exercise. */
const KEPT = new Set(['FullyConnectedNet.constructor', 'FullyConnectedNet.setParam']);

describe('generated stubs', () => {
  it('contain no reference function body, nor any statement of an exercise body', () => {
    const references = [...new Set(EXERCISES.map((e) => e.reference))];
    const exerciseFns = new Set(EXERCISES.flatMap((e) => e.functions));
    let checked = 0;
    for (const reference of references) {
      const sf = parse(reference, readFileSync(join(REPO_ROOT, reference), 'utf8'));
      for (const { owner, body } of bodies(sf)) {
        if (KEPT.has(owner)) continue;
        const text = normalised(body, sf);
        expect(generatedText.includes(text), `${reference}: body of ${owner}`).toBe(false);
        checked++;
        if (!exerciseFns.has(owner)) continue;
        for (const statement of body.statements) {
          const line = normalised(statement, sf);
          if (line.length >= 30)
            expect(generatedText.includes(line), `${reference}: ${owner}: ${line}`).toBe(false);
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('keep every exercise function with its signature and doc comment, throwing NotImplemented', () => {
    for (const exercise of EXERCISES) {
      const text = files.get(`src/${exercise.file}`)!;
      for (const fn of exercise.functions) {
        expect(text).toContain(`throw new NotImplemented('${fn}');`);
      }
    }
    const affine = files.get('src/affine.ts')!;
    expect(affine).toContain(
      '/** out = x·W + b.   x [N, d1..dk], W [D, M], b [M]  →  out [N, M] */\nexport function affineForward(x: Tensor, W: Tensor, b: Tensor): { out: Tensor; cache: AffineCache } {',
    );
    expect(affine).toContain('export interface AffineCache {');
    expect(affine).toContain("import { NotImplemented } from '@backprop-lab/assignment';");
    // The helper that only the solved body used is gone with it.
    expect(affine).not.toContain('function view(');
  });

  it('keep the net class and its constructor, with loss stubbed and the private solution helpers dropped', () => {
    const net = files.get('src/fc-net.ts')!;
    expect(net).toContain('export class FullyConnectedNet {');
    expect(net).toContain('constructor(options: FullyConnectedNetOptions) {');
    expect(net).toContain('loss(X: Tensor, y: Labels, options?: LossOptions): LossResult;');
    expect(net).toContain("throw new NotImplemented('FullyConnectedNet.loss');");
    expect(net).not.toContain('regularized');
    expect(net).not.toContain('layersTrainPass');
    // Types the kit's other files define come from them; the rest from the packages.
    expect(net).toContain("import { type BatchnormParam } from './batchnorm.js';");
    expect(net).toMatch(/import \{[^}]*resolveOptions[^}]*\} from '@backprop-lab\/layers';/);
  });

  it("list every named intermediate of the derivation in the graph-form backward, in the doc's order", () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/batchnorm-backward.md'), 'utf8');
    const steps = graphSteps(doc).map((s) => s.name);
    expect(steps).toEqual([
      'dbeta',
      'dgammax',
      'dgamma',
      'dxhat',
      'divar',
      'dxmu1',
      'dsqrtvar',
      'dvariance',
      'dsq',
      'dxmu2',
      'dx1',
      'dmu',
      'dx2',
      'dx',
    ]);
    const text = files.get('src/batchnorm-backward.ts')!;
    let at = text.indexOf('export function batchnormBackward(');
    for (const step of steps) {
      const next = text.indexOf(`//   const ${step} = ...;`, at);
      expect(next, step).toBeGreaterThan(at);
      at = next;
    }
    expect(text).toContain(
      'steps: { dgammax, dxhat, divar, dxmu1, dsqrtvar, dvariance, dsq, dxmu2, dx1, dmu, dx2 }',
    );
    expect(files.get('docs/batchnorm-backward.md')).toBe(doc);
  });

  it('--only picks exercises in manifest order; an unknown id is named', () => {
    expect(selectExercises(['dropout', 'affine']).map((e) => e.id)).toEqual(['affine', 'dropout']);
    const only = generateKitText(['batchnorm-backward']);
    expect([...only.files.keys()].sort()).toEqual([
      'docs/batchnorm-backward.md',
      'src/batchnorm-backward.ts',
    ]);
    // Without the kit's batchnorm.ts, its types come from the package.
    expect(only.files.get('src/batchnorm-backward.ts')).toContain(
      "import { type BatchnormCache } from '@backprop-lab/layers';",
    );
    expect(() => selectExercises(['batchnorm'])).toThrow(
      /^--only: unknown exercise batchnorm \(exercises: affine, relu, softmax, fc-net,/,
    );
  });

  it('refuses a function the source does not define, and an import the package does not export', () => {
    const source =
      'import { hidden } from "./internal.js";\nexport function f(): number { return hidden(); }\nexport const g = hidden;\n';
    expect(() => stubSource(source, 'x.ts', { functions: ['h'], resolveImport: (s) => s })).toThrow(
      'x.ts: no function body for h',
    );
    const resolveImport = () => {
      throw new Error('x.ts: hidden is not exported');
    };
    expect(() => stubSource(source, 'x.ts', { functions: ['f'], resolveImport })).toThrow(
      'hidden is not exported',
    );
  });
});
