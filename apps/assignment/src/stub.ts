/**
 * Turns a reference source file into the student's stub file with the TypeScript compiler API: the same
 * exported types, constants and signatures with their doc comments (shapes, formulas, hints), each
 * exercise's body replaced by `throw new NotImplemented('<name>')`. Private helpers that only the solved
 * bodies used are dropped with them (they are solution text); declarations the kept code still needs stay.
 */
import ts from 'typescript';

export interface StubOptions {
  /** Functions to stub: `name` for a top-level function, `Class.method` for a method. */
  functions: readonly string[];
  /** Where an import of `name` from `specifier` comes from in the kit (a package or a kit file). */
  resolveImport(specifier: string, name: string): string;
  /** Comment lines (without `//`) put before the throw, per function. */
  todos?: Readonly<Record<string, readonly string[]>>;
}

export class StubError extends Error {
  override name = 'StubError';
}

type Kept = { node: ts.Node; stubbed: ts.FunctionLikeDeclaration[] };

function declaredName(statement: ts.Statement): string | undefined {
  if (ts.isVariableStatement(statement)) {
    const first = statement.declarationList.declarations[0];
    return ts.isIdentifier(first.name) ? first.name.text : undefined;
  }
  const named = statement as ts.Statement & { name?: ts.Node };
  return named.name && ts.isIdentifier(named.name) ? named.name.text : undefined;
}

function isExported(statement: ts.Statement): boolean {
  return (
    ts.canHaveModifiers(statement) &&
    (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/** Identifiers and `this.<member>` names used by a node, skipping the bodies about to be stubbed. */
function references(node: ts.Node, skip: ReadonlySet<ts.Node>, names: Set<string>, members: Set<string>) {
  const visit = (n: ts.Node): void => {
    if (skip.has(n)) return;
    if (ts.isIdentifier(n)) names.add(n.text);
    if (ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword) {
      members.add(n.name.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
}

function memberName(member: ts.ClassElement): string | undefined {
  return member.name && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name))
    ? member.name.text
    : undefined;
}

/**
 * Which class members stay: properties, the constructor, the stubbed methods' signatures, and any other
 * method the kept members call through `this`. Returns the members to drop.
 */
function classPlan(cls: ts.ClassDeclaration, stubs: ReadonlySet<string>, skip: Set<ts.Node>) {
  const className = cls.name?.text ?? '';
  const methods = cls.members.filter(
    (m): m is ts.MethodDeclaration =>
      ts.isMethodDeclaration(m) && !stubs.has(`${className}.${memberName(m)}`),
  );
  const stubbed = cls.members.filter(
    (m): m is ts.MethodDeclaration =>
      ts.isMethodDeclaration(m) && m.body !== undefined && stubs.has(`${className}.${memberName(m)}`),
  );
  for (const m of stubbed) skip.add(m.body!);
  const kept = new Set<ts.ClassElement>(
    cls.members.filter((m) => !methods.includes(m as ts.MethodDeclaration)),
  );
  for (let grew = true; grew; ) {
    grew = false;
    const members = new Set<string>();
    for (const m of kept) references(m, skip, new Set(), members);
    for (const m of methods) {
      if (!kept.has(m) && members.has(memberName(m) ?? '')) {
        kept.add(m);
        grew = true;
      }
    }
  }
  return { dropped: new Set(methods.filter((m) => !kept.has(m))), stubbed };
}

function stubBody(sf: ts.SourceFile, fn: ts.FunctionLikeDeclaration, name: string, todos: readonly string[]) {
  const line = sf.getLineAndCharacterOfPosition(fn.getStart(sf)).line;
  const lineStart = sf.getPositionOfLineAndCharacter(line, 0);
  const outer = /^\s*/.exec(sf.text.slice(lineStart, fn.getStart(sf)))?.[0] ?? '';
  const inner = `${outer}  `;
  const comments = todos.map((todo) => `${inner}//${todo ? ` ${todo}` : ''}\n`).join('');
  return `{\n${comments}${inner}throw new NotImplemented('${name}');\n${outer}}`;
}

function importLines(
  sf: ts.SourceFile,
  used: ReadonlySet<string>,
  options: StubOptions,
  fileName: string,
): string[] {
  const byModule = new Map<string, string[]>();
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
    const clause = statement.importClause;
    const bindings = clause?.namedBindings;
    if (!clause || clause.name || !bindings || !ts.isNamedImports(bindings)) {
      throw new StubError(`${fileName}: only named imports can be rewritten (import from '${specifier}')`);
    }
    for (const element of bindings.elements) {
      const local = element.name.text;
      if (!used.has(local)) continue;
      const imported = element.propertyName?.text ?? local;
      const from = options.resolveImport(specifier, imported);
      const typeOnly = clause.isTypeOnly || element.isTypeOnly;
      const text = `${typeOnly ? 'type ' : ''}${imported === local ? local : `${imported} as ${local}`}`;
      byModule.set(from, [...(byModule.get(from) ?? []), text]);
    }
  }
  return [...byModule].map(([from, names]) => `import { ${names.join(', ')} } from '${from}';`);
}

/** The stub file for `text` (the reference source named `fileName`, for messages). */
export function stubSource(text: string, fileName: string, options: StubOptions): string {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const stubs = new Set(options.functions);
  const found = new Set<string>();
  const skip = new Set<ts.Node>();
  const candidates: ts.Statement[] = [];
  const kept = new Map<ts.Statement, Kept>();
  const droppedMembers = new Set<ts.ClassElement>();

  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) continue;
    const name = declaredName(statement);
    if (ts.isFunctionDeclaration(statement) && name && stubs.has(name)) {
      if (statement.body) {
        skip.add(statement.body);
        found.add(name);
        kept.set(statement, { node: statement, stubbed: [statement] });
      } else kept.set(statement, { node: statement, stubbed: [] }); // an overload signature
    } else if (ts.isClassDeclaration(statement) && [...stubs].some((s) => s.startsWith(`${name}.`))) {
      const plan = classPlan(statement, stubs, skip);
      for (const m of plan.dropped) droppedMembers.add(m);
      for (const m of plan.stubbed) found.add(`${name}.${memberName(m)}`);
      kept.set(statement, { node: statement, stubbed: plan.stubbed });
    } else if (isExported(statement) && !ts.isFunctionDeclaration(statement)) {
      kept.set(statement, { node: statement, stubbed: [] });
    } else {
      // Private helpers, and exported functions that are not exercises (e.g. the in-place optimizer
      // variants): kept only if the kept code refers to them.
      candidates.push(statement);
    }
  }
  const missing = [...stubs].filter((s) => !found.has(s));
  if (missing.length) throw new StubError(`${fileName}: no function body for ${missing.join(', ')}`);

  const used = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    used.clear();
    for (const statement of kept.keys()) {
      const members = new Set<string>();
      const visitSkip = new Set([...skip, ...droppedMembers]);
      references(statement, visitSkip, used, members);
    }
    for (const statement of candidates) {
      const name = declaredName(statement);
      if (!kept.has(statement) && name && used.has(name)) {
        kept.set(statement, { node: statement, stubbed: [] });
        grew = true;
      }
    }
  }

  const first = sf.statements[0];
  const leading = first ? text.slice(0, first.getStart(sf)).trim() : '';
  const header = leading ? `${leading}\n` : '';
  const imports = importLines(sf, used, options, fileName);
  imports.unshift(`import { NotImplemented } from '@backprop-lab/assignment';`);
  const body = sf.statements
    .filter((s) => kept.has(s))
    .map((s) => renderStatement(sf, s, kept.get(s)!, droppedMembers, options))
    .join('');
  return `${header}${imports.join('\n')}\n${body.replace(/^\n*/, '\n')}`;
}

