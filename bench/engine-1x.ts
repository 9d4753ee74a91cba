// Online Retail at 1× (issue 19): custlab on the duckdb engine, from load through RFM, against
// DuckDB's own plain SQL, Polars and pandas doing the SAME work, plus custlab's memory engine.
// Alternating rounds in one process (pandas in a python3 child per round); prints best-of, the
// range, every round, the equality check and the ratios. Part 1 of bench/scale.ts; runs alone too:
//
//   npx tsx bench/engine-1x.ts [--rounds 5] [--file path.csv] [--tools custlab-duckdb,duckdb-sql]
//
// The work every tool does (and what custlab does, so the ratio measures custlab's own overhead):
//  1. read the CSV with Quantity / UnitPrice as doubles and InvoiceDate as a timestamp;
//  2. quarantine, with the line number: rows the reader rejects (DuckDB's rejects; Polars and pandas
//     have no such rows on this file and would stop or coerce on one) and rows failing validation —
//     InvoiceNo missing or blank, InvoiceDate missing or more than a day in the future, Quantity /
//     UnitPrice missing or not finite, UnitPrice < 0 (2 rows on Online Retail); the quarantined rows
//     come back to the caller with their line; rows in = accepted + quarantined;
//  3. normalise ids: InvoiceNo, StockCode, CustomerID trimmed of spaces and tabs, a trailing ".0"
//     removed from CustomerID ("17850.0" → "17850"), missing text → "";
//  4. drop exact duplicate rows (all columns equal after step 3);
//  5. RFM per customer over purchase lines (a customer id, InvoiceNo not starting with "C",
//     Quantity > 0, UnitPrice > 0): recency = whole days from the last purchase to one day after the
//     latest purchase of any customer, frequency = distinct invoices, monetary = Σ Quantity × UnitPrice;
//     the table comes back sorted by customer id.
// DuckDB's plain SQL uses the same string expressions custlab renders for trimming and the ".0"
// rule (guarded `trim`, `ends_with` + `left`), not slower spellings such as regexp_replace.
// Line numbers: custlab corrects record numbers for quoted line breaks; the peers report record
// numbers, which equal the lines on this file (no quoted line breaks).
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import * as v8 from "v8";
import * as vm from "vm";
import { MemoryEngine, DuckDBEngine } from "../src/engine";
import type { OrdersEngine } from "../src/engine";
import { duckdbModule } from "../src/engine/duckdb";
import { DUCKDB } from "../src/engine/dialect";
import { DAY_MS } from "../src/util/numeric";

const RETAIL = path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");
const arg = (name: string, d?: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : d; };
const sec = (t0: number) => (performance.now() - t0) / 1000;

/** What every tool returns: seconds and the figures the check compares. */
interface Run { s: number; customers: number; monetary: number; frequency: number; recency: number; quarantined: number }
/** CPU seconds of this process (all threads) and of its waited-for children (/proc/self/stat: utime, stime, cutime, cstime). */
const cpuSeconds = () => { const f = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" "); return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100; };
const sumOf = (a: ArrayLike<unknown>) => { let m = 0; for (let i = 0; i < a.length; i++) m += Number(a[i]); return m; };

