import { describe, it, expect } from "vitest";
import { minimizeFista, minimizeLbfgs, numericGradient, numericObjective } from "../src/util/optim";

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

describe("minimizeLbfgs with the CLV options (numerical gradients, capped steps, stall diagnostics)", () => {
  const rosenF = (x: Float64Array) => (1 - x[0]) ** 2 + 100 * (x[1] - x[0] * x[0]) ** 2;
  const clv = { firstStep: "inf", resetStep: "scaled", curvature: "relative", onLineSearchFailure: "restart", gtolCheck: "before-step", stallWindow: 10, maxLineSearch: 60 } as const;

  it("numericGradient matches the analytic Rosenbrock gradient at several points", () => {
    for (const p of [[-1.2, 1], [0, 0], [2, -3], [0.5, 0.25]]) {
      const x = Float64Array.from(p), g = new Float64Array(2);
      rosen(x, g);
      const ng = numericGradient(rosenF, x);
      for (let i = 0; i < 2; i++) expect(Math.abs(ng[i] - g[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(g[i])));
    }
  });

  it("reaches the Rosenbrock minimum from numerical gradients, each direction capped at maxStep", () => {
    for (const maxStep of [0.05, 0.5, 2]) {
      const xs: number[][] = [];
      let prev = Float64Array.of(-1.2, 1);
      const obj = numericObjective(rosenF);
      const r = minimizeLbfgs({ value: obj.value, gradient: (x, g) => { xs.push([x[0] - prev[0], x[1] - prev[1]]); prev = Float64Array.from(x); obj.gradient(x, g); } },
        Float64Array.of(-1.2, 1), { ...clv, gtol: 1e-7, ftol: 1e-13, ftolGradient: Math.sqrt(1e-7), maxStep, maxIter: 2000 });
      expect(r.converged).toBe(true);
      expect(r.x[0]).toBeCloseTo(1, 5);
      expect(r.x[1]).toBeCloseTo(1, 5);
      expect(r.gradientNorm).toBeLessThan(1e-3);
      // the gradient is taken once per accepted point: the start, then one per iteration
      expect(xs.length).toBe(r.iterations + 1);
      for (const d of xs.slice(1)) expect(Math.max(Math.abs(d[0]), Math.abs(d[1]))).toBeLessThanOrEqual(maxStep * (1 + 1e-12));
    }
  });

  it("reports a stall when the optimum lies at infinity, and a non-finite start at once", () => {
    // f = e^(−x₀) + (x₁ − 1)²: the infimum is at x₀ → ∞
    const r = minimizeLbfgs(numericObjective((x) => Math.exp(-x[0]) + (x[1] - 1) ** 2), Float64Array.of(0, 0), { ...clv, gtol: 1e-30, ftol: 1e-13, ftolGradient: 1e-15, maxStep: 2 });
    expect(r.stopReason).toBe("stall");
    expect(r.converged).toBe(false);
    expect(r.x[0]).toBeGreaterThan(15);
    expect(r.x[1]).toBeCloseTo(1, 6);
    const bad = minimizeLbfgs(numericObjective(() => NaN), Float64Array.of(0), clv);
    expect([bad.stopReason, bad.iterations, bad.evaluations, bad.converged]).toEqual(["notFinite", 0, 1, false]);
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
