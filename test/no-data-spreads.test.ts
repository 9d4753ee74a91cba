// Spreading an array into a call (`f(...xs)`, `xs.push(...ys)`, `Math.max(...xs)`) or `.apply(t, xs)`
// puts every element on the stack: above ~100k–250k elements Node throws "Maximum call stack size
// exceeded" (issue 23: gbdt with default options crashed at 250k rows in stratifiedHoldout's
// `tr.push(...g.slice(nv))`). This test reads every file under src/ with the TypeScript parser and
// fails on any call-argument spread or two-argument `.apply` that is not in ALLOWED below, where each
// entry names the spread expression and why it is small (bounded by the number of classes, groups,
// columns, parameters… never by the number of rows, customers, terms or chunks). Data-sized arrays go
// through a loop instead.
import ts from "typescript";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "./helpers/import-graph";

const root = path.resolve(__dirname, "..");

/** file (from the repo root) → spread or apply argument text → why it is small. */
const ALLOWED: Record<string, Record<string, string>> = {
  "src/backend/tfjs.ts": { args: "the arguments of one wrapped call" },
  "src/clv/optimize.ts": { P: "the n + 1 points of a Nelder–Mead simplex (n parameters)" },
  "src/clv/special.ts": { "res.map((r) => (r.sign === 0 ? -Infinity : r.log))": "the few interpolation nodes around a pole" },
  "src/engine/dialect.ts": { "args.map((a) => a(d))": "arguments of one SQL function", "q.where": "the WHERE terms of one query" },
  "src/experiments/campaign.ts": { "[...arms.values()].map((a) => a.n)": "one size per arm of an experiment" },
  "src/features/stream.ts": { "this.windows": "the configured feature windows (a handful of day counts)" },
  "src/io/reader.ts": { "Array.from(specs, (s) => (typeof s.source === \"number\" ? s.source + 1 : 0))": "one spec per output column" },
  "src/models/resample.ts": { sizes: "one row count per class" },
  "src/notebook/index.ts": { parts: "path segments" },
  "src/pipeline/prefetch.ts": { args: "the arguments of one engine call (a cutoff, a few options), forwarded" },
  "src/pipeline/decisions.ts": { "s.groups.map((x) => x.share)": "one share per group of a customer attribute" },
  "src/policy/fairness.ts": { f: "one value per group", sel: "one selection rate per group", "out.map((g) => g.ece)": "one calibration error per group" },
  "src/quality/report.ts": { "months.keys()": "one key per calendar month of the data" },
  "src/segment/choose-k.ts": { y: "one score per candidate k" },
  "src/segment/dynamic.ts": { flagsHere: "the drift flags of one period (at most one per feature and one for the segment mix)" },
  "src/util/output.ts": { rest: "path segments" },
};

interface Site { file: string; line: number; text: string; call: string }

/** Call-argument spreads and two-argument `.apply` calls of one source file. */
function findSpreads(file: string, source: string): Site[] {
  const sites: Site[] = [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const at = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const visit = (n: ts.Node): void => {
    if (ts.isSpreadElement(n) && (ts.isCallExpression(n.parent) || ts.isNewExpression(n.parent)))
      sites.push({ file, line: at(n), text: n.expression.getText(sf), call: n.parent.expression.getText(sf) });
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "apply" && n.arguments.length === 2)
      sites.push({ file, line: at(n), text: n.arguments[1].getText(sf), call: n.expression.getText(sf) });
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return sites;
}

function spreadSites(): Site[] {
  return sourceFiles(path.join(root, "src")).flatMap((abs) => findSpreads(path.relative(root, abs).split(path.sep).join("/"), fs.readFileSync(abs, "utf8")));
}

describe("no data-sized spreads into calls (stack overflow on large inputs)", () => {
  const sites = spreadSites();
  it("every call-argument spread and .apply in src/ is a listed small array", () => {
    const bad = sites.filter((s) => ALLOWED[s.file]?.[s.text] === undefined).map((s) => `${s.file}:${s.line} ${s.call}(...${s.text}) — use a loop, or list it in ALLOWED with why it is small`);
    expect(bad).toEqual([]);
  });
  it("every ALLOWED entry still exists (the list stays accurate)", () => {
    const seen = new Set(sites.map((s) => `${s.file}\u0000${s.text}`));
    const stale = Object.entries(ALLOWED).flatMap(([file, m]) => Object.keys(m).filter((t) => !seen.has(`${file}\u0000${t}`)).map((t) => `${file}: ${t}`));
    expect(stale).toEqual([]);
  });
  it("the scanner finds the pattern that crashed (a planted snippet)", () => {
    const found = findSpreads("x.ts", "const tr: number[] = []; tr.push(...g.slice(nv)); Math.max(...xs); f.apply(null, xs); const ok = [...xs], o = { ...cfg };");
    // push(...), Math.max(...), .apply — not the array literal nor the object spread
    expect(found.map((s) => `${s.call}:${s.text}`)).toEqual(["tr.push:g.slice(nv)", "Math.max:xs", "f.apply:xs"]);
  });
});
