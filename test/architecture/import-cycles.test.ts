// The modules under src/ import one another without cycles (docs/ARCHITECTURE.md, "Layers"). In a
// cycle, whichever module loads first sees the other's bindings before they are initialised, and the
// layers that import each other are no longer layers. Only imports that load a module at run time
// count: `import type`, `export type` and imports naming nothing but types (`import { type X }`)
// are erased by TypeScript, so modules may refer to the types of the modules above them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Every module under `dir`, tests excepted. */
function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Does `import … from` load the module? Yes unless its clause names nothing but types. */
function importLoads(clause: ts.ImportClause | undefined): boolean {
  if (clause === undefined) return true; // import './x.js': run for its effects
  if (clause.isTypeOnly) return false;
  if (clause.name !== undefined) return true;
  const bindings = clause.namedBindings;
  return bindings === undefined || ts.isNamespaceImport(bindings) || bindings.elements.some((element) => !element.isTypeOnly);
}

/** Does `export … from` load the module? Yes unless it re-exports nothing but types. */
function exportLoads(declaration: ts.ExportDeclaration): boolean {
  if (declaration.isTypeOnly) return false;
  const clause = declaration.exportClause;
  return clause === undefined || ts.isNamespaceExport(clause) || clause.elements.some((element) => !element.isTypeOnly);
}

/** The relative specifiers a module loads at run time: imports and re-exports of values, and import() of a literal. */
function runtimeImports(text: string): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (importLoads(node.importClause)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      if (exportLoads(node)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      if (specifier !== undefined && ts.isStringLiteral(specifier)) specifiers.push(specifier.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('module.ts', text, ts.ScriptTarget.Latest));
  return specifiers.filter((specifier) => specifier.startsWith('.'));
}

/** The source file a relative specifier names: `./x.js` is `./x.ts`, `./dir` is `./dir/index.ts`. */
function resolveImport(from: string, specifier: string): string {
  const target = resolve(dirname(from), specifier);
  const found = [target.replace(/\.js$/, '.ts'), join(target, 'index.ts')].find(existsSync);
  if (found === undefined) throw new Error(`${relative(SRC, from)}: cannot resolve '${specifier}'`);
  return found;
}

/** Each cycle a depth-first walk of the graph closes, as `a.ts > b.ts > a.ts`. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const cycles: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const walk = (module: string): void => {
    const onPath = path.indexOf(module);
    if (onPath >= 0) {
      cycles.push([...path.slice(onPath), module].map((m) => relative(SRC, m)).join(' > '));
      return;
    }
    if (done.has(module)) return;
    path.push(module);
    for (const imported of graph.get(module) ?? []) walk(imported);
    path.pop();
    done.add(module);
  };
  for (const module of [...graph.keys()].sort()) walk(module);
  return cycles;
}

describe('import graph of src/', () => {
  it('counts the imports that load a module, not those that name only types', () => {
    const text = [
      "import { a } from './a.js';",
      "import { type B, b } from './b.js';",
      "import type { C } from './c.js';",
      "import { type D } from './d.js';",
      "import * as e from './e.js';",
      "import './f.js';",
      "export { g } from './g.js';",
      "export type { H } from './h.js';",
      "export { type I } from './i.js';",
      "export * from './j.js';",
      "export type * from './k.js';",
      "import { l } from 'node:l';",
      "const m = await import('./m.js');",
    ].join('\n');
    assert.deepEqual(runtimeImports(text), ['./a.js', './b.js', './e.js', './f.js', './g.js', './j.js', './m.js']);
  });

  it('has no cycle of run-time imports', () => {
    const graph = new Map<string, string[]>();
    for (const module of modules(SRC)) {
      graph.set(module, runtimeImports(readFileSync(module, 'utf8')).map((specifier) => resolveImport(module, specifier)));
    }
    assert.ok(graph.get(join(SRC, 'compiler/index.ts'))?.includes(join(SRC, 'compiler/program-emitter.ts')), 'the graph misses a known import');
    assert.deepEqual(findCycles(graph), []);
  });
});
