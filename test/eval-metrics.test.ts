import { describe, it, expect } from "vitest";
import {
  accuracyScore, precisionScore, recallScore, f1Score, rocAucScore, averagePrecisionScore, logLoss, brierScore,
  confusionMatrix, calibrationCurve, gainCurve, topKCapture, topKLift, rocCurve,
  thresholdMaxF1, thresholdByCost, thresholdByCapacity, delongTest, bootstrapCI, bootstrapCompare,
  rocFigure, prFigure, calibrationFigure, liftFigure, confusionMatrixFigure,
} from "../src/eval";
import { averagePathLength, IsolationForest } from "../src/models";
import { normalCdf } from "../src/util";
import { createRng } from "../src/util/random";

// Fixed data set; the expected numbers below were computed once with scikit-learn 1.2.1:
//   /usr/bin/python3 -c "from sklearn import metrics as M; ..." (rng = np.random.RandomState(3),
//   y = rng.randint(0,2,30), s = round(clip(0.3*y + 0.7*rand),1) — rounding creates many ties).
const y = [0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0];
const s = [0.4, 0.0, 0.7, 0.5, 0.3, 0.2, 0.5, 0.6, 0.4, 0.7, 0.5, 0.5, 0.5, 0.6, 0.7, 1.0, 0.8, 0.6, 0.6, 0.3, 0.1, 0.8, 0.7, 0.3, 0.2, 0.3, 0.6, 0.2, 0.2, 0.3];
const pred = s.map((v) => (v >= 0.5 ? 1 : 0));

// multiclass (k = 3), sklearn: roc_auc_score(multi_class="ovr"), log_loss, f1_score(average=...)
const yk = [0, 0, 0, 2, 2, 0, 1, 1, 2, 0, 1, 1, 0, 1, 0, 2, 2, 0, 0, 2];
const P = [[0.243, 0.204, 0.553], [0.131, 0.638, 0.231], [0.238, 0.536, 0.226], [0.071, 0.167, 0.762], [0.3613613613613613, 0.02002002002002002, 0.6186186186186187], [0.008, 0.218, 0.774], [0.07300000000000001, 0.8240000000000001, 0.10300000000000001], [0.03203203203203203, 0.7717717717717717, 0.1961961961961962], [0.867, 0.077, 0.056], [0.5630000000000001, 0.20600000000000002, 0.23100000000000004], [0.248, 0.183, 0.569], [0.185, 0.464, 0.351], [0.103, 0.354, 0.543], [0.384, 0.083, 0.533], [0.28, 0.625, 0.095], [0.047, 0.654, 0.299], [0.13513513513513514, 0.41141141141141135, 0.4534534534534534], [0.221, 0.414, 0.365], [0.5844155844155845, 0.18781218781218784, 0.2277722277722278], [0.28200000000000003, 0.6320000000000001, 0.08600000000000001]];
const Pflat = Float64Array.from(P.flat());
const pk = [2, 1, 1, 2, 2, 2, 1, 1, 0, 0, 2, 1, 2, 2, 1, 1, 2, 1, 0, 1];

