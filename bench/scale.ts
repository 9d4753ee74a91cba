// Engines at scale (issue 19). Two parts, one run:
//
// 1. Online Retail at 1×, load → quarantine → id normalisation → duplicate removal → RFM, alternating
//    rounds, best of `--rounds` (default 5): custlab on the duckdb engine against DuckDB's own plain SQL,
//    Polars and pandas doing the same work, plus custlab's memory engine (bench/engine-1x.ts, which
//    states the work in its header). Prints best-of, range and ratios.
// 2. Scaling: Online Retail replicated N× (shifted customer ids, invoice numbers and dates by 0–29 days;
//    files cached under $CUSTLAB_SCALE_DIR, default /tmp/custlab-scale) through quality (load +
//    aggregates), features (cutoff 2011-09-09), churn (features and labels at two cutoffs, logistic
//    regression, AUC) and segment (RFM + k-means k = 4) on each engine, one child process per
//    (engine, size): wall time and CPU time (all threads of the process, DuckDB's included) per stage
//    and the process's peak RSS (VmHWM) after each stage. `--max memory=50,clickhouse=10` caps an
//    engine's sizes (larger cells are listed as skipped, with the reason). After the cells it prints
//    the linear-time check: seconds per million input rows per stage at each size (wall and CPU), and
//    whether the CPU cost per million rows at each size stays within 1.3× of the smallest size above 1×
//    (1× carries fixed start-up costs). One cell's limit is --cell-timeout seconds (default 600 + 40·size).
//
// 3. With --report 1,20: `custlab report` (runReport) at those sizes with the relational stages on
//    --report-engines (default duckdb): total and per-stage seconds, peak RSS, AUC and rule count.
//    It runs the compiled library (dist/, as the CLI does) when dist/ is up to date with src/, else
//    the sources through tsx (--report-build src|dist chooses; the cell's JSON says which).
//
// One run for the README's 1× ratios and scaling table (part 1, then part 2, in one process):
//   scripts/clickhouse.sh start && export $(scripts/clickhouse.sh env)
//   npx tsx bench/scale.ts --rounds 5 --sizes 1,10,50,100 --engines duckdb,clickhouse,memory --max memory=50,clickhouse=10
// Each cell also prints, after every stage, the process RSS (rss_mb) and, on duckdb, DuckDB's buffer memory
// and spilled bytes (duckdb_mem_mb, duckdb_spilled_mb).
//
// `--memory-limit 400MB` sets the duckdb cells' memory_limit (default 2GB; 10× under 400MB reproduces the
// pressure 2GB puts on 50–100×, at a tenth of the cost). `--code-text auto|true` turns on the load table's
// dictionary codes (off by default; `auto`: past half of memory_limit; see the README's engines section).
//   npx tsx bench/scale.ts [--rounds 3] [--sizes 1,10,50,100] [--engines memory,duckdb,clickhouse] [--max memory=50,clickhouse=10] [--memory-limit 2GB] [--code-text false|auto|true] [--no-peers] [--no-scale] [--report 20] [--prepare 50,100] [--from-logs a.log,b.log]
//   (clickhouse needs CUSTLAB_CLICKHOUSE, e.g. from scripts/clickhouse.sh env)
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import { spawnSync } from "child_process";
import { MemoryEngine, DuckDBEngine, ClickHouseEngine, parseClickHouseUrl } from "../src/engine";
import type { OrdersEngine } from "../src/engine";
import { LogisticRegression } from "../src/models/logistic";
import { Preprocessor, customerFeatureNames } from "../src/features";
import { rocAucScore } from "../src/eval/metrics";
import { segmentCustomers } from "../src/segment/segment";
import { Table } from "../src/table";
import { ratios } from "./engine-1x";

