// Every `@example` in src/ type-checks (issue 15, "Docs: three TSDoc examples do
// not compile"). The examples are extracted from the TSDoc comments of every
// file under src/ (fenced ```ts blocks, or the whole tag body when there is no
// fence) and compiled by ONE TypeScript Program against the built declarations
// (dist/*.d.ts, which `npm test` builds first): fast, and it checks what a
// user of the package sees.
//
// How an example is compiled (what an example may assume):
// - Every public export of "custlab" is in scope, as if imported; an example's
//   own `import … from "…"` lines are kept (and win over the automatic ones).
// - An example of a function that is not exported at the top level (a member of
//   `clvSpecial`, an internal helper) also sees the exports of its own module.
// - `fs`, `path` and `tslab` are in scope, as in a notebook.
// - The body runs inside an `async` function, so top-level `await` is fine.
// - The input names in PLACEHOLDERS below (X, y, p, tx, table, bgnbd, …) are
//   declared with their types: an example may use them as given data. Any other
//   name must be declared by the example itself. A name that does not exist
//   (a class that was renamed, a typo) is an error, as is a wrong argument type.
import { it, expect, beforeAll } from "vitest";
import ts from "typescript";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const srcDir = path.join(root, "src");
const distDir = path.join(root, "dist");

/**
 * Given data an example may use without declaring it: name → type. Types are
 * written against the public API (`C.` is `import("custlab")`).
 */
const PLACEHOLDERS: Record<string, string> = {
  // feature matrices and labels
  X: "C.Matrix", Xtrain: "C.Matrix", Xtest: "C.Matrix", Xnew: "C.Matrix", sample: "C.Matrix", big: "C.Matrix",
  bigMatrix: "C.Matrix", extra: "C.Matrix",
  y: "Int32Array", ytest: "Int32Array", pred: "Int32Array", labels: "Int32Array", planted: "Int32Array", codes: "Int32Array",
  p: "Float64Array", proba: "Float64Array", pA: "Float64Array", pB: "Float64Array", pChampion: "Float64Array",
  pChallenger: "Float64Array", compound: "Float64Array", data: "Float32Array", n: "number", ts: "Float64Array",
  // tables
  tx: "C.Table", table: "C.Table", t: "C.Table", train: "C.Table", test: "C.Table", features: "C.Table",
  featureTable: "C.Table", f: "C.Table", rfm: "C.Table", purchasesTable: "C.Table", customers: "C.Table",
  alerts: "C.Table", reviews: "C.Table", rc: "C.Table", lastQuarter: "C.Table", thisQuarter: "C.Table",
  // dates and ids
  treatment: "Float64Array", upliftPred: "Float64Array", campaign: "C.Table",
  scored: "C.Table", env: "C.RetentionEnvironment", log: "C.PolicyLog",
  cutoff: "number", cutoffs: "number[]", file: "string", ids: "string[]", segments: "string[]",
  productIds: "string[]", categories: "string[]",
  // text
  names: "string[]", texts: "string[]", topics: "string[][]", tokenisedTexts: "string[][]", corpusDocsAsWords: "string[][]",
  negativeFlags: "Uint8Array", neg: "Uint8Array",
  // survival
  days: "Float64Array", churned: "Uint8Array",
  // CLV
  frequency: "Float64Array", recency: "Float64Array", T: "Float64Array", monetary: "Float64Array",
  summary: "C.CLVSummary", calHoldout: "ReturnType<typeof C.calibrationAndHoldout>", bgnbd: "C.BetaGeoModel",
  gg: "C.GammaGammaModel", lda: "C.LdaGibbs",
  // fitted models and results
  model: "C.Classifier", gbdt: "C.HistGradientBoostingClassifier", mlp: "C.MLPClassifier", lstm: "C.RecurrentClassifier",
  km: "C.KMeans", pre: "C.Preprocessor", reg: "C.ModelRegistry", cf: "C.ItemCFRecommender", rec: "C.RuleRecommender",
  ex: "ReturnType<typeof C.explainModel>", cvA: "C.CVResult", cvB: "C.CVResult", onProgress: "C.ProgressCallback",
  b: "C.Baskets", baskets: "C.Baskets", trainBaskets: "C.Baskets",
  input: "Parameters<typeof C.buildAlerts>[0]", seqs: "C.Sequences", seq: "ReturnType<typeof C.monthlySequences>",
  fi: "ReturnType<typeof C.frequentItemsets>", rules: "ReturnType<typeof C.generateRules>",
  track: "ReturnType<typeof C.trackSegments>", q: "ReturnType<typeof C.qualityReport>",
  scaler: "ReturnType<typeof C.standardizeMatrix>[\"scaler\"]", fit: "ReturnType<typeof C.fitTopics>",
  scoreWithModelTrainedBefore: "(cutoff: number, features: C.Table) => Float64Array",
};

