/**
 * Feature selection on planted truth: 2 informative features among 6 (4 pure noise).
 * RFE with CV ("drop the weakest and refit") drops the noise first and keeps both informative
 * features in its best set; the L1 path lets the informative features in first.
 */
import { describe, it, expect } from "vitest";
import { recursiveFeatureElimination, rfeFigure, l1Path, l1PathFigure } from "../src/explain";
import { LogisticRegression } from "../src/models";
import { createRng } from "../src/util/random";
import type { Matrix } from "../src/util/matrix";

const r = createRng(8), n = 800, p = 6;
const X: Matrix = { data: new Float64Array(n * p), rows: n, cols: p }, y = new Float64Array(n);
for (let i = 0; i < n; i++) {
  for (let j = 0; j < p; j++) X.data[i * p + j] = r.normal();
  y[i] = 1.5 * X.data[i * p] - 1.0 * X.data[i * p + 3] + r.normal() > 0 ? 1 : 0;
}
const names = ["signal_a", "noise_1", "noise_2", "signal_b", "noise_3", "noise_4"];

describe("feature selection on planted truth", () => {
  it("RFE-CV drops the four noise features first and keeps both signals", async () => {
    const res = await recursiveFeatureElimination(() => new LogisticRegression(), X, y, { featureNames: names, folds: 5 });
    expect(res.steps.map((s) => s.features.length)).toEqual([6, 5, 4, 3, 2, 1]);
    const droppedFirst = res.steps.slice(0, 4).flatMap((s) => s.dropped);
    expect(new Set(droppedFirst)).toEqual(new Set(["noise_1", "noise_2", "noise_3", "noise_4"]));
    expect(res.best.features).toContain("signal_a");
    expect(res.best.features).toContain("signal_b");
    expect(res.steps[4].cvMean).toBeGreaterThan(res.steps[5].cvMean + 0.05);
    console.log(res.steps.map((s) => `${s.features.length}: AUC ${s.cvMean.toFixed(4)}${s.dropped.length ? ` → drop ${s.dropped.join(", ")}` : ""}`).join("\n"));
    expect(rfeFigure(res).data.length).toBe(1);
  });
  it("L1 path: the signals enter before any noise feature; all enter with a weak penalty", () => {
    const path = l1Path(X, y, { featureNames: names, Cs: [0.002, 0.005, 0.01, 0.03, 0.1, 1, 10] });
    const enter = names.map((_, j) => path.coef.findIndex((c) => Math.abs(c[j]) > 1e-10));
    expect(Math.max(enter[0], enter[3])).toBeLessThan(Math.min(...[1, 2, 4, 5].map((j) => (enter[j] < 0 ? Infinity : enter[j]))));
    expect(path.nonZero[0]).toBeLessThanOrEqual(2);
    expect(path.nonZero[path.nonZero.length - 1]).toBeGreaterThanOrEqual(5);
    expect(l1PathFigure(path).data.length).toBe(6);
  });
});
