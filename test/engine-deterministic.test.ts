// Deterministic sums on the duckdb engine at any size (issue 19): above exactRowsLimit the engine
// computes from the materialised order grain; its sums must not depend on DuckDB's threads or on the
// order its hash aggregates emit rows. exactRowsLimit 0 forces that path on small files, with 2
// threads. Oracle: the memory engine. Orders whose lines are 0.1, 0.2, 0.3 in some order make the
// order of addition visible ((0.1 + 0.2) + 0.3 = 0.6000000000000001, 0.1 + (0.2 + 0.3) = 0.6):
// the features (spend, AOV, spend windows, trend) must be bit-identical to the memory engine's,
// which adds each order's lines in source-line order and the orders by time; labels, RFM and the
// RFM (sums of per-order sums) equal memory within 1e-12; the purchase days equal memory bitwise;
// everything is bit-identical across two loads.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MemoryEngine, DuckDBEngine, ClickHouseEngine, parseClickHouseUrl } from "../src/engine";
import { clickhouseUnavailable } from "./helpers/clickhouse";
import type { OrdersEngine } from "../src/engine";
import type { Table } from "../src/table";

const DEMO = path.resolve(__dirname, "../datasets/demo/transactions.csv");

/** Cells that differ (bitwise, NaN = NaN) and the worst relative difference. */
function compare(a: Table, b: Table, what: string, skip: string[] = []): { cells: number; worst: number } {
  expect(b.columnNames(), what).toEqual(a.columnNames());
  expect(b.numRows, what).toBe(a.numRows);
  let cells = 0, worst = 0;
  for (const c of a.columnNames()) {
    if (skip.includes(c)) continue;
    const x = a.get(c), y = b.get(c);
    for (let i = 0; i < a.numRows; i++) {
      if (Object.is(x[i], y[i]) || (Number.isNaN(x[i] as number) && Number.isNaN(y[i] as number))) continue;
      cells++;
      if (typeof x[i] === "string" || typeof y[i] === "string") { worst = Infinity; continue; }
      const u = x[i] as number, v = y[i] as number;
      const r = Math.abs(u - v) / Math.max(Math.abs(u), Math.abs(v));
      if (!(r <= worst)) worst = r;
    }
  }
  return { cells, worst };
}

interface Outputs { quality: unknown; features: Table[]; labels: Table[]; rfm: Table[]; days: Table }

/** `file` undefined: the engine's rows are already there (`useTable`). */
async function outputs(e: OrdersEngine, file: string | undefined, cutoffs: number[]): Promise<Outputs> {
  if (file !== undefined) await e.loadFile(file, { format: "custlab" });
  const o: Outputs = { quality: await e.quality(), features: [], labels: [], rfm: [], days: await e.purchaseDays(Infinity) };
  for (const cutoff of cutoffs) {
    const f = await e.features({ cutoff });
    o.features.push(f);
    o.labels.push(await e.labels(f, { cutoff, horizonDays: 60 }));
    o.rfm.push(await e.rfm({ asOf: cutoff, before: cutoff }));
  }
  o.rfm.push(await e.rfm());
  return o;
}

/** `classTies`: the label's class columns are left out of the comparison with the memory engine (see the planted file). */
async function check(file: string, cutoffs: number[], classTies = false): Promise<void> {
  const engines: OrdersEngine[] = [];
  try {
    const mem = new MemoryEngine();
    engines.push(mem);
    const m = await outputs(mem, file, cutoffs);
    const runs: Outputs[] = [];
    for (let k = 0; k < 2; k++) {
      const duck = await DuckDBEngine.open({ exactRowsLimit: 0, threads: 2 });
      engines.push(duck);
      runs.push(await outputs(duck, file, cutoffs));
      expect(duck.ordered).toBe(false);
    }
    const [a, b] = runs;
    expect(a.quality).toEqual(m.quality);
    expect(b.quality).toEqual(a.quality);
    cutoffs.forEach((_, j) => {
      // Features: bit-identical to the memory engine (and so across loads).
      expect(compare(m.features[j], a.features[j], `features ${j}`)).toEqual({ cells: 0, worst: 0 });
      expect(compare(a.features[j], b.features[j], `features ${j} again`)).toEqual({ cells: 0, worst: 0 });
      expect(compare(m.labels[j], a.labels[j], `labels ${j}`, classTies ? ["customer_class", "class_code"] : []).worst).toBeLessThan(1e-12);
      expect(compare(m.rfm[j], a.rfm[j], `rfm ${j}`).worst).toBeLessThan(1e-12);
      expect(compare(a.labels[j], b.labels[j], `labels ${j} again`)).toEqual({ cells: 0, worst: 0 });
    });
    const last = cutoffs.length;
    expect(compare(m.rfm[last], a.rfm[last], "rfm").worst).toBeLessThan(1e-12);
    for (let j = 0; j <= last; j++) expect(compare(a.rfm[j], b.rfm[j], `rfm ${j} again`)).toEqual({ cells: 0, worst: 0 });
    expect(compare(m.days, a.days, "purchase days")).toEqual({ cells: 0, worst: 0 });
    expect(compare(a.days, b.days, "purchase days again")).toEqual({ cells: 0, worst: 0 });
    // Below exactRowsLimit (the ordered path) RFM's monetary adds lines in source-line order too: bit-identical to memory.
    const small = await DuckDBEngine.open({ threads: 2 });
    engines.push(small);
    const s = await outputs(small, file, cutoffs);
    expect(small.ordered).toBe(true);
    for (let j = 0; j <= last; j++) expect(compare(m.rfm[j], s.rfm[j], `rfm ${j}, ordered path`)).toEqual({ cells: 0, worst: 0 });
  } finally {
    for (const e of engines) await e.close();
  }
}

