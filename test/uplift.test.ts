// Uplift models and curves (issue #21): the curves against a direct numpy computation of
// scikit-uplift's definitions (test/fixtures/uplift/make_uplift.py) at 1e-9, the learners
// against planted effects, and the workflow on the demo shop's planted offer campaign.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as path from "path";
import {
  qiniCurve, upliftCurve, upliftAucScore, qiniCoefficient, auuc, upliftByDecile, upliftEvaluation,
  TLearner, XLearner, ClassTransformationUplift, createUpliftModel, upliftFromCampaign, upliftFromCampaignAsync, qiniFigure, upliftDecileFigure,
  ASYNC_UPLIFT_BASES, isAsyncUpliftBase,
} from "../src/uplift";
import { createModel, MODEL_NAMES } from "../src/models";
import { generateDemoShop, simulateOfferCampaign, demoOfferResponse } from "../src/demo";
import { createRng } from "../src/util/random";
import { estimatorFromJSON } from "../src/util/estimator";
import type { Matrix } from "../src/util/matrix";

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/uplift/uplift_curves.json"), "utf8"));

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
}

describe("uplift curves vs the numpy oracle (sklift definitions), 1e-9", () => {
  for (const c of fx.cases) {
    it(`${c.name}: uplift and Qini curves, AUUC, normalised scores, deciles with bootstrap intervals`, () => {
      const u = upliftCurve(c.y, c.uplift, c.treatment), q = qiniCurve(c.y, c.uplift, c.treatment);
      close(u.x, c.uplift_curve.x); close(u.y, c.uplift_curve.y);
      close(q.x, c.qini_curve.x); close(q.y, c.qini_curve.y);
      const a = auuc(c.y, c.uplift, c.treatment);
      close([a.auuc, a.qiniArea], [c.auuc, c.qini_area]);
      close([upliftAucScore(c.y, c.uplift, c.treatment), qiniCoefficient(c.y, c.uplift, c.treatment)], [c.uplift_auc_score, c.qini_auc_score]);
      const d = upliftByDecile(c.y, c.uplift, c.treatment, { bins: c.bins, resamples: c.resamples });
      expect(d.length).toBe(c.bins);
      d.forEach((g, k) => {
        const o = c.deciles[k];
        expect([g.decile, g.nTreated, g.nControl]).toEqual([o.decile, o.n_treated, o.n_control]);
        for (const [mine, theirs] of [[g.rateTreated, o.rate_treated], [g.rateControl, o.rate_control], [g.uplift, o.uplift], [g.predicted, o.predicted], [g.ci[0], o.ci[0]], [g.ci[1], o.ci[1]]] as Array<[number, number | null]>) {
          if (theirs === null || Number.isNaN(theirs as number)) expect(Number.isNaN(mine), `decile ${k + 1}`).toBe(true);
          else close([mine], [theirs]);
        }
      });
    });
  }

  it("ties never depend on row order; a perfect ranking scores 1; reversed scores are negative", () => {
    const c = fx.cases[1];
    const perm = createRng(3).shuffle(Array.from(c.y.keys()) as number[]);
    const p = (a: number[]) => perm.map((i) => a[i]);
    expect(qiniCoefficient(p(c.y), p(c.uplift), p(c.treatment))).toBeCloseTo(c.qini_auc_score, 12);
    expect(upliftAucScore(p(c.y), p(c.uplift), p(c.treatment))).toBeCloseTo(c.uplift_auc_score, 12);
    const perfect = c.y.map((y: number, i: number) => y * c.treatment[i] - y * (1 - c.treatment[i]));
    expect(qiniCoefficient(c.y, perfect, c.treatment)).toBeCloseTo(1, 12);
    expect(qiniCoefficient(c.y, perfect.map((v: number) => -v), c.treatment)).toBeLessThan(0);
  });

  it("bad input is one clear error", () => {
    expect(() => qiniCurve([1, 0], [0.1], [1, 0])).toThrow(/one outcome, score and treatment/);
    expect(() => qiniCurve([1, 2], [0.1, 0.2], [1, 0])).toThrow(/outcome must be 0 or 1, got 2 at row 1/);
    expect(() => qiniCurve([1, 0], [0.1, 0.2], [1, 1])).toThrow(/both treated and control/);
    expect(() => upliftByDecile([1, 0, 1], [0.1, NaN, 0.3], [1, 0, 1])).toThrow(/finite, got NaN at row 1/);
    expect(() => upliftByDecile([1, 0, 1], [0.1, 0.2, 0.3], [1, 0, 1], { bins: 4 })).toThrow(/option bins/);
  });
});