interface Example { file: string; line: number; code: string }

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Every `@example` of every TSDoc comment in `file`, with the line of its tag. */
export function extractExamples(file: string, text: string): Example[] {
  const out: Example[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const startLine = text.slice(0, m.index).split("\n").length;
    const lines = m[1].split("\n").map((l) => l.replace(/^\s*\* ?/, ""));
    for (let i = 0; i < lines.length; i++) {
      const tag = /^\s*@example\b(.*)$/.exec(lines[i]);
      if (!tag) continue;
      const body = [tag[1]];
      let j = i + 1;
      for (; j < lines.length && !/^\s*@\w/.test(lines[j]); j++) body.push(lines[j]);
      let code = body.join("\n");
      const fences = [...code.matchAll(/```[\w-]*[^\n]*\n([\s\S]*?)```/g)];
      if (fences.length) code = fences.map((f) => f[1]).join("\n");
      out.push({ file: path.relative(root, file).split(path.sep).join("/"), line: startLine + i, code });
      i = j - 1;
    }
  }
  return out;
}

const IMPORT_RE = /^\s*import\s+(type\s+)?([\s\S]*?)\s+from\s+["']([^"']+)["'];?\s*$/;

/** Names an import line brings into scope. */
function importedNames(clause: string): string[] {
  return clause.replace(/[{}]/g, ",").split(",").map((s) => s.trim()).filter(Boolean)
    .map((s) => s.replace(/^type\s+/, "").replace(/^\*\s+as\s+/, "").split(/\s+as\s+/).pop()!.trim());
}

let examples: Example[] = [];
let failures: string[] = [];
let ms = 0;

