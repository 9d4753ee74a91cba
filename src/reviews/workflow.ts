/**
 * The review-sentiment workflow, one home for the report pipeline, the CLI and the notebooks (as
 * `src/churn/workflow.ts` is for churn): labels from star ratings (or a given 0/1 label), the review
 * document (title and text), one stratified hold-out split, a TF-IDF + logistic-regression model
 * measured on that split against the lexicon baseline and then scoring every review, and products
 * ranked by the Wilson interval of their negative share.
 * @module
 */
import { CustlabError } from "../util/errors";
import { positiveProba } from "../util/estimator";
import { stratifiedKFold } from "../util/folds";
import { LexiconSentiment } from "../text/lexicon";
import { TfidfSentimentClassifier, type TfidfFeatureSet } from "../text/classifier";
import { sentimentLabelsFromRatings } from "../text/labels";
import { mostNegativeProducts } from "../text/aggregate";
import { rocAucScore } from "../eval/metrics";

/**
 * Binary sentiment labels of reviews: a star rating ≥ 4 is positive (1), ≤ 2 negative (0), and 3
 * neutral (−1, left out of training and of the AUCs); a review without a rating takes its given
 * 0/1 label (> 0 positive), and one with neither is −1.
 *
 * @param ratings - star rating per review (NaN when missing)
 * @param given - optional 0/1 label per review (NaN when missing), used where the rating is missing
 * @returns a class code per review: 1, 0 or −1
 * @example
 * ```ts
 * import { reviewSentimentLabels } from "custlab";
 * reviewSentimentLabels([5, 3, 1, NaN, NaN], [NaN, NaN, NaN, 1, NaN]); // Int32Array [1, -1, 0, 1, -1]
 * ```
 */
export function reviewSentimentLabels(ratings: ArrayLike<number>, given?: ArrayLike<number>): Int32Array {
  if (given && given.length !== ratings.length) throw new CustlabError("E_SHAPE", `reviewSentimentLabels: ${ratings.length} ratings but ${given.length} given labels`);
  const three = sentimentLabelsFromRatings(ratings, { classes: 3 });
  const out = new Int32Array(ratings.length);
  for (let i = 0; i < out.length; i++) {
    if (three[i] >= 0) out[i] = three[i] === 2 ? 1 : three[i] === 0 ? 0 : -1;
    else out[i] = given && Number.isFinite(given[i]) ? (given[i] > 0 ? 1 : 0) : -1;
  }
  return out;
}

/**
 * The text a sentiment model reads for one review: `"<title>. <text>"`, or the text alone when
 * there is no title.
 * @example
 * ```ts
 * import { reviewDocument } from "custlab";
 * reviewDocument("Love it", "Soft fabric."); // "Love it. Soft fabric."
 * ```
 */
export function reviewDocument(title: string | undefined, text: string | undefined): string {
  return title ? `${title}. ${text ?? ""}` : text ?? "";
}

/**
 * One stratified hold-out split of labelled rows: the first fold of a stratified k-fold split
 * (`stratifiedKFold(y, folds, seed)`) is the test set, the rest the training set (k = 5: 80/20).
 *
 * @param y - class codes of the labelled rows
 * @returns positions into `y` of the training and the test rows, ascending
 * @example
 * ```ts
 * import { sentimentHoldoutSplit } from "custlab";
 * const { train, test } = sentimentHoldoutSplit(Int32Array.from({ length: 100 }, (_, i) => i % 2), { seed: 42 });
 * test.length; // 20
 * ```
 */
