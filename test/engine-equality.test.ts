// Engine equality (issue 19): the memory engine is the oracle; DuckDB must give
// bit-identical customer tables (its sums run in custlab's order), ClickHouse
// (two shards behind a Distributed table, started by scripts/clickhouse.sh from
// .ci/run) the same counts and sums within 1e-9 relative. Online Retail at
// cutoff 2011-09-09; Groceries for the rule counts.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { clickhouseUnavailable } from "./helpers/clickhouse";
import { MemoryEngine, DuckDBEngine, ClickHouseEngine, parseClickHouseUrl } from "../src/engine";
import type { OrdersEngine } from "../src/engine";
import type { LoadReport } from "../src/io/reader";
import { Table } from "../src/table";
import { rfmScores } from "../src/segment/rfm-score";
import { frequentItemsets } from "../src/rules/itemsets";
import { generateRules, numRules } from "../src/rules/rules";
import { LogisticRegression } from "../src/models/logistic";
import { Preprocessor, customerFeatureNames } from "../src/features";
import { rocAucScore } from "../src/eval/metrics";

const DATA = path.resolve(__dirname, "../../shared/datasets");
const RETAIL = path.join(DATA, "online-retail/online_retail.csv");
const GROCERIES = path.join(DATA, "groceries/groceries.csv");
const haveData = fs.existsSync(RETAIL) && fs.existsSync(GROCERIES);
if (!haveData) console.warn(`engine-equality: ${RETAIL} or ${GROCERIES} not found — skipping`);
const CUTOFF = Date.parse("2011-09-09T00:00:00Z");
const TRAIN_CUTOFF = Date.parse("2011-06-11T00:00:00Z");

const chReason = haveData ? clickhouseUnavailable() : "no data";
if (haveData && chReason) console.warn(`engine-equality: ClickHouse tests skipped: ${chReason}`);

interface Run { engine: OrdersEngine; report: LoadReport; quality: Awaited<ReturnType<OrdersEngine["quality"]>>; rfm: Table; features: Table; labels: Table; trainF: Table; trainY: Table; items: Awaited<ReturnType<OrdersEngine["basketCounts"]>>; rfmBefore: Table; names: Table; totals: Table }

async function runAll(engine: OrdersEngine): Promise<Run> {
  const report = await engine.loadFile(RETAIL, { format: "online-retail" });
  const quality = await engine.quality();
  const rfm = await engine.rfm();
  const features = await engine.features({ cutoff: CUTOFF });
  const labels = await engine.labels(features, { cutoff: CUTOFF, horizonDays: 90 });
  const trainF = await engine.features({ cutoff: TRAIN_CUTOFF });
  const trainY = await engine.labels(trainF, { cutoff: TRAIN_CUTOFF, horizonDays: 90 });
  const items = await engine.basketCounts();
  const rfmBefore = await engine.rfm({ asOf: CUTOFF, before: CUTOFF });
  const names = await engine.productNames();
  const totals = await engine.purchaseTotals();
  return { engine, report, quality, rfm, features, labels, trainF, trainY, items, rfmBefore, names, totals };
}

/** Largest relative difference over the numeric cells of two tables with the same columns; text must match exactly. */
function compareTables(a: Table, b: Table): { maxRel: number; notIdentical: number; textMismatch: number } {
  expect(b.columnNames()).toEqual(a.columnNames());
  expect(b.numRows).toBe(a.numRows);
  let maxRel = 0, notIdentical = 0, textMismatch = 0;
  for (const c of a.columnNames()) {
    const x = a.get(c), y = b.get(c);
    for (let i = 0; i < a.numRows; i++) {
      if (typeof x[i] === "string") { if (x[i] !== y[i]) textMismatch++; continue; }
      const u = x[i] as number, v = y[i] as number;
      if (Number.isNaN(u) && Number.isNaN(v)) continue;
      if (!Object.is(u, v)) notIdentical++;
      const rel = u === v ? 0 : Math.abs(u - v) / Math.max(Math.abs(u), Math.abs(v));
      if (!(rel <= maxRel)) maxRel = rel;
    }
  }
  return { maxRel, notIdentical, textMismatch };
}

/** Churn AUC of a logistic regression trained at the earlier cutoff, scored at the later one. */
function churnAuc(r: Run): number {
  const cols = customerFeatureNames();
  const pre = new Preprocessor();
  const Xtr = pre.fitTransform(r.trainF.select(cols));
  const m = new LogisticRegression({ C: 1 }).fit(Xtr, Int32Array.from(r.trainY.num("churn")));
  return rocAucScore(r.labels.num("churn"), m.predictProba(pre.transform(r.features.select(cols))));
}