async function custlab(kind: "duckdb" | "memory", file: string): Promise<Run> {
  const t0 = performance.now();
  const eng: OrdersEngine = kind === "duckdb" ? await DuckDBEngine.open({ memoryLimit: "2GB" }) : new MemoryEngine();
  const rep = await eng.loadFile(file, { format: "online-retail" });
  const rfm = await eng.rfm();
  const s = sec(t0);
  await eng.close();
  return { s, customers: rfm.numRows, monetary: sumOf(rfm.num("monetary")), frequency: sumOf(rfm.num("frequency")), recency: sumOf(rfm.num("recency_days")), quarantined: rep.quarantined };
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
async function duckdbPlain(file: string): Promise<Run> {
  const duck = duckdbModule();
  const future = new Date(Date.now() + DAY_MS).toISOString().replace("T", " ").slice(0, 19);
  const t0 = performance.now();
  const inst = await duck.DuckDBInstance.create(":memory:", { memory_limit: "2GB" });
  const con = await inst.connect();
  await con.run(`CREATE TABLE t AS SELECT * FROM read_csv(${q(file)}, header = true, auto_detect = false, columns = {'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'DOUBLE', 'InvoiceDate': 'TIMESTAMP', 'UnitPrice': 'DOUBLE', 'CustomerID': 'VARCHAR', 'Country': 'VARCHAR'}, delim = ',', quote = '"', escape = '"', store_rejects = true)`);
  const bad = `(InvoiceNo IS NULL OR ${DUCKDB.trim("InvoiceNo")} = '' OR InvoiceDate IS NULL OR InvoiceDate > TIMESTAMP '${future}' OR Quantity IS NULL OR NOT isfinite(Quantity) OR UnitPrice IS NULL OR NOT isfinite(UnitPrice) OR UnitPrice < 0)`;
  const rejects = (await con.runAndReadAll(`SELECT line, column_name, error_type, csv_line FROM reject_errors ORDER BY line`)).getColumnsObjectJS() as Record<string, unknown[]>;
  const quarantined = (await con.runAndReadAll(`SELECT rowid + 2 AS line, * FROM t WHERE ${bad} ORDER BY line`)).getColumnsObjectJS() as Record<string, unknown[]>;
  const txt = (c: string) => DUCKDB.trim(`coalesce(${c}, '')`);
  const r = await con.runAndReadAll(`WITH n AS (SELECT DISTINCT ${DUCKDB.stripFloatSuffix(txt("CustomerID"))} AS c, ${txt("InvoiceNo")} AS o, ${txt("StockCode")} AS s, coalesce(Description, '') AS d, Quantity AS qty, InvoiceDate AS ts, UnitPrice AS p, coalesce(Country, '') AS k FROM t WHERE NOT ${bad}),
    f AS (SELECT c, o, ts, qty * p AS amount FROM n WHERE c <> '' AND NOT starts_with(o, 'C') AND qty > 0 AND p > 0),
    g AS (SELECT c, max(ts) AS last, count(DISTINCT o) AS frequency, sum(amount) AS monetary FROM f GROUP BY c)
    SELECT c, CAST(floor((epoch_ms((SELECT max(last) FROM g)) + ${DAY_MS} - epoch_ms(last)) / ${DAY_MS}.0) AS INTEGER) AS recency, frequency, monetary FROM g ORDER BY c`);
  const cols = r.getColumnsObjectJS() as Record<string, unknown[]>;
  const s = sec(t0);
  con.closeSync(); inst.closeSync();
  return { s, customers: cols.c.length, monetary: sumOf(cols.monetary), frequency: sumOf(cols.frequency), recency: sumOf(cols.recency), quarantined: rejects.line.length + quarantined.line.length };
}

/**
 * Polars: the file read once (readCSV, multi-threaded), then the quarantine and the RFM as lazy
 * queries over it (`lazy: true`: two lazy scans of the file instead, one per output). The faster of
 * the two is Polars' figure.
 */
function polars(file: string, scanTwice: boolean): Run | { error: string } {
  let pl: any;
  try { pl = require("nodejs-polars"); } catch (e) { return { error: `nodejs-polars not installed (${(e as Error).message.split("\n")[0]})` }; }
  const t0 = performance.now();
  const dtypes = { InvoiceNo: pl.Utf8, StockCode: pl.Utf8, Description: pl.Utf8, Quantity: pl.Float64, InvoiceDate: pl.Utf8, UnitPrice: pl.Float64, CustomerID: pl.Utf8, Country: pl.Utf8 };
  const base = () => (scanTwice ? pl.scanCSV(file, { schema: dtypes }) : df.lazy())
    .withRowIndex("line", 2)
    .withColumns(pl.col("InvoiceDate").str.strptime(pl.Datetime("ms"), "%Y-%m-%d %H:%M:%S"));
  const df = scanTwice ? null : pl.readCSV(file, { dtypes });
  const future = Date.now() + DAY_MS;
  const ws = (c: string) => pl.col(c).fillNull("").str.stripChars(" \t");
  const isBad = pl.col("InvoiceNo").isNull().or(ws("InvoiceNo").eq(pl.lit("")))
    .or(pl.col("InvoiceDate").isNull()).or(pl.col("InvoiceDate").gt(pl.lit(new Date(future))))
    .or(pl.col("Quantity").isNull()).or(pl.col("Quantity").isFinite().not())
    .or(pl.col("UnitPrice").isNull()).or(pl.col("UnitPrice").isFinite().not()).or(pl.col("UnitPrice").lt(0));
  const quarantine = base().filter(isBad).collectSync();
  const rfm = base().filter(isBad.not())
    .select(
      ws("CustomerID").str.replace("\\.0$", "").alias("c"), ws("InvoiceNo").alias("o"), ws("StockCode").alias("s"), pl.col("Description").fillNull("").alias("d"),
      pl.col("Quantity").alias("qty"), pl.col("InvoiceDate").alias("ts"), pl.col("UnitPrice").alias("p"), pl.col("Country").fillNull("").alias("k"))
    .unique()
    .filter(pl.col("c").neq(pl.lit("")).and(pl.col("o").str.startsWith("C").not()).and(pl.col("qty").gt(0)).and(pl.col("p").gt(0)))
    .groupBy("c").agg(pl.col("ts").max().alias("last"), pl.col("o").nUnique().alias("frequency"), pl.col("qty").mul(pl.col("p")).sum().alias("monetary"))
    .sort("c")
    .collectSync();
  const last = (rfm.getColumn("last").toArray() as Date[]).map((d) => d.getTime());
  let ref = -Infinity; for (const l of last) if (l > ref) ref = l;
  const recency = last.map((l) => Math.floor((ref + DAY_MS - l) / DAY_MS));
  const s = sec(t0);
  return { s, customers: rfm.height, monetary: rfm.getColumn("monetary").sum(), frequency: rfm.getColumn("frequency").sum(), recency: sumOf(recency), quarantined: quarantine.height };
}

const PANDAS = `
import sys, time, json
import numpy as np
import pandas as pd
t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1], dtype={"InvoiceNo": str, "StockCode": str, "Description": str, "CustomerID": str, "Country": str}, parse_dates=["InvoiceDate"])
df["line"] = np.arange(2, len(df) + 2)
ws = lambda s: s.fillna("").str.strip(" \\t")
future = pd.Timestamp.now() + pd.Timedelta(days=1)
bad = (df.InvoiceNo.isna() | (ws(df.InvoiceNo) == "") | df.InvoiceDate.isna() | (df.InvoiceDate > future)
       | df.Quantity.isna() | ~np.isfinite(df.Quantity) | df.UnitPrice.isna() | ~np.isfinite(df.UnitPrice) | (df.UnitPrice < 0))
quarantine = df[bad]
ok = df[~bad]
n = pd.DataFrame({"c": ws(ok.CustomerID).str.replace(r"\\.0$", "", regex=True), "o": ws(ok.InvoiceNo), "s": ws(ok.StockCode), "d": ok.Description.fillna(""),
                  "qty": ok.Quantity, "ts": ok.InvoiceDate, "p": ok.UnitPrice, "k": ok.Country.fillna("")}).drop_duplicates()
f = n[(n.c != "") & ~n.o.str.startswith("C") & (n.qty > 0) & (n.p > 0)].copy()
f["amount"] = f.qty * f.p
g = f.groupby("c", sort=True).agg(last=("ts", "max"), frequency=("o", "nunique"), monetary=("amount", "sum"))
ref = g["last"].max() + pd.Timedelta(days=1)
g["recency"] = (ref - g["last"]).dt.days
s = time.perf_counter() - t0
print(json.dumps({"s": s, "customers": len(g), "monetary": float(g.monetary.sum()), "frequency": int(g.frequency.sum()), "recency": int(g.recency.sum()), "quarantined": len(quarantine)}))
`;
function pandas(file: string): Run | { error: string } {
  const r = spawnSync("/usr/bin/python3", ["-c", PANDAS, file], { encoding: "utf8" });
  if (r.status !== 0) return { error: `pandas failed: ${(r.stderr || "").trim().split("\n").pop()}` };
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

/** Part 1: alternating rounds of every tool, best-of and range, the equality check and the ratios. */
export async function ratios(file = RETAIL, rounds = Number(arg("rounds", "5"))): Promise<void> {
  const allTools: [string, () => Promise<Run | { error: string }>][] = [
    ["custlab-duckdb", () => custlab("duckdb", file)],
    ["duckdb-sql", () => duckdbPlain(file)],
    ["polars-read-then-lazy", async () => polars(file, false)],
    ["polars-lazy-scan", async () => polars(file, true)],
    ["pandas", async () => pandas(file)],
    ["custlab-memory", () => custlab("memory", file)],
  ];
  const only = arg("tools")?.split(",");
  const tools = allTools.filter(([name]) => !only || only.includes(name));
  const runs: Record<string, number[]> = {}, check: Record<string, unknown> = {};
  // CPU seconds of each run, all threads (DuckDB's and Polars' included) plus waited-for children
  // (pandas): what the tools' ratios are on a busy machine, where wall time depends on the others.
  const cpu: Record<string, number[]> = {};
  const load0 = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  // A full garbage collection before every timed run (untimed), so no run pays for the garbage of
  // the one before it (the memory engine leaves a large heap behind).
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of tools) {
      gc();
      const c0 = cpuSeconds();
      const res = await fn();
      (cpu[name] ??= []).push(+(cpuSeconds() - c0).toFixed(3));
      if ("error" in res) { check[name] = res.error; continue; }
      (runs[name] ??= []).push(+res.s.toFixed(3));
      check[name] = { customers: res.customers, monetary: +res.monetary.toFixed(2), frequency: res.frequency, recency: res.recency, quarantined: res.quarantined };
    }
  }
  const best: Record<string, number> = {}, range: Record<string, string> = {};
  for (const [k, v] of Object.entries(runs)) { best[k] = Math.min(...v); range[k] = `${Math.min(...v).toFixed(3)}–${Math.max(...v).toFixed(3)}`; }
  const pol = Math.min(best["polars-read-then-lazy"] ?? Infinity, best["polars-lazy-scan"] ?? Infinity);
  const c = best["custlab-duckdb"];
  const bestCpu: Record<string, number> = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.min(...v)]));
  const cpuRatio = (b: number | undefined) => (b && bestCpu["custlab-duckdb"] ? +(bestCpu["custlab-duckdb"] / b).toFixed(3) : null);
  const same = new Set(Object.values(check).filter((v) => typeof v === "object").map((v) => JSON.stringify(v))).size === 1;
  const ratio = (b: number | undefined) => (b && Number.isFinite(b) ? +(c / b).toFixed(3) : null);
  console.log(JSON.stringify({
    part: "1x: load → quarantine with lines → id normalisation → duplicate removal → RFM (Online Retail), best of alternating rounds, seconds",
    rounds, best, range, runs, check, all_tools_agree: same,
    ratios: {
      "custlab-duckdb / duckdb-sql": ratio(best["duckdb-sql"]),
      "custlab-duckdb / polars (faster of the two)": ratio(pol),
      "custlab-duckdb / pandas": ratio(best.pandas),
      "custlab-duckdb / custlab-memory": ratio(best["custlab-memory"]),
    },
    cpu_seconds_best: bestCpu,
    cpu_ratios: {
      "custlab-duckdb / duckdb-sql": cpuRatio(bestCpu["duckdb-sql"]),
      "custlab-duckdb / polars (faster of the two)": cpuRatio(Math.min(bestCpu["polars-read-then-lazy"] ?? Infinity, bestCpu["polars-lazy-scan"] ?? Infinity)),
      "custlab-duckdb / pandas": cpuRatio(bestCpu.pandas),
    },
    goals: { "≤ 1.2× duckdb-sql": ratio(best["duckdb-sql"])! <= 1.2, "faster than polars": c < pol, "faster than pandas": c < (best.pandas ?? 0) },
    load_average: { before: load0, after: fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ") },
  }, null, 1));
}

if (require.main === module) {
  const file = arg("file", RETAIL)!;
  if (!fs.existsSync(file)) console.log(`engine-1x: ${file} not found`);
  else ratios(file).then(() => process.exit(0));
}