/**
 * A planted file (written once per test file) whose orders' lines are 0.1, 0.2, 0.3 in every order:
 * its sums depend on the order of addition.
 */
let plantedPath = "";
function plantedFile(): string {
  if (plantedPath) return plantedPath;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-det-"));
  plantedPath = path.join(dir, "orders.csv");
  const rows = ["customer_id,order_id,timestamp,product_id,product_name,category,quantity,unit_price,country,channel"];
  const perms = [[0.1, 0.2, 0.3], [0.3, 0.2, 0.1], [0.2, 0.3, 0.1], [0.1, 0.3, 0.2], [0.3, 0.1, 0.2], [0.2, 0.1, 0.3]];
  let order = 0;
  for (let cu = 0; cu < 40; cu++) {
    for (let k = 0; k < 6; k++) {
      const ts = new Date(Date.UTC(2024, 0, 1 + ((cu * 7 + k * 23) % 150), 10)).toISOString();
      const id = `o${++order}`;
      perms[(cu + k) % 6].forEach((p, l) => rows.push(`c${cu},${id},${ts},P${(cu + l) % 9},N,Cat${l},1,${p},UK,web`));
      if (k === 2) rows.push(`c${cu},C${id},${ts},P1,N,Cat1,-1,0.1,UK,web`);
    }
  }
  fs.writeFileSync(plantedPath, rows.join("\n") + "\n");
  return plantedPath;
}

describe("duckdb's large-input path (exactRowsLimit 0, 2 threads) is deterministic", () => {
  let planted = "";
  beforeAll(() => { planted = plantedFile(); });

  it("on planted orders whose sums depend on the order of addition: features bit-identical to the memory engine", async () => {
    // Every future spend here is a multiple of 0.6 up to rounding, so the class thresholds tie exactly and a
    // 1-ulp difference from the memory engine's line-order sum can flip a class: classes are compared across loads only.
    await check(planted, ["2024-02-01", "2024-03-15", "2024-06-01"].map((d) => Date.parse(`${d}T00:00:00Z`)), true);
  }, 60_000);

  it("on the demo shop at cutoffs across its two years", async () => {
    await check(DEMO, ["2023-06-01", "2024-06-30"].map((d) => Date.parse(`${d}T00:00:00Z`)));
  }, 120_000);
});

describe("the duckdb engine's one-thread sections on forked connections", () => {
  it("overlapping sections keep DuckDB on one thread until the last one ends, then restore the engine's count", async () => {
    const eng = await DuckDBEngine.open({ threads: 2 });
    try {
      const fork = await eng.fork();
      const threads = async (e: DuckDBEngine) => Number((await e.query("SELECT current_setting('threads') AS t")).t[0]);
      const serial = <T>(e: DuckDBEngine, f: () => Promise<T>): Promise<T> => (e as unknown as { serial<U>(g: () => Promise<U>): Promise<U> }).serial(f);
      expect(await threads(eng)).toBe(2);
      let releaseA!: () => void;
      const aHeld = new Promise<void>((r) => { releaseA = r; });
      let inB = -1, afterA = -1;
      // A (on the engine) opens first and ends while B (on the fork) is still running.
      const a = serial(eng, async () => { await aHeld; });
      const b = serial(fork, async () => {
        inB = await threads(fork);
        releaseA();
        await a;
        afterA = await threads(fork); // A ended: B still runs, so still one thread
      });
      await b;
      expect(inB).toBe(1);
      expect(afterA).toBe(1);
      expect(await threads(eng)).toBe(2);
      fork.closeFork();
    } finally { await eng.close(); }
  });
});

const chReason = clickhouseUnavailable();
if (chReason) console.warn(`engine-deterministic: ClickHouse tests skipped: ${chReason}`);

