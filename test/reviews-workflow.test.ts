// The review-sentiment workflow (src/reviews/workflow.ts), the one the report pipeline calls: labels,
// hold-out split, TF-IDF model vs lexicon, Wilson product ranking. Oracles: hand-made label cases,
// Newcombe's (1998) published Wilson intervals, the demo shop's planted review sentiment, and the
// same steps written out with the text and eval primitives.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { reviewSentimentLabels, reviewDocument, sentimentHoldoutSplit, reviewSentiment, rankNegativeProducts } from "../src/reviews";
import { LexiconSentiment, TfidfSentimentClassifier } from "../src/text";
import { loadReviews, readTextColumns } from "../src/io";
import { rocAucScore } from "../src/eval/metrics";
import { stratifiedKFold, foldSplit } from "../src/eval/cv";
import { positiveProba } from "../src/util/estimator";

const DEMO = path.resolve(__dirname, "../datasets/demo");
const hasDemo = fs.existsSync(path.join(DEMO, "reviews.csv")) && fs.existsSync(path.join(DEMO, "truth_reviews.csv"));
if (!hasDemo) console.warn("reviews-workflow: datasets/demo not generated yet — demo tests skipped");

describe("labels, documents, split", () => {
  it("ratings ≥ 4 positive, ≤ 2 negative, 3 left out; a given 0/1 label only where the rating is missing", () => {
    expect(Array.from(reviewSentimentLabels([5, 4, 3, 2, 1, NaN, NaN, NaN, 4.5, 2.5], [0, 0, 1, 1, 1, 1, 0, NaN, NaN, NaN])))
      .toEqual([1, 1, -1, 0, 0, 1, 0, -1, 1, -1]);
    expect(Array.from(reviewSentimentLabels([NaN, NaN], [2, -1]))).toEqual([1, 0]);
    expect(() => reviewSentimentLabels([1, 2], [1])).toThrow(/2 ratings but 1 given labels/);
    expect(reviewDocument("Love it", "Soft fabric.")).toBe("Love it. Soft fabric.");
    expect(reviewDocument("", "Soft fabric.")).toBe("Soft fabric.");
  });

  it("the hold-out split is fold 0 of the stratified 5-fold split: 20% test, class shares kept", () => {
    const y = Int32Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 1 : 0));
    for (const seed of [1, 42, 7]) {
      const { train, test } = sentimentHoldoutSplit(y, { seed });
      const ref = foldSplit(stratifiedKFold(y, 5, seed), 0);
      expect(Array.from(test)).toEqual(Array.from(ref.test).sort((a, b) => a - b));
      expect(Array.from(train)).toEqual(Array.from(ref.train).sort((a, b) => a - b));
      expect(test.length).toBe(200);
      expect(Array.from(test).filter((q) => y[q] === 1).length).toBe(60);
    }
  });
});

describe("products ranked by the Wilson interval of their negative share", () => {
  it("bounds match Newcombe's published Wilson intervals; ranked by the lower bound; products without an id left out", () => {
    const products: string[] = [], negative: number[] = [], texts: string[] = [];
    const add = (p: string, neg: number, n: number) => { for (let i = 0; i < n; i++) { products.push(p); negative.push(i < neg ? 1 : 0); texts.push(`${p} review ${i}${i < neg ? " bad" : ""}`); } };
    add("A", 81, 263);   // Newcombe 1998: 81/263 → [0.2553, 0.3662]
    add("B", 0, 20);     // 0/20 → [0, 0.1611]
    add("C", 3, 4);      // 3/4: below minReviews here; with minReviews 4 its lower bound 0.3006 tops the list
    add("D", 15, 148);   // Newcombe 1998: 15/148 → [0.0624, 0.1605]
    add("", 50, 50);     // no product id: left out
    add("E", 5, 9);      // below minReviews
    const r = rankNegativeProducts(products, negative, { minReviews: 10, texts });
    expect(r.map((x) => x.product)).toEqual(["A", "D", "B"]);
    const a = r[0], d = r[1], b = r[2];
    expect(a.reviews).toBe(263); expect(a.negativeShare).toBeCloseTo(81 / 263, 12);
    expect(a.low).toBeCloseTo(0.2553, 4); expect(a.high).toBeCloseTo(0.3662, 4);
    expect(d.low).toBeCloseTo(0.0624, 4); expect(d.high).toBeCloseTo(0.1605, 4);
    expect(b.low).toBe(0); expect(b.high).toBeCloseTo(0.1611, 4);
    expect(a.example).toBe("A review 0 bad");
    expect(b.example).toBe("");
    const few = rankNegativeProducts(products, negative, { minReviews: 4, top: 2 });
    expect(few.map((x) => x.product)).toEqual(["C", "E"]); // 3/4 → low 0.3006; 5/9 → low 0.2667 > A's 0.2553
    expect(few[0].low).toBeCloseTo(0.3006, 4);
  });
});

