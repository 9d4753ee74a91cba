/**
 * Multi-class evaluation against scikit-learn 1.2.1 (Debian python3-sklearn):
 * test/fixtures/multiclass/multiclass.json, made by test/fixtures/multiclass/make_multiclass.py.
 * 300 random problems (2–8 classes, absent and never-predicted classes, tied scores):
 * classification_report, top_k_accuracy_score, per-class roc_curve / roc_auc_score at 1e-9.
 * Then `custlab train --json` on the Telco data: its `per_class` block, accuracy, macro and
 * weighted F1 against classification_report on the same out-of-fold predictions (1e-9).
 */
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { classificationReport, topKAccuracy, rocPerClass, confusionMatrixShares, multiclassConfusionFigure, rocPerClassFigure, argmaxRows } from "../src/eval";
import { run as train } from "../src/cli/commands/train";
import { runJSON } from "./helpers/cli";

interface Case {
  m: number; y: number[]; pred: number[]; score: number[]; labels: number[];
  report: { per: number[][]; macro: number[]; weighted: number[]; accuracy: number };
  topk: number[];
  roc: ({ auc: number; fpr?: number[]; tpr?: number[] } | null)[];
}
interface Run { target: string; model: string; classes: string[]; y_true: string; y_pred: string; per_class: Record<string, { precision: number; recall: number; f1: number; support: number }>; accuracy: number; macro_f1: number; weighted_f1: number }
const FX = JSON.parse(fs.readFileSync(new URL("./fixtures/multiclass/multiclass.json", import.meta.url), "utf8")) as { sklearn: string; cases: Case[]; train: Run[] };
const TOL = 1e-9;

describe(`multi-class evaluation vs scikit-learn ${FX.sklearn} (${FX.cases.length} random problems, ${TOL})`, () => {
  it("covers 2–8 classes, absent and never-predicted classes", () => {
    expect(FX.cases.length).toBeGreaterThanOrEqual(300);
    expect(new Set(FX.cases.map((c) => c.m)).size).toBe(7);
    expect(FX.cases.filter((c) => c.report.per.some((r) => r[3] === 0)).length).toBeGreaterThan(20);
    expect(FX.cases.filter((c) => c.labels.some((l) => !c.pred.includes(l))).length).toBeGreaterThan(20);
  });
  it("classificationReport = classification_report (per class, macro, weighted, accuracy)", () => {
    let worst = 0;
    for (const [i, c] of FX.cases.entries()) {
      const r = classificationReport(c.y, c.pred);
      expect(r.labels, `case ${i}`).toEqual(c.labels);
      const got = [
        ...r.perClass.flatMap((s) => [s.precision, s.recall, s.f1, s.support]),
        r.macro.precision, r.macro.recall, r.macro.f1, r.weighted.precision, r.weighted.recall, r.weighted.f1, r.accuracy,
      ];
      const want = [...c.report.per.flat(), ...c.report.macro, ...c.report.weighted, c.report.accuracy];
      expect(got.length).toBe(want.length);
      for (let j = 0; j < got.length; j++) {
        worst = Math.max(worst, Math.abs(got[j] - want[j]));
        expect(Math.abs(got[j] - want[j]), `case ${i} entry ${j}`).toBeLessThanOrEqual(TOL);
      }
    }
    console.log(`classification_report: ${FX.cases.length} problems, worst |Δ| ${worst.toExponential(2)}`);
  });
  it("topKAccuracy = top_k_accuracy_score for every k (ties included)", () => {
    let n = 0;
    for (const [i, c] of FX.cases.entries()) {
      c.topk.forEach((want, j) => { n++; expect(Math.abs(topKAccuracy(c.y, c.score, j + 1, c.m) - want), `case ${i} k ${j + 1}`).toBeLessThanOrEqual(TOL); });
    }
    expect(n).toBeGreaterThan(500);
  });
  it("one-vs-rest ROC per class = roc_curve / roc_auc_score", () => {
    let curves = 0;
    for (const [i, c] of FX.cases.entries()) {
      const got = rocPerClass(c.y, c.score, c.m);
      c.roc.forEach((want, cl) => {
        if (!want) { expect(got[cl].auc).toBeNaN(); return; }
        expect(Math.abs(got[cl].auc - want.auc), `case ${i} class ${cl}`).toBeLessThanOrEqual(TOL);
        if (want.fpr) {
          curves++;
          expect(Array.from(got[cl].fpr).map((v) => Math.round(v * 1e12))).toEqual(want.fpr.map((v) => Math.round(v * 1e12)));
          expect(Array.from(got[cl].tpr).map((v) => Math.round(v * 1e12))).toEqual(want.tpr!.map((v) => Math.round(v * 1e12)));
        }
      });
    }
    expect(curves).toBeGreaterThan(100);
  });
  it("row-normalised confusion matrix rows sum to 1 and the figures carry counts and shares", () => {
    const y = [0, 0, 0, 1, 1, 2], p = [0, 1, 1, 1, 1, 0];
    const s = confusionMatrixShares(y, p);
    expect(Array.from(s.counts)).toEqual([1, 2, 0, 0, 2, 0, 1, 0, 0]);
    expect(Array.from(s.shares).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.333333, 0.666667, 0, 0, 1, 0, 1, 0, 0]);
    const fig = multiclassConfusionFigure(y, p, ["a", "b", "c"]);
    expect((fig.data[0] as { text: string[][] }).text[0]).toEqual(["1 (33.3%)", "2 (66.7%)", "0 (0.0%)"]);
    const proba = Float64Array.from([0.7, 0.2, 0.1, 0.5, 0.4, 0.1, 0.2, 0.5, 0.3, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4, 0.6, 0.3, 0.1]);
    expect(Array.from(argmaxRows(proba, 3))).toEqual([0, 0, 1, 1, 2, 0]);
    const roc = rocPerClassFigure(y, proba, 3, ["a", "b", "c"]);
    expect(roc.data.length).toBe(4);
  });
});

