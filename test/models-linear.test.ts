import { describe, expect, it } from "vitest";
import { LogisticRegression } from "../src/models";
import { fromArrays } from "../src/util/matrix";

// Same toy data as the scikit-learn 1.2.1 reference (see comments below for the script).
const n = 40;
const X = fromArrays(Array.from({ length: n }, (_, i) => [Math.sin(i * 1.3) * 2, Math.cos(i * 0.7) + (0.1 * i) / n, ((i * 37) % 11) / 5 - 1]));
const yb = [0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1];
const ym = [0, 2, 0, 0, 0, 1, 0, 2, 0, 0, 0, 1, 2, 1, 0, 1, 1, 1, 2, 1, 0, 1, 1, 1, 2, 1, 0, 1, 1, 1, 2, 1, 0, 1, 2, 2, 2, 0, 2, 1];

// /usr/bin/python3: LogisticRegression(C=1.0, tol=1e-12, max_iter=100000).fit(X, y)  (lbfgs)
const SK_BIN = { coef: [1.947619413549101, 0.4408136845836238, -0.25768128631789894], intercept: [-0.6722681452552337] };
const SK_MULTI = {
  coef: [-0.1819407568663361, 0.06942449016779308, -0.26215416396338764, -0.0004304307063044569, -0.4213948526663931, -0.17061410691222825, 0.18237118757264062, 0.3519703624985997, 0.4327682708756157],
  intercept: [0.01657570946165363, 0.3296748887043576, -0.34625059816601006],
};
// class_weight="balanced"
const SK_MULTI_BAL = {
  coef: [-0.1844990864396459, 0.05961002827803768, -0.28243559679801766, 0.0044423397457183525, -0.42815102345578543, -0.19161190449912288, 0.18005674669392777, 0.3685409951777477, 0.4740475012971406],
  intercept: [0.02178681851453575, 0.06912741969218548, -0.09091423820672064],
};
// numpy Newton on the same objective (coef ×3, intercept), gradient 2e-16
const NEWTON_BIN = [1.9476132932199934, 0.4408359973243138, -0.25767413492178537, -0.6722714329777127];
// LogisticRegression(C=0.3, penalty="l1", solver="saga", tol=1e-12)
const SK_L1 = { coef: [1.5686109987924188, 0, 0], intercept: [-0.47400255691590215] };

function close(a: ArrayLike<number>, b: number[], tol: number) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol);
}

describe("LogisticRegression vs scikit-learn", () => {
  it("binary L2 (C=1) matches lbfgs to 1e-4 and the exact Newton optimum to 1e-6", () => {
    const m = new LogisticRegression({ C: 1 }).fit(X, yb);
    close(m.coef_!, SK_BIN.coef, 1e-4);
    close(m.intercept_!, SK_BIN.intercept, 1e-4);
    // sklearn's lbfgs stops at ‖∇‖∞ ≈ 6e-5 (scipy ftol); 50 numpy Newton steps reach ‖∇‖∞ = 2e-16:
    close(m.coef_!, NEWTON_BIN.slice(0, 3), 1e-6);
    close(m.intercept_!, NEWTON_BIN.slice(3), 1e-6);
    expect(m.converged_).toBe(true);
  });
  it("multinomial L2 matches lbfgs to 1e-4", () => {
    const m = new LogisticRegression().fit(X, ym);
    close(m.coef_!, SK_MULTI.coef, 1e-4);
    close(m.intercept_!, SK_MULTI.intercept, 1e-4);
    const p = m.predictProba(X);
    expect(p.length).toBe(n * 3);
    for (let i = 0; i < n; i++) expect(p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2]).toBeCloseTo(1, 12);
  });
  it("balanced class weights match scikit-learn", () => {
    const m = new LogisticRegression({ classWeight: "balanced" }).fit(X, ym);
    close(m.coef_!, SK_MULTI_BAL.coef, 1e-4);
    close(m.intercept_!, SK_MULTI_BAL.intercept, 1e-4);
  });
  it("L1 gives exact zeros and matches saga", () => {
    const m = new LogisticRegression({ penalty: "l1", C: 0.3 }).fit(X, yb);
    expect(m.coef_![1]).toBe(0);
    expect(m.coef_![2]).toBe(0);
    close(m.coef_!, SK_L1.coef, 1e-4);
    close(m.intercept_!, SK_L1.intercept, 1e-4);
  });
  it("round-trips through JSON and predicts labels", () => {
    const m = new LogisticRegression().fit(X, ym);
    const m2 = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(Array.from(m2.predictProba(X))).toEqual(Array.from(m.predictProba(X)));
    const acc = m.predict(X).reduce((s, v, i) => s + (v === ym[i] ? 1 : 0), 0) / n;
    expect(acc).toBeGreaterThan(0.4);
  });
});