export function sentimentHoldoutSplit(y: ArrayLike<number>, options: { folds?: number; seed?: number } = {}): { train: Int32Array; test: Int32Array } {
  const fold = stratifiedKFold(y, options.folds ?? 5, options.seed ?? 42);
  const train: number[] = [], test: number[] = [];
  for (let q = 0; q < y.length; q++) (fold[q] === 0 ? test : train).push(q);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/** Options for {@link reviewSentiment}. */
export interface ReviewSentimentOptions {
  /** Language of the texts. Default "en". */
  lang?: "en" | "zh";
  /** Seed of the hold-out split. Default 42. */
  seed?: number;
  /** Train a model only with at least this many labelled reviews. Default 200. */
  minLabelled?: number;
  /** … and more than this many of each class. Default 20. */
  minPerClass?: number;
  /** TF-IDF features. Default "word" for English, "sklearn" for Chinese. */
  features?: TfidfFeatureSet;
}

/** Result of {@link reviewSentiment}. */
export interface ReviewSentimentResult {
  /** "tfidf-lr" when a model was trained, "lexicon" when there were too few labels. */
  method: "tfidf-lr" | "lexicon";
  /** P(positive) per review (all reviews, labelled or not). */
  pPositive: Float64Array;
  /** 1 where P(positive) < 0.5 (a negative review), else 0. */
  negative: Uint8Array;
  /** Reviews with a label (0 or 1). */
  labelled: number;
  /** ROC-AUC of the lexicon on the labelled reviews (NaN when no model was trained). */
  lexiconAuc: number;
  /** ROC-AUC of the TF-IDF model on the held-out reviews (NaN when no model was trained). */
  holdoutAuc: number;
  /** Held-out reviews (0 when no model was trained). */
  holdoutSize: number;
}

/**
 * Sentiment of a set of reviews in one language: with enough labels (see the options), a
 * TF-IDF + logistic-regression model is fitted on a stratified 80% of the labelled reviews
 * ({@link sentimentHoldoutSplit}), measured on the other 20% (and the lexicon on all labelled
 * reviews, for comparison), and then scores every review; otherwise the lexicon scores them.
 *
 * @param texts - one document per review (see {@link reviewDocument})
 * @param labels - 1 / 0 / −1 per review (see {@link reviewSentimentLabels})
 * @example
 * ```ts
 * import { reviewSentiment } from "custlab";
 * const texts = Array.from({ length: 400 }, (_, i) => (i % 2 ? "great fit, love it" : "poor quality, returned it"));
 * const r = reviewSentiment(texts, Int32Array.from(texts, (_, i) => i % 2), { lang: "en" });
 * r.method; // "tfidf-lr"
 * ```
 */
export function reviewSentiment(texts: string[], labels: ArrayLike<number>, options: ReviewSentimentOptions = {}): ReviewSentimentResult {
  if (labels.length !== texts.length) throw new CustlabError("E_SHAPE", `reviewSentiment: ${texts.length} texts but ${labels.length} labels`);
  const lang = options.lang ?? "en";
  const lab: number[] = [];
  let pos = 0;
  for (let j = 0; j < labels.length; j++) if (labels[j] >= 0) { lab.push(j); pos += labels[j] > 0 ? 1 : 0; }
  const lex = positiveProba(new LexiconSentiment({ lang }), texts);
  const minPer = options.minPerClass ?? 20;
  let pPositive = lex, method: ReviewSentimentResult["method"] = "lexicon", lexiconAuc = NaN, holdoutAuc = NaN, holdoutSize = 0;
  if (lab.length >= (options.minLabelled ?? 200) && pos > minPer && lab.length - pos > minPer) {
    const yl = Int32Array.from(lab, (j) => (labels[j] > 0 ? 1 : 0));
    lexiconAuc = rocAucScore(yl, lab.map((j) => lex[j]));
    const { train, test } = sentimentHoldoutSplit(yl, { seed: options.seed });
    const clf = new TfidfSentimentClassifier({ lang, features: options.features ?? (lang === "en" ? "word" : "sklearn") })
      .fit(Array.from(train, (q) => texts[lab[q]]), Int32Array.from(train, (q) => yl[q]));
    pPositive = positiveProba(clf, texts);
    holdoutAuc = rocAucScore(Int32Array.from(test, (q) => yl[q]), Array.from(test, (q) => pPositive[lab[q]]));
    holdoutSize = test.length;
    method = "tfidf-lr";
  }
  return { method, pPositive, negative: Uint8Array.from(pPositive, (p) => (p < 0.5 ? 1 : 0)), labelled: lab.length, lexiconAuc, holdoutAuc, holdoutSize };
}

/** One product of {@link rankNegativeProducts}. */
export interface NegativeProductRank {
  product: string;
  /** Reviews of the product. */
  reviews: number;
  /** Share of them that are negative. */
  negativeShare: number;
  /** Wilson interval of the negative share. */
  low: number;
  high: number;
  /** The first negative review of the product ("" when none), cut to `exampleChars`. */
  example: string;
}

/**
 * Products ranked by the lower Wilson bound of their share of negative reviews (most negative first;
 * ties: more reviews first), so a product with 3 negative of 4 does not outrank one with 60 of 100.
 * Reviews without a product id are left out.
 *
 * @param products - product id per review ("" when unknown)
 * @param negative - 1 for a negative review, 0 otherwise
 * @param options - `minReviews` (default 10), `top` (default 10), `texts` for the examples,
 *   `exampleChars` (default 160)
 * @example
 * ```ts
 * import { rankNegativeProducts } from "custlab";
 * const products = Array.from({ length: 40 }, (_, i) => (i < 20 ? "A" : "B"));
 * rankNegativeProducts(products, products.map((p, i) => (p === "A" && i % 2 ? 1 : 0)))[0].product; // "A"
 * ```
 */
export function rankNegativeProducts(products: ArrayLike<string>, negative: ArrayLike<number>, options: { minReviews?: number; top?: number; texts?: ArrayLike<string>; exampleChars?: number } = {}): NegativeProductRank[] {
  if (products.length !== negative.length) throw new CustlabError("E_SHAPE", `rankNegativeProducts: ${products.length} products but ${negative.length} sentiment flags`);
  const codes = Int32Array.from({ length: products.length }, (_, i) => (products[i] ? (negative[i] ? 0 : 1) : -1));
  const chars = options.exampleChars ?? 160;
  return mostNegativeProducts(products, codes, { minCount: options.minReviews ?? 10, top: options.top ?? 10, texts: options.texts, examples: 1 })
    .map((r) => ({ product: r.product, reviews: r.n, negativeShare: r.negativeRate, low: r.low, high: r.high, example: (r.examples[0] ?? "").slice(0, chars) }));
}