const telco = path.resolve(__dirname, "../../shared/datasets/telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
const have = fs.existsSync(telco);
if (!have) console.warn(`eval-multiclass: train --json part skipped — ${telco} not found (needs ../shared/datasets)`);

describe.skipIf(!have)("custlab train --json per_class = classification_report on the same out-of-fold predictions", () => {
  for (const want of FX.train) {
    it(`${want.target} (${want.classes.length} classes, ${want.model})`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-mc-"));
      const out = path.join(dir, "pred.csv");
      const js = await runJSON(train, ["--table", telco, "--target", want.target, "--id", "customerID", "--model", want.model, "--predictions", out, "--json"]);
      expect(js.classes).toEqual(want.classes);
      // the same predictions as the run scikit-learn scored
      const lines = fs.readFileSync(out, "utf8").trim().split("\n");
      expect(lines.length - 1).toBe(want.y_pred.length);
      const code = new Map(want.classes.map((c, i) => [c, String(i)]));
      const header = lines[0].split(",");
      expect(header.slice(0, 3)).toEqual(["row", "y_true", "y_pred"]);
      // class names may contain spaces and parentheses but no commas here
      const yp = lines.slice(1).map((l) => code.get(l.split(",")[2])).join("");
      const yt = lines.slice(1).map((l) => code.get(l.split(",")[1])).join("");
      expect(yt).toBe(want.y_true);
      expect(yp).toBe(want.y_pred);
      for (const c of want.classes) for (const key of ["precision", "recall", "f1", "support"] as const) {
        expect(Math.abs(js.per_class[c][key] - want.per_class[c][key]), `${c} ${key}`).toBeLessThanOrEqual(TOL);
      }
      expect(Math.abs(js.accuracy - want.accuracy)).toBeLessThanOrEqual(TOL);
      expect(Math.abs(js.macro_f1 - want.macro_f1)).toBeLessThanOrEqual(TOL);
      expect(Math.abs(js.weighted_f1 - want.weighted_f1)).toBeLessThanOrEqual(TOL);
      fs.rmSync(dir, { recursive: true, force: true });
      console.log(`train --target ${want.target}: accuracy ${js.accuracy.toFixed(4)}, macro F1 ${js.macro_f1.toFixed(4)}, weighted F1 ${js.weighted_f1.toFixed(4)} (= scikit-learn to ${TOL})`);
    }, 120_000);
  }
});
