// The import-edge checker behind test/import-edges.test.ts: reads every .ts file under a source
// folder, resolves its relative imports (static, type-only, re-exports, dynamic `import()` and
// `require()`) to files, and checks them against the layer map in CONTRIBUTING.md:
// - every folder under src/ has a row in the map, and imports only from the folders that row allows;
// - there is no import cycle between files (strongly connected components of the file graph);
// - there is no import cycle between folders (the same on the folder graph).
// Type-only imports count: a type dependency is a design dependency, and the map is about design.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** The folder of a source file under the root: its first path segment, or "." for files directly in the root. */
export function folderOf(root: string, file: string): string {
  const parts = path.relative(root, file).split(path.sep);
  return parts.length === 1 ? "." : parts[0];
}

/** Every .ts file (not .d.ts) under `root`. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p);
    }
  };
  walk(root);
  return out;
}

function resolveImport(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  // compiled-name imports ("./worker.js") of a .ts source
  if (/\.js$/.test(base) && fs.existsSync(base.replace(/\.js$/, ".ts"))) return base.replace(/\.js$/, ".ts");
  return null;
}

/** The file import graph of a source folder. */
export interface ImportGraph {
  /** Source root (absolute). */
  root: string;
  /** File → the source files it imports (absolute paths; targets outside the root and non-.ts files are left out). */
  edges: Map<string, Set<string>>;
  /** Relative imports that resolve to no file: "file: specifier". */
  unresolved: string[];
}

/** Build the import graph of every .ts file under `root`. */
export function importGraph(root: string): ImportGraph {
  root = path.resolve(root);
  const edges = new Map<string, Set<string>>();
  const unresolved: string[] = [];
  for (const file of sourceFiles(root)) {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    const out = new Set<string>();
    for (const im of info.importedFiles) {
      if (!im.fileName.startsWith(".")) continue; // packages and node built-ins
      const target = resolveImport(file, im.fileName);
      if (!target) { unresolved.push(`${path.relative(root, file)}: ${im.fileName}`); continue; }
      if (!target.endsWith(".ts") || path.relative(root, target).startsWith("..")) continue; // package.json, wasm, …
      out.add(target);
    }
    edges.set(file, out);
  }
  return { root, edges, unresolved };
}

/**
 * The cycles of a directed graph: its strongly connected components with more than one node (or a
 * node importing itself), each given as one closed path through the component (first node repeated at
 * the end), so a failure names the imports to cut. Deterministic: nodes are visited in sorted order.
 */
export function findCycles<T extends string>(edges: Map<T, Set<T>>): T[][] {
  const index = new Map<T, number>(), low = new Map<T, number>(), onStack = new Set<T>(), stack: T[] = [];
  const sccs: T[][] = [];
  let next = 0;
  const succ = (v: T): T[] => [...(edges.get(v) ?? [])].sort();
  // iterative Tarjan (deep graphs must not overflow the call stack)
  for (const start of [...edges.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ v: T; it: T[]; i: number }> = [];
    const open = (v: T): void => { index.set(v, next); low.set(v, next); next++; stack.push(v); onStack.add(v); work.push({ v, it: succ(v), i: 0 }); };
    open(start);
    while (work.length) {
      const top = work[work.length - 1];
      if (top.i < top.it.length) {
        const w = top.it[top.i++];
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) { const parent = work[work.length - 1].v; low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!)); }
      if (low.get(top.v) === index.get(top.v)) {
        const comp: T[] = [];
        let w: T;
        do { w = stack.pop()!; onStack.delete(w); comp.push(w); } while (w !== top.v);
        if (comp.length > 1 || edges.get(top.v)?.has(top.v)) sccs.push(comp);
      }
    }
  }
  // one closed path per component: breadth-first from its smallest node back to itself, inside the component
  return sccs.map((comp) => {
    const inComp = new Set(comp);
    const s = [...comp].sort()[0];
    const prev = new Map<T, T>();
    const queue: T[] = [s];
    let end: T | null = null;
    while (queue.length && end === null) {
      const v = queue.shift()!;
      for (const w of succ(v)) {
        if (!inComp.has(w)) continue;
        if (w === s) { end = v; break; }
        if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
      }
    }
    const pathBack: T[] = [];
    for (let v: T | undefined = end ?? s; v !== undefined && v !== s; v = prev.get(v)) pathBack.push(v);
    return [s, ...pathBack.reverse(), s];
  });
}

