/**
 * Survival estimators against statsmodels (Debian python3-statsmodels):
 * test/fixtures/survival/survival.json, made by test/fixtures/survival/make_survival.py.
 * Kaplan–Meier = SurvfuncRight (times, S(t), Greenwood SE, at risk, events, median) within 1e-9 on 150
 * random censored samples with ties; Cox PH = PHReg (Breslow and Efron ties) coefficients within 1e-4
 * (and standard errors, log-likelihood, baseline cumulative hazard) on 40 random problems.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { kaplanMeier, kaplanMeierByGroup, survivalAt, CoxPH } from "../src/survival";
import { estimatorFromJSON } from "../src/util/estimator";

interface KM { time: number[]; event: number[]; times: number[]; prob: number[]; se: number[]; risk: number[]; events: number[]; median: number | null }
interface CoxFit { params: number[]; bse: number[]; llf: number; bch_times: number[]; bch: number[] }
interface Cox { X: number[]; n: number; p: number; time: number[]; event: number[]; breslow: CoxFit; efron: CoxFit }
const FX = JSON.parse(readFileSync(new URL("./fixtures/survival/survival.json", import.meta.url), "utf8")) as { statsmodels: string; km: KM[]; cox: Cox[] };

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i]));
    worst = Math.max(worst, e);
    expect(e, `${what}[${i}] ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol);
  }
  return worst;
};

describe(`Kaplan–Meier = statsmodels ${FX.statsmodels} SurvfuncRight (${FX.km.length} samples, 1e-9)`, () => {
  it("event times, S(t), Greenwood SE, at risk, events, median", () => {
    let worst = 0, medians = 0;
    for (const [i, c] of FX.km.entries()) {
      const km = kaplanMeier(c.time, c.event);
      close(km.times, c.times, 0, `case ${i} times`);
      worst = Math.max(worst, close(km.survival, c.prob, 1e-9, `case ${i} S`));
      // statsmodels' SE is NaN where S reaches 0 (0/0); elsewhere Greenwood
      const se = Array.from(km.se), want = c.se.map((v) => (v === null ? NaN : v));
      for (let j = 0; j < se.length; j++) if (Number.isFinite(want[j])) expect(Math.abs(se[j] - want[j]), `case ${i} se ${j}`).toBeLessThanOrEqual(1e-9);
      close(km.atRisk, c.risk, 0, `case ${i} at risk`);
      close(km.events, c.events, 0, `case ${i} events`);
      if (c.median === null) expect(km.median).toBe(Infinity);
      else { medians++; expect(km.median, `case ${i} median`).toBe(c.median); }
    }
    expect(medians).toBeGreaterThan(50);
    console.log(`Kaplan–Meier: ${FX.km.length} samples, worst |ΔS| ${worst.toExponential(2)}`);
  });
  it("survivalAt steps, per-group curves, clear errors", () => {
    const km = kaplanMeier([5, 8, 8, 12, 20], [1, 1, 0, 1, 0]);
    expect(Array.from(survivalAt(km, [0, 5, 7, 8, 100])).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 0.8, 0.8, 0.6, 0.3]);
    const g = kaplanMeierByGroup([1, 2, 3, 4], [1, 1, 1, 0], ["a", "b", "a", "b"]);
    expect([...g.keys()]).toEqual(["a", "b"]);
    expect(Array.from(g.get("a")!.survival)).toEqual([0.5, 0]);
    expect(() => kaplanMeier([1, -2], [1, 1])).toThrow(/duration 1 is -2/);
    expect(() => kaplanMeier([1, 2], [1, 2])).toThrow(/event flag 1 is 2/);
  });
});

describe(`Cox PH = statsmodels ${FX.statsmodels} PHReg (${FX.cox.length} problems × Breslow/Efron)`, () => {
  for (const ties of ["breslow", "efron"] as const) {
    it(`${ties} ties: coefficients within 1e-4, SE, log-likelihood, baseline cumulative hazard`, () => {
      let worst = 0;
      for (const [i, c] of FX.cox.entries()) {
        const X = { data: Float64Array.from(c.X), rows: c.n, cols: c.p };
        const m = new CoxPH({ ties }).fit({ X, time: c.time, event: c.event });
        const want = c[ties];
        for (let j = 0; j < c.p; j++) { const e = Math.abs(m.coef_![j] - want.params[j]); worst = Math.max(worst, e); expect(e, `case ${i} β${j}`).toBeLessThanOrEqual(1e-4); }
        close(m.se_!, want.bse, 1e-4, `case ${i} se`);
        expect(Math.abs(m.logLikelihood_! - want.llf), `case ${i} llf`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want.llf)));
        if (ties === "breslow") {
          close(m.baselineTimes_!, want.bch_times, 0, `case ${i} baseline times`);
          // statsmodels reports H0 just before each event time (cumsum(h0) − h0); custlab's is right-continuous
          // (H0 at t includes the jump at t): the same jumps, one step apart
          const before = [0, ...Array.from(m.baselineCumHazard_!).slice(0, -1)];
          close(before, want.bch, 1e-4, `case ${i} baseline H0`);
        }
      }
      console.log(`Cox ${ties}: ${FX.cox.length} problems, worst |Δβ| ${worst.toExponential(2)}`);
    });
  }
  it("survival per row, median time, JSON round trip", () => {
    const c = FX.cox[0];
    const X = { data: Float64Array.from(c.X), rows: c.n, cols: c.p };
    const m = new CoxPH().fit({ X, time: c.time, event: c.event });
    const S = m.survivalAt(X, [0, 10, 30, 1e9]);
    for (let i = 0; i < c.n; i++) {
      expect(S[i * 4]).toBe(1);
      expect(S[i * 4 + 1]).toBeGreaterThanOrEqual(S[i * 4 + 2]);
    }
    const med = m.medianTime(X);
    for (let i = 0; i < c.n; i++) if (Number.isFinite(med[i])) expect(m.survivalAt({ data: X.data.subarray(i * c.p, (i + 1) * c.p), rows: 1, cols: c.p }, [med[i]])[0]).toBeLessThanOrEqual(0.5);
    const back = estimatorFromJSON(JSON.parse(JSON.stringify(m.toJSON()))) as CoxPH;
    expect(Array.from(back.survivalAt(X, [30]))).toEqual(Array.from(m.survivalAt(X, [30])));
  });
});
