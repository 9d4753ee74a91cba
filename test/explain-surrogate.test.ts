/**
 * Rule extraction (shallow surrogate tree with fidelity) and LIME-style local surrogates, on planted truth:
 * a model that is a known rule must come back as that rule with fidelity 1; a model linear in
 * probability must give LIME coefficients equal to its slopes × the features' standard deviations.
 */
import { describe, it, expect } from "vitest";
import { surrogateRules, limeExplain } from "../src/explain";
import { HistGradientBoostingClassifier } from "../src/models";
import { accuracyScore, argmaxRows } from "../src/eval";
import { createRng } from "../src/util/random";
import type { Matrix } from "../src/util/matrix";

const r = createRng(3), n = 2000, p = 3;
const X: Matrix = { data: new Float64Array(n * p), rows: n, cols: p };
for (let i = 0; i < n * p; i++) X.data[i] = r.normal();
const names = ["recency", "orders", "noise"];

describe("surrogateRules", () => {
  it("recovers a planted rule (class 1 iff recency > 0.5 and orders ≤ 0); fidelity ≥ 0.995 (splits sit on 255-bin edges)", () => {
    const model = (M: Matrix) => {
      const out = new Float64Array(M.rows * 2);
      for (let i = 0; i < M.rows; i++) { const c = M.data[i * 3] > 0.5 && M.data[i * 3 + 1] <= 0 ? 1 : 0; out[i * 2 + c] = 0.9; out[i * 2 + 1 - c] = 0.1; }
      return out;
    };
    const res = surrogateRules(model, X, { maxDepth: 2, minSamplesLeaf: 5, featureNames: names, classNames: ["stays", "churns"] });
    expect(res.fidelity).toBeGreaterThanOrEqual(0.995);
    const churn = res.rules.filter((x) => x.className === "churns");
    expect(churn.length).toBe(1);
    expect(churn[0].confidence).toBeGreaterThanOrEqual(0.98);
    expect(churn[0].conditions.some((c) => c.startsWith("recency >"))).toBe(true);
    expect(churn[0].conditions.some((c) => c.startsWith("orders ≤"))).toBe(true);
    const th = Number(/recency > (-?[\d.]+)/.exec(churn[0].conditions.join(" "))![1]);
    expect(Math.abs(th - 0.5)).toBeLessThan(0.05);
    console.log(res.rules.map((x) => x.text).join("\n"));
    expect(res.rules.reduce((s, x) => s + x.support, 0)).toBe(n);
  });
  it("fidelity is the surrogate's agreement with a real model's predictions", () => {
    const y = Float64Array.from({ length: n }, (_, i) => (X.data[i * 3] + X.data[i * 3 + 1] * X.data[i * 3 + 2] + 0.5 * r.normal() > 0 ? 1 : 0));
    const gb = new HistGradientBoostingClassifier({ maxIter: 50 }).fit(X, y);
    const res = surrogateRules(gb, X, { maxDepth: 3, featureNames: names });
    const modelClass = argmaxRows(gb.predictProba(X), 2);
    expect(res.fidelity).toBeCloseTo(accuracyScore(modelClass, res.tree.predict(X)), 12);
    expect(res.fidelity).toBeGreaterThan(0.7);
    expect(res.fidelity).toBeLessThan(1);
  });
});

describe("limeExplain", () => {
  it("on a model linear in probability: coefficients = slope × feature sd, local R² = 1", () => {
    const model = (M: Matrix) => {
      const out = new Float64Array(M.rows * 2);
      for (let i = 0; i < M.rows; i++) { const q = 0.5 + 0.05 * M.data[i * 3] - 0.02 * M.data[i * 3 + 2]; out[i * 2 + 1] = q; out[i * 2] = 1 - q; }
      return out;
    };
    const e = limeExplain(model, X, 7, { alpha: 1e-9 });
    const sd = [0, 1, 2].map((j) => { let s = 0, s2 = 0; for (let i = 0; i < n; i++) { s += X.data[i * 3 + j]; s2 += X.data[i * 3 + j] ** 2; } return Math.sqrt(s2 / n - (s / n) ** 2); });
    expect(e.coef[0]).toBeCloseTo(0.05 * sd[0], 6);
    expect(e.coef[1]).toBeCloseTo(0, 6);
    expect(e.coef[2]).toBeCloseTo(-0.02 * sd[2], 6);
    expect(e.score).toBeCloseTo(1, 9);
    expect(e.localPrediction).toBeCloseTo(e.modelPrediction, 6);
  });
  it("on a logistic model: the local effects keep the signs and ratio of the true log-odds slopes", () => {
    const model = (M: Matrix) => {
      const out = new Float64Array(M.rows * 2);
      for (let i = 0; i < M.rows; i++) { const q = 1 / (1 + Math.exp(-(2 * M.data[i * 3] - M.data[i * 3 + 1]))); out[i * 2 + 1] = q; out[i * 2] = 1 - q; }
      return out;
    };
    const e = limeExplain(model, X, 11, { seed: 5 });
    expect(e.coef[0]).toBeGreaterThan(0);
    expect(e.coef[1]).toBeLessThan(0);
    expect(Math.abs(e.coef[0] / e.coef[1] + 2)).toBeLessThan(0.4);
    expect(Math.abs(e.coef[2])).toBeLessThan(0.1 * Math.abs(e.coef[0]));
    expect(() => limeExplain(model, X, n)).toThrow(/outside/);
  });
});
