/**
 * The value workflow (future spend at a cutoff): no look-ahead, reproducible, and the regressors
 * and the BG/NBD × Gamma-Gamma prediction scored on the same customers. On the demo shop.
 * (The scikit-learn comparison on Online Retail is bench/value-online-retail.ts; the regressors'
 * oracle tests are test/models-regression.test.ts.)
 */
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import { Table } from "../src/table";
import { valueAtCutoff, valueDataset, VALUE_MODELS, customerClassesAtCutoff, timeToNextOrderAtCutoff, valueCaptureFigure } from "../src/value";
import { classificationReport, normalizedGini } from "../src/eval";
import { nextOrderDurations } from "../src/survival";

const demo = path.resolve(__dirname, "../datasets/demo/transactions.csv");
const have = fs.existsSync(demo);
const DAY = 86_400_000;
const cutoff = Date.parse("2024-09-01T00:00:00Z"), H = 90; // the demo shop runs 2023-01-01 … 2024-12-31

describe.skipIf(!have)("value workflow on the demo shop", () => {
  let tx: Table;
  beforeAll(async () => {
    const { table } = await loadTransactions(demo, { format: "custlab" });
    const c = cleanTransactions(table, { outlierMethod: "none" }).table;
    const dup = c.num("is_duplicate");
    tx = c.filter((i) => !dup[i]);
  }, 120_000);

  it("the target is the spend in (cutoff, cutoff + H]; features ignore every row from the cutoff on", () => {
    const d = valueDataset(tx, cutoff, H);
    const ts = tx.num("timestamp");
    // planted leak: multiply every price on or after the cutoff by 1000 — features must not move, the target must
    const p = tx.num("unit_price");
    const leaked = tx.assign({ unit_price: Float64Array.from(p, (v, i) => (ts[i] >= cutoff ? v * 1000 : v)) });
    const d2 = valueDataset(leaked, cutoff, H);
    for (const c of d.features.columnNames()) expect(JSON.stringify(Array.from(d2.features.get(c) as ArrayLike<unknown>)), c).toBe(JSON.stringify(Array.from(d.features.get(c) as ArrayLike<unknown>)));
    let moved = 0;
    for (let i = 0; i < d.spend.length; i++) if (d.spend[i] > 0) { moved++; expect(d2.spend[i]).toBeCloseTo(1000 * d.spend[i], 6); }
    expect(moved).toBeGreaterThan(50);
    // rows after cutoff + H do not reach the target
    const late = tx.filter((i) => !(ts[i] > cutoff + H * DAY));
    const d3 = valueDataset(late, cutoff, H);
    expect(Array.from(d3.spend)).toEqual(Array.from(d.spend));
  });

  it("predictions use rows before the cutoff only (a planted change after it leaves every prediction unchanged)", () => {
    const opts = { cutoff, horizonDays: H, models: ["gbdt", "linear-log"] as const };
    const a = valueAtCutoff(tx, { ...opts, models: [...opts.models] });
    const ts = tx.num("timestamp"), q = tx.num("quantity");
    const leaked = tx.assign({ quantity: Float64Array.from(q, (v, i) => (ts[i] >= cutoff ? v * 7 : v)) });
    const b = valueAtCutoff(leaked, { ...opts, models: [...opts.models] });
    for (const m of ["gbdt", "linear-log", "bgnbd-gamma-gamma"]) expect(Array.from(b.predictions[m]), m).toEqual(Array.from(a.predictions[m]));
    // … while the truth moved
    expect(b.test.spend.reduce((s, v) => s + v, 0)).toBeGreaterThan(5 * a.test.spend.reduce((s, v) => s + v, 0));
  }, 120_000);

  it("every regressor and the CLV prediction beat a random ranking; same seed → same table", () => {
    const run = valueAtCutoff(tx, { cutoff, horizonDays: H });
    expect(run.results.map((r) => r.model)).toEqual([...VALUE_MODELS, "bgnbd-gamma-gamma"]);
    console.log(run.table.toMarkdown());
    for (const r of run.results) {
      expect(r.gini, r.model).toBeGreaterThan(0.2);
      expect(r.gini).toBeCloseTo(normalizedGini(run.test.spend, run.predictions[r.model]), 12);
    }
    const gb = run.results.find((r) => r.model === "gbdt")!;
    expect(gb.r2).toBeGreaterThan(0);
    const again = valueAtCutoff(tx, { cutoff, horizonDays: H, models: ["gbdt", "forest"] });
    expect(Array.from(again.predictions.gbdt)).toEqual(Array.from(run.predictions.gbdt));
    expect(Array.from(again.predictions.forest)).toEqual(Array.from(run.predictions.forest));
    expect(() => valueAtCutoff(tx, { cutoff, models: ["gbm" as never] })).toThrow(/unknown model "gbm"/);
  }, 180_000);

  it("customer classes: out of time, no look-ahead, the report is classification_report's on the same predictions", () => {
    const a = customerClassesAtCutoff(tx, { cutoff, horizonDays: H });
    const r = classificationReport(a.yTrue, a.yPred, { labels: [0, 1, 2, 3], names: a.classes });
    expect(a.report.byName).toEqual(r.byName);
    // better than always predicting the largest class; the true class is usually among the top two
    const counts = [0, 0, 0, 0];
    for (const c of a.yTrue) counts[c]++;
    expect(a.report.accuracy).toBeGreaterThan(Math.max(...counts) / a.yTrue.length + 0.1);
    expect(a.top2Accuracy).toBeGreaterThan(a.report.accuracy);
    for (const c of a.classes) expect(a.aucPerClass[c], c).toBeGreaterThan(0.7);
    console.log(`demo classes: accuracy ${a.report.accuracy.toFixed(4)}, macro F1 ${a.report.macro.f1.toFixed(4)}, top-2 ${a.top2Accuracy.toFixed(4)}`);
    const ts = tx.num("timestamp"), q = tx.num("quantity");
    const b = customerClassesAtCutoff(tx.assign({ quantity: Float64Array.from(q, (v, i) => (ts[i] >= cutoff ? v * 7 : v)) }), { cutoff, horizonDays: H });
    expect(Array.from(b.proba)).toEqual(Array.from(a.proba));
  }, 120_000);

  it("time to the next order: durations censored at the window end; Cox's P(no order in H) ranks churners", () => {
    const t0 = Date.parse("2024-01-01T00:00:00Z");
    const mini = new Table({
      customer_id: ["a", "a", "b", "c", "c"], order_id: ["1", "2", "3", "4", "5"],
      timestamp: Float64Array.from([t0 - 5 * DAY, t0 + 10 * DAY, t0 - 3 * DAY, t0 - 1 * DAY, t0 + 50 * DAY]),
      quantity: Float64Array.from([1, 1, 1, 1, 1]), unit_price: Float64Array.from([5, 5, 5, 5, 5]),
    });
    const d = nextOrderDurations(mini, ["a", "b", "c"], t0);
    expect(Array.from(d.time)).toEqual([10, 50, 50]);
    expect(Array.from(d.event)).toEqual([1, 0, 1]);
    const w = nextOrderDurations(mini, ["a", "b", "c"], t0, t0 + 30 * DAY);
    expect(Array.from(w.time)).toEqual([10, 30, 30]);
    expect(Array.from(w.event)).toEqual([1, 0, 0]);
    const r = timeToNextOrderAtCutoff(tx, { cutoff, horizonDays: H });
    console.log(`demo time to next order: Cox AUC ${r.auc.cox.toFixed(4)}, classifier AUC ${r.auc.classifier.toFixed(4)}, Spearman ${r.spearman.toFixed(4)}`);
    expect(r.auc.cox).toBeGreaterThan(0.75);
    expect(r.spearman).toBeGreaterThan(0.5);
    const p = r.customers.num("p_no_order_h");
    for (let i = 0; i < p.length; i++) expect(p[i] >= 0 && p[i] <= 1).toBe(true);
  }, 120_000);

  it("value capture figure: one curve per model plus perfect and random", () => {
    const run = valueAtCutoff(tx, { cutoff, horizonDays: H, models: ["gbdt"], clv: false });
    const fig = valueCaptureFigure(run);
    expect(fig.data.map((t) => (t as { name: string }).name)).toEqual(["gbdt", "perfect", "random"]);
    const perfect = (fig.data[1] as { y: number[] }).y, model = (fig.data[0] as { y: number[] }).y;
    for (let i = 0; i < model.length; i++) expect(model[i]).toBeLessThanOrEqual(perfect[i] + 1e-9);
    expect(perfect[perfect.length - 1]).toBe(1);
  }, 60_000);
});