beforeAll(() => {
  const t0 = Date.now();
  if (!fs.existsSync(path.join(distDir, "index.d.ts"))) throw new Error("dist/index.d.ts is missing: run `npx tsc -p tsconfig.json` first");
  examples = tsFiles(srcDir).flatMap((f) => extractExamples(f, fs.readFileSync(f, "utf8")));

  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], types: ["node"], strict: true, esModuleInterop: true,
    skipLibCheck: true, resolveJsonModule: true, noEmit: true,
    baseUrl: root, paths: { custlab: ["dist/index.d.ts"] },
  };
  // First pass: the public names, and the exports of each module that has examples.
  const modulesWithExamples = [...new Set(examples.map((e) => e.file))];
  const dts = (f: string) => path.join(distDir, f.replace(/^src\//, "").replace(/\.ts$/, ".d.ts"));
  const p0 = ts.createProgram([path.join(distDir, "index.d.ts"), ...modulesWithExamples.map(dts).filter((f) => fs.existsSync(f))], options);
  const c0 = p0.getTypeChecker();
  const exportsOf = (f: string): string[] => {
    const sf = p0.getSourceFile(f);
    const sym = sf && c0.getSymbolAtLocation(sf);
    return sym ? c0.getExportsOfModule(sym).map((s) => s.name) : [];
  };
  const publicNames = exportsOf(path.join(distDir, "index.d.ts"));
  if (publicNames.length === 0) throw new Error("dist/index.d.ts exports nothing");
  const publicSet = new Set(publicNames);

  // Second pass: one virtual file per example, plus one file of placeholders.
  const files = new Map<string, string>();
  const prelude = path.join(root, "test", "__examples__", "placeholders.d.ts");
  files.set(prelude, Object.entries(PLACEHOLDERS).map(([k, v]) => `declare const ${k}: ${v.replace(/\bC\./g, 'import("custlab").')};`).join("\n") + "\n");
  const HEADER_LINES = 4;
  const names: string[] = [];
  examples.forEach((e, i) => {
    const own = new Set<string>();
    const hoisted: string[] = [];
    const body: string[] = [];
    for (const l of e.code.split("\n")) {
      const im = IMPORT_RE.exec(l);
      if (im) { hoisted.push(l.trim()); importedNames(im[2]).forEach((n) => own.add(n)); body.push(""); } else body.push(l);
    }
    const auto = publicNames.filter((n) => !own.has(n));
    const local = exportsOf(dts(e.file)).filter((n) => !publicSet.has(n) && !own.has(n));
    const ambient = [["fs", 'import * as fs from "fs";'], ["path", 'import * as path from "path";'], ["tslab", 'import * as tslab from "tslab";']]
      .filter(([n]) => !own.has(n)).map(([, s]) => s);
    const header = [
      `import { ${auto.join(", ")} } from "custlab";`,
      (local.length ? `import { ${local.join(", ")} } from ${JSON.stringify(dts(e.file).replace(/\.d\.ts$/, ""))}; ` : "") + ambient.join(" "),
      hoisted.join(" ") + " export {};",
      "async function __example(): Promise<void> {",
    ];
    const name = path.join(root, "test", "__examples__", `${i}.ts`);
    files.set(name, header.join("\n") + "\n" + body.join("\n") + "\n}\n");
    names.push(name);
  });
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host), fileExists = host.fileExists.bind(host), readFile = host.readFile.bind(host);
  host.getSourceFile = (f, lang, ...rest) => files.has(f) ? ts.createSourceFile(f, files.get(f)!, lang, true) : getSourceFile(f, lang, ...rest);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  const program = ts.createProgram([prelude, ...names], options, host, p0);
  for (const d of [...program.getSyntacticDiagnostics(program.getSourceFile(prelude)), ...program.getSemanticDiagnostics(program.getSourceFile(prelude))]) {
    failures.push(`test/api-examples.test.ts PLACEHOLDERS: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
  }
  names.forEach((name, i) => {
    const sf = program.getSourceFile(name)!;
    const e = examples[i];
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const { line } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
      const codeLine = line - HEADER_LINES;
      const text = e.code.split("\n")[codeLine] ?? "";
      failures.push(`${e.file}:${e.line} (@example line ${codeLine + 1}: ${text.trim().slice(0, 80)}): ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    }
  });
  ms = Date.now() - t0;
}, 600_000); // one TypeScript program over ~480 examples: about a minute on a quiet machine, more under load

it("finds the examples", () => {
  console.log(`${examples.length} @example blocks in ${new Set(examples.map((e) => e.file)).size} files type-checked in ${ms} ms`);
  expect(examples.length).toBeGreaterThan(300);
  // The extractor sees fenced and unfenced examples, and code on the tag line.
  const ex = extractExamples("src/x.ts", "/**\n * Doc.\n * @example const a = 1;\n * a + 1;\n * @param q x\n */\n/**\n * @example\n * ```ts\n * import { f } from \"custlab\";\n * f();\n * ```\n */");
  expect(ex.map((e) => e.code.trim())).toEqual(["const a = 1;\na + 1;", 'import { f } from "custlab";\nf();']);
  expect(ex.map((e) => e.line)).toEqual([3, 8]);
});

it("every @example in src/ type-checks against the public API", () => {
  expect(failures).toEqual([]);
});
