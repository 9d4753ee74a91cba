// The consumer project (issue #17's acceptance): custlab packed with `npm pack`,
// installed into a fresh project that has no `overrides` (npm registry only),
// then used from an ESM script, a CommonJS script and `tsc --noEmit` with
// `skipLibCheck: false` under node16, nodenext, bundler and (tslab's
// TypeScript 5.0) node10 resolution. Slow tier: the install takes a minute or
// more (CUSTLAB_FAST=1 skips it).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as crypto from "crypto";
import { spawnSync, execFile, SpawnSyncReturns } from "child_process";
import { loadTransactions } from "../src/io";
import { DEMO_FILES } from "../src/demo";

const root = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const subpaths = Object.keys(pkg.exports).filter((k) => k.startsWith("./") && k !== "./package.json").map((k) => k.slice(2));
const built = fs.existsSync(path.join(root, "dist", "index.js"));
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");

// A clean environment for child npm/node processes: nothing inherited from an outer `npm test`.
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

function run(cmd: string, args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}, timeout = 600_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env: { ...env, ...extra }, encoding: "utf8", timeout, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}
const sha = (f: string) => crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");

/** Every file under `dir` (relative, sorted). */
function walk(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, base) : [path.relative(base, p)];
  }).sort();
}

describe.skipIf(!!process.env.CUSTLAB_FAST || !built)("consumer project: npm pack → npm install without overrides (CUSTLAB_FAST=1 skips it)", () => {
  let tmp = "";
  let stage = "", consumer = "", tarball = "";
  let packInfo: { size: number; unpackedSize: number; entryCount: number; files: { path: string }[] };

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-consumer-"));
    // 1. Stage the package from the current build: package.json, README, LICENSE and the
    //    dist/ outputs of the current src/ files only (no stale files from older builds).
    stage = path.join(tmp, "stage");
    fs.mkdirSync(stage);
    for (const f of ["package.json", "README.md", "LICENSE"]) fs.copyFileSync(path.join(root, f), path.join(stage, f));
    for (const src of walk(path.join(root, "src")).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))) {
      for (const ext of [".js", ".d.ts"]) {
        const rel = src.replace(/\.ts$/, ext);
        const from = path.join(root, "dist", rel);
        if (!fs.existsSync(from)) throw new Error(`dist/${rel} is missing: run npx tsc -p tsconfig.json first`);
        fs.mkdirSync(path.dirname(path.join(stage, "dist", rel)), { recursive: true });
        fs.copyFileSync(from, path.join(stage, "dist", rel));
      }
    }
    run("node", [path.join(root, "scripts", "build-esm.mjs"), stage], root);
    // 2. npm pack (scripts off: the stage is already built).
    const packed = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], stage);
    packInfo = JSON.parse(packed.stdout)[0];
    tarball = path.join(tmp, (packInfo as unknown as { filename: string }).filename);
    console.log(`tarball: ${path.basename(tarball)} ${(packInfo.size / 1e6).toFixed(2)} MB packed, ${(packInfo.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${packInfo.entryCount} files`);
    // 3. A fresh consumer project with no overrides installs the tarball from the npm registry.
    consumer = path.join(tmp, "consumer");
    fs.mkdirSync(consumer);
    fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "custlab-consumer", version: "1.0.0", private: true }, null, 2));
    const t0 = Date.now();
    run("npm", ["install", tarball, "--no-audit", "--no-fund", "--loglevel=error"], consumer);
    console.log(`npm install of the tarball: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 900_000);

  afterAll(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it("the tarball holds dist/ (with the ESM entries, workers and the wasm kernel), README, LICENSE and package.json only", () => {
    const files = packInfo.files.map((f) => f.path);
    const outside = files.filter((f) => !f.startsWith("dist/") && !["package.json", "README.md", "LICENSE"].includes(f));
    expect(outside).toEqual([]);
    for (const f of ["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts", "dist/esm/index.mjs", "dist/esm/index.d.mts",
      "dist/cli/main.js", "dist/io/read-worker.js", "dist/reviews/cv-worker.js", "dist/segment/kmeans-worker.js", "dist/segment/dists-wasm.js"]) expect(files).toContain(f);
    for (const s of subpaths) expect(files).toEqual(expect.arrayContaining([`dist/esm/${s}.mjs`, `dist/esm/${s}.d.mts`, `dist/${s}/index.js`, `dist/${s}/index.d.ts`]));
    expect(files.some((f) => /^(src|test|bench|datasets|notebooks|scripts)\//.test(f) || f.includes("/src/") || f.endsWith(".ipynb") || f.endsWith(".csv"))).toBe(false);
    // The package's own name is not among what consumers install (no "custlab": "file:." self-dependency).
    const installed = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules", "custlab", "package.json"), "utf8"));
    expect(Object.keys(installed.dependencies ?? {})).not.toContain("custlab");
    expect(installed.peerDependenciesMeta?.["danfojs-node"]?.optional).toBe(true);
  });

  it("installs without danfojs-node, request or xlsx, and no known critical/high advisory in the production tree", () => {
    for (const p of ["danfojs-node", "xlsx", "request"]) expect(fs.existsSync(path.join(consumer, "node_modules", p))).toBe(false);
    const r = spawnSync("node", [path.join(root, "scripts", "check-advisories.mjs"), consumer], { env, encoding: "utf8" });
    expect(r.stdout).toMatch(/^0 known advisories/m);
    expect(r.status).toBe(0);
  }, 120_000);

  it("an ESM script imports the root and every subpath; threaded reading and demoPath's on-demand shop work from the installed package", async () => {
    const cache = path.join(tmp, "cache");
    fs.writeFileSync(path.join(consumer, "esm.mjs"), `
import { createRequire } from "node:module";
import * as root from "custlab";
import { demoPath, loadTransactions, rocAucScore } from "custlab";
${subpaths.map((s, i) => `import * as sub${i} from "custlab/${s}";`).join("\n")}
const require = createRequire(import.meta.url);
// Every CommonJS export is a named ESM export too, and nothing else is (Node adds the __esModule marker).
const same = (esm, id) => { const a = Object.keys(esm).filter((k) => k !== "__esModule").sort(), b = Object.keys(require(id)).sort(); return a.length === b.length && a.every((k, i) => k === b[i]); };
const subs = { ".": [Object.keys(root).length, same(root, "custlab")], ${subpaths.map((s, i) => `${JSON.stringify(s)}: [Object.keys(sub${i}).length, same(sub${i}, "custlab/${s}")]`).join(", ")} };
const file = demoPath("transactions.csv");
const threaded = await loadTransactions(file, { format: "custlab", threads: 2, parallelMinBytes: 0 });
const single = await loadTransactions(file, { format: "custlab", threads: 1 });
const auc = rocAucScore(new Float64Array([0, 0, 1, 1]), new Float64Array([0.1, 0.4, 0.35, 0.8]));
console.log(JSON.stringify({ file, subs, auc, threaded: [threaded.report.rows_in, threaded.report.accepted, threaded.report.quarantined, threaded.table.numRows],
  single: [single.report.rows_in, single.report.accepted, single.report.quarantined, single.table.numRows] }));
`);
    const r = run("node", ["esm.mjs"], consumer, { CUSTLAB_CACHE: cache }, 300_000);
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
    // The shop was generated on demand into the cache (the package ships no datasets), byte-identical to the committed one.
    expect(out.file.startsWith(cache)).toBe(true);
    for (const f of DEMO_FILES) expect(sha(path.join(path.dirname(out.file), f)), f).toBe(sha(path.join(root, "datasets", "demo", f)));
    expect(sha(path.join(path.dirname(out.file), "truth.json"))).toBe(sha(path.join(root, "datasets", "demo", "truth.json")));
    // Oracle: the repository's own loader on the committed file.
    const ref = await loadTransactions(path.join(root, "datasets", "demo", "transactions.csv"), { format: "custlab", threads: 1 });
    const expected = [ref.report.rows_in, ref.report.accepted, ref.report.quarantined, ref.table.numRows];
    expect(out.single).toEqual(expected);
    expect(out.threaded).toEqual(expected);
    expect(out.auc).toBeCloseTo(0.75, 12); // scikit-learn's roc_auc_score docs example
    for (const s of [".", ...subpaths]) {
      expect(out.subs[s][0], s).toBeGreaterThan(0);
      expect(out.subs[s][1], `${s}: ESM and CommonJS export the same names`).toBe(true);
    }
  }, 300_000);

  it("a CommonJS script requires the root and every subpath (same instances as ESM); toDanfo names the missing optional peer in one line; the bin runs", () => {
    fs.writeFileSync(path.join(consumer, "cjs.cjs"), `
const custlab = require("custlab");
const subs = {};
for (const s of ${JSON.stringify(subpaths)}) subs[s] = Object.keys(require("custlab/" + s)).length;
const { KMeans } = require("custlab/segment");
const X = { data: new Float64Array([0, 0, 0, 1, 1, 0, 10, 10, 10, 11, 11, 10]), rows: 6, cols: 2 };
const km = new KMeans({ k: 2, seed: 42 }).fit(X);
let danfo = null;
try { custlab.toDanfo(custlab.Table.fromRows([{ a: 1 }])); } catch (e) { danfo = { name: e.name, code: e.code, message: e.message }; }
import("custlab").then((esm) => {
  console.log(JSON.stringify({ subs, inertia: km.inertia_, labels: Array.from(km.labels_), danfo, same: esm.KMeans === KMeans && esm.Table === custlab.Table }));
});
`);
    const r = run("node", ["cjs.cjs"], consumer, {}, 120_000);
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
    for (const s of subpaths) expect(out.subs[s], s).toBeGreaterThan(0);
    expect(out.inertia).toBeCloseTo(4 * (2 / 3), 10); // two clusters of three points; each has SSE 2/3 + 2/3 = 4/3
    expect(new Set(out.labels.slice(0, 3)).size).toBe(1);
    expect(new Set(out.labels.slice(3)).size).toBe(1);
    expect(out.labels[0]).not.toBe(out.labels[3]);
    expect(out.same).toBe(true);
    expect(out.danfo.code).toBe("E_DEPENDENCY");
    expect(out.danfo.message.split("\n")).toHaveLength(1);
    expect(out.danfo.message).toMatch(/npm install danfojs-node/);
    const bin = run(path.join(consumer, "node_modules", ".bin", "custlab"), ["--help"], consumer);
    expect(bin.stdout).toMatch(/demo/);
  }, 120_000);


  /** A fenced block of the README marked `<!-- quickstart:<name> -->`. */
  const readmeBlock = (name: string): string => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const m = new RegExp(`<!-- quickstart:${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme);
    if (!m) throw new Error(`README.md has no <!-- quickstart:${name} --> block`);
    return m[1];
  };
  /** Planted truth: the demo generator's churn probability per customer at the demo cutoff (2024-09-30). */
  const truthChurn = (): Map<string, number> => {
    const [head, ...rows] = fs.readFileSync(path.join(root, "datasets", "demo", "truth_customers.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    const id = head.indexOf("customer_id"), p = head.indexOf("churn_prob");
    return new Map(rows.map((r) => [r[id], Number(r[p])]));
  };
  /** Rows of the markdown table the quick start prints: [customer_id, probability, reasons]. */
  const markdownRows = (out: string): [string, number, string][] =>
    out.split("\n").filter((l) => /^\| cust\d/.test(l)).map((l) => { const c = l.split("|").map((x) => x.trim()); return [c[1], Number(c[2]), c[3]]; });
  const checkScores = (rows: [string, number, string][], n: number) => {
    expect(rows).toHaveLength(n);
    const truth = truthChurn();
    for (let i = 0; i < rows.length; i++) {
      const [id, p, reasons] = rows[i];
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      if (i > 0) expect(p).toBeLessThanOrEqual(rows[i - 1][1]);
      expect(reasons.split("; ")).toHaveLength(3);
      // The customers the model ranks first are ones the generator planted as (almost) surely churned
      // (population mean of the planted churn probability: 0.457).
      expect(truth.get(id), id).toBeGreaterThan(0.9);
    }
  };

  it("the README's ESM quick start runs against the installed package: scores + 3 reasons, top customers planted as churned", () => {
    fs.writeFileSync(path.join(consumer, "quickstart.mjs"), readmeBlock("esm"));
    const r = run("node", ["quickstart.mjs"], consumer, { CUSTLAB_CACHE: path.join(tmp, "cache") }, 600_000);
    checkScores(markdownRows(r.stdout), 10);
    // The out-of-time AUC the README states, from the same churnAtCutoff the CLI and the report call.
    expect(r.stdout).toMatch(/out-of-time AUC 0\.9491/);
  }, 600_000);

  it("the README's notebook quick start compiles with tslab's TypeScript (CommonJS, node10) and runs", () => {
    // tslab runs each cell as CommonJS with top-level await: the same here, the body inside an async function.
    const block = readmeBlock("notebook");
    const end = block.indexOf('} from "custlab";') + '} from "custlab";'.length;
    fs.writeFileSync(path.join(consumer, "notebook.ts"), `${block.slice(0, end)}\n(async () => {${block.slice(end)}})().catch((e) => { console.error(e); process.exit(1); });\n`);
    const tslabTsc = path.join(consumer, "node_modules", "@tslab", "typescript-for-tslab", "bin", "tsc");
    run("node", [fs.existsSync(tslabTsc) ? tslabTsc : tsc, "--module", "commonjs", "--moduleResolution", "node", "--target", "ES2022", "--strict", "--esModuleInterop", "--skipLibCheck", "--outDir", "nb-out", "notebook.ts"], consumer, {}, 300_000);
    const r = run("node", [path.join("nb-out", "notebook.js")], consumer, { CUSTLAB_CACHE: path.join(tmp, "cache") }, 600_000);
    expect(r.stdout).toMatch(/Who is likely to stop buying in 90 days, and why \(out-of-time AUC 0\.949\)/);
    expect(r.stdout).toMatch(/churn_probability/);
  }, 900_000);

  const checkTs = (ext: "ts" | "mts") => `
import { Table, loadTransactions, KMeans, rocAucScore, getTf, demoPath } from "custlab";
import type { LoadResult, TfModule } from "custlab";
${subpaths.map((s, i) => `import * as sub${i} from "custlab/${s}";`).join("\n")}
export const n: number = ${subpaths.map((_, i) => `Object.keys(sub${i}).length`).join(" + ")};
export async function main(): Promise<number> {
  const r: LoadResult = await loadTransactions(demoPath("transactions.csv"), { format: "custlab" });
  const t: Table = r.table;
  const km = new KMeans({ k: 2 }).fit({ data: new Float64Array(4), rows: 2, cols: 2 });
  const tf: TfModule = getTf();
  return t.numRows + km.inertia_! + rocAucScore(new Float64Array([0, 1]), new Float64Array([0.2, 0.7])) + tf.getBackend().length;
}
// ${ext}
`;

  it("tsc --noEmit with skipLibCheck: false type-checks a consumer under node16, nodenext and bundler (ESM and CJS files)", async () => {
    fs.writeFileSync(path.join(consumer, "check.ts"), checkTs("ts"));
    fs.writeFileSync(path.join(consumer, "check.mts"), checkTs("mts"));
    const configs: Record<string, object> = {
      node16: { module: "node16", moduleResolution: "node16" },
      nodenext: { module: "nodenext", moduleResolution: "nodenext" },
      bundler: { module: "esnext", moduleResolution: "bundler" },
    };
    const results = await Promise.all(Object.entries(configs).map(([name, opts]) => {
      const cfg = `tsconfig.${name}.json`;
      fs.writeFileSync(path.join(consumer, cfg), JSON.stringify({ compilerOptions: { ...opts, target: "ES2022", strict: true, noEmit: true, skipLibCheck: false }, files: ["check.ts", "check.mts"] }));
      return new Promise<string>((resolve) => {
        execFile("node", [tsc, "-p", cfg], { cwd: consumer, env, encoding: "utf8", timeout: 400_000 }, (err, stdout, stderr) => resolve(`${name}: exit ${err ? err.code ?? err.signal : 0}\n${stdout}${stderr}`));
      });
    }));
    for (const [i, name] of Object.keys(configs).entries()) expect(results[i]).toBe(`${name}: exit 0\n`);
  }, 600_000);

  it("tslab's TypeScript (5.0, node10 resolution) resolves the root and every subpath through typesVersions", () => {
    const tslabTsc = path.join(consumer, "node_modules", "@tslab", "typescript-for-tslab", "bin", "tsc");
    const tscBin = fs.existsSync(tslabTsc) ? tslabTsc : tsc;
    fs.writeFileSync(path.join(consumer, "tsconfig.node10.json"), JSON.stringify({ compilerOptions: { module: "commonjs", moduleResolution: "node", target: "ES2022", strict: true, noEmit: true, esModuleInterop: true, skipLibCheck: true }, files: ["check.ts"] }));
    const r = spawnSync("node", [tscBin, "-p", "tsconfig.node10.json"], { cwd: consumer, env, encoding: "utf8", timeout: 300_000 });
    expect(`node10: exit ${r.status}\n${r.stdout}${r.stderr}`).toBe("node10: exit 0\n");
  }, 300_000);
});