function rulesCount(b: Awaited<ReturnType<OrdersEngine["basketItems"]>>, s: number, c: number, minLen: number): number {
  return numRules(generateRules(frequentItemsets(b, { minSupport: s, maxLen: 10 }), { minConfidence: c, mode: "arules", minLen }));
}

describe.skipIf(!haveData)("engines: duckdb against the memory engine (Online Retail, cutoff 2011-09-09)", () => {
  let mem: Run, duck: Run;
  beforeAll(async () => {
    mem = await runAll(new MemoryEngine());
    duck = await runAll(await DuckDBEngine.open({ memoryLimit: "1GB" }));
  }, 300_000);
  afterAll(async () => { await mem?.engine.close(); await duck?.engine.close(); });

  it("counts rows in, accepted and quarantined rows with the same reasons, columns and lines", () => {
    expect(mem.report.rows_in).toBe(541909);
    for (const k of ["rows_in", "accepted", "quarantined"] as const) expect(duck.report[k]).toBe(mem.report[k]);
    expect(duck.report.reasons).toEqual(mem.report.reasons);
    expect(duck.report.quarantine.map((q) => [q.line, q.column, q.reason])).toEqual(mem.report.quarantine.map((q) => [q.line, q.column, q.reason]));
    expect(mem.report.quarantine.map((q) => q.line)).toEqual([299985, 299986]);
  });

  it("gives the same quality aggregates (customers, orders, duplicates, cancellations …)", () => {
    expect(duck.quality).toEqual(mem.quality);
    expect(mem.quality.customers).toBe(4372);
    expect(mem.quality.cancellation).toBe(9288);
    expect(mem.quality.duplicate_row).toBe(5268);
  });

  it("gives bit-identical features and labels tables, and RFM within 1e-12 (a plain sum)", () => {
    expect(mem.rfm.numRows).toBe(4338);
    const r = compareTables(mem.rfm, duck.rfm);
    expect(r.textMismatch).toBe(0);
    expect(r.maxRel).toBeLessThan(1e-12);
    for (const c of ["recency_days", "frequency", "first_ts", "last_ts"]) expect(Array.from(duck.rfm.num(c))).toEqual(Array.from(mem.rfm.num(c)));
    // duckdb adds each customer's lines in line order (one thread over the load table): bit-identical
    expect(compareTables(mem.rfm, duck.rfm)).toEqual({ maxRel: 0, notIdentical: 0, textMismatch: 0 });
    expect(compareTables(mem.rfmBefore, duck.rfmBefore)).toEqual({ maxRel: 0, notIdentical: 0, textMismatch: 0 });
    for (const [a, b] of [[mem.features, duck.features], [mem.labels, duck.labels], [mem.trainF, duck.trainF]]) {
      const d = compareTables(a, b);
      expect(d).toEqual({ maxRel: 0, notIdentical: 0, textMismatch: 0 });
    }
  });

  it("gives identical RFM segments, basket counts and churn AUC", () => {
    expect(duck.items.baskets).toBe(mem.items.baskets);
    expect(compareTables(mem.items.items, duck.items.items).notIdentical).toBe(0);
    expect(rfmScores(duck.rfm).str("rfm_segment")).toEqual(rfmScores(mem.rfm).str("rfm_segment"));
    const aucMem = churnAuc(mem), aucDuck = churnAuc(duck);
    expect(aucMem).toBeGreaterThan(0.7);
    expect(aucDuck).toBe(aucMem);
  });

  it("gives the report's RFM at a past date, product names and persona revenue totals (as the memory engine)", () => {
    expect(mem.rfmBefore.numRows).toBe(mem.features.numRows); // customers with a purchase before the cutoff
    const r = compareTables(mem.rfmBefore, duck.rfmBefore);
    expect(r.textMismatch).toBe(0);
    expect(r.maxRel).toBeLessThan(1e-12);
    expect(Array.from(mem.rfmBefore.num("frequency"))).toEqual(Array.from(mem.features.num("frequency")));
    expect(mem.names.numRows).toBeGreaterThan(3600);
    expect(compareTables(mem.names, duck.names)).toEqual({ maxRel: 0, notIdentical: 0, textMismatch: 0 });
    expect(mem.totals.numRows).toBeGreaterThanOrEqual(4338);
    const t = compareTables(mem.totals, duck.totals);
    expect(t.textMismatch).toBe(0);
    expect(t.maxRel).toBeLessThan(1e-12);
  });

  it("gives the same association-rule counts on Groceries (arules figures 463 / 410 / 5,668)", async () => {
    const m = new MemoryEngine(), d = await DuckDBEngine.open({ memoryLimit: "1GB" });
    try {
      await m.loadFile(GROCERIES, { format: "groceries" });
      await d.loadFile(GROCERIES, { format: "groceries" });
      for (const [s, c, minLen, want] of [[0.006, 0.25, 2, 463], [0.001, 0.8, 1, 410], [0.001, 0.5, 1, 5668]]) {
        const [bm, bd] = [await m.basketItems(s), await d.basketItems(s)];
        expect(bd.offsets.length - 1).toBe(9835);
        // The engine's baskets (per-order lists of frequent-item codes) are the memory engine's, item codes included.
        expect(Array.from(bd.offsets)).toEqual(Array.from(bm.offsets));
        expect(Array.from(bd.items)).toEqual(Array.from(bm.items));
        expect(bd.itemNames).toEqual(bm.itemNames);
        expect(bd.basketIds).toEqual(bm.basketIds);
        const nm = rulesCount(bm, s, c, minLen), nd = rulesCount(bd, s, c, minLen);
        expect(nm).toBe(want);
        expect(nd).toBe(nm);
      }
    } finally { await m.close(); await d.close(); }
  }, 120_000);
});

