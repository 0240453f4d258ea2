import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const SRC = resolve(__dirname, '../../src');

/** Every `import ... from '<relative path>'` of a file (type-only imports too: they couple folders as well). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level folder of src/ a path lies in ('' for files directly in src/). */
const folderOf = (path: string) => {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0] : '';
};

/** Folder → the other folders its files import from. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const spec of relativeImports(file)) {
      const to = folderOf(resolve(file, '..', spec));
      if (to !== from && to !== 'generated') edges.add(to);
    }
  }
  return graph;
}

/** Every cycle's folders, found by a depth-first search (each cycle reported once per entry point). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('architecture', () => {
  const graph = folderGraph();

  it('reads the import graph of src/', () => {
    // Guards the guard: the graph must see the folders and their known dependencies.
    expect(graph.get('sync')).toContain('drives');
    expect(graph.get('drives')).toContain('zego');
    expect(graph.size).toBeGreaterThan(10);
  });

  it('has no import cycle between the top-level folders of src/', () => {
    expect(cycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('detects a cycle when there is one', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(cycles(g).map((c) => c.join(' -> '))).toEqual(['a -> b -> c -> a']);
  });

  it('keeps the application shell (app/) out of every feature', () => {
    const offenders = [...graph].filter(([from, to]) => from !== '' && from !== 'app' && to.has('app')).map(([f]) => f);
    expect(offenders).toEqual([]);
  });

  it('keeps the upstream client free of the metrics service', () => {
    expect(graph.get('zego')).not.toContain('metrics');
  });
});