/** Folder → folders it imports, with one example import per edge ("from.ts → to.ts"). */
export function folderEdges(g: ImportGraph): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [file, targets] of g.edges) {
    const a = folderOf(g.root, file);
    if (!out.has(a)) out.set(a, new Map());
    for (const t of targets) {
      const b = folderOf(g.root, t);
      if (a === b) continue;
      const m = out.get(a)!;
      if (!m.has(b)) m.set(b, `${path.relative(g.root, file)} → ${path.relative(g.root, t)}`);
    }
  }
  return out;
}

/**
 * The layer map: folder → the folders it may import. Read from the markdown table in
 * CONTRIBUTING.md whose header has a "may import" column: the first cell names the folder
 * (`` `src/io` ``, or `` `src/index.ts` `` for the root files, key "."); the "may import" cell lists
 * folder names separated by commas, where `base` stands for the base folders (util, table,
 * backend, plot), `all` for every folder in the map, `all but x` for every folder but x, and "—"
 * for none.
 */
export function readLayerMap(markdown: string): Map<string, Set<string>> {
  const lines = markdown.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => /^\|.*may import.*\|\s*$/i.test(l));
  if (headerAt < 0) throw new Error("no layer map: no markdown table with a \"may import\" column");
  const header = lines[headerAt].split("|").slice(1, -1).map((c) => c.trim().toLowerCase());
  const col = header.findIndex((c) => c.includes("may import"));
  const rows: Array<[string, string]> = [];
  for (let i = headerAt + 2; i < lines.length && lines[i].startsWith("|"); i++) {
    const cells = lines[i].split("|").slice(1, -1).map((c) => c.trim());
    const m = /`src\/([^`/]+)\/?`/.exec(cells[0]);
    if (!m) throw new Error(`layer map row without a \`src/<folder>\` name: ${lines[i]}`);
    rows.push([m[1] === "index.ts" ? "." : m[1], cells[col] ?? ""]);
  }
  const names = new Set(rows.map(([n]) => n));
  const base = ["util", "table", "backend", "plot"].filter((n) => names.has(n));
  const map = new Map<string, Set<string>>();
  for (const [name, cell] of rows) {
    const allowed = new Set<string>();
    for (const raw of cell.replace(/`/g, "").split(/[,;]/)) {
      const tok = raw.trim();
      if (!tok || tok === "—" || tok === "-") continue;
      if (tok === "base") base.filter((b) => b !== name).forEach((b) => allowed.add(b));
      else if (tok === "all") names.forEach((b) => { if (b !== name && b !== ".") allowed.add(b); });
      else if (/^all but /.test(tok)) { const not = new Set(tok.slice(8).split(/\s+and\s+|\s+/)); names.forEach((b) => { if (b !== name && b !== "." && !not.has(b)) allowed.add(b); }); }
      else if (names.has(tok)) allowed.add(tok);
      else throw new Error(`layer map: row ${name} allows "${tok}", which is not a folder in the map`);
    }
    map.set(name, allowed);
  }
  return map;
}

/** What {@link checkImports} found; all empty when the code follows the map. */
export interface ImportCheck {
  /** Imports between folders that the map does not allow ("a → b (file → file)"). */
  forbidden: string[];
  /** Folders under the root that have no row in the map. */
  unmapped: string[];
  /** File cycles, each a closed path of root-relative paths. */
  fileCycles: string[][];
  /** Folder cycles, each a closed path of folder names. */
  folderCycles: string[][];
  /** Relative imports that resolve to no file. */
  unresolved: string[];
}

/** Check the source folder `root` against a layer map. */
export function checkImports(root: string, map: Map<string, Set<string>>): ImportCheck {
  const g = importGraph(root);
  const fe = folderEdges(g);
  const forbidden: string[] = [];
  const unmapped = new Set<string>();
  for (const [a, targets] of [...fe].sort((x, y) => x[0].localeCompare(y[0]))) {
    if (!map.has(a)) { unmapped.add(a); continue; }
    for (const [b, example] of [...targets].sort((x, y) => x[0].localeCompare(y[0]))) {
      if (!map.get(a)!.has(b)) forbidden.push(`${a} → ${b} (${example})`);
    }
  }
  const rel = (f: string): string => path.relative(g.root, f).split(path.sep).join("/");
  const fileCycles = findCycles(g.edges).map((c) => c.map(rel));
  const folderGraph = new Map<string, Set<string>>([...fe].map(([a, m]) => [a, new Set(m.keys())]));
  const folderCycles = findCycles(folderGraph);
  return { forbidden, unmapped: [...unmapped].sort(), fileCycles, folderCycles, unresolved: g.unresolved };
}
