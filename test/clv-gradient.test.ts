import { describe, it, expect } from "vitest";
import { BetaGeoModel, ModifiedBetaGeoModel, clvSpecial } from "../src";

// The analytic gradient of the BG/NBD / MBG/NBD log-likelihood (what the fits use) against central
// differences of the log-likelihood itself, across parameter space and histories; ψ(z+n) − ψ(z)
// against its defining sum Σ_{k<n} 1/(z+k).
const { digammaRatio } = clvSpecial;

describe("digammaRatio = ψ(z+n) − ψ(z)", () => {
  it("equals Σ_{k<n} 1/(z+k) (summed smallest first) to 1e-13 relative, z from 1e-6 to 1e12, n up to 5000", () => {
    for (const z of [1e-6, 0.03, 0.5, 1, 2.7, 9.99, 14.5, 15, 37.2, 1e3, 1e6, 1e12]) for (const n of [1, 2, 3, 7, 30, 200, 5000]) {
      let want = 0;
      for (let k = n - 1; k >= 0; k--) want += 1 / (z + k);
      expect(Math.abs(digammaRatio(z, n) - want)).toBeLessThanOrEqual(1e-13 * want);
    }
    expect(digammaRatio(3.2, 0)).toBe(0);
    // huge z: n/z − n(n−1)/(2z²) to first order, no cancellation
    expect(digammaRatio(1e15, 3) / (3e-15 - 3e-30)).toBeCloseTo(1, 12);
  });
});

describe("BG/NBD log-likelihood gradient", () => {
  const PARAMS = [[0.24, 4.4, 0.79, 2.4], [3, 0.5, 12, 0.2], [0.01, 100, 0.05, 40], [50, 2, 1e3, 3e3], [1.2, 0.02, 0.3, 0.6]];
  const HIST = [[0, 0, 10], [1, 3, 10], [7, 20.5, 38.86], [150, 50, 52], [2, 0.01, 80], [30, 39, 39], [1, 0.001, 0.002]];
  for (const shift of [0, 1]) {
    it(`matches central differences of the log-likelihood to 1e-5 relative (${shift ? "MBG/NBD" : "BG/NBD"}; ${PARAMS.length} parameter points × ${HIST.length} histories)`, () => {
      for (const p of PARAMS) for (const [x, tx, T] of HIST) {
        const g = new Float64Array(4);
        const ll = BetaGeoModel.logLikelihoodGradient(p, x, tx, T, shift, 2, g);
        const ref = BetaGeoModel.logLikelihood(p, x, tx, T, shift);
        expect(Math.abs(ll - ref)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(ref)));
        for (let i = 0; i < 4; i++) {
          const h = 1e-5 * p[i], pp = [...p], pm = [...p];
          pp[i] += h; pm[i] -= h;
          const num = (BetaGeoModel.logLikelihood(pp, x, tx, T, shift) - BetaGeoModel.logLikelihood(pm, x, tx, T, shift)) / (2 * h);
          // g holds the weight (2) times the partial
          expect(Math.abs(g[i] / 2 - num)).toBeLessThanOrEqual(1e-5 * Math.max(1e-2, Math.abs(num)));
        }
      }
    });
  }
  it("fits with it reach the maximum: the fitted parameters zero the central-difference gradient of the total log-likelihood", () => {
    // planted data from the BG/NBD process (seeded LCG): 3,000 customers over 40 weeks
    let s = 12345;
    const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
    const gamma = (k: number) => { // Marsaglia–Tsang for k ≥ 1, boosted below 1
      const b = k < 1 ? k + 1 : k, d = b - 1 / 3, c = 1 / Math.sqrt(9 * d);
      for (;;) { const z = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()), v = (1 + c * z) ** 3; if (v > 0 && Math.log(u()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return k < 1 ? d * v * u() ** (1 / k) : d * v; }
    };
    const f: number[] = [], r: number[] = [], T: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const lam = gamma(0.5) / 2, ga = gamma(1.2), gb = gamma(3), p = ga / (ga + gb), Ti = 20 + 20 * u();
      let t = 0, x = 0, last = 0;
      for (;;) { t += -Math.log(u()) / lam; if (t > Ti) break; x++; last = t; if (u() < p) break; }
      f.push(x); r.push(last); T.push(Ti);
    }
    for (const M of [BetaGeoModel, ModifiedBetaGeoModel]) {
      const m = new M().fit({ frequency: f, recency: r, T });
      expect(m.convergence_!.converged).toBe(true);
      const p = Array.from(m.params_!);
      const shift = M === ModifiedBetaGeoModel ? 1 : 0;
      const tot = (q: number[]) => { let t = 0; for (let i = 0; i < f.length; i++) t += BetaGeoModel.logLikelihood(q, f[i], r[i], T[i], shift); return t; };
      for (let i = 0; i < 4; i++) {
        const h = 1e-4 * p[i], pp = [...p], pm = [...p];
        pp[i] += h; pm[i] -= h;
        // d total / d log θ: at the optimum within 1e-4 per customer
        expect(Math.abs(((tot(pp) - tot(pm)) / (2 * h)) * p[i]) / f.length).toBeLessThan(1e-4);
      }
    }
  });
});
