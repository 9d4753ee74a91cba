// The estimator contract sweep (issue #17): every class that learns from data follows one contract.
// For each class: fit returns the estimator; the same seed gives identical output; a JSON round trip
// gives identical output; a wrong tag is rejected; use before fit is a clear error naming the class;
// fit leaves the (frozen, resolved) options unchanged; unknown option keys are refused with a
// suggestion; and every class registered with the estimator registry is covered here.
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../src/backend";
import { CustlabError } from "../src/util/errors";
import { createRng } from "../src/util/random";
import type { Matrix } from "../src/util/matrix";
import { estimatorClass, estimatorFromJSON, estimatorTypes, positiveProba } from "../src/util/estimator";
import { Table } from "../src/table";
import {
  DecisionTreeClassifier, HistGradientBoostingClassifier, LogisticRegression, MLPClassifier, RandomForestClassifier,
  RecurrentClassifier, StackingClassifier, TransformerClassifier, VotingClassifier, modelFromJSON,
  HistGradientBoostingRegressor, RandomForestRegressor, LinearRegressor,
} from "../src/models";
import { FrequencyEncoder, LogAugmentedPreprocessor, MinMaxScaler, OneHotEncoder, Preprocessor, SimpleImputer, StandardScaler } from "../src/features";
import { CustomerAutoencoder, KMeans } from "../src/segment";
import { IsolationForest, PlattCalibrator, IsotonicCalibrator } from "../src/models";
import { BetaGeoModel, GammaGammaModel, ModifiedBetaGeoModel, ParetoNBDModel } from "../src/clv";
import { LdaGibbs, LexiconSentiment, SparseLogisticRegression, TextNNClassifier, TfidfSentimentClassifier, TfidfVectorizer, prepareTopicCorpus } from "../src/text";
import { ModelRegistry } from "../src/registry";
import { CoxPH } from "../src/survival";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ItemCFRecommender, PopularityRecommender, RuleRecommender } from "../src/recommend";
import { basketsFromLists } from "../src/rules";
import "../src/registry"; // loads every estimator family
import { ClassTransformationUplift, TLearner, XLearner } from "../src/uplift";

type Out = Float64Array | number[] | string | object;
interface Case {
  /** The JSON tag (= class name). */
  tag: string;
  cls: { fromJSON(j: unknown): unknown; defaults: object; name: string };
  /** A fresh estimator with a seed (where the class has one). */
  make(seed?: number): any;
  /** Fit it (the value `fit` returns). */
  fit(e: any): any;
  /** What must be reproducible: predictions / transform output. */
  output(e: any): Out | Promise<Out>;
  /** The class is seeded (two seeds give different output). */
  seeded?: boolean;
  /**
   * Nothing to learn (the lexicon scorer): usable without fit, like scikit-learn's
   * stateless transformers; the sweep then checks that fit changes nothing.
   */
  stateless?: boolean;
}

