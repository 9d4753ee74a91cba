/**
 * Binary metrics against scikit-learn 1.2.1 (Debian python3-sklearn) on 300 random problems:
 * test/fixtures/metrics/binary_metrics.json, made by test/fixtures/metrics/make_metrics.py
 * (n ∈ [2, 400], prevalence 1–99%, continuous, rounded and few-level scores = many ties,
 * exact 0 and 1 probabilities). Tolerance: 1e-12 absolute for every scalar and every calibration point.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { rocAucScore, averagePrecisionScore, logLoss, brierScore, calibrationCurve } from "../src/eval/metrics";

interface Case {
  y: number[]; p: number[]; auc: number; ap: number; logloss: number; brier: number;
  calibration: { nBins: number; strategy: "uniform" | "quantile"; probTrue: number[]; probPred: number[] }[];
}
const FX = JSON.parse(readFileSync(new URL("./fixtures/metrics/binary_metrics.json", import.meta.url), "utf8")) as { sklearn: string; cases: Case[] };
const TOL = 1e-12;

describe(`binary metrics vs scikit-learn ${FX.sklearn} (${FX.cases.length} random problems, ${TOL} absolute)`, () => {
  it("covers ≥ 300 problems, most with tied scores", () => {
    expect(FX.cases.length).toBeGreaterThanOrEqual(300);
    const tied = FX.cases.filter((c) => new Set(c.p).size < c.p.length).length;
    expect(tied).toBeGreaterThanOrEqual(200);
  });
  const worstOf = (name: string, f: (c: Case) => number, want: (c: Case) => number) => {
    let worst = 0;
    for (const [i, c] of FX.cases.entries()) {
      const e = Math.abs(f(c) - want(c));
      worst = Math.max(worst, e);
      expect(e, `${name} case ${i}`).toBeLessThanOrEqual(TOL);
    }
    console.log(`${name}: ${FX.cases.length} cases, worst |Δ| ${worst.toExponential(2)}`);
  };
  it("ROC-AUC with ties = roc_auc_score", () => worstOf("AUC", (c) => rocAucScore(c.y, c.p), (c) => c.auc));
  it("PR-AUC = average_precision_score", () => worstOf("average precision", (c) => averagePrecisionScore(c.y, c.p), (c) => c.ap));
  it("log-loss (eps 1e-15) = log_loss", () => worstOf("log-loss", (c) => logLoss(c.y, c.p), (c) => c.logloss));
  it("Brier = brier_score_loss", () => worstOf("Brier", (c) => brierScore(c.y, c.p), (c) => c.brier));
  it("calibration curve = calibration_curve, uniform and quantile bins, 2–20 bins", () => {
    let curves = 0, worst = 0;
    for (const [i, c] of FX.cases.entries()) {
      for (const want of c.calibration) {
        const got = calibrationCurve(c.y, c.p, { nBins: want.nBins, strategy: want.strategy });
        const tag = `case ${i} ${want.strategy} ${want.nBins}`;
        expect(got.probTrue.length, tag).toBe(want.probTrue.length);
        for (let j = 0; j < want.probTrue.length; j++) {
          const e = Math.max(Math.abs(got.probTrue[j] - want.probTrue[j]), Math.abs(got.probPred[j] - want.probPred[j]));
          worst = Math.max(worst, e);
          expect(e, tag).toBeLessThanOrEqual(TOL);
        }
        curves++;
      }
    }
    console.log(`calibration curves: ${curves}, worst |Δ| ${worst.toExponential(2)}`);
  });
});
