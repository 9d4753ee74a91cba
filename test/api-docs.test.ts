// Every public function and class is documented, and every public function
// carries an `@example` (issue 8, "Library use from scripts"). One TypeScript
// Program over src/index.ts; every name it exports (including the members of
// namespace re-exports such as `clvSpecial`) is resolved to its declaration.
import { it, expect, beforeAll } from "vitest";
import ts from "typescript";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const srcDir = path.join(root, "src");

/**
 * Exported functions/classes that may lack an `@example` or a JSDoc summary:
 * none any more (issue #17: every public function and class has an example,
 * and test/api-examples.test.ts type-checks them all).
 */
const EXAMPLE_ALLOW_LIST: Record<string, string> = {};
const DOC_ALLOW_LIST: Record<string, string> = {};

interface ApiEntry {
  name: string;
  kind: "function" | "class";
  folder: string;
  file: string;
  documented: boolean;
  example: boolean;
}

/** The JSDoc host of a declaration: a `const f = () => …` is documented on its statement. */
function docHost(d: ts.Declaration): ts.Node {
  if (ts.isVariableDeclaration(d) && d.parent && ts.isVariableDeclarationList(d.parent)) return d.parent.parent;
  return d;
}

function jsDocs(d: ts.Declaration): ts.JSDoc[] {
  return ts.getJSDocCommentsAndTags(docHost(d)).filter((n): n is ts.JSDoc => ts.isJSDoc(n));
}

function hasSummary(d: ts.Declaration): boolean {
  return jsDocs(d).some((j) => {
    const c = typeof j.comment === "string" ? j.comment : ts.getTextOfJSDocComment(j.comment);
    return (c ?? "").trim().length > 0;
  });
}

function hasExample(d: ts.Declaration): boolean {
  return jsDocs(d).some((j) => (j.tags ?? []).some((t) => t.tagName.text === "example" && (ts.getTextOfJSDocComment(t.comment) ?? "").trim().length > 0));
}

function isFunctionLike(d: ts.Declaration): boolean {
  if (ts.isFunctionDeclaration(d)) return true;
  if (ts.isVariableDeclaration(d) && d.initializer) return ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer);
  return false;
}

let entries: ApiEntry[] = [];
let buildMs = 0;

beforeAll(() => {
  const t0 = Date.now();
  const cfg = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, root);
  const entry = path.join(srcDir, "index.ts");
  const program = ts.createProgram([entry], { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const seen = new Set<ts.Symbol>();
  const walk = (moduleSymbol: ts.Symbol, prefix: string) => {
    for (const exp of checker.getExportsOfModule(moduleSymbol)) {
      const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      const decls = sym.declarations ?? [];
      if (decls.length === 0) continue;
      const name = prefix + exp.name;
      // `export * as ns from "./x"`: document the namespace's members too.
      if (sym.flags & ts.SymbolFlags.ValueModule && decls.some(ts.isSourceFile)) {
        if (!seen.has(sym)) { seen.add(sym); walk(sym, name + "."); }
        continue;
      }
      let kind: ApiEntry["kind"] | undefined;
      if (sym.flags & ts.SymbolFlags.Class) kind = "class";
      else if (sym.flags & ts.SymbolFlags.Function || (sym.flags & ts.SymbolFlags.Variable && decls.some(isFunctionLike))) kind = "function";
      if (!kind) continue;
      const file = path.relative(srcDir, decls[0].getSourceFile().fileName).split(path.sep).join("/");
      entries.push({
        name, kind, file,
        folder: file.includes("/") ? file.split("/")[0] : "(root)",
        documented: decls.some(hasSummary),
        example: decls.some(hasExample),
      });
    }
  };
  const mod = checker.getSymbolAtLocation(program.getSourceFile(entry)!);
  if (!mod) throw new Error("src/index.ts has no module symbol");
  walk(mod, "");
  buildMs = Date.now() - t0;
});

it("finds the public API", () => {
  const fns = entries.filter((e) => e.kind === "function");
  const classes = entries.filter((e) => e.kind === "class");
  const withExample = fns.filter((e) => e.example).length;
  console.log(`public API: ${fns.length} functions (${withExample} with @example), ${classes.length} classes (${classes.filter((c) => c.example).length} with @example); Program built in ${buildMs} ms`);
  expect(fns.length).toBeGreaterThan(300);
  expect(classes.length).toBeGreaterThan(30);
  // Spot checks that the walk resolves aliases, arrow-function constants and namespaces.
  const names = new Set(entries.map((e) => e.name));
  for (const n of ["createRng", "Table", "CustlabError", "initBackend", "silentProgress", "clvSpecial.lgamma"]) expect(names).toContain(n);
});

it("every exported function and class has a JSDoc summary", () => {
  console.log(`JSDoc allow-list: ${Object.keys(DOC_ALLOW_LIST).length} names`);
  const missing = entries.filter((e) => !e.documented && !(e.name in DOC_ALLOW_LIST)).map((e) => `${e.kind} ${e.name} (src/${e.file})`);
  expect(missing).toEqual([]);
});

it("every exported function and class has an @example", () => {
  const missing = entries.filter((e) => !e.example && !(e.name in EXAMPLE_ALLOW_LIST));
  const stale = Object.keys(EXAMPLE_ALLOW_LIST).filter((n) => !entries.some((e) => e.name === n && !e.example));
  console.log(`@example allow-list: ${Object.keys(EXAMPLE_ALLOW_LIST).length} names` + (stale.length ? `; no longer needed: ${stale.join(", ")}` : ""));
  expect(missing.map((e) => `${e.kind} ${e.name} (src/${e.file})`)).toEqual([]);
});
