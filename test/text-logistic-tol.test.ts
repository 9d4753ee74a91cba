import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { SparseLogisticRegression, type CsrMatrix } from "../src/text";
import { minimizeLbfgs } from "../src/util/optim";

// Oracle: test/fixtures/text/sparse_lr_sklearn_tol.py (scikit-learn's LogisticRegression(C) with its default
// tol 1e-4 / lbfgs, and scipy's exact optimum of the same summed objective).
const FIX = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/text/sparse_lr_sklearn_tol.json"), "utf8")) as {
  cases: { rows: number; cols: number; C: number; classes: number; indptr: number[]; indices: number[]; data: number[]; y: number[]; sk_coef: number[]; sk_intercept: number[]; sk_n_iter: number; sk_proba: number[]; sk_objective: number; exact_objective: number }[];
};

/** scikit-learn's objective: Σ log-loss + ‖W‖²/(2C) (intercepts unpenalised). */
function summedObjective(m: SparseLogisticRegression, X: CsrMatrix, y: number[], C: number): number {
  const p = m.predictProba(X), k = m.nClasses_;
  let loss = 0, reg = 0;
  for (let i = 0; i < X.rows; i++) loss -= Math.log(p[i * k + y[i]]);
  for (const w of m.coef_) reg += w * w;
  return loss + reg / (2 * C);
}

describe("SparseLogisticRegression's default stop is as close to the optimum as scikit-learn's lbfgs defaults (tol 1e-4)", () => {
  FIX.cases.forEach((c, ci) => {
    const X: CsrMatrix = { rows: c.rows, cols: c.cols, indptr: Int32Array.from(c.indptr), indices: Int32Array.from(c.indices), data: Float64Array.from(c.data) };
    it(`case ${ci}: ${c.rows} × ${c.cols}, C ${c.C}, ${c.classes} classes`, () => {
      const m = new SparseLogisticRegression({ C: c.C }).fit(X, c.y);
      expect(m.converged_).toBe(true);
      const f = summedObjective(m, X, c.y, c.C);
      const gap = (f - c.exact_objective) / c.exact_objective, skGap = (c.sk_objective - c.exact_objective) / c.exact_objective;
      // the objective to 7 significant digits, as scikit-learn's own stops on these cases (relative gaps 2e-10 … 1e-8)
      expect(skGap).toBeLessThan(1e-7);
      expect(gap).toBeGreaterThanOrEqual(-1e-12);
      expect(gap).toBeLessThan(1e-7);
      // and in a like number of iterations
      expect(m.nIter_).toBeLessThanOrEqual(2 * c.sk_n_iter + 10);
      const p = m.predictProba(X);
      let worst = 0;
      for (let q = 0; q < p.length; q++) worst = Math.max(worst, Math.abs(p[q] - c.sk_proba[q]));
      expect(worst).toBeLessThan(2e-3);
      // a tight tol reaches the exact optimum
      const tight = new SparseLogisticRegression({ C: c.C, tol: 1e-10, maxIter: 5000 }).fit(X, c.y);
      expect(Math.abs(summedObjective(tight, X, c.y, c.C) - c.exact_objective) / c.exact_objective).toBeLessThan(1e-11);
    });
  });
});

describe("minimizeLbfgs: quadratic backtracking", () => {
  const rosen = (x: Float64Array, g: Float64Array) => {
    const a = 1 - x[0], b = x[1] - x[0] * x[0];
    g[0] = -2 * a - 400 * x[0] * b; g[1] = 200 * b;
    return a * a + 100 * b * b;
  };
  it("minimises the Rosenbrock function from the classic start, in fewer evaluations than halving", () => {
    const q = minimizeLbfgs(rosen, Float64Array.from([-1.2, 1]), { maxIter: 1000, gtol: 1e-10, ftol: 0, backtrack: "quadratic" });
    const h = minimizeLbfgs(rosen, Float64Array.from([-1.2, 1]), { maxIter: 1000, gtol: 1e-10, ftol: 0 });
    expect(q.stopReason).toBe("gtol");
    expect(q.x[0]).toBeCloseTo(1, 8);
    expect(q.x[1]).toBeCloseTo(1, 8);
    expect(q.evaluations).toBeLessThanOrEqual(h.evaluations);
  });
  it("a non-finite trial is halved", () => {
    // f = (x − 0.3)² on x < 0.5, Infinity beyond: the first trial (x = 0.6) is not finite, its half (0.3) is the minimum
    const r = minimizeLbfgs({ value: (x) => (x[0] < 0.5 ? (x[0] - 0.3) ** 2 : Infinity), gradient: (x, g) => { g[0] = 2 * (x[0] - 0.3); } }, Float64Array.of(0), { firstStep: "inf", gtol: 1e-9, backtrack: "quadratic" });
    expect(r.x[0]).toBeCloseTo(0.3, 12);
    expect(r.evaluations).toBe(3);
  });
});
