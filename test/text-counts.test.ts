import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { TfidfVectorizer, TfidfSentimentClassifier, type TfidfOptions } from "../src/text";
import { csrTranspose, csrVstack, csrHstack, csrToDense, csrFromTriplets, type CsrMatrix } from "../src/text/csr";
import { readTextColumns } from "../src/io";
import { createRng } from "../src/util/random";
import { stratifiedKFold, foldSplit } from "../src/util/folds";
import { crossValidateSentiment } from "../src/reviews";
import { sentimentLabelsFromRatings } from "../src/text";

// Counting a corpus once and fitting / transforming row subsets from the counts
// (what sentiment cross-validation does) must give exactly the matrices of
// fitTransform / transform on the subsets' texts: same vocabulary, idf, values.

const SHARED = path.resolve(__dirname, "../../shared/datasets");
const CLOTHING = path.join(SHARED, "womens-clothing-reviews/Womens Clothing E-Commerce Reviews.csv");
const CHINESE = path.join(SHARED, "chinese-reviews/online_shopping_10_cats.csv");

function expectSameCsr(a: CsrMatrix, b: CsrMatrix): void {
  expect(a.rows).toBe(b.rows);
  expect(a.cols).toBe(b.cols);
  expect(Array.from(a.indptr)).toEqual(Array.from(b.indptr));
  expect(Buffer.from(a.indices.buffer, a.indices.byteOffset, a.indices.byteLength).equals(Buffer.from(b.indices.buffer, b.indices.byteOffset, b.indices.byteLength))).toBe(true);
  expect(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength))).toBe(true);
}

/** Random texts over a small vocabulary (with repeats, short words, punctuation, Chinese and an astral character). */
function synthTexts(n: number, seed: number): string[] {
  const rng = createRng(seed);
  const words = ["good", "bad", "not", "very", "dress", "fit", "a", "I", "love", "it's", "returned", "small", "Large", "质量", "很好", "不", "好", "😀ok", "x", "fabric,", "soft!"];
  return Array.from({ length: n }, () => {
    const L = rng.int(14);
    const out: string[] = [];
    for (let t = 0; t < L; t++) out.push(words[rng.int(words.length)]);
    return out.join(rng.next() < 0.2 ? "  " : " ");
  });
}

function checkSubsets(texts: string[], opts: TfidfOptions, seed: number): void {
  const rng = createRng(seed);
  const minDocs = opts.minDf !== undefined && opts.minDf >= 1 ? Math.ceil(opts.minDf) : 1;
  const corpus = new TfidfVectorizer(opts).countCorpus(texts, minDocs);
  for (let rep = 0; rep < 3; rep++) {
    const train: number[] = [], test: number[] = [];
    for (let i = 0; i < texts.length; i++) (rng.next() < 0.75 ? train : test).push(i);
    const a = new TfidfVectorizer(opts), b = new TfidfVectorizer(opts);
    expectSameCsr(a.fitCounts(corpus, train), b.fitTransform(train.map((i) => texts[i])));
    expect(a.featureNames_).toEqual(b.featureNames_);
    expect(Array.from(a.df_)).toEqual(Array.from(b.df_));
    expect(Array.from(a.idf_)).toEqual(Array.from(b.idf_));
    expectSameCsr(a.transformCounts(corpus, test), b.transform(test.map((i) => texts[i])));
    // a fitted vectoriser still transforms raw texts after fitCounts
    expectSameCsr(a.transform(test.map((i) => texts[i])), b.transform(test.map((i) => texts[i])));
    // the term-major build is the transpose of fitTransform's matrix, value for value, with the same fitted state
    const c = new TfidfVectorizer(opts);
    expectSameCsr(c.fitCountsTransposed(corpus, train), csrTranspose(b.fitTransform(train.map((i) => texts[i]))));
    expect(c.featureNames_).toEqual(b.featureNames_);
    expect(Array.from(c.idf_)).toEqual(Array.from(b.idf_));
    expectSameCsr(c.transformCounts(corpus, test), b.transform(test.map((i) => texts[i])));
    // rows out of order: the result's columns follow the given order
    const shuffled = train.slice().reverse();
    expectSameCsr(new TfidfVectorizer(opts).fitCountsTransposed(corpus, shuffled), csrTranspose(b.fitTransform(shuffled.map((i) => texts[i]))));
  }
}