/** Planted: x0 drives the effect (+0.3 where x0 > 0, −0.1 below), x1 the baseline. */
function planted(n: number, seed: number, share = 0.5): { X: Matrix; y: Float64Array; t: Float64Array; tau: Float64Array } {
  const rng = createRng(seed), p = 3, X: Matrix = { data: new Float64Array(n * p), rows: n, cols: p };
  const y = new Float64Array(n), t = new Float64Array(n), tau = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) X.data[i * p + j] = rng.normal();
    t[i] = rng.next() < share ? 1 : 0;
    tau[i] = X.data[i * p] > 0 ? 0.3 : -0.1;
    const base = 1 / (1 + Math.exp(-(-0.5 + 0.8 * X.data[i * p + 1])));
    y[i] = rng.next() < Math.min(0.99, Math.max(0.01, base + tau[i] * t[i])) ? 1 : 0;
  }
  return { X, y, t, tau };
}

const shop = generateDemoShop({ seed: 42 });
const offer = simulateOfferCampaign(shop, { arms: ["none", "discount"], seed: 1 });

describe("uplift learners recover planted effects", () => {
  const train = planted(4000, 1), test = planted(2000, 2);
  const cases: Array<[string, () => any]> = [
    ["T-learner (gbdt)", () => new TLearner({ base: "gbdt", baseOptions: { maxIter: 60 } })],
    ["X-learner (gbdt)", () => new XLearner({ base: "gbdt", baseOptions: { maxIter: 60 } })],
    ["X-learner (gbdt, propensity model, 30% treated)", () => new XLearner({ base: "gbdt", baseOptions: { maxIter: 60 }, propensity: "model" })],
    ["class transformation (gbdt)", () => new ClassTransformationUplift({ base: "gbdt", baseOptions: { maxIter: 60 } })],
  ];
  for (const [name, make] of cases) {
    it(`${name}: ranks the planted responders first, mean effects per planted group near truth, JSON round trip`, () => {
      const tr = name.includes("30%") ? planted(4000, 5, 0.3) : train;
      const m = make().fit(tr.X, tr.y, { treatment: tr.t });
      const u: Float64Array = m.predictUplift(test.X);
      let hi = 0, nh = 0, lo = 0, nl = 0;
      for (let i = 0; i < test.X.rows; i++) if (test.tau[i] > 0) { hi += u[i]; nh++; } else { lo += u[i]; nl++; }
      expect(Math.abs(hi / nh - 0.3), `mean uplift where planted +0.3: ${hi / nh}`).toBeLessThan(0.08);
      expect(Math.abs(lo / nl + 0.1), `mean uplift where planted −0.1: ${lo / nl}`).toBeLessThan(0.08);
      expect(qiniCoefficient(test.y, u, test.t)).toBeGreaterThan(0.5 * qiniCoefficient(test.y, test.tau, test.t));
      const back = estimatorFromJSON(JSON.parse(JSON.stringify(m.toJSON()))) as any;
      expect(Array.from(back.predictUplift(test.X))).toEqual(Array.from(u));
    });
  }

  it("createUpliftModel names the methods; bad names and missing treatment are clear errors", () => {
    expect(createUpliftModel("x-learner")).toBeInstanceOf(XLearner);
    expect(() => createUpliftModel("s-learner")).toThrow(/unknown uplift method "s-learner"/);
    expect(() => new TLearner().fit(train.X, train.y)).toThrow(/needs \{ treatment \}/);
    expect(() => new TLearner({ base: "svm" })).toThrow(/option base/);
    expect(() => new TLearner().predictUplift(train.X)).toThrow(/TLearner is not fitted/);
  });
});