// ---- data
function xy(n: number, seed: number, p = 4): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed), X: Matrix = { data: new Float64Array(n * p), rows: n, cols: p }, y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) X.data[i * p + j] = rng.normal();
    y[i] = X.data[i * p] - 0.5 * X.data[i * p + 1] + (X.data[i * p + 2] > 0 ? 0.8 : 0) + 0.7 * rng.normal() > 0.2 ? 1 : 0;
  }
  return { X, y };
}
const D = xy(240, 1);
const upliftT = Float64Array.from({ length: D.X.rows }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
const Xnan: Matrix = { ...D.X, data: D.X.data.map((v, i) => (i % 7 === 0 ? NaN : v)) };
const calScores = Float64Array.from({ length: D.X.rows }, (_, i) => D.X.data[i * D.X.cols]);
const seqs = { data: Float32Array.from({ length: 60 * 3 * 2 }, (_, i) => Math.sin(i * 0.37) + ((i * 7) % 5) / 5), shape: [60, 3, 2] as [number, number, number] };
const ySeq = Float64Array.from({ length: 60 }, (_, i) => (Math.sin(i * 1.1) > 0 ? 1 : 0));
const rng = createRng(3);
const table = new Table({
  customer_id: Array.from({ length: 120 }, (_, i) => `c${i}`),
  spend: Float64Array.from({ length: 120 }, () => Math.exp(2 * rng.normal())),
  visits: Float64Array.from({ length: 120 }, (_, i) => (i % 9 === 0 ? NaN : (i * 7) % 23)),
  country: Array.from({ length: 120 }, (_, i) => ["DE", "FR", "UK", ""][i % 4]),
  city: Array.from({ length: 120 }, (_, i) => `city${(i * 5) % 37}`),
});
const tiny = { epochs: 2, batchSize: 32 };
// CLV histories (planted: BG/NBD-like behaviour, weekly units)
const hist = (() => {
  const r = createRng(5), n = 300, frequency = new Float64Array(n), recency = new Float64Array(n), T = new Float64Array(n), monetary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    T[i] = 20 + r.int(30);
    const rate = r.gamma(0.8) * 0.3, life = r.exponential(1 / 25);
    let t = 0, x = 0, last = 0;
    for (;;) { t += r.exponential(rate); if (t > Math.min(T[i], life)) break; x++; last = t; }
    frequency[i] = x; recency[i] = x ? last : 0; monetary[i] = x ? 20 * r.gamma(3) / 3 : 0;
  }
  return { frequency, recency, T, monetary };
})();
const clvCase = (tag: string, cls: any): Case => ({
  tag, cls, make: (seed = 7) => new cls({ extraStarts: 1, seed }), fit: (e) => e.fit(hist),
  output: (e) => (tag === "GammaGammaModel" ? e.conditionalExpectedAverageSpend(hist) : e.conditionalExpectedPurchases(4, hist)), seeded: false,
});

// reviews with a sentiment signal carried by words and negation
const words = { pos: ["love", "great", "soft", "perfect", "comfortable", "beautiful"], neg: ["hate", "poor", "rough", "broken", "returned", "cheap"], neutral: ["dress", "fabric", "size", "colour", "order", "shirt", "fit"] };
const reviews = (() => {
  const r = createRng(9), texts: string[] = [], y: number[] = [];
  for (let i = 0; i < 160; i++) {
    const pos = r.next() < 0.5, t: string[] = [];
    for (let j = 0; j < 6; j++) {
      const u = r.next();
      if (u < 0.35) { const neg = r.next() < 0.15; const w = (pos !== neg ? words.pos : words.neg)[r.int(6)]; t.push(neg ? `not ${w}` : w); }
      else t.push(words.neutral[r.int(7)]);
    }
    texts.push(t.join(" ")); y.push(pos ? 1 : 0);
  }
  return { texts, y: Int32Array.from(y) };
})();
const corpus = prepareTopicCorpus(reviews.texts, { lang: "en", noBelow: 2 });
const tfidfX = new TfidfVectorizer({ ngramRange: [1, 2] }).fitTransform(reviews.texts);

// baskets with planted co-purchases (a → b, c → d) and customer ids
const baskets = (() => {
  const r = createRng(11), lists: string[][] = [];
  for (let i = 0; i < 300; i++) {
    const l = new Set<string>();
    if (r.next() < 0.4) { l.add("a"); if (r.next() < 0.8) l.add("b"); }
    if (r.next() < 0.3) { l.add("c"); if (r.next() < 0.7) l.add("d"); }
    for (let j = 0; j < 2; j++) l.add(`x${r.int(8)}`);
    lists.push([...l]);
  }
  const b = basketsFromLists(lists);
  return { ...b, customerIds: lists.map((_, i) => `c${i % 90}`) };
})();
const histories = [["a"], ["c"], ["a", "x1"], ["x3"]].map((h) => ({ items: Int32Array.from(h, (w) => baskets.itemNames.indexOf(w)) }));
const ranks = (e: any) => histories.map((h) => e.rank(h, 4));

