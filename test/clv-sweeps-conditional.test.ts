/**
 * CLV oracle sweeps, conditional quantities and distributions (issue #15), beside test/clv-sweeps.test.ts.
 *
 * Oracles
 * - test/fixtures/clv/btyd_conditional.json, made by test/fixtures/clv/make_btyd_conditional.py (mpmath, 20 digits):
 *   numerical integration over the mixing distributions written from the generative processes (the script's
 *   docstring), cross-checked there against mpmath's Beta function, its hyp2f1 closed form and Σ pmf = 1.
 *   Tolerance: 1e-6 relative on every point.
 * - Monte Carlo here (seeded): the BG/NBD and MBG/NBD generative processes for a new customer (the pmf), and the
 *   Pareto/NBD posterior given the history (P(no purchase)). Tolerance: 3 standard errors per point, with the
 *   mean z² over the points below 1.5 (a too-wide spread is a bug even when no point is past 3 SE). For the pmf a
 *   point past 3 SE is simulated again independently with 16× the customers and must then be within 3 SE (with 260
 *   points one chance excursion past 3 SE is likely; a real error does not pass the rerun).
 * - Σₙ P(X(t) = n) = 1 and Σₙ n P(X(t) = n) = E[X(t)] (the mpmath value of btyd_oracles.json), 1e-6.
 *
 * Grids: the 240 points per model of btyd_oracles.json (a + b < 1, r < 1, α ≥ 1e4, t → 0, t = 500, generic; 40
 * each; x ∈ {0, 1, 2, 5, 20, 100}, T ∈ logU(0.5, 200), t_x ∈ U(0, T)). pmf at n ∈ {0, 1, 2, 3, 5, 10, 20}. The pmf
 * Monte Carlo draws its own 260 points (written in the test) where the counts are not degenerate.
 *
 * Defects these sweeps found and the fixes: Pareto/NBD P(no purchase) was off by up to 1.4e-4 relative (a fixed
 * 48-point Gauss–Legendre rule; now adaptive, worst 1e-10); the pmf's negative binomial tail was a sum of O(n) terms
 * each O(n) (now the regularised incomplete Beta, so Σₙ over thousands of n runs in seconds).
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel } from "../src/clv/models";
import { logBetaIncReg } from "../src/clv/special";
import { createRng } from "../src/util/random";

interface Pt { cat: string; p: [number, number, number, number]; t: number; x: number; tx: number; T: number; palive: number; cond: number; pmf: number[]; pnone: number; pnoneAlive: number }
const FX = JSON.parse(readFileSync(new URL("./fixtures/clv/btyd_conditional.json", import.meta.url), "utf8")) as { bgnbd: Pt[]; mbgnbd: Pt[]; pareto: Pt[]; ns: number[] };
const E = JSON.parse(readFileSync(new URL("./fixtures/clv/btyd_oracles.json", import.meta.url), "utf8")) as Record<"bgnbd" | "mbgnbd", { E: number }[]>;

const REL = 1e-6;
const rel = (got: number, want: number) => (got === want ? 0 : Math.abs(got - want) / Math.abs(want));
const hist = (pt: Pt) => ({ frequency: [pt.x], recency: [pt.tx], T: [pt.T] });

function sweep(name: string, n: number, got: (i: number) => number, want: (i: number) => number, where: (i: number) => string): void {
  let worst = 0;
  const bad: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = got(i), w = want(i), e = rel(g, w);
    if (!(e <= worst)) worst = e;
    if (!(e <= REL)) bad.push(`${where(i)}: ${g} vs ${w}`);
  }
  console.log(`${name}: ${n} values, worst relative error ${worst.toExponential(2)}`);
  expect(bad.slice(0, 5)).toEqual([]);
}

const BG: [string, Pt[], (p: number[]) => BetaGeoModel, number, "bgnbd" | "mbgnbd"][] = [
  ["BG/NBD", FX.bgnbd, ([r, alpha, a, b]) => BetaGeoModel.fromParams({ r, alpha, a, b }), 0, "bgnbd"],
  ["MBG/NBD", FX.mbgnbd, ([r, alpha, a, b]) => ModifiedBetaGeoModel.fromParams({ r, alpha, a, b }), 1, "mbgnbd"],
];
const where = (pts: Pt[]) => (i: number) => { const pt = pts[i]; return `${pt.cat} ${JSON.stringify(pt.p)} x=${pt.x} tx=${pt.tx} T=${pt.T} t=${pt.t}`; };

describe.each(BG)("%s against numerical integration over p (1e-6 relative)", (name, pts, make, shift, key) => {
  it("covers ≥ 200 points and every region of the grid, a + b < 1 included", () => {
    expect(pts.length).toBeGreaterThanOrEqual(200);
    for (const c of ["mix<1", "r<1", "alpha>=1e4", "t->0", "t=500", "generic"]) expect(pts.filter((p) => p.cat === c).length).toBeGreaterThanOrEqual(40);
    expect(pts.filter((p) => p.p[2] + p.p[3] < 1).length).toBeGreaterThanOrEqual(40);
    expect(pts.filter((p) => p.x >= 20).length).toBeGreaterThanOrEqual(40);
  });
  it("P(alive | x, t_x, T)", () => sweep(`${name} P(alive)`, pts.length, (i) => make(pts[i].p).probabilityAlive(hist(pts[i]))[0], (i) => pts[i].palive, where(pts)));
  it("E[Y(t) | x, t_x, T]", () => sweep(`${name} conditional E`, pts.length, (i) => make(pts[i].p).conditionalExpectedPurchases(pts[i].t, hist(pts[i]))[0], (i) => pts[i].cond, where(pts)));
  it("P(X(t) = n) of a new customer, n ∈ {0, 1, 2, 3, 5, 10, 20}", () => {
    const ns = FX.ns, m = ns.length;
    sweep(`${name} pmf`, pts.length * m, (j) => make(pts[Math.floor(j / m)].p).probabilityOfPurchases(ns[j % m], pts[Math.floor(j / m)].t), (j) => pts[Math.floor(j / m)].pmf[j % m], (j) => `${where(pts)(Math.floor(j / m))} n=${ns[j % m]}`);
  });

  it("Σₙ P(X(t) = n) = 1 and Σₙ n P(X(t) = n) = E[X(t)] (1e-6), summed until the negative binomial tail bound is below 1e-13", () => {
    // P(X(t) ≥ n) ≤ P(N(t) ≥ n) = I_q(n, r), q = t/(α + t): the sum stops when that bound (times n for the mean) is negligible.
    // Points whose N(t) tail is too long to sum (decay length (α + t)/α past 2,000 purchases) are left to the other sweeps.
    let done = 0, worstSum = 0, worstMean = 0, terms = 0;
    const bad: string[] = [];
    const t0 = Date.now();
    pts.forEach((pt, i) => {
      const [r, alpha] = pt.p;
      if ((alpha + pt.t) / alpha > 2000) return;
      const m = make(pt.p), lq = Math.log(pt.t / (alpha + pt.t)), l1q = Math.log(alpha / (alpha + pt.t));
      let sum = 0, mean = 0, n = 0;
      for (; ; n++) {
        const v = m.probabilityOfPurchases(n, pt.t);
        sum += v; mean += n * v;
        if (n > 10 && logBetaIncReg(n + 1, r, lq, l1q) + Math.log(n + 1) < -13 * Math.LN10) break;
      }
      terms += n + 1;
      done++;
      const es = Math.abs(sum - 1), em = rel(mean, E[key][i].E);
      worstSum = Math.max(worstSum, es); worstMean = Math.max(worstMean, em);
      if (!(es <= REL) || !(em <= REL)) bad.push(`${where(pts)(i)}: Σ ${sum}, Σ n·P ${mean} vs E ${E[key][i].E} (${n + 1} terms)`);
    });
    console.log(`${name} pmf sums: ${done} points, ${terms} terms in ${Date.now() - t0} ms; worst |Σ − 1| ${worstSum.toExponential(2)}, worst mean error ${worstMean.toExponential(2)}`);
    expect(done).toBeGreaterThanOrEqual(200);
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it("P(X(t) = n) matches the generative process (Monte Carlo, 260 points × 20,000 customers, 3 SE; a point past 3 SE must pass a 16× larger independent rerun)", () => {
    // Its own seeded grid, where the counts are not degenerate: r, a, b ∈ logU(0.05, 5) (a third with a + b < 1, a
    // third with r < 1), α ∈ logU(0.01, 1e5), and t such that E[λ t] = r t/α ∈ logU(0.1, 50).
    // λ ~ Gamma(r, α), p ~ Beta(a, b); purchases at Poisson rate λ (exponential gaps) in (0, t]; after each one
    // (MBG/NBD: also at time 0) she drops out with probability p. Counts above 20 are pooled (only n ≤ 20 is compared).
    // One n per point (so "3 SE" is one test per point), rotating through {0, 1, 2, 3, 5, 10, 20} from the point's
    // index, the first whose expected count is large enough for the normal approximation (N P (1 − P) ≥ 25).
    const rng = createRng(42);
    const lu = (lo: number, hi: number) => Math.exp(Math.log(lo) + rng.next() * Math.log(hi / lo));
    const N = 20_000, ns = [0, 1, 2, 3, 5, 10, 20], P = 260;
    let worstZ = 0, sumZ2 = 0, k = 0;
    const bad: string[] = [], retried: string[] = [];
    const hist = new Float64Array(22);
    for (let i = 0; i < P; i++) {
      let r = lu(0.05, 5), a = lu(0.05, 5), b = lu(0.05, 5);
      if (i % 3 === 1) { a = 0.02 + 0.93 * rng.next(); b = 0.02 + (0.96 - a) * rng.next(); }
      if (i % 3 === 2) r = lu(0.02, 1);
      const alpha = lu(0.01, 1e5), t = (lu(0.1, 50) * alpha) / r;
      const m = make([r, alpha, a, b]);
      let n = -1, want = 0;
      for (let j = 0; j < ns.length && n < 0; j++) {
        const nn = ns[(i + j) % ns.length], pp = m.probabilityOfPurchases(nn, t);
        if (N * pp * (1 - pp) >= 25) { n = nn; want = pp; }
      }
      if (n < 0) continue;
      const simulate = (count: number, g: typeof rng): number => {
        hist.fill(0);
        for (let c = 0; c < count; c++) {
          const lam = g.gamma(r) / alpha, p = g.beta(a, b);
          let x = 0;
          if (!(shift && g.next() < p)) {
            let time = 0;
            for (;;) {
              time += g.exponential(lam);
              if (!(time <= t)) break;
              x++;
              if (x > 20 || g.next() < p) break;
            }
          }
          hist[Math.min(x, 21)]++;
        }
        return hist[n] / count;
      };
      const zOf = (sim: number, count: number) => Math.abs(sim - want) / Math.sqrt((want * (1 - want)) / count);
      const sim = simulate(N, rng), z = zOf(sim, N);
      worstZ = Math.max(worstZ, z); sumZ2 += z * z; k++;
      if (z > 3) {
        // a point past 3 SE is simulated again, independently and with 16× the customers (a 4× smaller SE): a real
        // error stays past 3 SE (by more), one chance excursion (0.27% per point) does not come back twice
        const again = simulate(16 * N, createRng(1000 + i)), z2 = zOf(again, 16 * N);
        retried.push(`${name} r ${r} α ${alpha} a ${a} b ${b} t ${t} n=${n}: ${sim} vs ${want} (${z.toFixed(2)} SE), again ${again} (${z2.toFixed(2)} SE)`);
        if (!(z2 <= 3)) bad.push(retried[retried.length - 1]);
      }
    }
    console.log(`${name} pmf vs Monte Carlo: ${k} points × ${N} customers, worst |z| ${worstZ.toFixed(2)}, mean z² ${(sumZ2 / k).toFixed(3)}; simulated again: ${retried.join("; ") || "none"}`);
    expect(k).toBeGreaterThanOrEqual(200);
    expect(bad).toEqual([]);
    expect(sumZ2 / k).toBeLessThan(1.5);
  });
});

describe("Pareto/NBD P(no purchase in (T, T + t] | x, t_x, T)", () => {
  const pts = FX.pareto;
  const make = ([r, alpha, s, beta]: Pt["p"]) => ParetoNBDModel.fromParams({ r, alpha, s, beta });
  it("matches numerical integration over the death time (240 points, 1e-6 relative)", () => {
    expect(pts.length).toBeGreaterThanOrEqual(200);
    sweep("Pareto/NBD P(no purchase)", pts.length, (i) => make(pts[i].p).conditionalProbabilityNoPurchases(pts[i].t, hist(pts[i]))[0], (i) => pts[i].pnone, where(pts));
  });
  it("matches the posterior process (Monte Carlo, 20,000 draws per point, 3 SE)", () => {
    // alive with P(alive); then λ ~ Gamma(r + x, α + T), μ ~ Gamma(s, β + T), remaining lifetime ~ Exp(μ),
    // first purchase after T ~ Exp(λ): no purchase when it comes after min(lifetime, t).
    const rng = createRng(42);
    const N = 20_000;
    let worstZ = 0, sumZ2 = 0;
    const bad: string[] = [];
    for (const pt of pts) {
      const [r, alpha, s, beta] = pt.p;
      const m = make(pt.p), h = hist(pt);
      const pa = m.probabilityAlive(h)[0];
      let none = 0;
      for (let c = 0; c < N; c++) {
        if (rng.next() >= pa) { none++; continue; }
        const lam = rng.gamma(r + pt.x) / (alpha + pt.T), mu = rng.gamma(s) / (beta + pt.T);
        if (rng.exponential(lam) > Math.min(rng.exponential(mu), pt.t)) none++;
      }
      const want = m.conditionalProbabilityNoPurchases(pt.t, h)[0];
      const se = Math.sqrt(Math.max(want * (1 - want), 1e-300) / N);
      const z = Math.abs(none / N - want) / se;
      worstZ = Math.max(worstZ, z); sumZ2 += z * z;
      if (!(z <= 3)) bad.push(`${where(pts)(pts.indexOf(pt))}: simulated ${none / N} vs ${want} (${z.toFixed(2)} SE)`);
    }
    console.log(`Pareto/NBD P(no purchase) vs Monte Carlo: ${pts.length} points × ${N}, worst |z| ${worstZ.toFixed(2)}, mean z² ${(sumZ2 / pts.length).toFixed(3)}`);
    expect(bad).toEqual([]);
    expect(sumZ2 / pts.length).toBeLessThan(1.5);
  });
});