const ROOT = path.resolve(__dirname, "..");
const RETAIL = path.resolve(ROOT, "../shared/datasets/online-retail/online_retail.csv");
const SCALE_DIR = process.env.CUSTLAB_SCALE_DIR ?? "/tmp/custlab-scale";
const arg = (name: string, d?: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : d; };
const flag = (name: string) => process.argv.includes(`--${name}`);
const hwmMB = () => { const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8")); return m ? Number(m[1]) / 1024 : NaN; };
const sec = (t0: number) => (performance.now() - t0) / 1000;

// ---------- part 1: 1× ratios (bench/engine-1x.ts) ----------

// ---------- part 2: scaling ----------
/** Online Retail replicated n×: copy k shifts customer ids by k·100000, invoice numbers by k·1000000, dates by k mod 30 days. */
async function replica(n: number): Promise<string> {
  if (n === 1) return RETAIL;
  fs.mkdirSync(SCALE_DIR, { recursive: true });
  const out = path.join(SCALE_DIR, `online_retail_x${n}.csv`);
  if (fs.existsSync(out)) return out;
  const lines: string[] = [];
  const rl = readline.createInterface({ input: fs.createReadStream(RETAIL), crlfDelay: Infinity });
  for await (const l of rl) lines.push(l);
  const header = lines[0];
  type Row = { inv: string; cancel: boolean; invNum: number; mid: string; ts: number; price: string; cust: number; country: string; qty: string };
  const rows: Row[] = [];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    const c1 = l.indexOf(","), c2 = l.indexOf(",", c1 + 1);
    const parts: string[] = [];
    let e = l.length;
    for (let k = 0; k < 5; k++) { const p = l.lastIndexOf(",", e - 1); parts.push(l.slice(p + 1, e)); e = p; }
    const [country, cust, price, date, qty] = parts;
    const inv = l.slice(0, c1);
    const cancel = inv.startsWith("C");
    rows.push({ inv, cancel, invNum: Number(cancel ? inv.slice(1) : inv), mid: l.slice(c1, e) /* ,StockCode,Description */, ts: Date.parse(date.replace(" ", "T") + "Z"), price, cust: cust === "" ? NaN : Number(cust), country, qty });
    void c2;
  }
  const tmp = out + ".tmp";
  const ws = fs.createWriteStream(tmp);
  const write = (s: string) => new Promise<void>((res) => { if (ws.write(s)) res(); else ws.once("drain", () => res()); });
  await write(header + "\n");
  for (let k = 0; k < n; k++) {
    const shift = (k % 30) * 86_400_000;
    let buf = "";
    for (const r of rows) {
      const inv = Number.isFinite(r.invNum) ? `${r.cancel ? "C" : ""}${r.invNum + k * 1_000_000}` : r.inv + (k ? `-${k}` : "");
      const d = new Date(r.ts + shift).toISOString();
      const cust = Number.isNaN(r.cust) ? "" : `${r.cust + k * 100_000}.0`;
      buf += `${inv}${r.mid},${r.qty},${d.slice(0, 10)} ${d.slice(11, 19)},${r.price},${cust},${r.country}\n`;
      if (buf.length > 1 << 20) { await write(buf); buf = ""; }
    }
    await write(buf);
  }
  await new Promise<void>((res) => ws.end(() => res()));
  fs.renameSync(tmp, out);
  return out;
}

/** `--code-text false|auto|true`: the duckdb load table's dictionary codes (default false, as the engine). */
function codeTextArg(): boolean | "auto" {
  const v = arg("code-text", "false");
  return v === "auto" ? "auto" : v === "true";
}

async function openCell(engine: string): Promise<OrdersEngine> {
  if (engine === "memory") return new MemoryEngine();
  if (engine === "duckdb") return DuckDBEngine.open({ memoryLimit: arg("memory-limit", "2GB"), codeText: codeTextArg() });
  const url = process.env.CUSTLAB_CLICKHOUSE;
  if (!url) throw new Error("CUSTLAB_CLICKHOUSE is not set (scripts/clickhouse.sh start; export $(scripts/clickhouse.sh env))");
  const e = await ClickHouseEngine.open(parseClickHouseUrl(url));
  e.tableName = "bench_scale_orders";
  e.dropOnClose = true;
  return e;
}