/**
 * Numeric cells of `b` farther from `a` than 1e-12 of the larger of the two values and the
 * column's largest magnitude (a slope of 0 against the memory engine's −1.1e-16 is rounding, not a
 * difference); text cells must be equal.
 */
function offScale(a: Table, b: Table, skip: string[] = []): number {
  expect(b.columnNames()).toEqual(a.columnNames());
  expect(b.numRows).toBe(a.numRows);
  let bad = 0;
  for (const c of a.columnNames()) {
    if (skip.includes(c)) continue;
    const x = a.get(c), y = b.get(c);
    let scale = 0;
    for (let i = 0; i < a.numRows; i++) if (typeof x[i] === "number" && Number.isFinite(x[i])) scale = Math.max(scale, Math.abs(x[i] as number));
    for (let i = 0; i < a.numRows; i++) {
      if (Object.is(x[i], y[i]) || (Number.isNaN(x[i] as number) && Number.isNaN(y[i] as number))) continue;
      if (typeof x[i] !== "number" || typeof y[i] !== "number") { bad++; continue; }
      const u = x[i] as number, v = y[i] as number;
      if (!(Math.abs(u - v) <= 1e-12 * Math.max(Math.abs(u), Math.abs(v), scale))) bad++;
    }
  }
  return bad;
}

describe.skipIf(chReason !== "")(`clickhouse's large-input path (exactRowsLimit 0, two shards) is deterministic${chReason ? ` — skipped: ${chReason}` : ""}`, () => {
  // Its plain sums run in parallel on each shard and merge in arrival order; the order-free sums
  // (Dialect.stableSum) must give the same bits whatever the threads, the shards and the insert order.
  it("two loads, and the same rows inserted in reverse line order into one table (--table), give bit-identical tables within 1e-12 (of the column's scale) of the memory engine", async () => {
    const file = plantedFile();
    const cutoffs = ["2024-02-01", "2024-03-15", "2024-06-01"].map((d) => Date.parse(`${d}T00:00:00Z`));
    const url = parseClickHouseUrl(process.env.CUSTLAB_CLICKHOUSE!);
    const engines: OrdersEngine[] = [];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const client = require("@clickhouse/client").createClient({ url: url.url, database: url.database });
    const rev = `test_det_rev_${process.pid}`;
    try {
      const mem = new MemoryEngine();
      engines.push(mem);
      const m = await outputs(mem, file, cutoffs);
      const runs: Outputs[] = [];
      let first = "";
      for (let k = 0; k < 2; k++) {
        const ch = await ClickHouseEngine.open(url);
        engines.push(ch);
        ch.tableName = `test_det_${process.pid}_${k}`;
        ch.dropOnClose = true;
        ch.exactRowsLimit = 0;
        runs.push(await outputs(ch, file, cutoffs));
        expect(ch.ordered).toBe(false);
        if (k === 0) first = ch.tableName;
      }
      // The same rows in one MergeTree part, in reverse source-line order, read with --table.
      await client.command({ query: `DROP TABLE IF EXISTS ${rev}` });
      await client.command({ query: `CREATE TABLE ${rev} ENGINE = MergeTree() ORDER BY tuple() AS SELECT * FROM ${first} ORDER BY _line DESC` });
      const t = await ClickHouseEngine.open(url);
      engines.push(t);
      t.exactRowsLimit = 0;
      await t.useTable(rev);
      expect(t.ordered).toBe(false);
      const r = await outputs(t, undefined, cutoffs);
      const [a, b] = runs;
      expect(a.quality).toEqual(m.quality);
      expect(b.quality).toEqual(a.quality);
      expect(r.quality).toEqual(a.quality);
      for (const [key, skip] of [["features", []], ["labels", ["customer_class", "class_code"]], ["rfm", []]] as const) {
        a[key].forEach((ta, j) => {
          // Every future spend is a multiple of 0.6 up to rounding: class thresholds tie, so classes are compared across runs only.
          expect(offScale(m[key][j], ta, [...skip]), `${key} ${j}`).toBe(0);
          expect(compare(ta, b[key][j], `${key} ${j} again`)).toEqual({ cells: 0, worst: 0 });
          expect(compare(ta, r[key][j], `${key} ${j}, reversed table`)).toEqual({ cells: 0, worst: 0 });
        });
      }
      expect(offScale(m.days, a.days), "purchase days").toBe(0);
      expect(compare(a.days, b.days, "purchase days again")).toEqual({ cells: 0, worst: 0 });
      expect(compare(a.days, r.days, "purchase days, reversed table")).toEqual({ cells: 0, worst: 0 });
    } finally {
      await client.command({ query: `DROP TABLE IF EXISTS ${rev}` }).catch(() => undefined);
      await client.close();
      for (const e of engines) await e.close();
    }
  }, 120_000);
});
