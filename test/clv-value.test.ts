import { describe, it, expect } from "vitest";
import {
  BetaGeoModel, GammaGammaModel, summaryFromArrays, clvTable, medianTimeToNextPurchase, customerLifetimeValue, clvLifecycleSegments,
  frequencyRecencyFigure, probabilityAliveFigure, calibrationHoldoutComparison, calibrationHoldoutFigure, cumulativeTransactionsFigure, clvBySegmentFigure,
  frequencyMonetaryCorrelation, CLV_DAY_MS,
} from "../src";

// Published CDNOW BG/NBD and Gamma-Gamma parameters (weeks).
const bg = BetaGeoModel.fromParams({ r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 });
const gg = GammaGammaModel.fromParams({ p: 6.25, q: 3.74, v: 15.45 });
const s = summaryFromArrays({ frequency: [0, 1, 2, 6, 14], recency: [0, 1.71, 30.43, 20, 37.5], T: [38.86, 38.86, 38.86, 38.86, 38.86], monetary: [0, 11.77, 22.35, 40, 18], unit: "week" });
s.totalSpend.set([12, 25, 60, 250, 270]);
s.observationEnd = Date.UTC(1997, 8, 30);

describe("clvTable (Klaviyo-style per-customer values)", () => {
  const t = clvTable(s, bg, gg, { horizonDays: 365, churnHorizonDays: 90 });
  it("columns are the model quantities at the stated horizons", () => {
    const orders = bg.conditionalExpectedPurchases(365 / 7, s);
    const spend = gg.conditionalExpectedAverageSpend(s);
    const churn = bg.conditionalProbabilityNoPurchases(90 / 7, s);
    for (let i = 0; i < 5; i++) {
      expect(t.num("predicted_orders")[i]).toBeCloseTo(orders[i], 12);
      expect(t.num("predicted_clv")[i]).toBeCloseTo(orders[i] * spend[i], 9);
      expect(t.num("total_clv")[i]).toBeCloseTo(orders[i] * spend[i] + s.totalSpend[i], 9);
      expect(t.num("churn_probability")[i]).toBeCloseTo(churn[i], 12);
      expect(t.num("orders")[i]).toBe(s.frequency[i] + 1);
    }
    expect(Array.from(t.num("clv_percentile"))).toEqual(
      Array.from(t.num("predicted_clv"), (v) => { const arr = Array.from(t.num("predicted_clv")).sort((a, b) => a - b); return Math.round((1000 * arr.indexOf(v)) / 4) / 10; }));
  });
  it("the expected next order is the closed-form BG/NBD median wait A((1 − ½/P(alive))^(−1/(r+x)) − 1)", () => {
    const pa = bg.probabilityAlive(s);
    const w = medianTimeToNextPurchase(bg, s);
    const { r, alpha } = bg.params;
    for (let i = 0; i < 5; i++) {
      const A = alpha + s.T[i], k = r + s.frequency[i];
      const closed = pa[i] > 0.5 ? A * (Math.pow(1 - 0.5 / pa[i], -1 / k) - 1) : NaN;
      if (Number.isNaN(closed) || closed > 1e4) expect(Number.isNaN(w[i])).toBe(true);
      else expect(w[i] / closed).toBeCloseTo(1, 5);
      const date = t.num("expected_next_order")[i];
      if (Number.isFinite(closed) && closed <= 365 / 7) expect(Math.abs(date - (s.observationEnd + closed * 7 * CLV_DAY_MS))).toBeLessThanOrEqual(CLV_DAY_MS / 2);
      else expect(Number.isNaN(date)).toBe(true);
    }
  });
  it("a discounted table matches customerLifetimeValue month by month", () => {
    const d = clvTable(s, bg, gg, { horizonDays: 365.25, discountRate: 0.01 });
    const spend = gg.conditionalExpectedAverageSpend(s);
    // 12 monthly steps of 365.25/12 days = 4.348 weeks; lifetimes' CLV uses 4.345 weeks per month.
    const lt = customerLifetimeValue(bg, s, spend, { months: 12, discountRate: 0.01, unit: "week" });
    for (let i = 0; i < 5; i++) expect(Math.abs(d.num("predicted_clv")[i] / lt[i] - 1)).toBeLessThan(2e-3);
  });
  it("lifecycle labels follow their rules", () => {
    const seg = clvLifecycleSegments(t);
    const pct = t.num("clv_percentile"), pa = t.num("p_alive");
    seg.forEach((g, i) => {
      if (pct[i] >= 90) expect(g).toBe("top 10% predicted value");
      else if (s.frequency[i] === 0) expect(g).toBe("one-time buyer");
      else expect(g).toBe(pa[i] >= 0.5 ? "active repeat buyer" : "lapsing repeat buyer");
    });
  });
});

