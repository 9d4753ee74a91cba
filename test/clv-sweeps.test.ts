/**
 * CLV oracle sweeps (issue #15): every model quantity over a grid of parameters against an
 * independent computation, plus the invariants every point must satisfy.
 *
 * Oracles
 * - test/fixtures/clv/btyd_oracles.json, made by test/fixtures/clv/make_btyd_oracles.py (mpmath,
 *   25 digits): numerical integration over the mixing distributions written from the generative
 *   processes (see the script's docstring). Tolerance: 1e-6 relative on every point.
 * - Monte Carlo here (seed 42) from the Gamma-Gamma generative process. Tolerance: 3 standard errors per point.
 * - Invariants on every grid point: E[X(t)] ≥ 0 and non-decreasing in t (conditional E too), P(alive) ∈ [0, 1].
 * BG/NBD and MBG/NBD's conditional expectation, P(alive) and pmf, and Pareto/NBD's P(no purchase), are swept in
 * test/clv-sweeps-conditional.test.ts (an integration over p with breakpoints around the posterior mass, 1e-6).
 *
 * Grids (from the script; 240 points per model and quantity, 40 in each category):
 *   BG/NBD, MBG/NBD: "mix<1" = a + b < 1, "r<1", "alpha>=1e4" (α ∈ [1e4, 1e7]), "t->0" (t ∈ {1e-6, 1e-4,
 *   1e-3}), "t=500", "generic"; otherwise r, a, b ∈ logU(0.05, 5), α ∈ logU(0.01, 100), t ∈ logU(0.1, 200),
 *   x ∈ {0, 1, 2, 5, 20, 100}, T ∈ logU(0.5, 200), t_x ∈ U(0, T). Points 0 and 6 are the defect report's
 *   (r 1.234, α 8.38, a 0.07855 / 0.3, b 0.6163 / 0.6, t 20).
 *   Pareto/NBD: the same with "mix<1" = s < 1 and half of "alpha>=1e4" with β ∈ [1e4, 1e7] too.
 *   Gamma-Gamma: 240 points, p ∈ logU(0.3, 20), q ∈ logU(1.05, 20) (a third in logU(0.2, 1.05)),
 *   v ∈ logU(0.1, 1000), x ∈ {1, 2, 3, 5, 10, 50, 200}, m̄ ∈ logU(0.1, 1e4).
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel, GammaGammaModel } from "../src/clv/models";
import { createRng } from "../src/util/random";

interface Pt { cat: string; p: [number, number, number, number]; t: number; x: number; tx: number; T: number; E: number; cond: number; palive: number }
interface GgPt { p: [number, number, number]; x: number; m: number; spend: number | null }
const FX = JSON.parse(readFileSync(new URL("./fixtures/clv/btyd_oracles.json", import.meta.url), "utf8")) as { bgnbd: Pt[]; mbgnbd: Pt[]; pareto: Pt[]; gammagamma: GgPt[] };
// BG/NBD and MBG/NBD points carry E only (their cond / palive come from Pareto/NBD alone, see the script)

const REL = 1e-6;
const rel = (got: number, want: number) => (got === want ? 0 : Math.abs(got - want) / Math.abs(want));
const hist = (pt: Pt) => ({ frequency: [pt.x], recency: [pt.tx], T: [pt.T] });

type AnyModel = BetaGeoModel | ParetoNBDModel;
const MODELS: [string, Pt[], (p: Pt["p"]) => AnyModel][] = [
  ["BG/NBD", FX.bgnbd, ([r, alpha, a, b]) => BetaGeoModel.fromParams({ r, alpha, a, b })],
  ["MBG/NBD", FX.mbgnbd, ([r, alpha, a, b]) => ModifiedBetaGeoModel.fromParams({ r, alpha, a, b })],
  ["Pareto/NBD", FX.pareto, ([r, alpha, s, beta]) => ParetoNBDModel.fromParams({ r, alpha, s, beta })],
];

/** Worst relative error of `got(pt)` against `want(pt)` over the grid; every point within REL. */
function sweep(name: string, pts: Pt[], got: (pt: Pt) => number, want: (pt: Pt) => number): void {
  let worst = 0, at: Pt | null = null;
  const bad: string[] = [];
  for (const pt of pts) {
    const e = rel(got(pt), want(pt));
    if (!(e <= worst)) { worst = e; at = pt; }
    if (!(e <= REL)) bad.push(`${pt.cat} ${JSON.stringify(pt.p)} x=${pt.x} tx=${pt.tx} T=${pt.T} t=${pt.t}: ${got(pt)} vs ${want(pt)}`);
  }
  console.log(`${name}: ${pts.length} points, worst relative error ${worst.toExponential(2)} (${at?.cat})`);
  expect(bad.slice(0, 5)).toEqual([]);
}