const proba = (e: any, X: any) => e.predictProba(X);
const classifier = (tag: string, cls: any, mk: (seed: number) => any, X: any = D.X, y: any = D.y, seeded = true): Case => ({
  tag, cls, make: (seed = 7) => mk(seed), fit: (e) => e.fit(X, y), output: (e) => proba(e, X), seeded,
});

// a non-negative, skewed regression target (spend-like) on the same features
const yReg = Float64Array.from({ length: D.X.rows }, (_, i) => Math.exp(0.8 * D.X.data[i * 4] - 0.4 * D.X.data[i * 4 + 1]) * (D.y[i] + 0.5));
const regressor = (tag: string, cls: any, mk: (seed: number) => any, X: any, seeded: boolean): Case => ({
  tag, cls, make: (seed = 7) => mk(seed), fit: (e) => e.fit(X, yReg), output: (e) => e.predict(X), seeded,
});

const cases: Case[] = [
  // models
  classifier("LogisticRegression", LogisticRegression, (seed) => new LogisticRegression({ C: 0.5, seed }), D.X, D.y, false),
  classifier("DecisionTreeClassifier", DecisionTreeClassifier, (seed) => new DecisionTreeClassifier({ maxDepth: 5, maxFeatures: 2, seed }), Xnan),
  classifier("RandomForestClassifier", RandomForestClassifier, (seed) => new RandomForestClassifier({ nEstimators: 8, seed })),
  classifier("HistGradientBoostingClassifier", HistGradientBoostingClassifier, (seed) => new HistGradientBoostingClassifier({ maxIter: 15, earlyStopping: true, seed }), Xnan),
  classifier("VotingClassifier", VotingClassifier, (seed) => new VotingClassifier({ estimators: [new LogisticRegression(), new RandomForestClassifier({ nEstimators: 5, seed })], weights: [1, 2] })),
  classifier("StackingClassifier", StackingClassifier, (seed) => new StackingClassifier({ estimators: [new LogisticRegression(), new DecisionTreeClassifier({ maxDepth: 3 })], cv: 3, seed })),
  classifier("MLPClassifier", MLPClassifier, (seed) => new MLPClassifier({ hiddenLayers: [4], ...tiny, seed })),
  classifier("RecurrentClassifier", RecurrentClassifier, (seed) => new RecurrentClassifier({ cell: "gru", units: 3, ...tiny, seed }), seqs, ySeq),
  classifier("TransformerClassifier", TransformerClassifier, (seed) => new TransformerClassifier({ dModel: 4, heads: 2, ffDim: 4, ...tiny, seed }), seqs, ySeq),
  // regressors
  regressor("HistGradientBoostingRegressor", HistGradientBoostingRegressor, (seed) => new HistGradientBoostingRegressor({ loss: "poisson", maxIter: 15, earlyStopping: true, seed }), Xnan, true),
  regressor("RandomForestRegressor", RandomForestRegressor, (seed) => new RandomForestRegressor({ nEstimators: 8, seed }), D.X, true),
  regressor("LinearRegressor", LinearRegressor, () => new LinearRegressor({ logTarget: true, alpha: 0.1 }), D.X, false),
  // survival (durations from the regression target, every third row censored)
  { tag: "CoxPH", cls: CoxPH, make: () => new CoxPH({ ties: "efron", alpha: 0.01 }), fit: (e) => e.fit({ X: D.X, time: yReg.map((v) => Math.ceil(10 * v)), event: D.y.map((_, i) => (i % 3 ? 1 : 0)) }), output: (e) => e.survivalAt(D.X, [5, 20]) },
  // segmentation
  { tag: "KMeans", cls: KMeans, make: (seed = 7) => new KMeans({ k: 3, nInit: 2, seed }), fit: (e) => e.fit(D.X), output: (e) => ({ labels: e.predict(D.X), dist: e.transform(D.X).data }), seeded: true },
  { tag: "CustomerAutoencoder", cls: CustomerAutoencoder, make: (seed = 7) => new CustomerAutoencoder({ hidden: [3], epochs: 2, batchSize: 64, seed }), fit: (e) => e.fit(D.X), output: (e) => e.transform(D.X).data, seeded: true },
  // probability calibration (scores: the first feature column)
  { tag: "PlattCalibrator", cls: PlattCalibrator, make: () => new PlattCalibrator({ maxIter: 50 }), fit: (e) => e.fit(calScores, D.y), output: (e) => e.predict(calScores) },
  { tag: "IsotonicCalibrator", cls: IsotonicCalibrator, make: () => new IsotonicCalibrator({ outOfBounds: "nan" }), fit: (e) => e.fit(calScores, D.y), output: (e) => e.predict(calScores.map((s) => s * 1.1)) },
  // anomalies
  { tag: "IsolationForest", cls: IsolationForest, make: (seed = 7) => new IsolationForest({ nEstimators: 20, maxSamples: 64, seed }), fit: (e) => e.fit(Xnan), output: (e) => e.scoreSamples(Xnan), seeded: true },
  // CLV
  clvCase("BetaGeoModel", BetaGeoModel),
  clvCase("ModifiedBetaGeoModel", ModifiedBetaGeoModel),
  clvCase("ParetoNBDModel", ParetoNBDModel),
  clvCase("GammaGammaModel", GammaGammaModel),
  // text
  { tag: "TfidfVectorizer", cls: TfidfVectorizer, make: () => new TfidfVectorizer({ analyzer: "en-negation", ngramRange: [1, 2], minDf: 2, sublinearTf: true, stopwords: ["the"] }), fit: (e) => e.fit(reviews.texts), output: (e) => e.transform(reviews.texts) },
  { tag: "SparseLogisticRegression", cls: SparseLogisticRegression, make: () => new SparseLogisticRegression({ C: 2 }), fit: (e) => e.fit(tfidfX, reviews.y), output: (e) => e.predictProba(tfidfX) },
  { tag: "TfidfSentimentClassifier", cls: TfidfSentimentClassifier, make: () => new TfidfSentimentClassifier({ lang: "en", features: "word+char" }), fit: (e) => e.fit(reviews.texts, reviews.y), output: (e) => e.predictProba(reviews.texts) },
  { tag: "TextNNClassifier", cls: TextNNClassifier, make: (seed = 7) => new TextNNClassifier({ epochs: 2, hidden: 4, embeddingDim: 4, seed }), fit: (e) => e.fit(reviews.texts, reviews.y), output: (e) => e.predictProba(reviews.texts), seeded: true },
  { tag: "LexiconSentiment", cls: LexiconSentiment, make: () => new LexiconSentiment({ lang: "en", neutralBand: 0.1 }), fit: (e) => e.fit(reviews.texts, reviews.y), output: (e) => e.predictProba(reviews.texts), stateless: true },
  { tag: "LdaGibbs", cls: LdaGibbs, make: (seed = 7) => new LdaGibbs({ k: 3, iterations: 20, seed }), fit: (e) => e.fit(corpus), output: (e) => ({ topics: e.topTerms(5), doc: e.transform(corpus.docs.slice(0, 20), { iterations: 5 }).data }), seeded: true },
  // recommenders
  { tag: "PopularityRecommender", cls: PopularityRecommender, make: () => new PopularityRecommender({ by: "customers" }), fit: (e) => e.fit(baskets), output: ranks },
  { tag: "RuleRecommender", cls: RuleRecommender, make: () => new RuleRecommender({ minSupport: 0.02, minConfidence: 0.2, scoreBy: "conviction", fillWithPopular: true }), fit: (e) => e.fit(baskets), output: ranks },
  { tag: "ItemCFRecommender", cls: ItemCFRecommender, make: () => new ItemCFRecommender({ neighbours: 5, weighting: "log" }), fit: (e) => e.fit(baskets), output: ranks },
  // uplift (treatment: a fixed alternating split; forest bases so that the seed matters)
  { tag: "TLearner", cls: TLearner, make: (seed = 7) => new TLearner({ base: "forest", baseOptions: { nEstimators: 10 }, seed }), fit: (e) => e.fit(D.X, D.y, { treatment: upliftT }), output: (e) => e.predictUplift(D.X), seeded: true },
  { tag: "XLearner", cls: XLearner, make: (seed = 7) => new XLearner({ base: "forest", baseOptions: { nEstimators: 10 }, propensity: "model", seed }), fit: (e) => e.fit(D.X, D.y, { treatment: upliftT }), output: (e) => e.predictUplift(D.X), seeded: true },
  { tag: "ClassTransformationUplift", cls: ClassTransformationUplift, make: (seed = 7) => new ClassTransformationUplift({ base: "forest", baseOptions: { nEstimators: 10 }, seed }), fit: (e) => e.fit(D.X, D.y, { treatment: upliftT }), output: (e) => e.predictUplift(D.X), seeded: true },
  // preprocessors
  { tag: "SimpleImputer", cls: SimpleImputer, make: () => new SimpleImputer({ strategy: "median" }), fit: (e) => e.fit(Xnan), output: (e) => e.transform(Xnan).data },
  { tag: "StandardScaler", cls: StandardScaler, make: () => new StandardScaler(), fit: (e) => e.fit(D.X), output: (e) => e.transform(D.X).data },
  { tag: "MinMaxScaler", cls: MinMaxScaler, make: () => new MinMaxScaler({ featureRange: [-1, 1] }), fit: (e) => e.fit(D.X), output: (e) => e.transform(D.X).data },
  { tag: "OneHotEncoder", cls: OneHotEncoder, make: () => new OneHotEncoder({ columns: ["country"] }), fit: (e) => e.fit(table), output: (e) => e.transform(table).data },
  { tag: "FrequencyEncoder", cls: FrequencyEncoder, make: () => new FrequencyEncoder({ columns: ["city"] }), fit: (e) => e.fit(table), output: (e) => e.transform(table).data },
  { tag: "Preprocessor", cls: Preprocessor, make: () => new Preprocessor({ types: { idColumns: ["customer_id"] }, missingIndicator: true, maxOneHot: 5 }), fit: (e) => e.fit(table), output: (e) => e.transform(table) },
  { tag: "LogAugmentedPreprocessor", cls: LogAugmentedPreprocessor, make: () => new LogAugmentedPreprocessor({ types: { idColumns: ["customer_id"] } }), fit: (e) => e.fit(table), output: (e) => e.transform(table) },
];

