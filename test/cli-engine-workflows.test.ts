// --engine on churn, clv and report (issue 19): the memory engine is the oracle. On duckdb the
// customer tables are bit-identical, so the trained models and every reported figure must be the
// same; only the engine's name and the timings differ.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { run as churn } from "../src/cli/commands/churn";
import { run as clv } from "../src/cli/commands/clv";
import { run as features } from "../src/cli/commands/features";
import { runJSON, runCLI } from "./helpers/cli";
import { clickhouseUnavailable } from "./helpers/clickhouse";
import { MemoryEngine, DuckDBEngine } from "../src/engine";

const RETAIL = path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");
const CDNOW = path.resolve(__dirname, "../../shared/datasets/cdnow/CDNOW_master.txt");
const have = fs.existsSync(RETAIL) && fs.existsSync(CDNOW);
if (!have) console.warn(`cli-engine-workflows: ${RETAIL} not found — skipping`);

/** The JSON without what legitimately differs between engines (engine name, wall time). */
function sameFigures(o: Record<string, unknown>): Record<string, unknown> {
  const { engine: _e, seconds: _s, ...rest } = o;
  return rest;
}

describe.skipIf(!have)("--engine on churn (Online Retail, cutoff 2011-09-09, horizon 90)", () => {
  it("gbdt: the same customers, training rows, AUC, PR-AUC and lift on duckdb as on memory", async () => {
    const args = [RETAIL, "--format", "online-retail", "--cutoff", "2011-09-09", "--horizon", "90", "--model", "gbdt", "--json"];
    const m = await runJSON(churn, args);
    const d = await runJSON(churn, [...args, "--engine", "duckdb"]);
    expect(m.engine).toBe("memory");
    expect(d.engine).toMatch(/^duckdb/);
    expect(m.customers).toBe(3362);
    expect(m.auc).toBeGreaterThan(0.7);
    expect(sameFigures(d)).toEqual(sameFigures(m));
  }, 300_000);

  it("refuses, in one line, what needs order rows on a SQL engine", async () => {
    const base = [RETAIL, "--format", "online-retail", "--cutoff", "2011-09-09", "--engine", "duckdb", "--json"];
    for (const [extra, msg] of [
      [["--replay", "2011-06-01"], /--replay .* --engine memory/],
      [["--feature-set", "extended"], /extended feature set reads order rows/],
      [["--model", "lstm"], /lstm reads monthly sequences/],
    ] as [string[], RegExp][]) {
      const r = await runCLI(churn, [...base, ...extra]);
      expect(r.code).toBe(1);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toMatch(msg);
    }
  }, 60_000);
});

describe.skipIf(!have)("--engine on clv", () => {
  it("Online Retail, BG/NBD + Gamma-Gamma with a calibration/holdout split: the same fits, holdout and CLV on duckdb as on memory", async () => {
    const args = [RETAIL, "--format", "online-retail", "--model", "bgnbd", "--calibration-end", "2011-06-30", "--json"];
    const m = await runJSON(clv, args);
    const d = await runJSON(clv, [...args, "--engine", "duckdb"]);
    expect(m.engine).toBe("memory");
    expect(d.engine).toMatch(/^duckdb/);
    expect(m.customers).toBeGreaterThan(2500);
    expect(m.holdout.actual).toBeGreaterThan(0);
    expect(sameFigures(d)).toEqual(sameFigures(m));
  }, 300_000);

  it("CDNOW (read by custlab's loader, bulk-loaded into duckdb): the published 23,570 customers and the same BG/NBD fit", async () => {
    const args = [CDNOW, "--format", "cdnow", "--observation-end", "1997-09-30", "--json"];
    const m = await runJSON(clv, args);
    const d = await runJSON(clv, [...args, "--engine", "duckdb"]);
    expect(m.customers).toBe(23570);
    expect(sameFigures(d)).toEqual(sameFigures(m));
  }, 300_000);

  it("purchaseDays: the SQL stage gives the memory engine's per-day values bit for bit, and a day-merge only", async () => {
    const mem = new MemoryEngine(), duck = await DuckDBEngine.open({ memoryLimit: "1GB" });
    try {
      await mem.loadFile(RETAIL, { format: "online-retail" });
      await duck.loadFile(RETAIL, { format: "online-retail" });
      for (const until of [Date.parse("2011-03-31T23:59:59.999Z"), Infinity]) {
        const a = await mem.purchaseDays(until), b = await duck.purchaseDays(until);
        expect(b.numRows).toBe(a.numRows);
        expect(b.str("customer_id")).toEqual(a.str("customer_id"));
        expect(Array.from(b.num("day"))).toEqual(Array.from(a.num("day")));
        expect(Array.from(b.num("value"))).toEqual(Array.from(a.num("value")));
      }
      const { clvSummaryFromEngine } = await import("../src/clv");
      await expect(clvSummaryFromEngine(duck, { merge: "unit" })).rejects.toThrow(/merged per day/);
    } finally { await mem.close(); await duck.close(); }
  }, 300_000);
});

const chReason = have ? clickhouseUnavailable() : "no data";
describe.skipIf(!have || chReason !== "")(`--engine clickhouse on churn, clv and features --table${chReason ? ` — skipped: ${chReason}` : ""}`, () => {
  const url = () => process.env.CUSTLAB_CLICKHOUSE!;
  // ClickHouse adds each group's values in custlab's order (sorted with their keys, then arraySum),
  // so its customer tables, and everything trained on them, are the memory engine's exactly.
  it("churn (logreg): the memory engine's JSON figure for figure through two shards", async () => {
    const args = [RETAIL, "--format", "online-retail", "--cutoff", "2011-09-09", "--model", "logreg", "--json"];
    const m = await runJSON(churn, args);
    const c = await runJSON(churn, [...args, "--engine", url()]);
    expect(c.engine).toMatch(/Distributed over cluster custlab, 2 shards/);
    expect(m.auc).toBeGreaterThan(0.7);
    expect(sameFigures(c)).toEqual(sameFigures(m));
  }, 600_000);

  it("clv: the memory engine's summary, fits and CLV figure for figure", async () => {
    const args = [RETAIL, "--format", "online-retail", "--model", "bgnbd", "--json"];
    const m = await runJSON(clv, args);
    const c = await runJSON(clv, [...args, "--engine", url()]);
    expect(c.engine).toMatch(/^clickhouse/);
    expect(sameFigures(c)).toEqual(sameFigures(m));
  }, 600_000);

  it("features --table reads a table already on the cluster and gives the file's feature table", async () => {
    const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "custlab-ch-table-"));
    try {
      const a = path.join(dir, "file.csv"), b = path.join(dir, "table.csv"), m = path.join(dir, "memory.csv");
      await runJSON(features, [RETAIL, "--format", "online-retail", "--cutoff", "2011-09-09", "--out", m, "--json"]);
      await runJSON(features, [RETAIL, "--format", "online-retail", "--cutoff", "2011-09-09", "--engine", url(), "--out", a, "--json"]);
      const t = await runJSON(features, ["--table", "custlab_orders", "--cutoff", "2011-09-09", "--engine", url(), "--out", b, "--json"]);
      expect(t.source).toBe("table:custlab_orders");
      expect(fs.readFileSync(a, "utf8")).toBe(fs.readFileSync(m, "utf8"));
      expect(fs.readFileSync(b, "utf8")).toBe(fs.readFileSync(m, "utf8"));
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  }, 600_000);
});
