import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const evaluatorDir = path.resolve(__dirname, '../../../processes/evaluator');

/** Every .ts file under `dir`, as paths relative to it without the extension. */
function modulesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path.relative(dir, full).slice(0, -3));
    }
  };
  walk(dir);
  return out.sort();
}

/** True when the declaration brings in nothing at run time (`import type`, or only `type` specifiers). */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return false; // a side-effect import
    if (clause.isTypeOnly) return true;
    if (clause.name) return false;
    const bindings = clause.namedBindings;
    return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
  }
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/**
 * The run-time import graph of processes/evaluator, built from the sources with the TypeScript
 * parser: module → the evaluator modules it imports or re-exports a value from. Type-only
 * imports are left out (they are erased and couple no behaviour); imports leaving the folder
 * are left out (other folders are not part of the evaluator's circle question).
 */
function importGraph(dir: string): Map<string, string[]> {
  const modules = modulesUnder(dir);
  const known = new Set(modules);
  const graph = new Map<string, string[]>();
  for (const mod of modules) {
    const file = path.join(dir, `${mod}.ts`);
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
    const targets = new Set<string>();
    for (const node of source.statements) {
      if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) continue;
      if (!node.moduleSpecifier || !ts.isStringLiteral(node.moduleSpecifier) || typeOnly(node)) continue;
      const spec = node.moduleSpecifier.text;
      if (!spec.startsWith('.')) continue;
      const resolved = path.relative(dir, path.resolve(path.dirname(file), spec));
      const target = known.has(resolved) ? resolved : known.has(path.join(resolved, 'index')) ? path.join(resolved, 'index') : null;
      if (target !== null) targets.add(target);
    }
    graph.set(mod, [...targets].sort());
  }
  return graph;
}

/** The strongly connected components with more than one module, or a module importing itself (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('processes/evaluator import graph (docs/architecture.md, "The evaluator\'s dispatch table")', () => {
  it('finds a circle when one is there (the check itself works)', () => {
    // given: a small graph with one circle of three and a module outside it
    const graph = new Map([
      ['lifecycle', ['handlers/index']],
      ['handlers/index', ['handlers/tasks']],
      ['handlers/tasks', ['lifecycle', 'json']],
      ['json', []],
    ]);

    // when
    const found = circles(graph);

    // then
    expect(found).toEqual([['handlers/index', 'handlers/tasks', 'lifecycle']]);
  });

  it('reads the real sources: only the dispatch table ties the lifecycle to the element behaviours', () => {
    // given
    const graph = importGraph(evaluatorDir);

    // then: the parser saw the files and their value imports
    expect(graph.get('step')).toEqual(expect.arrayContaining(['dispatch', 'lifecycle', 'stimuli/index']));
    expect(graph.get('dispatch')).toEqual(['handlers/index', 'lifecycle']);
    expect(graph.get('handlers/index')).toEqual(expect.arrayContaining(['handlers/tasks', 'handlers/gateways']));
    expect(graph.get('handlers/tasks')).not.toContain('lifecycle');
    expect(graph.get('lifecycle')).not.toContain('handlers/index');
  });

  it('has no import circle among its modules (run-time imports)', () => {
    // given
    const graph = importGraph(evaluatorDir);

    // when
    const found = circles(graph);

    // then
    expect(found).toEqual([]);
  });
});
