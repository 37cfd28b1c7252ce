import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One breach of the domain's purity rules, with file and line for the test message. */
export interface DependencyViolation {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
}

/** Pure libraries the domain may import (no I/O, no global state). */
export const DOMAIN_ALLOWED_PACKAGES: ReadonlySet<string> = new Set(['decimal.js']);

// Globals that read the environment, the clock, randomness or do I/O.
const FORBIDDEN_GLOBALS: ReadonlySet<string> = new Set([
  'process',
  'require',
  'fetch',
  'console',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'performance',
  'crypto',
  'globalThis',
  'XMLHttpRequest',
  'WebSocket',
]);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function checkSpecifier(specifier: string, file: string, root: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    const rel = relative(root, target);
    return rel.startsWith('..') ? `imports "${specifier}", which is outside the domain` : undefined;
  }
  const pkg = specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : specifier.split('/')[0];
  return pkg !== undefined && DOMAIN_ALLOWED_PACKAGES.has(pkg)
    ? undefined
    : `imports "${specifier}"; the domain may only import itself and ${[...DOMAIN_ALLOWED_PACKAGES].join(', ')}`;
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isPropertyDeclaration(parent) && parent.name === node) ||
    (ts.isMethodDeclaration(parent) && parent.name === node) ||
    (ts.isPropertySignature(parent) && parent.name === node) ||
    (ts.isMethodSignature(parent) && parent.name === node) ||
    ts.isQualifiedName(parent) ||
    ts.isImportSpecifier(parent) ||
    ts.isExportSpecifier(parent)
  );
}

function checkFile(file: string, root: string): DependencyViolation[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const violations: DependencyViolation[] = [];
  const add = (node: ts.Node, rule: string) =>
    violations.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, rule });

  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined
    ) {
      if (ts.isStringLiteral(node.moduleSpecifier)) {
        const problem = checkSpecifier(node.moduleSpecifier.text, file, root);
        if (problem !== undefined) add(node, problem);
      }
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) {
        const problem = checkSpecifier(arg.literal.text, file, root);
        if (problem !== undefined) add(node, problem);
      }
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, 'uses dynamic import()');
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const full = `${node.expression.text}.${node.name.text}`;
      if (full === 'Date.now' || full === 'Math.random')
        add(node, `reads ${full}(); take time/randomness as an argument`);
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Date'
    ) {
      if ((node.arguments?.length ?? 0) === 0) add(node, 'reads the clock with new Date(); pass the time in');
    } else if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.has(node.text) && !isPropertyName(node)) {
      add(node, `uses the global "${node.text}" (I/O, environment or clock)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return violations;
}

/**
 * Checks the inward dependency rule for a layer: every import of a non-test file under `layerDir`
 * must resolve inside one of `allowedDirs` or be one of `allowedPackages`. Ports may import only the
 * domain; application code only the domain, ports and itself (STYLE.md, Layout).
 */
export function checkLayerImports(
  layerDir: string,
  allowedDirs: readonly string[],
  allowedPackages: ReadonlySet<string>,
): DependencyViolation[] {
  const violations: DependencyViolation[] = [];
  for (const file of sourceFiles(layerDir)) {
    const sf = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.ES2022,
      true,
      ts.ScriptKind.TS,
    );
    for (const statement of sf.statements) {
      if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))) continue;
      const spec = statement.moduleSpecifier;
      if (spec === undefined || !ts.isStringLiteral(spec)) continue;
      const text = spec.text;
      const ok = text.startsWith('.')
        ? allowedDirs.some((dir) => !relative(dir, resolve(dirname(file), text)).startsWith('..'))
        : allowedPackages.has(
            text.startsWith('@') ? text.split('/').slice(0, 2).join('/') : (text.split('/')[0] ?? ''),
          );
      if (!ok)
        violations.push({
          file,
          line: sf.getLineAndCharacterOfPosition(statement.getStart(sf)).line + 1,
          rule: `imports "${text}", which this layer must not depend on`,
        });
    }
  }
  return violations;
}

/**
 * Checks that every non-test file under `root` stays pure: imports only files under `root` and the
 * allowed pure packages, and never touches process, the clock, randomness, timers, console or the
 * network. This is what keeps backtests deterministic and lookahead-free.
 */
export function checkDomainPurity(root: string): DependencyViolation[] {
  return sourceFiles(root).flatMap((file) => checkFile(file, root));
}