describe("binary metrics vs scikit-learn", () => {
  it("ranks, ties and probabilities", () => {
    expect(rocAucScore(y, s)).toBeCloseTo(0.8868778280542986, 12);
    expect(averagePrecisionScore(y, s)).toBeCloseTo(0.8171758581975301, 12);
    expect(logLoss(y, s.map((v) => Math.min(0.99, Math.max(0.01, v))))).toBeCloseTo(0.4593201814857345, 12);
    expect(brierScore(y, s)).toBeCloseTo(0.14766666666666667, 12);
    expect(accuracyScore(y, pred)).toBeCloseTo(0.8, 12);
    expect(precisionScore(y, pred)).toBeCloseTo(0.7058823529411765, 12);
    expect(recallScore(y, pred)).toBeCloseTo(0.9230769230769231, 12);
    expect(f1Score(y, pred)).toBeCloseTo(0.8, 12);
  });
  it("calibration curve (n_bins=5, uniform)", () => {
    const c = calibrationCurve(y, s, { nBins: 5 });
    expect(Array.from(c.probTrue)).toEqual([0.0, 0.14285714285714285, 0.6, 0.8333333333333334, 1.0].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(c.probPred)).toEqual([0.15, 0.32857142857142857, 0.55, 0.7333333333333333, 1.0].map((v) => expect.closeTo(v, 12)));
  });
  it("calibration curve (n_bins=4, quantile) vs scikit-learn", () => {
    // s2 = round(0.9·s + 0.013·(i mod 7), 4); sklearn calibration_curve(y, s2, n_bins=4, strategy="quantile")
    const s2 = [0.36, 0.013, 0.656, 0.489, 0.322, 0.245, 0.528, 0.54, 0.373, 0.656, 0.489, 0.502, 0.515, 0.618, 0.63, 0.913, 0.746, 0.579, 0.592, 0.335, 0.168, 0.72, 0.643, 0.296, 0.219, 0.322, 0.605, 0.258, 0.18, 0.283];
    const c = calibrationCurve(y, s2, { nBins: 4, strategy: "quantile" });
    expect(Array.from(c.probTrue)).toEqual([0.0, 0.2857142857142857, 0.5714285714285714, 0.875].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(c.probPred)).toEqual([0.20774999999999996, 0.3842857142857143, 0.5515714285714285, 0.6977499999999999].map((v) => expect.closeTo(v, 12)));
  });
  it("hand-computed small cases", () => {
    // 2 positives, 2 negatives: pairs (0.35>0.1 yes, 0.35>0.4 no, 0.8>both) → 3/4
    expect(rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    // all tied → 0.5
    expect(rocAucScore([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
    // AP: thresholds 0.8 (R=.5,P=1), 0.4 (R=.5,P=.5), 0.35 (R=1,P=2/3), 0.1 → .5·1 + .5·2/3 = 0.8333
    expect(averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(5 / 6, 14);
    expect(logLoss([0, 1], [0.1, 0.8])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 14);
    expect(brierScore([0, 1], [0.1, 0.8])).toBeCloseTo((0.01 + 0.04) / 2, 14);
    expect(Array.from(confusionMatrix([0, 1, 1, 0], [0, 1, 0, 0]).counts)).toEqual([2, 0, 1, 1]);
    const c = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(Array.from(c.x)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(Array.from(c.y)).toEqual([0, 0.5, 0.5, 1, 1]);
  });
  it("gain, lift and top-k capture", () => {
    // 10 rows, 3 positives at scores ranks 1, 2, 5
    const yy = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0];
    const ss = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0];
    expect(topKCapture(yy, ss, 0.1)).toBeCloseTo(1 / 3, 14);
    expect(topKLift(yy, ss, 0.1)).toBeCloseTo((1 / 1) / 0.3, 12);
    const g = gainCurve(yy, ss, 5);
    expect(Array.from(g.gain)).toEqual([2 / 3, 2 / 3, 1, 1, 1].map((v) => expect.closeTo(v, 12)));
    expect(g.lift[0]).toBeCloseTo((2 / 3) / 0.2, 12);
  });
});

describe("multiclass metrics vs scikit-learn", () => {
  it("one-vs-rest AUC, log-loss, averaged F1", () => {
    expect(rocAucScore(yk, Pflat, { numClasses: 3 })).toBeCloseTo(0.5451178451178451, 12);
    expect(rocAucScore(yk, Pflat, { numClasses: 3, average: "weighted" })).toBeCloseTo(0.5409090909090909, 12);
    expect(logLoss(yk, Pflat, { numClasses: 3 })).toBeCloseTo(1.4686009956725044, 10);
    expect(f1Score(yk, pk, { average: "macro" })).toBeCloseTo(0.3968253968253968, 12);
    expect(f1Score(yk, pk, { average: "weighted" })).toBeCloseTo(0.3857142857142857, 12);
    expect(f1Score(yk, pk, { average: "micro" })).toBeCloseTo(0.4, 12);
    expect(precisionScore(yk, pk, { average: "macro" })).toBeCloseTo(0.4583333333333333, 12);
    expect(recallScore(yk, pk, { average: "weighted" })).toBeCloseTo(0.4, 12);
    expect(Array.from(confusionMatrix(yk, pk).counts)).toEqual([2, 4, 3, 0, 3, 2, 1, 2, 3]);
  });
});

describe("thresholds", () => {
  it("max-F1, cost and capacity", () => {
    const t = thresholdMaxF1(y, s);
    // brute force over all distinct thresholds
    let best = -1, bestTh = NaN;
    for (const th of [...new Set(s)].sort((a, b) => b - a)) {
      const f = f1Score(y, s.map((v) => (v >= th ? 1 : 0)));
      if (f > best) { best = f; bestTh = th; }
    }
    expect(t.f1).toBeCloseTo(best, 12);
    expect(t.threshold).toBe(bestTh);
    // cost: missing a churner costs 10, a false alarm 1 → brute force
    const tc = thresholdByCost(y, s, { fp: 1, fn: 10 });
    let bc = Infinity;
    for (const th of [Infinity, ...new Set(s)]) {
      let c = 0;
      for (let i = 0; i < y.length; i++) { const f = s[i] >= th; if (f && !y[i]) c += 1; if (!f && y[i]) c += 10; }
      bc = Math.min(bc, c / y.length);
    }
    expect(tc.cost).toBeCloseTo(bc, 12);
    const cap = thresholdByCapacity([0.9, 0.1, 0.5, 0.7, 0.3], 2, [1, 0, 0, 1, 0]);
    expect(cap.threshold).toBe(0.7);
    expect(cap.flagged).toBe(2);
    expect(cap.precision).toBe(1);
  });
});

describe("DeLong and bootstrap", () => {
  it("normal CDF", () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-2.5)).toBeCloseTo(0.006209665325776132, 8); // scipy.stats.norm.cdf(-2.5)
  });
  it("matches the O(m·n) structural-component definition of DeLong et al. (1988)", () => {
    const rng = createRng(5);
    const n = 120;
    const yy = Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
    const a = yy.map((v) => Math.round((v * 0.8 + rng.normal()) * 4) / 4); // ties on purpose
    const b = yy.map((v, i) => a[i] * 0.5 + v * 0.3 + rng.normal());
    const r = delongTest(yy, a, b);
    // slow hand computation straight from the paper
    const X = (sc: number[]) => sc.filter((_, i) => yy[i] === 1), Y = (sc: number[]) => sc.filter((_, i) => yy[i] === 0);
    const psi = (x: number, z: number) => (x > z ? 1 : x === z ? 0.5 : 0);
    const comps = (sc: number[]) => {
      const xs = X(sc), ys = Y(sc);
      const v10 = xs.map((x) => ys.reduce((t, z) => t + psi(x, z), 0) / ys.length);
      const v01 = ys.map((z) => xs.reduce((t, x) => t + psi(x, z), 0) / xs.length);
      return { auc: v10.reduce((p, q) => p + q, 0) / xs.length, v10, v01 };
    };
    const A = comps(a), B = comps(b);
    const cov = (u: number[], v: number[]) => { const mu = u.reduce((p, q) => p + q, 0) / u.length, mv = v.reduce((p, q) => p + q, 0) / v.length; return u.reduce((t, _, i) => t + (u[i] - mu) * (v[i] - mv), 0) / (u.length - 1); };
    const m = A.v10.length, k = A.v01.length;
    const sAA = cov(A.v10, A.v10) / m + cov(A.v01, A.v01) / k;
    const sBB = cov(B.v10, B.v10) / m + cov(B.v01, B.v01) / k;
    const sAB = cov(A.v10, B.v10) / m + cov(A.v01, B.v01) / k;
    const z = (A.auc - B.auc) / Math.sqrt(sAA + sBB - 2 * sAB);
    expect(r.aucs[0]).toBeCloseTo(A.auc, 12);
    expect(r.aucs[1]).toBeCloseTo(B.auc, 12);
    expect(r.covariance[0]).toBeCloseTo(sAA, 12);
    expect(r.covariance[1]).toBeCloseTo(sAB, 12);
    expect(r.covariance[3]).toBeCloseTo(sBB, 12);
    expect(r.z).toBeCloseTo(z, 10);
    expect(r.pValue).toBeCloseTo(2 * (1 - normalCdf(Math.abs(z))), 10);
    // the bootstrap alternative agrees on the direction and roughly on the spread
    const bs = bootstrapCompare(yy, a, b, undefined, { nBoot: 400, seed: 3 });
    expect(bs.diff).toBeCloseTo(r.diff, 12);
    expect(Math.sign(bs.lower + bs.upper)).toBe(Math.sign(r.diff));
    expect((bs.upper - bs.lower) / (r.ci[1] - r.ci[0])).toBeGreaterThan(0.7);
    expect((bs.upper - bs.lower) / (r.ci[1] - r.ci[0])).toBeLessThan(1.4);
  });
  it("bootstrap CI brackets the estimate and is seeded", () => {
    const c1 = bootstrapCI(y, s, (a, b) => rocAucScore(a, b), { nBoot: 300, seed: 9 });
    const c2 = bootstrapCI(y, s, (a, b) => rocAucScore(a, b), { nBoot: 300, seed: 9 });
    expect(c1).toEqual(c2);
    expect(c1.estimate).toBeCloseTo(0.8868778280542986, 12);
    expect(c1.lower).toBeLessThan(c1.estimate);
    expect(c1.upper).toBeGreaterThan(c1.estimate);
  });
});

describe("isolation forest", () => {
  it("c(n) matches scikit-learn's _average_path_length", () => {
    expect(averagePathLength(256)).toBeCloseTo(10.24477092, 7);
    expect(averagePathLength(10)).toBeCloseTo(3.74888048, 7);
    expect(averagePathLength(2)).toBe(1);
  });
  it("planted outliers get the highest scores; seeded; JSON round trip", () => {
    const rng = createRng(11);
    const n = 500, d = 4;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n * d; i++) data[i] = rng.normal();
    const out = [7, 123, 333, 480];
    for (const i of out) for (let j = 0; j < d; j++) data[i * d + j] = 6 + rng.next();
    const X = { data, rows: n, cols: d };
    const iso = new IsolationForest({ seed: 1, contamination: 0.01 }).fit(X);
    const sc = iso.scoreSamples(X);
    const top = Array.from(sc).map((v, i) => [v, i]).sort((a, b) => b[0] - a[0]).slice(0, 4).map((p) => p[1]).sort((a, b) => a - b);
    expect(top).toEqual(out);
    for (const i of out) expect(sc[i]).toBeGreaterThan(0.6);
    // typical points score near or below 0.5
    const med = Float64Array.from(sc).sort()[n >> 1];
    expect(med).toBeLessThan(0.5);
    expect(Array.from(new IsolationForest({ seed: 1 }).fit(X).scoreSamples(X))).toEqual(Array.from(sc));
    expect(Array.from(IsolationForest.fromJSON(JSON.parse(JSON.stringify(iso.toJSON()))).scoreSamples(X))).toEqual(Array.from(sc));
  });
});

describe("figures", () => {
  it("are plotly JSON with the numbers in them", () => {
    const f = rocFigure([{ name: "m", yTrue: y, score: s }]);
    expect(String(f.data[0].name)).toContain("0.887");
    expect(prFigure([{ name: "m", yTrue: y, score: s }]).data.length).toBe(2);
    expect((calibrationFigure([{ name: "m", yTrue: y, score: s }], 5).data[0].y as number[]).length).toBe(5);
    expect((liftFigure([{ name: "m", yTrue: y, score: s }]).data[0].y as number[]).length).toBe(10);
    expect((confusionMatrixFigure(y, pred).data[0].z as number[][])).toEqual([[12, 5], [1, 12]]); // tp 12, fp 5 (precision 12/17 as sklearn)
  });
});