/** One (engine, file) cell in this process: per stage wall time and peak RSS so far. */
async function cell(engine: string, file: string): Promise<void> {
  const out: Record<string, unknown> = { engine, file: path.basename(file) };
  const stage = async (name: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now(), c0 = process.cpuUsage();
    const r = await fn();
    const c = process.cpuUsage(c0);
    out[name] = { s: +sec(t0).toFixed(2), cpu_s: +((c.user + c.system) / 1e6).toFixed(2), peak_rss_mb: Math.round(hwmMB()), rss_mb: Math.round(process.memoryUsage.rss() / 2 ** 20), ...(await duckMemory()), ...(r && typeof r === "object" ? r : {}) };
  };
  // DuckDB's buffer memory and spilled bytes at the end of a stage (where the RSS and the spilling come from).
  const duckMemory = async (): Promise<Record<string, number>> => {
    if (!(eng instanceof DuckDBEngine)) return {};
    const m = await eng.query("SELECT sum(memory_usage_bytes) AS mem, sum(temporary_storage_bytes) AS tmp FROM duckdb_memory()");
    return { duckdb_mem_mb: Math.round(Number(m.mem[0]) / 2 ** 20), duckdb_spilled_mb: Math.round(Number(m.tmp[0]) / 2 ** 20) };
  };
  const eng = await openCell(engine);
  const cutoff = Date.parse("2011-09-09T00:00:00Z"), train = Date.parse("2011-06-11T00:00:00Z");
  try {
    await stage("quality", async () => { const rep = await eng.loadFile(file, { format: "online-retail" }); const qq = await eng.quality(); return { rows_in: rep.rows_in, customers: qq.customers }; });
    await stage("features", async () => ({ customers: (await eng.features({ cutoff })).numRows }));
    await stage("churn", async () => {
      const ftr = await eng.features({ cutoff: train }), ytr = await eng.labels(ftr, { cutoff: train, horizonDays: 90 });
      const f = await eng.features({ cutoff }), y = await eng.labels(f, { cutoff, horizonDays: 90 });
      const cols = customerFeatureNames();
      const pre = new Preprocessor();
      const m = new LogisticRegression({ C: 1 }).fit(pre.fitTransform(ftr.select(cols)), Int32Array.from(ytr.num("churn")));
      return { auc: +rocAucScore(y.num("churn"), m.predictProba(pre.transform(f.select(cols)))).toFixed(4) };
    });
    await stage("segment", async () => {
      const rfm = await eng.rfm();
      const seg = segmentCustomers(new Table({}), { rfm, k: 4, nInit: 3, seed: 42 });
      return { customers: rfm.numRows, inertia: +seg.inertia.toFixed(2) };
    });
  } catch (e) {
    out.error = (e as Error).message.split("\n")[0];
  } finally {
    await eng.close();
  }
  console.log(JSON.stringify(out));
}

/** `custlab report` on one file in this process (the report pipeline, relational stages on `engine`): per-stage seconds and peak RSS. */
async function reportCell(engine: string, file: string): Promise<void> {
  const build = reportBuild();
  const { runReport } = require(build === "dist" ? "../dist/pipeline" : "../src/pipeline") as typeof import("../src/pipeline");
  const out = fs.mkdtempSync(path.join(SCALE_DIR, "report-"));
  const t0 = performance.now();
  try {
    // CPU seconds per stage (all threads of this process, DuckDB's included): wall time on a shared machine says little.
    const cpu: Record<string, number> = {};
    let stage = "", c0 = process.cpuUsage();
    const mark = (next: string) => { const c = process.cpuUsage(c0); if (stage) cpu[stage] = +((c.user + c.system) / 1e6).toFixed(1); stage = next; c0 = process.cpuUsage(); };
    const onProgress = (e: { stage: string; message?: string }) => {
      if (e.stage !== "report") return;
      mark((e.message ?? "").replace(/…$/, ""));
      process.stderr.write(`${sec(t0).toFixed(1)} s ${e.message ?? ""} (peak RSS ${Math.round(hwmMB())} MB)\n`);
    };
    const c00 = process.cpuUsage();
    const s = await runReport({ transactions: file, format: "online-retail", out: path.join(out, "r"), engine, seed: 42, salt: "bench", onProgress });
    const ct = process.cpuUsage(c00);
    const churn = s.churn as Record<string, unknown> | undefined, rules = s.rules as Record<string, unknown> | undefined;
    console.log(JSON.stringify({ report: true, build, engine: s.engine, file: path.basename(file), s: +sec(t0).toFixed(1), cpu_s: +((ct.user + ct.system) / 1e6).toFixed(1), peak_rss_mb: Math.round(hwmMB()), timings: s.timings, cpu_by_stage: cpu, auc: churn?.auc, rules: rules?.rules, load_average: fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ") }));
  } finally { fs.rmSync(out, { recursive: true, force: true }); }
}

/**
 * Which build the report cell runs: the compiled library (`dist/`, what `custlab report` runs) when
 * every source file has its compiled file and none is newer than it, else the sources through tsx
 * (whose per-call helpers — named closures, export getters — cost extra on hot paths; the cell says
 * which it measured). `--report-build src|dist` chooses.
 */
function reportBuild(): "dist" | "src" {
  const want = arg("report-build");
  if (want === "src" || want === "dist") return want;
  const stale: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) {
        const js = path.join(ROOT, "dist", path.relative(path.join(ROOT, "src"), p)).replace(/\.ts$/, ".js");
        if (!fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(p).mtimeMs) stale.push(path.relative(ROOT, p));
      }
    }
  };
  walk(path.join(ROOT, "src"));
  if (stale.length) process.stderr.write(`report cell: dist/ is older than ${stale.length} source file(s) (${stale.slice(0, 3).join(", ")}…): running the sources through tsx; build with npx tsc -p tsconfig.json to measure custlab report's compiled code\n`);
  return stale.length ? "src" : "dist";
}