const plain = (o: unknown): string => JSON.stringify(o, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));
const roundTrip = (e: any): any => JSON.parse(JSON.stringify(e.toJSON()));

beforeAll(async () => { await initBackend({ backend: process.env.CUSTLAB_BACKEND ?? "wasm" }); });

describe("estimator contract sweep", () => {
  it("covers every class in the estimator registry (none is missed)", () => {
    const covered = new Set(cases.map((c) => c.tag));
    expect(estimatorTypes().filter((t) => !covered.has(t))).toEqual([]);
    for (const c of cases) expect(estimatorClass(c.tag), c.tag).toBe(c.cls);
  });

  for (const c of cases) {
    describe(c.tag, () => {
      it("options: defaults resolved at construction, frozen, validated; unknown keys refused with a suggestion", () => {
        const e = c.make();
        expect(Object.isFrozen(e.options)).toBe(true);
        for (const k of Object.keys(c.cls.defaults)) expect(Object.prototype.hasOwnProperty.call(e.options, k), `${c.tag}.options.${k}`).toBe(true);
        const key = Object.keys(c.cls.defaults).sort((a, b) => b.length - a.length)[0];
        const wrong = key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`) + (/[A-Z]/.test(key) ? "" : "s");
        let err: unknown;
        try { new (c.cls as any)({ [wrong]: 1 }); } catch (x) { err = x; }
        expect(err, `${c.tag} accepted unknown option ${wrong}`).toBeInstanceOf(CustlabError);
        expect((err as CustlabError).code).toBe("E_OPTION");
        expect((err as Error).message).toContain(`did you mean ${key}?`);
        expect((err as Error).message).toContain(c.tag);
      });

      it("use before fit is an E_NOT_FITTED error naming the class", async () => {
        if (c.stateless) {
          const e = c.make();
          expect(plain(await c.output(e))).toBe(plain(await c.output(await c.fit(c.make()))));
          return;
        }
        let err: unknown;
        try { await c.output(c.make()); } catch (x) { err = x; }
        expect(err, c.tag).toBeInstanceOf(CustlabError);
        expect((err as CustlabError).code).toBe("E_NOT_FITTED");
        expect((err as Error).message).toContain(c.tag);
      });

      it("fit returns the estimator and leaves its options unchanged; same seed → same output; JSON round trip → same output; wrong tag refused", async () => {
        const e = c.make();
        const before = plain(e.options);
        const r = c.fit(e);
        const isAsync = r instanceof Promise;
        expect(await r).toBe(e);
        expect(plain(e.options)).toBe(before);
        const out = plain(await c.output(e));
        // same seed → identical output
        const e2 = c.make();
        await c.fit(e2);
        expect(plain(await c.output(e2))).toBe(out);
        if (c.seeded) {
          const e3 = c.make(8);
          await c.fit(e3);
          expect(plain(await c.output(e3)), `${c.tag}: seed has no effect`).not.toBe(out);
        }
        // JSON envelope and round trips (class fromJSON and the one registry)
        const j = roundTrip(e);
        expect(Object.keys(j).sort()).toEqual(["options", "state", "type", "version"]);
        expect(j.type).toBe(c.tag);
        expect(j.state).not.toBeNull();
        expect(estimatorClass(j.type)).toBe(c.cls);
        expect(plain(await c.output(c.cls.fromJSON(j)))).toBe(out);
        expect(plain(await c.output(estimatorFromJSON(roundTrip(e))))).toBe(out);
        // an unfitted estimator round-trips to an unfitted one with the same options
        const u = c.cls.fromJSON(roundTrip(c.make())) as any;
        expect(plain(u.options)).toBe(plain(c.make().options));
        // wrong tags are refused
        expect(() => c.cls.fromJSON({ ...j, type: "NotAnEstimator" })).toThrow(/not a/);
        const other = cases.find((o) => o.tag !== c.tag)!;
        expect(() => c.cls.fromJSON(roundTrip(other.make()))).toThrow(CustlabError);
        expect(() => c.cls.fromJSON({ ...j, version: j.version + 1 })).toThrow(/newer/);
        void isAsync;
      });
    });
  }

  it("sync and async estimators: fit returns this or Promise<this> (tfjs models only are async)", () => {
    const asyncTags = new Set(["MLPClassifier", "RecurrentClassifier", "TransformerClassifier", "VotingClassifier", "StackingClassifier", "CustomerAutoencoder", "TextNNClassifier"]);
    for (const c of cases) {
      const r = c.fit(c.make());
      expect(r instanceof Promise, c.tag).toBe(asyncTags.has(c.tag));
      if (r instanceof Promise) r.catch(() => undefined);
    }
  });

  it("the production sentiment classifier is serialisable and registrable (named analyzers, no functions)", async () => {
    const m = new TfidfSentimentClassifier({ lang: "en" }).fit(reviews.texts, reviews.y);
    expect(m.vectorizers_[0].options.analyzer).toBe("en-negation");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-contract-"));
    try {
      const reg = new ModelRegistry(dir);
      reg.save("review-sentiment", { model: m, metrics: { auc: 1 } });
      const back = reg.load("review-sentiment");
      expect(back.artifact.modelType).toBe("TfidfSentimentClassifier");
      expect(Array.from(positiveProba(back.model, reviews.texts))).toEqual(Array.from(positiveProba(m, reviews.texts)));
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
    // a function analyzer still works, but says how to make it serialisable
    const fn = new TfidfVectorizer({ analyzer: (t: string) => t.split(" ") }).fit(reviews.texts);
    expect(() => fn.toJSON()).toThrow(/registerTextAnalyzer/);
    expect(() => new TfidfVectorizer({ analyzer: "en-negatoin" })).toThrow(/did you mean en-negation/);
  });

  it("registry artifacts written before the envelope (flat model and Preprocessor JSON) are still read", () => {
    const flat = (j: any) => ({ type: j.type, options: j.options, ...j.state });
    for (const make of [() => new LogisticRegression(), () => new DecisionTreeClassifier({ maxDepth: 4 }), () => new HistGradientBoostingClassifier({ maxIter: 10 })]) {
      const m = make().fit(D.X, D.y);
      const old = flat(roundTrip(m));
      expect(Array.from(modelFromJSON(old).predictProba(D.X))).toEqual(Array.from(m.predictProba(D.X)));
    }
    const pre = new Preprocessor({ types: { idColumns: ["customer_id"] } }).fit(table);
    const oldPre = flat(roundTrip(pre));
    for (const part of ["imputer", "scaler", "onehot", "frequency"]) if (oldPre[part]) oldPre[part] = flat(oldPre[part]);
    expect(plain(Preprocessor.fromJSON(oldPre).transform(table))).toBe(plain(pre.transform(table)));
  });

  it("BG/NBD never accepts Pareto/NBD (or MBG/NBD) JSON, and the reverse", () => {
    const bg = new BetaGeoModel({ extraStarts: 0 }).fit(hist), pn = new ParetoNBDModel({ extraStarts: 0 }).fit(hist);
    expect(() => BetaGeoModel.fromJSON(roundTrip(pn))).toThrow(/ParetoNBDModel.*not a BetaGeoModel/);
    expect(() => ParetoNBDModel.fromJSON(roundTrip(bg))).toThrow(/BetaGeoModel.*not a ParetoNBDModel/);
    expect(() => BetaGeoModel.fromJSON(roundTrip(ModifiedBetaGeoModel.fromParams(bg.params)))).toThrow(/not a BetaGeoModel/);
    // the pre-envelope JSON (class named in `model`) is still read, and still checked
    const old = { model: "BetaGeoModel", options: { penalizer: 0 }, params: bg.paramsObject(), se: null, loglik: bg.logLikelihood_, n: bg.nObs_, convergence: null };
    expect(BetaGeoModel.fromJSON(old).paramsObject()).toEqual(bg.paramsObject());
    expect(() => ParetoNBDModel.fromJSON(old)).toThrow(/not a ParetoNBDModel/);
  });

  it("predictProba is n × k for every classifier and positiveProba takes the class-1 column", async () => {
    for (const c of cases.filter((x) => x.tag.endsWith("Classifier") || x.tag === "LogisticRegression" || x.tag === "LexiconSentiment" || x.tag === "SparseLogisticRegression")) {
      if (c.tag === "SparseLogisticRegression") continue; // CSR input: its n × k output is covered by TfidfSentimentClassifier
      const e = await c.fit(c.make());
      const isSeq = c.tag === "RecurrentClassifier" || c.tag === "TransformerClassifier", isText = ["TextNNClassifier", "TfidfSentimentClassifier", "LexiconSentiment"].includes(c.tag);
      const X = isSeq ? seqs : isText ? reviews.texts : D.X;
      const n = isSeq ? 60 : isText ? reviews.texts.length : D.X.rows;
      const P = (await e.predictProba(X)) as Float64Array;
      expect(P.length, c.tag).toBe(2 * n);
      for (let i = 0; i < n; i++) expect(P[2 * i] + P[2 * i + 1]).toBeCloseTo(1, 6);
      expect(Array.from(await positiveProba(e, X))).toEqual(Array.from({ length: n }, (_, i) => P[2 * i + 1]));
      if (!isText) expect(modelFromJSON(roundTrip(e))).toBeTruthy();
    }
    // multiclass: name the positive label
    const y3 = Float64Array.from(D.y, (v, i) => (i % 5 === 0 ? 2 : v));
    const lr = new LogisticRegression().fit(D.X, y3);
    expect(() => positiveProba(lr, D.X)).toThrow(/name the positive label/);
    expect(positiveProba(lr, D.X, 2).length).toBe(D.X.rows);
  });
});