/** The statement's text from its leading comments on, with stubbed bodies and dropped members cut out. */
function renderStatement(
  sf: ts.SourceFile,
  statement: ts.Statement,
  { stubbed }: Kept,
  dropped: ReadonlySet<ts.ClassElement>,
  options: StubOptions,
): string {
  const edits: { start: number; end: number; text: string }[] = [];
  const className = ts.isClassDeclaration(statement) ? statement.name?.text : undefined;
  for (const fn of stubbed) {
    const name = className ? `${className}.${memberName(fn as ts.MethodDeclaration)}` : fn.name!.getText(sf);
    const text = stubBody(sf, fn, name, options.todos?.[name] ?? defaultTodo(name));
    edits.push({ start: fn.body!.getStart(sf), end: fn.body!.end, text });
  }
  if (ts.isClassDeclaration(statement)) {
    for (const m of statement.members) {
      if (dropped.has(m)) edits.push({ start: m.getFullStart(), end: m.end, text: '' });
    }
  }
  edits.sort((a, b) => b.start - a.start);
  let out = sf.text.slice(statement.getFullStart(), statement.end);
  const base = statement.getFullStart();
  for (const e of edits) out = out.slice(0, e.start - base) + e.text + out.slice(e.end - base);
  return out.replace(/^\n{3,}/, '\n\n');
}

function defaultTodo(name: string): string[] {
  return [`TODO: implement ${name} (shapes and formulas in the comments above).`];
}
