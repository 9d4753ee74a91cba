// custlab score: a model registered by `custlab churn --registry` scores every
// eligible customer; probabilities recomputed independently from the stored
// model + preprocessing (+ calibrator), bands by probability / capacity / cost,
// raw vs salted ids, the schema error, --as-of.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run as churn } from "../src/cli/commands/churn";
import { run as score } from "../src/cli/commands/score";
import { runJSON } from "./helpers/cli";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import { customerFeatures } from "../src/features";
import { ModelRegistry } from "../src/registry";
import { Preprocessor } from "../src/features";
import { calibratorFromJSON, thresholdByExpectedCost, positiveProba } from "../src";
import { churnTransactions, loadChurnModel } from "../src/churn";
import type { Table } from "../src/table";

const demo = path.resolve(__dirname, "../datasets/demo/transactions.csv");
const have = fs.existsSync(demo);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-score-"));
const reg = path.join(dir, "R");

function readCSV(file: string): Record<string, string>[] {
  const lines = fs.readFileSync(file, "utf8").trim().split("\n");
  const head = lines[0].split(",");
  return lines.slice(1).map((l) => {
    // reasons contain no commas except inside quotes: split respecting quotes
    const cells: string[] = []; let cur = "", q = false;
    for (const ch of l) { if (ch === '"') q = !q; else if (ch === "," && !q) { cells.push(cur); cur = ""; } else cur += ch; }
    cells.push(cur);
    return Object.fromEntries(head.map((h, i) => [h, cells[i]]));
  });
}

describe.skipIf(!have)("custlab score on the demo shop", () => {
  let tx: Table;
  let trained: any;
  beforeAll(async () => {
    trained = await runJSON(churn, [demo, "--format", "custlab", "--cutoff", "2025-01-01", "--model", "tree", "--calibration", "platt", "--registry", reg, "--json"]);
    const { table } = await loadTransactions(demo, { format: "custlab" });
    tx = churnTransactions(cleanTransactions(table).table);
  }, 240_000);

  it("one row per eligible customer, raw ids, probabilities = stored model + preprocessing + calibrator recomputed", async () => {
    expect(trained.registry_version).toBe(1);
    expect(trained.calibration.method).toBe("platt");
    const out = path.join(dir, "alerts.csv");
    const j = await runJSON(score, [demo, "--format", "custlab", "--model", `${reg}@champion`, "--out", out, "--json"]);
    const rows = readCSV(out);
    const asOf = Date.parse(j.as_of + "T00:00:00Z");
    const f = customerFeatures(tx, { cutoff: asOf });
    expect(j.rows).toBe(f.numRows);
    expect(rows.length).toBe(f.numRows);
    expect(new Set(rows.map((r) => r.customer_id))).toEqual(new Set(f.str("customer_id")));
    expect(j.columns).toEqual(["customer_id", "churn_probability", "band", "percentile", "horizon_days", "reason_1", "reason_2", "reason_3", "predicted_clv_365d", "value_at_risk", "predicted_next_order", "manual_review"]);
    expect(j.eligibility).toMatch(/at least one purchase before/);
    expect(j.band_rule).toBe("by probability: high ≥ 0.6, medium ≥ 0.3, else low");
    expect(j.model).toMatchObject({ name: "churn-90d", version: 1, type: "DecisionTreeClassifier" });
    // independent recomputation from the artifact
    const r = new ModelRegistry(reg).load("churn-90d");
    const raw = positiveProba(r.model, (r.preprocessing as Preprocessor).transform(f));
    const cal = calibratorFromJSON((r.artifact as any).extra.churn.calibration.calibrator);
    const p = cal.predict(raw);
    const byId = new Map(f.str("customer_id").map((c, i) => [c, p[i]]));
    for (const row of rows) {
      const v = Number(row.churn_probability);
      expect(v).toBe(byId.get(row.customer_id));
      expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThanOrEqual(1);
      expect(row.band).toBe(v >= 0.6 ? "high" : v >= 0.3 ? "medium" : "low");
      expect(row.horizon_days).toBe("90");
      const clv = Number(row.predicted_clv_365d);
      if (Number.isFinite(clv)) expect(Number(row.value_at_risk)).toBeCloseTo(v * clv, 6);
      if (row.predicted_next_order) expect(Date.parse(row.predicted_next_order)).toBeGreaterThanOrEqual(asOf - 86_400_000);
    }
    // probabilities sorted descending, percentile = share scoring at or below
    const ps = rows.map((r) => Number(r.churn_probability));
    for (let i = 1; i < ps.length; i++) expect(ps[i]).toBeLessThanOrEqual(ps[i - 1]);
    const top = rows[0];
    expect(Number(top.percentile)).toBe(100);
    expect(top.reason_1.length).toBeGreaterThan(5);
    expect(j.probability_range[0]).toBe(Math.min(...ps));
  }, 240_000);

  it("bands by capacity (top N high) and by cost (expected-cost threshold); --pseudonymise writes salted ids only", async () => {
    const out = path.join(dir, "cap.csv");
    const j = await runJSON(score, [demo, "--format", "custlab", "--model", reg, "--out", out, "--capacity", "250", "--pseudonymise", "--salt", "s3cret", "--json"]);
    const rows = readCSV(out);
    expect(j.bands.high).toBe(rows.filter((r) => r.band === "high").length);
    expect(j.bands.high).toBeGreaterThanOrEqual(250);
    const p = rows.map((r) => Number(r.churn_probability));
    expect(j.bands.high).toBe(p.filter((v) => v >= p[249]).length); // ties at the boundary stay in
    for (const r of rows) expect(r.customer_id).toMatch(/^c_[0-9a-f]{16}$/);
    expect(fs.readFileSync(out, "utf8")).not.toMatch(/cust\d{5}|s3cret/);
    const j2 = await runJSON(score, [demo, "--format", "custlab", "--model", `${reg}@1`, "--out", path.join(dir, "cost.csv"), "--cost", "fp=5,fn=45", "--json"]);
    expect(j2.thresholds.high).toBeCloseTo(thresholdByExpectedCost({ fp: 5, fn: 45 }), 12);
    expect(j2.thresholds.high).toBeCloseTo(0.1, 12);
  }, 240_000);

  it("--as-of scores from the rows before that date only", async () => {
    const out = path.join(dir, "asof.csv");
    const j = await runJSON(score, [demo, "--format", "custlab", "--model", reg, "--out", out, "--as-of", "2024-07-01", "--json"]);
    expect(j.as_of).toBe("2024-07-01");
    expect(j.rows).toBe(customerFeatures(tx, { cutoff: Date.parse("2024-07-01T00:00:00Z") }).numRows);
  }, 240_000);

  it("features that do not match the model's schema are one clear error naming the columns", () => {
    const lm = loadChurnModel(`${reg}@champion`);
    const cut = Date.parse("2024-10-01T00:00:00Z");
    const f = lm.features(tx, cut);
    let err: any;
    try { lm.scoreFeatures(f.drop(["spend_90d", "country"]), tx, cut); } catch (e) { err = e; }
    expect(err?.code).toBe("E_SCHEMA");
    expect(err.message).toMatch(/lacks: spend_90d, country|lacks: country, spend_90d/);
    expect(err.message).not.toContain("\n");
    expect(() => loadChurnModel(path.join(dir, "nothing-here"))).toThrow(/holds no model/);
  });
});