/** `custlab report` at each size (--report 1,20) on each engine (--report-engines duckdb), one child process per cell. */
async function reports(): Promise<void> {
  const sizes = (arg("report") ?? "").split(",").map(Number);
  const engines = (arg("report-engines", "duckdb") ?? "").split(",");
  for (const n of sizes) {
    const file = await replica(n);
    for (const e of engines) {
      const r = spawnSync(process.execPath, [...process.execArgv, __filename, "--report-cell", e, file], { encoding: "utf8", timeout: Number(arg("cell-timeout", "900")) * 1000, env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=16384` }, maxBuffer: 1 << 24 });
      const line = (r.stdout ?? "").trim().split("\n").filter((l) => l.startsWith("{")).pop();
      console.log(line ? line.replace(/^\{/, `{"size":${n},`) : JSON.stringify({ size: n, engine: e, report: true, error: r.error ? String(r.error.message) : `exit ${r.status} ${r.signal ?? ""}: ${(r.stderr ?? "").trim().split("\n").slice(-2).join(" | ")}` }));
    }
  }
}

const STAGES = ["quality", "features", "churn", "segment"] as const;
type CellOut = { size: number; engine: string; rows_in?: number; error?: string; skipped?: string } & Partial<Record<(typeof STAGES)[number], { s: number; cpu_s: number; peak_rss_mb: number }>>;

async function scaling(): Promise<void> {
  const sizes = (arg("sizes", "1,10") ?? "").split(",").map(Number);
  const engines = (arg("engines", "memory,duckdb") ?? "").split(",");
  const max = new Map((arg("max") ?? "").split(",").filter(Boolean).map((kv) => { const [k, v] = kv.split("="); return [k, Number(v)] as [string, number]; }));
  const cells: CellOut[] = [];
  console.log(JSON.stringify({ part: "scaling: wall s, CPU s (all threads) and peak RSS MB per stage (cumulative peak in one process per engine × size)", sizes, engines, max: Object.fromEntries(max), load_average: fs.readFileSync("/proc/loadavg", "utf8").trim() }));
  for (const n of sizes) {
    const t0 = performance.now();
    const file = await replica(n);
    if (n > 1) console.log(JSON.stringify({ replica: n, file, bytes: fs.statSync(file).size, made_s: +sec(t0).toFixed(1) }));
    for (const e of engines) {
      if (max.has(e) && n > max.get(e)!) {
        const c: CellOut = { size: n, engine: e, skipped: `above --max ${e}=${max.get(e)}` };
        cells.push(c); console.log(JSON.stringify(c)); continue;
      }
      const limit = Number(arg("cell-timeout", String(600 + 40 * n)));
      const r = spawnSync(process.execPath, [...process.execArgv, __filename, "--cell", e, file, "--memory-limit", arg("memory-limit", "2GB")!, "--code-text", arg("code-text", "false")!], { encoding: "utf8", timeout: limit * 1000, env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=16384` }, maxBuffer: 1 << 24 });
      const line = (r.stdout ?? "").trim().split("\n").filter((l) => l.startsWith("{")).pop();
      const c: CellOut = line ? { size: n, ...JSON.parse(line) } : { size: n, engine: e, error: r.error ? String(r.error.message) : `exit ${r.status} ${r.signal ?? ""}: ${(r.stderr ?? "").trim().split("\n").slice(-2).join(" | ")}` };
      c.rows_in ??= (c.quality as { rows_in?: number } | undefined)?.rows_in;
      cells.push(c);
      console.log(JSON.stringify({ ...c, load_average: fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ") }));
    }
  }
  linearCheck(cells);
}

/**
 * The linear-time check: per engine and stage, seconds per million input rows at each size (wall
 * and CPU); "linear" when the CPU cost per million rows at every size is at most 1.3× that of the
 * smallest measured size above 1× (1× alone carries the fixed start-up costs).
 */
function linearCheck(cells: CellOut[]): void {
  const engines = [...new Set(cells.map((c) => c.engine))];
  for (const e of engines) {
    const ok = cells.filter((c) => c.engine === e && !c.skipped && c.rows_in); // a failed cell's finished stages count
    for (const st of STAGES) {
      const pts = ok.filter((c) => c[st]).map((c) => ({ size: c.size, m: c.rows_in! / 1e6, wall: c[st]!.s / (c.rows_in! / 1e6), cpu: c[st]!.cpu_s / (c.rows_in! / 1e6) }));
      if (!pts.length) continue;
      const base = pts.find((p) => p.size > 1) ?? pts[0];
      const worst = Math.max(...pts.filter((p) => p.size >= base.size).map((p) => p.cpu / base.cpu));
      console.log(JSON.stringify({
        linear_check: `${e} ${st}`,
        s_per_million_rows: Object.fromEntries(pts.map((p) => [`${p.size}x`, { wall: +p.wall.toFixed(2), cpu: +p.cpu.toFixed(2) }])),
        cpu_per_million_vs_smallest_above_1x: +worst.toFixed(2),
        linear: pts.length < 2 ? "one size only" : worst <= 1.3,
      }));
    }
  }
  // The linear-time check as the README's table: CPU seconds per million input rows, worst ratio to the base size.
  const sizes = [...new Set(cells.filter((c) => !c.skipped && c.rows_in).map((c) => c.size))].sort((a, b) => a - b);
  console.log(`\n| engine | stage | ${sizes.map((n) => `${n}×`).join(" | ")} | worst / ${sizes.find((n) => n > 1) ?? sizes[0]}× | linear (≤ 1.3×) |\n|---|---|${sizes.map(() => "---|").join("")}---|---|`);
  for (const e of engines) {
    const ok = cells.filter((c) => c.engine === e && !c.skipped && c.rows_in);
    for (const st of STAGES) {
      const per = new Map(ok.filter((c) => c[st]).map((c) => [c.size, c[st]!.cpu_s / (c.rows_in! / 1e6)]));
      if (!per.size) continue;
      const have = sizes.filter((n) => per.has(n));
      const base = have.find((n) => n > 1) ?? have[0];
      const worst = Math.max(...have.filter((n) => n >= base).map((n) => per.get(n)! / per.get(base)!));
      console.log(`| ${e} | ${st} | ${sizes.map((n) => (per.has(n) ? per.get(n)!.toFixed(2) : "—")).join(" | ")} | ${worst.toFixed(2)}× | ${have.length < 2 ? "one size" : worst <= 1.3 ? "yes" : "**no**"} |`);
    }
  }
  // The table for the README: wall s / CPU s per stage and peak RSS.
  console.log("\n| size (rows) | engine | quality | features | churn | segment | peak RSS |\n|---|---|---|---|---|---|---|");
  for (const c of cells) {
    const rows = c.rows_in ? ` (${(c.rows_in / 1e6).toFixed(1)}M)` : "";
    if (c.skipped) { console.log(`| ${c.size}× | ${c.engine} | not run: ${c.skipped} |  |  |  |  |`); continue; }
    const cellText = (st: (typeof STAGES)[number]) => (c[st] ? `${c[st]!.s.toFixed(1)} s (${c[st]!.cpu_s.toFixed(1)} CPU)` : c.error ? `failed: ${c.error}` : "—");
    const peak = Math.max(...STAGES.map((st) => c[st]?.peak_rss_mb ?? 0));
    console.log(`| ${c.size}×${rows} | ${c.engine} | ${STAGES.map(cellText).join(" | ")} | ${peak.toLocaleString("en-US")} MB |`);
  }
}

(async () => {
  const ci = process.argv.indexOf("--cell");
  if (ci >= 0) { await cell(process.argv[ci + 1], process.argv[ci + 2]); process.exit(0); }
  const ri = process.argv.indexOf("--report-cell");
  if (ri >= 0) { await reportCell(process.argv[ri + 1], process.argv[ri + 2]); process.exit(0); }
  if (!fs.existsSync(RETAIL)) { console.log(`scale: ${RETAIL} not found`); return; }
  if (arg("prepare")) { for (const n of arg("prepare")!.split(",").map(Number)) console.log(await replica(n)); return; }
  if (arg("from-logs")) { // the linear check and table again, from the cell lines of earlier runs' output
    const cells: CellOut[] = [];
    for (const f of arg("from-logs")!.split(",")) for (const l of fs.readFileSync(f, "utf8").split("\n")) if (l.startsWith("{\"size\"")) { const c = JSON.parse(l) as CellOut; c.rows_in ??= (c.quality as { rows_in?: number } | undefined)?.rows_in; cells.push(c); }
    cells.sort((a, b) => a.size - b.size);
    linearCheck(cells);
    return;
  }
  if (!flag("no-peers")) await ratios();
  if (!flag("no-scale")) await scaling();
  if (arg("report")) await reports();
  process.exit(0);
})();
