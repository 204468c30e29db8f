/**
 * TypeScript to JavaScript with every module specifier decided at compile time: the student's process
 * has no loader hooks (Node 20 runs them on a worker thread, which the permission model would have to
 * allow) and cannot build code from strings, so the only imports it can make are the ones written here.
 */
import ts from 'typescript';

/** Where a specifier goes (a path relative to the importing output file), or why it may not. */
export type Decision = { to: string } | { denied: string };

export interface Transpiled {
  js: string;
  /** One line each, `<file>:<line>:<column>: <reason>`: a syntax error or a static import refused. */
  problems: string[];
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  // Imports used only as types are dropped, as tsc and tsx drop them: they load nothing at run time.
  verbatimModuleSyntax: false,
  isolatedModules: true,
  useDefineForClassFields: true,
};

function where(file: string, source: ts.SourceFile, node: ts.Node): string {
  const original = ts.getOriginalNode(node);
  const at = original.pos >= 0 ? original.getStart(source) : 0;
  const { line, character } = source.getLineAndCharacterOfPosition(at);
  return `${file}:${line + 1}:${character + 1}`;
}

/** `Promise.reject(new Error(reason))`: what a refused dynamic import() evaluates to. */
function rejection(factory: ts.NodeFactory, reason: string): ts.Expression {
  const error = factory.createNewExpression(factory.createIdentifier('Error'), undefined, [
    factory.createStringLiteral(reason),
  ]);
  return factory.createCallExpression(
    factory.createPropertyAccessExpression(factory.createIdentifier('Promise'), 'reject'),
    undefined,
    [error],
  );
}

/** `decide(undefined)` answers for import() of a computed name. */
export function transpile(
  text: string,
  file: string,
  decide: (specifier: string | undefined) => Decision,
): Transpiled {
  const problems: string[] = [];
  const rewrite: ts.TransformerFactory<ts.SourceFile> = (context) => (sourceFile) => {
    const source = ts.getOriginalNode(sourceFile) as ts.SourceFile;
    const { factory } = context;
    const literal = (node: ts.Node, specifier: string): ts.StringLiteral => {
      const decision = decide(specifier);
      if ('denied' in decision) {
        problems.push(`${where(file, source, node)}: ${decision.denied}`);
        return factory.createStringLiteral(specifier);
      }
      return factory.createStringLiteral(decision.to);
    };
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const to = literal(node, node.moduleSpecifier.text);
        return factory.updateImportDeclaration(node, node.modifiers, node.importClause, to, node.attributes);
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const to = literal(node, node.moduleSpecifier.text);
        return factory.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          to,
          node.attributes,
        );
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [first] = node.arguments;
        if (!first || !ts.isStringLiteralLike(first)) {
          const decision = decide(undefined);
          if ('denied' in decision)
            return rejection(factory, `${where(file, source, node)}: ${decision.denied}`);
          return ts.visitEachChild(node, visit, context);
        }
        const decision = decide(first.text);
        if ('denied' in decision)
          return rejection(factory, `${where(file, source, node)}: ${decision.denied}`);
        return factory.updateCallExpression(node, node.expression, node.typeArguments, [
          factory.createStringLiteral(decision.to),
          ...node.arguments.slice(1),
        ]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(sourceFile, visit, context);
  };
  const output = ts.transpileModule(text, {
    compilerOptions: OPTIONS,
    fileName: file,
    reportDiagnostics: true,
    transformers: { after: [rewrite] },
  });
  for (const diagnostic of output.diagnostics ?? []) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.file && diagnostic.start !== undefined) {
      const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      problems.unshift(`${file}:${line + 1}:${character + 1}: ${message}`);
    } else problems.unshift(`${file}: ${message}`);
  }
  return { js: output.outputText, problems };
}