describe("TfidfVectorizer.countCorpus → fitCounts / transformCounts", () => {
  const cases: [string, TfidfOptions][] = [
    ["word 1–1", {}],
    ["word 1–2, minDf 2, sublinear", { ngramRange: [1, 2], minDf: 2, sublinearTf: true }],
    ["word 2–3, minDf 0.01, maxDf 0.5", { ngramRange: [2, 3], minDf: 0.01, maxDf: 0.5 }],
    ["word 1–2, maxFeatures 40, stopwords", { ngramRange: [1, 2], maxFeatures: 40, stopwords: ["a", "it's"] }],
    ["char_wb 1–3, minDf 2, sublinear", { analyzer: "char_wb", ngramRange: [1, 3], minDf: 2, sublinearTf: true }],
    ["char_wb 2–5, binary, l1", { analyzer: "char_wb", ngramRange: [2, 5], binary: true, norm: "l1" }],
    ["char 1–2, no idf, no lowercase", { analyzer: "char", ngramRange: [1, 2], useIdf: false, lowercase: false }],
    ["en-negation 1–2, minDf 3", { analyzer: "en-negation", ngramRange: [1, 2], minDf: 3 }],
    ["zh-negation 1–2, minDf 2.5", { analyzer: "zh-negation", ngramRange: [1, 2], minDf: 2.5 }],
  ];
  for (const [name, opts] of cases) {
    it(`equals fitTransform / transform of the subsets: ${name}`, () => {
      for (const seed of [1, 2]) checkSubsets(synthTexts(300, seed), opts, seed + 10);
    });
  }
  it("transformCounts on a corpus the vectoriser was not fitted from maps terms by name", () => {
    const texts = synthTexts(200, 5);
    const opts: TfidfOptions = { ngramRange: [1, 2], minDf: 2 };
    const v = new TfidfVectorizer(opts);
    v.fit(texts.slice(0, 150));
    const corpus = new TfidfVectorizer(opts).countCorpus(texts);
    const rows = Array.from({ length: 50 }, (_, r) => 150 + r);
    expectSameCsr(v.transformCounts(corpus, rows), v.transform(texts.slice(150)));
    expect(() => new TfidfVectorizer(opts).transformCounts(corpus, rows)).toThrow(/fit/);
  });
});

describe("csrVstack", () => {
  it("stacks rows; the transpose of a horizontal stack is the vertical stack of the transposes", () => {
    const rng = createRng(9);
    const rand = (r: number, c: number) => {
      const ri: number[] = [], ci: number[] = [], v: number[] = [];
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) if (rng.next() < 0.3) { ri.push(i); ci.push(j); v.push(rng.next()); }
      return csrFromTriplets(r, c, ri, ci, v);
    };
    const a = rand(7, 5), b = rand(7, 3), e = rand(7, 0);
    expectSameCsr(csrVstack([csrTranspose(a), csrTranspose(e), csrTranspose(b)]), csrTranspose(csrHstack([a, e, b])));
    expect(csrToDense(csrVstack([a, a]))).toEqual([...csrToDense(a), ...csrToDense(a)]);
    expect(() => csrVstack([a, b])).toThrow(/csrVstack: 3 columns after 5/);
  });
});

describe.skipIf(!fs.existsSync(CLOTHING) || !fs.existsSync(CHINESE))("TfidfSentimentClassifier.fitCounts on real reviews (one fold)", () => {
  for (const [name, file, col, lab, lang] of [
    ["clothing", CLOTHING, "Review Text", "Rating", "en"],
    ["chinese", CHINESE, "review", "label", "zh"],
  ] as const) {
    it(`${name}: same probabilities as fit / predictProba on the fold's texts (default and sklearn features)`, async () => {
      const d = await readTextColumns(file, [col, lab]);
      const idx: number[] = [];
      for (let i = 0; i < d.rows && idx.length < 1500; i += 11) if (d.columns[col][i] !== "") idx.push(i);
      const texts = idx.map((i) => d.columns[col][i]);
      const y = Int32Array.from(idx, (i) => (lang === "en" ? (Number(d.columns[lab][i]) >= 4 ? 1 : 0) : Number(d.columns[lab][i])));
      const { train, test } = foldSplit(stratifiedKFold(y, 5, 42), 0);
      for (const features of [undefined, "sklearn"] as const) {
        const a = new TfidfSentimentClassifier({ lang, features, maxIter: 30 });
        const corpus = a.countCorpus(texts);
        a.fitCounts(corpus, train, Int32Array.from(train, (i) => y[i]));
        const b = new TfidfSentimentClassifier({ lang, features, maxIter: 30 }).fit(Array.from(train, (i) => texts[i]), Int32Array.from(train, (i) => y[i]));
        expect(Array.from(a.model_!.coef_)).toEqual(Array.from(b.model_!.coef_));
        expect(Array.from(a.predictProbaCounts(corpus, test))).toEqual(Array.from(b.predictProba(Array.from(test, (i) => texts[i]))));
      }
    });
  }
});

describe("sentiment CV counts each vectoriser on its own thread", () => {
  it("Chinese word + character features (two vectorisers): the same folds on 1, 2 and 3 threads", async () => {
    const d = await readTextColumns(path.resolve(__dirname, "../datasets/demo/reviews.csv"), ["text", "language", "rating"]);
    const idx = [...Array(d.rows).keys()].filter((i) => d.columns.language[i] === "zh");
    const texts = idx.map((i) => d.columns.text[i]), y = sentimentLabelsFromRatings(idx.map((i) => Number(d.columns.rating[i])));
    const one = await crossValidateSentiment(texts, y, { lang: "zh", folds: 4, seed: 5, threads: 1 });
    for (const threads of [2, 3]) {
      const r = await crossValidateSentiment(texts, y, { lang: "zh", folds: 4, seed: 5, threads });
      expect(r.threads).toBe(threads);
      expect(Array.from(r.oof)).toEqual(Array.from(one.oof));
      expect(r.folds.map((f) => f.auc)).toEqual(one.folds.map((f) => f.auc));
    }
    expect(one.auc_mean).toBeGreaterThan(0.9);
  }, 120_000);
});