describe("uplift learners over asynchronous base classifiers", () => {
  it("ASYNC_UPLIFT_BASES lists exactly the zoo models whose fit returns a Promise", async () => {
    const tiny: Matrix = { data: Float64Array.from({ length: 40 }, (_, i) => (i * 7919) % 13), rows: 20, cols: 2 };
    const y = Float64Array.from({ length: 20 }, (_, i) => i % 2);
    for (const name of MODEL_NAMES) {
      const r = createModel(name, { seed: 1, overrides: name === "mlp" || name === "lstm" || name === "gru" || name === "transformer" ? { epochs: 1 } : {} }).fit(tiny, y);
      expect(r instanceof Promise, name).toBe(isAsyncUpliftBase(name));
      expect(ASYNC_UPLIFT_BASES.includes(name), name).toBe(isAsyncUpliftBase(name));
      await r;
    }
  }, 60_000);

  it("T-, X-learner and class transformation over the mlp: fit returns a Promise, ranks the planted responders first, JSON round trip", async () => {
    const train = planted(3000, 1), test = planted(2000, 2);
    const baseOptions = { hiddenLayers: [8], epochs: 15, batchSize: 128, learningRate: 0.01, seed: 3 };
    for (const m of [new TLearner({ base: "mlp", baseOptions }), new XLearner({ base: "mlp", baseOptions }), new ClassTransformationUplift({ base: "mlp", baseOptions })]) {
      const p = m.fit(train.X, train.y, { treatment: train.t });
      expect(p).toBeInstanceOf(Promise);
      expect(await p).toBe(m);
      const u = m.predictUplift(test.X);
      let hi = 0, nh = 0, lo = 0, nl = 0;
      for (let i = 0; i < test.X.rows; i++) if (test.tau[i] > 0) { hi += u[i]; nh++; } else { lo += u[i]; nl++; }
      const q = qiniCoefficient(test.y, u, test.t), qTrue = qiniCoefficient(test.y, test.tau, test.t);
      console.log(`${m.constructor.name} (mlp): mean uplift +0.3 group ${(hi / nh).toFixed(3)}, −0.1 group ${(lo / nl).toFixed(3)}, Qini ${q.toFixed(4)} (planted ${qTrue.toFixed(4)})`);
      expect(hi / nh - lo / nl).toBeGreaterThan(0.2);
      expect(q).toBeGreaterThan(0.5 * qTrue);
      const back = estimatorFromJSON(JSON.parse(JSON.stringify(m.toJSON()))) as any;
      expect(Array.from(back.predictUplift(test.X))).toEqual(Array.from(u));
    }
  }, 120_000);

  it("the sync workflow names the async one for an async base", () => {
    expect(() => upliftFromCampaign(shop.transactions, offer, { cutoff: Date.parse(shop.truth.cutoff), base: "mlp", outcomeColumn: "retained" }))
      .toThrow(/"mlp" trains asynchronously: use upliftFromCampaignAsync/);
  });

  it.skipIf(!!process.env.CUSTLAB_FAST)("upliftFromCampaignAsync with the mlp base on the demo's planted offer campaign: Qini > 0; with logreg it equals the sync workflow (slow tier)", async () => {
    const cutoff = Date.parse(shop.truth.cutoff);
    const run = await upliftFromCampaignAsync(shop.transactions, offer, {
      cutoff, method: "t-learner", base: "mlp", baseOptions: { hiddenLayers: [8], epochs: 10, batchSize: 128, learningRate: 0.01 },
      outcomeColumn: "retained", segmentColumn: "segment", nBoot: 200, folds: 3,
    });
    const q = run.evaluation.qiniCoefficient;
    console.log(`demo discount campaign, mlp T-learner (3 folds): Qini ${q.estimate.toFixed(4)} [${q.ci[0].toFixed(4)}, ${q.ci[1].toFixed(4)}], top segment ${run.bySegment[0].segment}`);
    expect(q.estimate).toBeGreaterThan(0);
    expect(q.ci[0]).toBeGreaterThan(0);
    const opts = { cutoff, method: "x-learner", base: "logreg", outcomeColumn: "retained", nBoot: 50, folds: 3 };
    const a = upliftFromCampaign(shop.transactions, offer, opts), b = await upliftFromCampaignAsync(shop.transactions, offer, opts);
    expect(Array.from(b.scores.num("uplift_oof"))).toEqual(Array.from(a.scores.num("uplift_oof")));
    expect(b.evaluation.qiniCoefficient).toEqual(a.evaluation.qiniCoefficient);
  }, 180_000);
});

