// The layering, enforced (in the spirit of playwright's DEPS.list): each folder of src/ names the folders it
// may import from, the MCP SDK and the other libraries are imported only where they belong, and no set of
// modules imports itself round in a cycle, type-only and dynamic imports included. docs/architecture.md
// explains the layers; this table is the rule.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

/** Folder (or "." for the files at the top of src/) -> the folders it may import from, besides itself. */
const LAYERS: Record<string, string[]> = {
  kinds: [],
  support: ['kinds'],
  sinch: ['support'],
  state: ['support', 'sinch'],
  config: ['support', 'sinch', 'kinds'],
  events: ['support', 'sinch', 'state'],
  policy: ['support', 'sinch', 'state'],
  confirm: ['support', 'sinch', 'state', 'kinds', 'config'],
  tools: ['support', 'sinch', 'state', 'events', 'confirm', 'policy', 'kinds', 'config'],
  sandbox: ['support', 'sinch', 'config'],
  transports: ['support', 'kinds'],
  mcp: ['support', 'sinch', 'state', 'events', 'confirm', 'policy', 'tools', 'kinds', 'config'],
  cli: ['support', 'sinch', 'kinds', 'config', 'confirm', 'tools'],
  views: [],
  // The composition root, the bin and the demo: they put the layers together.
  '.': ['*'],
};

/** Libraries and the folders (or top-level files) that may import them; Node's built-ins are free to all. */
const LIBRARIES: Record<string, string[]> = {
  '@modelcontextprotocol/sdk': ['mcp', 'transports', 'demo.ts'],
  zod: ['tools', 'mcp'],
  undici: ['sinch'],
  jose: ['transports'],
  'libphonenumber-js': ['sinch'],
};

interface Import {
  from: string;
  specifier: string;
  /** The imported file, for a relative import. */
  target?: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import of a file: import and export ... from (type-only too), import('...') and import type('...'). */
function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (specifier: string) => {
    const target = specifier.startsWith('.') ? resolve(dirname(file), specifier).replace(/\.js$/, '.ts') : undefined;
    found.push({ from: file, specifier, target });
  };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) add(node.arguments[0].text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) add(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** "tools" for src/tools/run.ts, "." for src/index.ts. */
function layerOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? '.' : parts[0]!;
}

const files = sourceFiles(SRC);
const imports = files.flatMap(importsOf);
const shown = (file: string) => relative(process.cwd(), file);

describe('architecture', () => {
  it('every folder of src/ is in the layer table', () => {
    const folders = [...new Set(files.map(layerOf))].sort();
    expect(folders.filter((folder) => !(folder in LAYERS))).toEqual([]);
  });

  it('no more than 8 files at the top of src/', () => {
    expect(files.filter((file) => layerOf(file) === '.').length).toBeLessThanOrEqual(8);
  });

  it('each folder imports only from the folders below it', () => {
    const broken = imports
      .filter(({ target }) => target !== undefined)
      .filter(({ from, target }) => {
        const mine = layerOf(from);
        const theirs = layerOf(target!);
        const allowed = LAYERS[mine] ?? [];
        return mine !== theirs && !allowed.includes('*') && !allowed.includes(theirs);
      })
      .map(({ from, specifier }) => `${shown(from)} imports ${specifier}`);
    expect(broken).toEqual([]);
  });

  it('libraries are imported only where they belong (the MCP SDK only at the edges)', () => {
    const broken = imports
      .filter(({ target }) => target === undefined)
      .flatMap(({ from, specifier }) => {
        const library = Object.keys(LIBRARIES).find((name) => specifier === name || specifier.startsWith(`${name}/`));
        if (!library) return [];
        const where = relative(SRC, from);
        const allowed = LIBRARIES[library]!.some((place) => where === place || where.startsWith(`${place}/`));
        return allowed ? [] : [`${shown(from)} imports ${specifier}`];
      });
    expect(broken).toEqual([]);
  });

  it('relative imports name files that exist', () => {
    const known = new Set(files);
    const missing = imports.filter(({ target }) => target !== undefined && target.startsWith(SRC) && !known.has(target)).map(({ from, specifier }) => `${shown(from)}: ${specifier}`);
    expect(missing).toEqual([]);
  });

  it('no import cycle, counting type-only and dynamic imports', () => {
    const edges = new Map<string, Set<string>>(files.map((file) => [file, new Set()]));
    for (const { from, target } of imports) if (target && edges.has(target)) edges.get(from)!.add(target);
    expect(cycles(edges).map((cycle) => cycle.map(shown).join(' -> '))).toEqual([]);
  });
});

/** The strongly connected components with more than one file (or a file importing itself), by Tarjan's algorithm. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)!) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || edges.get(node)!.has(node)) found.push(component.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) connect(node);
  return found;
}
