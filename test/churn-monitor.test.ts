// custlab monitor on the demo shop: drift statistics recomputed independently
// from the stored reference, realised AUC/ECE/false alarms recomputed from the
// full data's labels, no look-ahead (rows on or after a monitoring date change
// nothing), planted drift raises the verdict, --retrain registers a challenger
// and logs the decision, the CLI writes JSON/CSV/HTML.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import { churnLabels } from "../src/features";
import { populationStabilityIndex } from "../src/segment";
import { ksTwoSample, wassersteinDistance, rocAucScore, expectedCalibrationError } from "../src/eval";
import { churnTransactions, loadChurnModel, monitorChurnModel, monitorFigures, retrainChurnIfNeeded, churnAtCutoff, churnReliabilityFigure } from "../src/churn";
import { calibrationCurve } from "../src/eval";
import { run as churn } from "../src/cli/commands/churn";
import { run as monitor } from "../src/cli/commands/monitor";
import { runJSON, runCLI } from "./helpers/cli";
import { Table } from "../src/table";

const demo = path.resolve(__dirname, "../datasets/demo/transactions.csv");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-monitor-"));
const reg = path.join(dir, "R");
const D = (s: string) => Date.parse(s);

describe.skipIf(!fs.existsSync(demo))("churn monitoring on the demo shop", () => {
  let tx: Table;
  beforeAll(async () => {
    const { table } = await loadTransactions(demo, { format: "custlab" });
    tx = churnTransactions(cleanTransactions(table).table);
    await runJSON(churn, [demo, "--format", "custlab", "--cutoff", "2024-03-01", "--model", "logreg", "--train-cutoffs", "2", "--calibration", "platt", "--registry", reg, "--json"]);
  }, 180_000);

  it("drift and realised quality match an independent computation", () => {
    const lm = loadChurnModel(`${reg}@champion`);
    const T = D("2024-09-01"), H = 90, S = T - H * 86_400_000;
    const r = monitorChurnModel(tx, lm, { dates: [T] });
    const st = r.steps[0], ref = lm.state.reference!;
    const feats = lm.features(tx, T); // rows before T only, by construction of customerFeatures
    expect(st.customers).toBe(feats.numRows);
    for (const f of st.features) {
      expect(f.psi).toBe(populationStabilityIndex(ref.features[f.feature], feats.num(f.feature)));
      expect(f.ks).toBe(ksTwoSample(ref.features[f.feature], feats.num(f.feature)).statistic);
      expect(f.wasserstein).toBeCloseTo(wassersteinDistance(ref.features[f.feature], feats.num(f.feature)), 10);
    }
    const p = lm.scoreFeatures(feats, tx, T).proba;
    expect(st.score.psi).toBe(populationStabilityIndex(ref.scores, p));
    // realised: the scores made at T − H, labelled from the full data
    const past = lm.features(tx, S), ps = lm.scoreFeatures(past, tx, S).proba;
    const y = churnLabels(tx, past, { cutoff: S, horizonDays: H }).num("churn");
    expect(st.realised!.scored_at).toBe("2024-06-03");
    expect(st.realised!.auc).toBeCloseTo(rocAucScore(y, ps), 12);
    expect(st.realised!.ece).toBeCloseTo(expectedCalibrationError(y, ps), 12);
    let alerts = 0, fa = 0;
    for (let i = 0; i < y.length; i++) if (ps[i] >= 0.6) { alerts++; if (!y[i]) fa++; }
    expect(st.realised!.high_alerts).toBe(alerts);
    expect(st.realised!.false_alarm_rate).toBeCloseTo(fa / alerts, 12);
    // the verdict follows the stated rule
    const refAuc = r.model.reference_auc!;
    const retrain = refAuc - st.realised!.auc > 0.05 || st.realised!.ece > 0.1 || st.score.psi > 0.25;
    const warn = refAuc - st.realised!.auc > 0.02 || st.score.psi > 0.1 || st.max_feature_psi > 0.25;
    expect(st.verdict).toBe(retrain ? "retrain" : warn ? "warn" : "ok");
    expect(monitorFigures(r).map((f) => f.title)).toEqual(["Drift by date", "Realised quality", "Feature PSI", "Reliability"]);
  }, 120_000);

  it("no look-ahead: rows on or after the monitoring date change nothing", () => {
    const lm = loadChurnModel(`${reg}@champion`);
    const T = D("2024-10-01");
    const ts = tx.num("timestamp"), q = tx.num("quantity");
    // after T: every quantity tripled and the customers swapped around
    const ids = tx.str("customer_id");
    const planted = tx.assign({ quantity: Float64Array.from(q, (v, i) => (ts[i] >= T ? v * 3 : v)), customer_id: ids.map((c, i) => (ts[i] >= T ? ids[(i * 7) % ids.length] : c)) });
    const a = monitorChurnModel(tx, lm, { dates: [T] }), b = monitorChurnModel(planted, lm, { dates: [T] });
    expect(JSON.stringify(b.steps)).toBe(JSON.stringify(a.steps));
  }, 120_000);

  it("planted drift raises the verdict; --retrain registers a challenger and logs the decisions", async () => {
    const lm = loadChurnModel(`${reg}@champion`);
    const T = D("2024-12-01"), ts = tx.num("timestamp"), p = tx.num("unit_price");
    // prices ×4 from 2024-06: spend features drift
    const drifted = tx.assign({ unit_price: Float64Array.from(p, (v, i) => (ts[i] >= D("2024-06-01") ? v * 4 : v)) });
    const base = monitorChurnModel(tx, lm, { dates: [T] }).steps[0], d = monitorChurnModel(drifted, lm, { dates: [T] }).steps[0];
    const mon = (s: typeof d) => s.features.find((f) => f.feature === "spend_180d")!.psi;
    expect(mon(d)).toBeGreaterThan(0.25);
    expect(mon(d)).toBeGreaterThan(mon(base) + 0.2);
    expect(d.verdict).not.toBe("ok");
    expect(d.reasons.join(" ")).toMatch(/PSI/);
    // a strict ECE rule makes it retrain
    const strict = monitorChurnModel(tx, lm, { dates: [T], thresholds: { eceRetrain: 0 } });
    expect(strict.steps[0].verdict).toBe("retrain");
    const no = await retrainChurnIfNeeded(reg, tx, monitorChurnModel(tx, lm, { dates: [T], thresholds: { eceRetrain: 1, scorePsiRetrain: 10, aucDropRetrain: 1 } }));
    expect(no.retrained).toBe(false);
    const yes = await retrainChurnIfNeeded(reg, tx, strict, { folds: 1 });
    expect(yes.retrained).toBe(true);
    expect(yes.version).toBe(2);
    expect(typeof yes.decision!.promoted).toBe("boolean");
    const log = fs.readFileSync(path.join(reg, "churn-90d", "decisions.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(log.map((e) => e.action)).toEqual(["monitor", "monitor", "promote"]);
    expect(log[1].challenger).toBe(2);
  }, 240_000);

  it("custlab monitor writes JSON, CSV and an offline page; bad options are one line", async () => {
    const out = path.join(dir, "mon");
    const j = await runJSON(monitor, [demo, "--format", "custlab", "--model", `${reg}@1`, "--monthly", "2024-07..2024-09", "--out", out, "--json"]);
    expect(j.table.map((r: any) => r.date)).toEqual(["2024-07-01", "2024-08-01", "2024-09-01"]);
    expect(j.table.every((r: any) => ["ok", "warn", "retrain"].includes(r.verdict))).toBe(true);
    expect(j.rule).toMatch(/retrain when/);
    for (const f of ["monitor.json", "monitor.csv", "monitor.html"]) expect(fs.existsSync(path.join(out, f))).toBe(true);
    expect(fs.readFileSync(path.join(out, "monitor.csv"), "utf8").split("\n")[0]).toMatch(/^date,customers,score_psi/);
    const bad = await runCLI(monitor, [demo, "--model", reg, "--out", out, "--monthly", "2024-13..2024-01"]);
    expect(bad.code).not.toBe(0);
    expect(bad.err.trim().split("\n").length).toBe(1);
  }, 180_000);
});

describe.skipIf(!fs.existsSync(demo))("reliability diagram of a churn run", () => {
  it("raw and calibrated curves are calibrationCurve's points, ECE in the names, counts per bin", async () => {
    const { table } = await loadTransactions(demo, { format: "custlab" });
    const tx = churnTransactions(cleanTransactions(table).table);
    const run = await churnAtCutoff(tx, D("2024-06-01"), { model: "logreg", trainCutoffs: 2, calibration: "isotonic" });
    const fig = churnReliabilityFigure(run, 10);
    const [raw, cal, perfect, bars] = fig.data as any[];
    const cr = calibrationCurve(run.yTrue!, run.scores.raw, { nBins: 10 }), cc = calibrationCurve(run.yTrue!, run.scores.proba, { nBins: 10 });
    const close = (a: number[], b: Float64Array) => { expect(a.length).toBe(b.length); a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(5e-5)); }; // figures round to 4 digits
    close(raw.x, cr.probPred); close(raw.y, cr.probTrue); close(cal.x, cc.probPred); close(cal.y, cc.probTrue);
    expect(raw.name).toContain(`ECE ${run.metrics!.ece_raw.toFixed(3)}`);
    expect(cal.name).toContain(`isotonic calibrated (ECE ${run.metrics!.ece.toFixed(3)})`);
    expect(perfect.name).toBe("perfect");
    expect(bars.y.reduce((a: number, b: number) => a + b, 0)).toBe(run.scores.proba.length);
    // the bars' bins hold the calibrated curve's counts (empty bins dropped there)
    expect(bars.y.filter((v: number) => v > 0)).toEqual(Array.from(cc.counts).filter((v) => v > 0));
    const unknown = await churnAtCutoff(tx, D("2025-02-01"), { model: "logreg", trainCutoffs: 1 });
    expect(() => churnReliabilityFigure(unknown)).toThrow(/not in the data/);
  }, 120_000);
});