describe("uplift workflow on the demo shop's planted offer campaign", () => {
  it("discount vs none: Qini coefficient > 0 (interval above 0), the planted high-uplift segment (at_risk) on top", () => {
    const campaign = offer;
    // The planted model: uplift = P(churn) × save(segment, offer).
    expect(demoOfferResponse("loyal", 0.2, "discount") - demoOfferResponse("loyal", 0.2, "none")).toBeCloseTo(0.12, 12);
    const run = upliftFromCampaign(shop.transactions, campaign, {
      cutoff: Date.parse(shop.truth.cutoff), method: "t-learner", base: "logreg", outcomeColumn: "retained", segmentColumn: "segment", nBoot: 200,
    });
    const q = run.evaluation.qiniCoefficient;
    // Figures of the closing note (seed 42 shop, campaign seed 1, 5-fold cross-fitted logreg T-learner).
    console.log(`demo discount campaign: Qini ${q.estimate.toFixed(4)} [${q.ci[0].toFixed(4)}, ${q.ci[1].toFixed(4)}], ` +
      `segments by predicted uplift: ${run.bySegment.map((s) => `${s.segment} ${s.predicted.toFixed(3)} (top-decile share ${s.topDecileShare.toFixed(2)})`).join(", ")}`);
    expect(q.estimate).toBeGreaterThan(0.02);
    expect(q.ci[0]).toBeGreaterThan(0);
    expect(run.bySegment[0].segment).toBe("at_risk");
    // at_risk is 17% of customers; it fills most of the top decile.
    const seg = run.scores.str("segment"), oof = run.scores.num("uplift_oof");
    const order = Array.from(oof.keys()).sort((a, b) => oof[b] - oof[a]);
    const top = order.slice(0, Math.ceil(order.length / 10));
    const rank = new Int32Array(order.length);
    order.forEach((i, r) => (rank[i] = r));
    const atRiskDeciles = seg.map((s, i) => (s === "at_risk" ? Math.floor((10 * rank[i]) / order.length) + 1 : 0)).filter((d) => d > 0).sort((a, b) => a - b);
    console.log(`at_risk: ${(100 * top.filter((i) => seg[i] === "at_risk").length / top.length).toFixed(1)}% of the top decile; median decile of its customers ${atRiskDeciles[Math.floor(atRiskDeciles.length / 2)]}; ` +
      `observed uplift by decile ${run.evaluation.deciles.map((d) => d.uplift.toFixed(3)).join(" ")}`);
    expect(top.filter((i) => seg[i] === "at_risk").length / top.length).toBeGreaterThan(0.5);
    expect(atRiskDeciles[Math.floor(atRiskDeciles.length / 2)]).toBeLessThanOrEqual(3);
    // Observed uplift in the top decile far above the bottom half's.
    const d = run.evaluation.deciles;
    expect(d[0].uplift).toBeGreaterThan(0.1);
    expect(d[0].ci[0]).toBeGreaterThan(d.slice(5).reduce((s, x) => s + x.uplift, 0) / 5);
    // The predicted segment ranking follows the planted one for the clearly separated segments.
    const planted = new Map(run.bySegment.map((s) => [s.segment, s.predicted]));
    expect(planted.get("loyal")!).toBeGreaterThan(planted.get("champions")!);
    expect(qiniFigure(run.evaluation).data.length).toBe(2);
    expect(upliftDecileFigure(d).data[0].x.length).toBe(10);
  }, 120_000);
});
