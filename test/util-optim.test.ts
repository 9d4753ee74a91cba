import { describe, it, expect } from "vitest";
import { minimizeFista, minimizeLbfgs } from "../src/util/optim";

// Rosenbrock: minimum f = 0 at (1, 1) (closed form).
const rosen = (x: Float64Array, g: Float64Array) => {
  const a = 1 - x[0], b = x[1] - x[0] * x[0];
  g[0] = -2 * a - 400 * x[0] * b; g[1] = 200 * b;
  return a * a + 100 * b * b;
};

describe("minimizeLbfgs (shared by models and text)", () => {
  it("reaches the Rosenbrock minimum with either first-step rule", () => {
    for (const firstStep of ["l2", "inf"] as const) {
      const iters: number[] = [];
      const r = minimizeLbfgs(rosen, Float64Array.of(-1.2, 1), { firstStep, gtol: 1e-9, ftol: 0, maxLineSearch: 60, onIter: (it) => iters.push(it) });
      expect(r.converged).toBe(true);
      expect(r.stopReason).toBe("gtol");
      expect(r.x[0]).toBeCloseTo(1, 7);
      expect(r.x[1]).toBeCloseTo(1, 7);
      expect(iters).toEqual(Array.from({ length: r.iterations }, (_, i) => i + 1));
      expect(r.evaluations).toBeGreaterThan(r.iterations);
    }
  });

  it("stops at x0 when the gradient is already small, and reports a failed line search", () => {
    const quad = (x: Float64Array, g: Float64Array) => { g[0] = 2 * x[0]; return x[0] * x[0]; };
    const at = minimizeLbfgs(quad, Float64Array.of(1e-9));
    expect([at.iterations, at.evaluations, at.stopReason, at.converged]).toEqual([0, 1, "gtol", true]);
    // a gradient that points uphill: no step length decreases f
    const wrong = (x: Float64Array, g: Float64Array) => { g[0] = -2e6 * x[0]; return x[0] * x[0]; };
    const r = minimizeLbfgs(wrong, Float64Array.of(1e-10), { maxLineSearch: 40 });
    expect([r.iterations, r.evaluations, r.stopReason, r.converged]).toEqual([0, 41, "lineSearch", false]);
    expect(r.x[0]).toBe(1e-10);
  });
});

describe("minimizeFista", () => {
  it("matches the soft-thresholding closed form on a separable quadratic", () => {
    // f = Σ ½aᵢ(xᵢ − cᵢ)², penalty Σ λᵢ|xᵢ|  →  xᵢ = sign(cᵢ)·max(|cᵢ| − λᵢ/aᵢ, 0)
    const a = [1, 2, 3, 4, 5], c = [0.5, -1, 2, 0.1, -3], lam = Float64Array.of(0, 0.5, 3, 1, 6);
    const r = minimizeFista((x, g) => {
      let f = 0;
      for (let i = 0; i < 5; i++) { f += 0.5 * a[i] * (x[i] - c[i]) ** 2; g[i] = a[i] * (x[i] - c[i]); }
      return f;
    }, new Float64Array(5), lam, { tol: 1e-10 });
    expect(r.converged).toBe(true);
    const expected = c.map((ci, i) => Math.sign(ci) * Math.max(Math.abs(ci) - lam[i] / a[i], 0));
    for (let i = 0; i < 5; i++) expect(r.x[i]).toBeCloseTo(expected[i], 8);
    expect(r.x[3]).toBe(0); // exact zero, not just small
  });
});