describe.each(MODELS)("%s against numerical integration over the mixing distributions (1e-6 relative)", (name, pts, make) => {
  it("covers ≥ 200 points and every region of the grid", () => {
    expect(pts.length).toBeGreaterThanOrEqual(200);
    for (const c of ["mix<1", "r<1", "alpha>=1e4", "t->0", "t=500", "generic"]) expect(pts.filter((p) => p.cat === c).length).toBeGreaterThanOrEqual(40);
    if (name !== "Pareto/NBD") expect(pts.filter((p) => p.p[2] + p.p[3] < 1).length).toBeGreaterThanOrEqual(40);
  });
  it("E[X(t)]", () => sweep(`${name} E[X(t)]`, pts, (pt) => make(pt.p).expectedPurchases(pt.t), (pt) => pt.E));
  // BG/NBD and MBG/NBD: conditional E and P(alive) in clv-sweeps-conditional.test.ts
  if (name === "Pareto/NBD") it("E[Y(t) | x, t_x, T]", () => sweep(`${name} conditional E`, pts, (pt) => make(pt.p).conditionalExpectedPurchases(pt.t, hist(pt))[0], (pt) => pt.cond));
  if (name === "Pareto/NBD") it("P(alive | x, t_x, T)", () => sweep(`${name} P(alive)`, pts, (pt) => make(pt.p).probabilityAlive(hist(pt))[0], (pt) => pt.palive));
  it("invariants: E[X(t)] ≥ 0 and non-decreasing in t, conditional E too, P(alive) ∈ [0, 1]", () => {
    const ts = [0, 1e-8, 1e-6, 1e-4, 1e-2, 0.5, 1, 5, 20, 52, 100, 250, 500, 1000];
    for (const pt of pts) {
      const m = make(pt.p);
      let prev = 0, prevC = 0;
      for (const t of ts) {
        const e = m.expectedPurchases(t), c = m.conditionalExpectedPurchases(t, hist(pt))[0];
        expect(e).toBeGreaterThanOrEqual(prev * (1 - 1e-12));
        expect(c).toBeGreaterThanOrEqual(prevC * (1 - 1e-12));
        prev = e; prevC = c;
      }
      const pa = m.probabilityAlive(hist(pt))[0];
      expect(pa).toBeGreaterThanOrEqual(0);
      expect(pa).toBeLessThanOrEqual(1);
    }
  });
});




describe("Gamma-Gamma conditional expected spend", () => {
  it("matches numerical integration over ν (mpmath fixture, 240 points, 1e-6 relative); NaN where p x + q ≤ 1", () => {
    let worst = 0;
    for (const g of FX.gammagamma) {
      const [p, q, v] = g.p;
      const got = GammaGammaModel.fromParams({ p, q, v }).conditionalExpectedAverageSpend({ frequency: [g.x], monetary: [g.m] })[0];
      if (g.spend === null) { expect(got, `p x + q = ${p * g.x + q} ≤ 1: E[1/ν] = ∞`).toBeNaN(); continue; }
      const e = rel(got, g.spend);
      worst = Math.max(worst, e);
      expect(e).toBeLessThanOrEqual(REL);
    }
    console.log(`Gamma-Gamma: ${FX.gammagamma.length} points, worst relative error ${worst.toExponential(2)}`);
    expect(FX.gammagamma.length).toBeGreaterThanOrEqual(200);
  });
  it("is unbiased for the true mean spend p/ν under the generative process (Monte Carlo, 200 points, 3 standard errors)", () => {
    // ν ~ Gamma(q, v); x purchases of Gamma(p, ν) each; predicted E[p/ν | x, m̄] averaged over customers
    // equals the average of the true p/ν (tower property). q ∈ logU(4, 20) so p/ν has finite moments up to the 4th
    // and the standard error itself is reliable.
    const rng = createRng(42);
    const lu = (lo: number, hi: number) => Math.exp(Math.log(lo) + rng.next() * Math.log(hi / lo));
    let worstZ = 0, sumZ2 = 0;
    const P = 200, N = 2000;
    for (let i = 0; i < P; i++) {
      const p = lu(0.3, 20), q = lu(4, 20), v = lu(0.1, 1000), x = [1, 2, 3, 5, 10, 50][i % 6];
      const gg = GammaGammaModel.fromParams({ p, q, v });
      const freq = new Float64Array(N).fill(x), mon = new Float64Array(N), truth = new Float64Array(N);
      for (let k = 0; k < N; k++) {
        const nu = rng.gamma(q) / v;
        mon[k] = rng.gamma(p * x) / nu / x;
        truth[k] = p / nu;
      }
      const pred = gg.conditionalExpectedAverageSpend({ frequency: freq, monetary: mon });
      let s = 0, s2 = 0;
      for (let k = 0; k < N; k++) { const d = truth[k] - pred[k]; s += d; s2 += d * d; }
      const mean = s / N, se = Math.sqrt((s2 / N - mean * mean) / (N - 1));
      const z = Math.abs(mean) / se;
      worstZ = Math.max(worstZ, z); sumZ2 += z * z;
      expect(Math.abs(mean)).toBeLessThanOrEqual(3 * se);
    }
    console.log(`Gamma-Gamma unbiasedness vs Monte Carlo: ${P} points × ${N} customers, worst |z| ${worstZ.toFixed(2)}, mean z² ${(sumZ2 / P).toFixed(3)}`);
    expect(sumZ2 / P).toBeLessThan(1.5);
  });
});