describe.skipIf(!haveData || chReason !== "")(`engines: clickhouse (two shards, Distributed table) against the memory engine${chReason ? ` — skipped: ${chReason}` : ""}`, () => {
  let mem: Run, ch: Run;
  beforeAll(async () => {
    mem = await runAll(new MemoryEngine());
    const eng = await ClickHouseEngine.open(parseClickHouseUrl(process.env.CUSTLAB_CLICKHOUSE!));
    eng.tableName = `test_orders_${process.pid}`;
    eng.dropOnClose = true;
    ch = await runAll(eng);
  }, 600_000);
  afterAll(async () => { await mem?.engine.close(); await ch?.engine.close(); });

  it("loads Online Retail through the Distributed table with the same quarantine", () => {
    expect(ch.engine.describe()).toMatch(/Distributed over cluster custlab, 2 shards/);
    for (const k of ["rows_in", "accepted", "quarantined"] as const) expect(ch.report[k]).toBe(mem.report[k]);
    expect(ch.report.quarantine.map((q) => [q.line, q.column, q.reason])).toEqual(mem.report.quarantine.map((q) => [q.line, q.column, q.reason]));
  });

  it("spreads the rows over both shards", async () => {
    const e = ch.engine as ClickHouseEngine;
    const r = await e.query(`SELECT count() AS n FROM ${e.tableName}_local`);
    const local = Number(r.n[0]);
    expect(local).toBeGreaterThan(0);
    expect(local).toBeLessThan(ch.quality.rows);
  });

  it("gives identical counts and sums within 1e-9 relative", () => {
    expect(ch.quality).toEqual(mem.quality);
    for (const [a, b] of [[mem.rfm, ch.rfm], [mem.features, ch.features], [mem.labels, ch.labels], [mem.trainF, ch.trainF]]) {
      const d = compareTables(a, b);
      expect(d.textMismatch).toBe(0);
      expect(d.maxRel).toBeLessThan(1e-9);
    }
    expect(ch.items.baskets).toBe(mem.items.baskets);
    expect(compareTables(mem.items.items, ch.items.items).notIdentical).toBe(0);
    for (const [a, b] of [[mem.rfmBefore, ch.rfmBefore], [mem.totals, ch.totals]]) {
      const d = compareTables(a, b);
      expect(d.textMismatch).toBe(0);
      expect(d.maxRel).toBeLessThan(1e-9);
    }
    expect(compareTables(mem.names, ch.names)).toEqual({ maxRel: 0, notIdentical: 0, textMismatch: 0 });
  });

  it("gives the same baskets and rule counts through the Distributed table (frequent items as a literal list, baskets as code lists)", async () => {
    const [bm, bc] = [await mem.engine.basketItems(0.01), await ch.engine.basketItems(0.01)];
    expect(bc.offsets.length - 1).toBe(bm.offsets.length - 1);
    expect(bc.items.length).toBe(bm.items.length);
    const n = rulesCount(bm, 0.01, 0.3, 2);
    expect(n).toBeGreaterThan(20);
    expect(rulesCount(bc, 0.01, 0.3, 2)).toBe(n);
  });

  it("gives identical RFM segments and the same churn AUC", () => {
    expect(rfmScores(ch.rfm).str("rfm_segment")).toEqual(rfmScores(mem.rfm).str("rfm_segment"));
    expect(Math.abs(churnAuc(ch) - churnAuc(mem))).toBeLessThan(1e-9);
  });
});
