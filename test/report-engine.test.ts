// The report's engine option (issue 19): `custlab report --engine duckdb` runs the relational
// stages (loading, quality counts, customer features and labels at every churn cutoff, RFM,
// baskets, CLV purchase days) on DuckDB and must give the memory engine's report: the same
// counts, churn and class metrics, segments, rules and CLV fits, and byte-identical
// customers.csv, rules.csv and actions.csv (same salt; the next-best actions read the sales lines
// back from the engine). Slow tier (two whole reports): CUSTLAB_FAST=1 skips it.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runReport } from "../src/pipeline";
import type { ReportSummary } from "../src/pipeline";

const root = path.resolve(__dirname, "..");
const TX = path.join(root, "datasets/demo/transactions.csv");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-report-engine-"));
const runs: Record<string, { summary: ReportSummary; out: string }> = {};

/** Every number of `a` equal to `b`'s within 1e-9 relative, every other value identical; keys skipped by path. */
function sameNumbers(a: unknown, b: unknown, at: string, diffs: string[]): void {
  if (typeof a === "number" && typeof b === "number") {
    if (!(a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)))) diffs.push(`${at}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) diffs.push(`${at}: length ${a.length} vs ${b.length}`);
    else a.forEach((v, i) => sameNumbers(v, b[i], `${at}[${i}]`, diffs));
  } else if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) diffs.push(`${at}: keys ${ka.join(",")} vs ${kb.join(",")}`);
    for (const k of ka) if (k in (b as object)) sameNumbers((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`, diffs);
  } else if (a !== b) diffs.push(`${at}: ${String(a)} vs ${String(b)}`);
}

describe.skipIf(!!process.env.CUSTLAB_FAST)("custlab report --engine duckdb gives the memory engine's report (demo shop; CUSTLAB_FAST=1 skips it)", () => {
  beforeAll(async () => {
    const actions = path.join(tmp, "actions.json");
    fs.writeFileSync(actions, JSON.stringify([
      { id: "none", kind: "none", cost: 0, uplift: 0 }, { id: "discount", cost: 5, uplift: 0.3 },
      { id: "free_shipping", cost: 2, uplift: 0.15 }, { id: "bundle", kind: "bundle", cost: 3, uplift: 0.2, eligibility: { minValue: 100 } },
    ]));
    for (const engine of ["memory", "duckdb"]) {
      const out = path.join(tmp, engine);
      runs[engine] = { summary: await runReport({ transactions: TX, format: "custlab", out, seed: 42, salt: "report-engine-test", engine, actions }), out };
    }
  }, 600_000);

  it("names the engine in summary.json and in the page", () => {
    expect(runs.memory.summary.engine).toBe("memory");
    expect(runs.duckdb.summary.engine).toBe("duckdb (memory_limit 2GB)");
    expect(fs.readFileSync(path.join(runs.duckdb.out, "index.html"), "utf8")).toContain("ran on the duckdb (memory_limit 2GB) engine");
  });

  it("the same counts, churn and class metrics, segments, rules and CLV fits (numbers within 1e-9 relative)", () => {
    const m = runs.memory.summary as Record<string, any>, d = runs.duckdb.summary as Record<string, any>;
    // The accepted rows and every count after loading are the same.
    expect(d.data.accepted).toBe(m.data.accepted);
    // One quarantine definition (blank lines, invalid UTF-8, ragged rows counted alike): the demo's 27 planted rows.
    for (const k of ["rows_in", "quarantined", "reasons"]) expect(d.data[k], k).toEqual(m.data[k]);
    expect(m.data.quarantined).toBe(27);
    for (const k of ["customers", "orders", "cancellations", "duplicates", "missing_customer_rows", "window"]) expect(d.data[k], k).toEqual(m.data[k]);
    expect(m.data.customers).toBeGreaterThan(2000);
    for (const k of ["churn", "classes", "segments", "clv"]) {
      const diffs: string[] = [];
      sameNumbers(m[k], d[k], k, diffs);
      expect(diffs, k).toEqual([]);
    }
    expect(m.churn.auc).toBeGreaterThan(0.65);
    const { seconds: _ms, ...mr } = m.rules, { seconds: _ds, ...dr } = d.rules;
    expect(dr).toEqual(mr);
    expect(m.rules.rules).toBeGreaterThan(0);
  });

  it("--actions on duckdb: the memory engine's next-best actions (byte-identical actions.csv, the same section figures)", () => {
    const a = fs.readFileSync(path.join(runs.memory.out, "actions.csv"), "utf8"), b = fs.readFileSync(path.join(runs.duckdb.out, "actions.csv"), "utf8");
    expect(a.split("\n").length).toBeGreaterThan(100);
    expect(b === a).toBe(true);
    const m = (runs.memory.summary as Record<string, any>).decisions.actions, d = (runs.duckdb.summary as Record<string, any>).decisions.actions;
    expect(Object.keys(m.by_action).length).toBeGreaterThan(1);
    const diffs: string[] = [];
    sameNumbers(m, d, "actions", diffs);
    expect(diffs).toEqual([]);
  });

  it("byte-identical customers.csv (segment, RFM segment, churn probability, band, reasons, CLV per customer) and rules.csv", () => {
    for (const f of ["customers.csv", "rules.csv"]) {
      const a = fs.readFileSync(path.join(runs.memory.out, f), "utf8"), b = fs.readFileSync(path.join(runs.duckdb.out, f), "utf8");
      expect(a.split("\n").length, f).toBeGreaterThan(f === "rules.csv" ? 5 : 1000);
      expect(b === a, f).toBe(true);
    }
  });
});
