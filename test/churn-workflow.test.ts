// The one churn workflow (src/churn): training cutoffs with the leakage guard,
// the stacked training set against the per-cutoff features and labels computed
// independently, no look-ahead when scoring today, and the CLI on top of it.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import { Table } from "../src/table";
import { customerFeatures, churnLabels, monthlySequences } from "../src/features";
import { rocAucScore } from "../src/eval";
import { churnAtCutoff, fitChurnModel, churnTrainingCutoffs, churnTrainingSet, churnTransactions, churnFeatures, assertNoTrainingLeakage, lastTimestamp } from "../src/churn";
import { run } from "../src/cli/commands/churn";
import { runJSON, runCaptured } from "./helpers/cli";

const DAY = 86_400_000;
const demo = path.resolve(__dirname, "../datasets/demo/transactions.csv");
const have = fs.existsSync(demo);
const day = (s: string) => Date.parse(s + "T00:00:00Z");
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

describe.skipIf(!have)("churn workflow on the demo shop", () => {
  let tx: Table;
  beforeAll(async () => {
    const { table } = await loadTransactions(demo, { format: "custlab" });
    tx = churnTransactions(cleanTransactions(table).table);
  });

  it("training cutoffs: latest = cutoff − H, then every N days back; each label window ends by the cutoff", () => {
    const end = lastTimestamp(tx);
    for (const [H, every, count] of [[90, 30, 4], [60, 15, 3], [30, 45, 2]]) {
      const cut = day("2024-09-30");
      const cuts = churnTrainingCutoffs(cut, end, { horizonDays: H, everyDays: every, trainCutoffs: count });
      expect(cuts.length).toBe(count);
      expect(cuts[count - 1]).toBe(cut - H * DAY);
      for (let j = 1; j < count; j++) expect(cuts[j] - cuts[j - 1]).toBe(every * DAY);
      for (const c of cuts) expect(c + H * DAY).toBeLessThanOrEqual(cut);
    }
    // scoring past the data's end: the latest training cutoff is the last one with known outcomes
    const future = day("2025-03-01");
    const cuts = churnTrainingCutoffs(future, end, { horizonDays: 90 });
    expect(cuts[3] + 90 * DAY).toBeLessThanOrEqual(end);
    expect(cuts[3] + 91 * DAY).toBeGreaterThan(end);
  });

  it("leakage guard: a training cutoff whose label window passes the scoring cutoff is a one-line E_LEAKAGE error", () => {
    const cut = day("2024-09-30");
    for (const every of [-30, -1]) {
      let err: any;
      try { churnTrainingCutoffs(cut, lastTimestamp(tx), { horizonDays: 90, everyDays: every }); } catch (e) { err = e; }
      expect(err?.code).toBe("E_LEAKAGE");
      expect(err.message).not.toContain("\n");
      expect(err.message).toContain(`${iso(cut - 90 * DAY)}`);
    }
    expect(() => assertNoTrainingLeakage([cut - 90 * DAY], cut, 90)).not.toThrow();
    expect(() => assertNoTrainingLeakage([cut - 89 * DAY], cut, 90)).toThrow(/after the scoring cutoff 2024-09-30/);
  });

  it("CLI: churn --every -30 exits with a one-line error, not an AUC (option check first, the leakage guard behind it)", async () => {
    let err: any;
    try { await runCaptured(run, [demo, "--format", "custlab", "--cutoff", "2024-09-30", "--model", "logreg", "--every", "-30", "--json"]); } catch (e) { err = e; }
    expect(err?.message).toMatch(/--every/);
    expect(err.message).not.toContain("\n");
  });

  it("the stacked training set equals per-cutoff customerFeatures + churnLabels (and monthlySequences) row for row", () => {
    const cuts = [day("2024-03-01"), day("2024-05-01")];
    const ts = churnTrainingSet(tx, cuts, { horizonDays: 90, sequences: true });
    let row = 0;
    for (const c of cuts) {
      const f = customerFeatures(tx, { cutoff: c });
      const y = churnLabels(tx, f, { cutoff: c, horizonDays: 90 }).num("churn");
      const s = monthlySequences(tx, { cutoff: c, months: 12, customers: f.str("customer_id") });
      const tid = ts.table.str("customer_id"), tc = ts.table.num("cutoff"), ty = ts.table.num("churn"), tr = ts.table.num("recency_days"), fr = f.num("recency_days");
      for (let i = 0; i < f.numRows; i++, row++) {
        expect(tid[row]).toBe(f.str("customer_id")[i]);
        expect(tc[row]).toBe(c);
        expect(ty[row]).toBe(y[i]);
        expect(tr[row]).toBe(fr[i]);
      }
      const w = 12 * 5, off = (row - f.numRows) * w;
      expect(Array.from(ts.sequences!.data.subarray(off, off + f.numRows * w))).toEqual(Array.from(s.data));
    }
    expect(row).toBe(ts.table.numRows);
    expect(ts.sequences!.shape).toEqual([row, 12, 5]);
  });

  it("scoring today (outcomes unknown) trains only on known outcomes: rows after the data's end cannot change a score", async () => {
    const end = lastTimestamp(tx);
    const today = Math.floor(end / DAY) * DAY + DAY;
    const a = await churnAtCutoff(tx, today, { model: "logreg", horizonDays: 90 });
    expect(a.outcomesKnown).toBe(false);
    expect(a.metrics).toBeUndefined();
    for (const c of a.churnModel.trainCutoffs) expect(c + 90 * DAY).toBeLessThanOrEqual(end);
    expect(a.scores.proba.length).toBe(customerFeatures(tx, { cutoff: today }).numRows);
    for (const p of a.scores.proba) { expect(p).toBeGreaterThanOrEqual(0); expect(p).toBeLessThanOrEqual(1); }
    // a backtest cutoff: planting orders after it (inside its label window) leaves training and scores bitwise unchanged
    const cut = day("2024-09-30");
    const base = await fitChurnModel(tx, cut, { model: "logreg", horizonDays: 90 });
    const later = tx.filter((i) => tx.num("timestamp")[i] >= cut);
    const shifted = later.assign({ timestamp: Float64Array.from(later.num("timestamp"), (t) => t + 3 * DAY), quantity: Float64Array.from(later.num("quantity"), (q) => q * 2) });
    const planted = Table.concat([tx, shifted]);
    const again = await fitChurnModel(planted, cut, { model: "logreg", horizonDays: 90 });
    expect(again.trainCutoffs).toEqual(base.trainCutoffs);
    expect(Array.from(again.score(planted, cut).proba)).toEqual(Array.from(base.score(tx, cut).proba));
  });

  it("extended features: nothing after the cutoff changes them; BG/NBD columns equal a BG/NBD fitted on the rows before the cutoff", async () => {
    const cut = day("2024-07-01");
    const f = churnFeatures(tx, cut, { featureSet: "extended", horizonDays: 90 });
    const later = tx.filter((i) => tx.num("timestamp")[i] >= cut);
    const planted = Table.concat([tx, later.assign({ timestamp: Float64Array.from(later.num("timestamp"), (t) => t + 5 * DAY) })]);
    const g = churnFeatures(planted, cut, { featureSet: "extended", horizonDays: 90 });
    for (const c of ["bg_p_alive", "bg_expected_orders_h", "recency_cycles", "ipt_cv", "orders_per_30d", "orders_90d_ratio", "orders_season_last_year"]) {
      expect(Array.from(g.num(c)), c).toEqual(Array.from(f.num(c)));
    }
    const { purchases } = await import("../src/clean");
    const { summaryFromTransactions, BetaGeoModel } = await import("../src/clv");
    const all = purchases(tx), pts = all.num("timestamp");
    const buy = all.filter((i) => pts[i] < cut);
    const s = summaryFromTransactions(buy, { unit: "week", observationEnd: cut - DAY });
    const bg = new BetaGeoModel().fit(s);
    const pa = bg.probabilityAlive(s);
    const byId = new Map(s.customerId.map((c, j) => [c, pa[j]]));
    const ids = f.str("customer_id"), p = f.num("bg_p_alive"), rc = f.num("recency_cycles"), r = f.num("recency_days"), m = f.num("ipt_mean_days");
    for (let i = 0; i < f.numRows; i += 37) {
      expect(p[i]).toBeCloseTo(byId.get(ids[i])!, 10);
      if (m[i] > 0) expect(rc[i]).toBeCloseTo(r[i] / m[i], 12);
    }
  });

  it("churnAtCutoff's AUC is rocAucScore of its scores against churnLabels at the cutoff", async () => {
    const cut = day("2024-09-30");
    const r = await churnAtCutoff(tx, cut, { model: "logreg", horizonDays: 90, activeDays: 365 });
    const f = customerFeatures(tx, { cutoff: cut });
    const active = f.filter((i) => f.num("recency_days")[i] <= 365);
    expect(r.scores.customers).toEqual(active.str("customer_id"));
    const y = churnLabels(tx, active, { cutoff: cut, horizonDays: 90 }).num("churn");
    expect(r.metrics!.auc).toBe(rocAucScore(y, r.scores.proba));
    expect(r.metrics!.auc).toBeGreaterThan(0.85);
  });

  it("CLI churn --cutoff past the data's end exits 0, says what it trained on and registers the model", async () => {
    const reg = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "custlab-churn-today-")), "R");
    const out = await runJSON(run, [demo, "--format", "custlab", "--cutoff", "2025-01-01", "--horizon", "90", "--model", "logreg", "--registry", reg, "--json"]);
    expect(out.outcomes_known).toBe(false);
    expect(out.auc).toBeUndefined();
    expect(out.train_cutoffs).toEqual(["2024-07-04", "2024-08-03", "2024-09-02", "2024-10-02"]);
    expect(out.registry_version).toBe(1);
    const { ModelRegistry } = await import("../src/registry");
    const art = new ModelRegistry(reg).artifact("churn-90d", "champion");
    expect(art.tags?.train_cutoffs).toBe(out.train_cutoffs.join(","));
  });
});