describe("clv figures and checks", () => {
  it("heatmaps hold the model's values on the frequency × recency grid", () => {
    const f = frequencyRecencyFigure(bg, 4, { T: 38.86, maxFrequency: 10, recencySteps: 4 });
    const z = f.data[0].z as number[][], xs = f.data[0].x as number[], ys = f.data[0].y as number[];
    expect(xs.length).toBe(11); expect(ys.length).toBe(5);
    expect(z[4][3]).toBeCloseTo(bg.conditionalExpectedPurchases(4, { frequency: [3], recency: [38.86], T: [38.86] })[0], 12);
    const p = probabilityAliveFigure(bg, { T: 38.86, maxFrequency: 10, recencySteps: 4 });
    const zp = p.data[0].z as number[][];
    expect(zp[0][0]).toBe(1);
    expect(zp[1][5]).toBeCloseTo(bg.probabilityAlive({ frequency: [5], recency: [38.86 / 4], T: [38.86] })[0], 12);
  });
  it("P(alive) and frequency/recency heatmaps default to the model's own calibration length (issue 15: T = 52 for 39 weeks)", () => {
    const T = Array.from({ length: 60 }, (_, i) => 30 + (i % 10) * 0.986); // ages up to 38.874 weeks
    const fitted = new BetaGeoModel().fit({ frequency: T.map((_, i) => i % 4), recency: T.map((t, i) => (i % 4 ? t * 0.6 : 0)), T });
    expect(fitted.calibrationT_).toBeCloseTo(38.874, 12);
    for (const fig of [probabilityAliveFigure(fitted, { recencySteps: 4 }), frequencyRecencyFigure(fitted, 1, { recencySteps: 4 })]) {
      expect((fig.data[0].y as number[]).at(-1)).toBeCloseTo(38.874, 12);
      expect((fig.layout!.title as { text: string }).text).toContain("T = 38.9");
    }
    expect((probabilityAliveFigure(BetaGeoModel.fromJSON(JSON.parse(JSON.stringify(fitted.toJSON()))), { recencySteps: 4 }).data[0].y as number[]).at(-1)).toBeCloseTo(38.874, 12);
    expect((probabilityAliveFigure(bg, { recencySteps: 4 }).data[0].y as number[]).at(-1)).toBe(52); // parameters only: no data, 52
    expect((probabilityAliveFigure(fitted, { T: 20, recencySteps: 4 }).data[0].y as number[]).at(-1)).toBe(20); // T given wins
  });
  it("calibration-vs-holdout bins average per calibration frequency", () => {
    const h = { ...s, frequencyHoldout: Float64Array.from([0, 1, 2, 3, 9]), monetaryHoldout: new Float64Array(5), durationHoldout: 39 };
    const c = calibrationHoldoutComparison(bg, h, 2);
    const pred = bg.conditionalExpectedPurchases(39, h);
    expect(Array.from(c.customers)).toEqual([1, 1, 3]);
    expect(c.actual[2]).toBeCloseTo((2 + 3 + 9) / 3, 12);
    expect(c.predicted[2]).toBeCloseTo((pred[2] + pred[3] + pred[4]) / 3, 12);
    expect(c.actualTotal).toBe(15);
    const fig = calibrationHoldoutFigure(c);
    expect(fig.data[1].y).toEqual(Array.from(c.predicted));
  });
  it("the incremental tracking figure differences the cumulative one; CLV boxes group by segment", () => {
    const track = { dates: Float64Array.from([0, 7, 14].map((d) => d * CLV_DAY_MS)), t: Float64Array.from([0, 1, 2]), actual: Float64Array.from([1, 3, 6]), expected: Float64Array.from([1, 2.5, 5]), calibrationEnd: 7 * CLV_DAY_MS, customers: 3 };
    expect(cumulativeTransactionsFigure(track, true).data[0].y).toEqual([1, 2, 3]);
    expect(cumulativeTransactionsFigure(track).layout!.shapes).toHaveLength(1);
    const box = clvBySegmentFigure([1, 2, 3, 10, NaN], ["a", "a", "b", "b", "b"]);
    expect(box.data.map((d) => (d.y as number[]).length).sort()).toEqual([2, 2]);
  });
  it("the frequency–monetary check warns when spend rises with frequency", () => {
    const chk = frequencyMonetaryCorrelation({ frequency: [1, 2, 3, 4, 5, 0], monetary: [10, 20, 30, 41, 50, 0] });
    expect(chk.ok).toBe(false);
    expect(chk.r).toBeGreaterThan(0.99);
    expect(chk.warning).toMatch(/Gamma-Gamma/);
  });
});
