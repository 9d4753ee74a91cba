/**
 * Mutual information (k-NN estimator) against scikit-learn 1.2.1's mutual_info_classif:
 * test/fixtures/feature-selection/mi.json, made by test/fixtures/feature-selection/make_mi.py
 * (40 random problems, 6 features each). Continuous features within 5% (absolute 0.005 where the
 * MI is near 0); count and flag features named as discrete = the contingency-table MI (1e-9).
 * A feature with many ties left continuous depends on the tie-breaking jitter, so it is not compared.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { mutualInfoClassif, featureScoreFigure } from "../src/eval";

interface Case { n: number; X: number[]; y: number[]; mi: number[]; mi_discrete_34: number[] }
const FX = JSON.parse(readFileSync(new URL("./fixtures/feature-selection/mi.json", import.meta.url), "utf8")) as { sklearn: string; cases: Case[] };

describe(`mutualInfoClassif vs scikit-learn ${FX.sklearn} mutual_info_classif (${FX.cases.length} problems)`, () => {
  it("continuous features (normal, lognormal, noise, spread-only) within 5%", () => {
    let worst = 0, n = 0;
    for (const [i, c] of FX.cases.entries()) {
      const got = mutualInfoClassif({ data: Float64Array.from(c.X), rows: c.n, cols: 6 }, c.y, { discreteFeatures: [3, 4] });
      for (const j of [0, 1, 2, 5]) {
        const want = c.mi[j], e = Math.abs(got[j] - want);
        const tol = Math.max(0.05 * want, 0.005);
        worst = Math.max(worst, e / Math.max(want, 0.1));
        expect(e, `case ${i} feature ${j}: ${got[j]} vs ${want}`).toBeLessThanOrEqual(tol);
        n++;
      }
      for (const j of [3, 4]) expect(Math.abs(got[j] - c.mi_discrete_34[j]), `case ${i} discrete ${j}`).toBeLessThanOrEqual(1e-9);
    }
    console.log(`mutual information: ${n} continuous features, worst relative gap ${(100 * worst).toFixed(2)}%`);
  });
  it("ranks the planted informative features above the noise feature; figure lists features by score", () => {
    let ok = 0;
    for (const c of FX.cases) {
      const got = mutualInfoClassif({ data: Float64Array.from(c.X), rows: c.n, cols: 6 }, c.y, { discreteFeatures: [3, 4] });
      if (got[0] > got[2] && got[5] > got[2]) ok++;
    }
    expect(ok).toBeGreaterThanOrEqual(36);
    const fig = featureScoreFigure(["a", "b", "c"], [0.1, 0.3, 0.2], "MI");
    expect((fig.data[0] as { y: string[] }).y).toEqual(["a", "c", "b"]);
    expect(() => mutualInfoClassif({ data: Float64Array.from([1, NaN]), rows: 2, cols: 1 }, [0, 1])).toThrow(/row 1, column 0/);
  });
});