describe.runIf(hasDemo)("reviewSentiment on the demo shop's reviews", () => {
  it("trains on 80%, measures on 20% and against the lexicon exactly as the steps written out; ranks planted truth (AUC ≥ 0.95)", async () => {
    const { table } = await loadReviews(path.join(DEMO, "reviews.csv"), { format: "custlab" });
    const truth = await readTextColumns(path.join(DEMO, "truth_reviews.csv"), ["review_id", "sentiment"]);
    const tmap = new Map(truth.columns.review_id.map((id, i) => [id, truth.columns.sentiment[i]]));
    const lang = table.str("language"), title = table.str("title"), body = table.str("text"), rating = table.num("rating"), given = table.num("label"), ids = table.str("review_id");
    for (const L of ["en", "zh"] as const) {
      const idx = [...Array(table.numRows).keys()].filter((i) => (lang[i] || "en") === L && (body[i] || title[i]));
      const texts = idx.map((i) => reviewDocument(title[i], body[i]));
      const labels = reviewSentimentLabels(idx.map((i) => rating[i]), idx.map((i) => given[i]));
      const s = reviewSentiment(texts, labels, { lang: L, seed: 42 });
      expect(s.method).toBe("tfidf-lr");
      // the same steps, written out
      const lab = idx.map((_, j) => j).filter((j) => labels[j] >= 0);
      const yl = Int32Array.from(lab, (j) => labels[j]);
      const { train, test } = foldSplit(stratifiedKFold(yl, 5, 42), 0);
      const clf = new TfidfSentimentClassifier({ lang: L, features: L === "en" ? "word" : "sklearn" }).fit(Array.from(train, (q) => texts[lab[q]]), Int32Array.from(train, (q) => yl[q]));
      const p = positiveProba(clf, texts);
      expect(Array.from(s.pPositive)).toEqual(Array.from(p));
      expect(s.holdoutAuc).toBe(rocAucScore(Int32Array.from(test, (q) => yl[q]), Array.from(test, (q) => p[lab[q]])));
      const lex = positiveProba(new LexiconSentiment({ lang: L }), texts);
      expect(s.lexiconAuc).toBe(rocAucScore(yl, lab.map((j) => lex[j])));
      expect(s.holdoutSize).toBe(test.length);
      expect(s.labelled).toBe(lab.length);
      expect(s.holdoutAuc).toBeGreaterThan(s.lexiconAuc - 0.05);
      // planted truth
      const y: number[] = [], sc: number[] = [];
      idx.forEach((i, j) => { const t = tmap.get(ids[i]); if (t === "positive" || t === "negative") { y.push(t === "positive" ? 1 : 0); sc.push(s.pPositive[j]); } });
      expect(y.length).toBeGreaterThan(100);
      expect(rocAucScore(y, sc), L).toBeGreaterThanOrEqual(0.95);
      expect(Array.from(s.negative)).toEqual(Array.from(s.pPositive, (v) => (v < 0.5 ? 1 : 0)));
    }
  }, 300_000);

  it("too few labels: the lexicon scores every review and nothing is measured", () => {
    const texts = ["great, love it", "awful, broke", "fine", "terrible quality", "perfect fit"];
    const s = reviewSentiment(texts, [1, 0, -1, 0, 1], { lang: "en" });
    expect(s.method).toBe("lexicon");
    expect(Array.from(s.pPositive)).toEqual(Array.from(positiveProba(new LexiconSentiment({ lang: "en" }), texts)));
    expect(Number.isNaN(s.holdoutAuc) && Number.isNaN(s.lexiconAuc)).toBe(true);
    expect(s.holdoutSize).toBe(0);
    expect(s.labelled).toBe(4);
  });
});
