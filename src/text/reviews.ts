/**
 * Sentiment and topics on the canonical review table (REVIEW_COLUMNS:
 * review_id, product_id, customer_id, timestamp, rating, title, text,
 * language, category, label), English and Chinese side by side.
 */
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { Table } from "../table";
import { stratifiedKFold, foldSplit } from "../util/folds";
import { scoreSentiment } from "./lexicon";
import { sentimentLabelsFromRatings } from "./labels";
import { TfidfSentimentClassifier, TfidfSentimentOptions } from "./classifier";
import { detectLanguage } from "./clean";

/** Options for {@link scoreReviews}. */
export interface ScoreReviewsOptions {
  /**
   * "lexicon" (no training; compound score), or "tfidf-lr": a 3-class TF-IDF +
   * logistic regression per language trained on ratings (≤ 2 negative, 3
   * neutral, ≥ 4 positive), scored out of fold so every review gets an honest
   * prediction. Default "tfidf-lr" when ratings exist, else "lexicon".
   */
  model?: "lexicon" | "tfidf-lr";
  /** Folds for out-of-fold scoring. Default 5. */
  folds?: number;
  /** Seed. Default 42. */
  seed?: number;
  /** Classifier options. */
  tfidf?: TfidfSentimentOptions;
  /** Neutral band for the lexicon's compound score. Default 0.05. */
  neutralBand?: number;
  /** Progress (stage "sentiment:<lang>"). */
  onProgress?: ProgressCallback;
}

/**
 * Score every review: adds `sentiment_score` (−1 … 1: lexicon compound, or
 * P(positive) − P(negative) for the trained model), `sentiment`
 * ("positive" | "neutral" | "negative"), `sentiment_code` (0 / 1 / 2), and
 * `p_positive`/`p_negative` for the trained model. Title and text are joined.
 * The language column picks the lexicon / model ("" → detected).
 * @example const scored = await scoreReviews((await loadReviews("datasets/demo/reviews.csv")).table);
 */
export async function scoreReviews(reviews: Table, options: ScoreReviewsOptions = {}): Promise<Table> {
  for (const c of ["text", "title", "language", "rating"]) if (!reviews.has(c)) throw new CustlabError("E_MISSING_COLUMN", `scoreReviews: the review table has no "${c}" column (expected the canonical REVIEW_COLUMNS)`, { column: c });
  const n = reviews.numRows;
  const text = reviews.str("text"), title = reviews.str("title"), langCol = reviews.str("language"), rating = reviews.num("rating");
  const docs = Array.from({ length: n }, (_, i) => (title[i] ? `${title[i]}. ${text[i]}` : text[i] ?? ""));
  const lang = Array.from({ length: n }, (_, i) => (langCol[i] === "zh" || langCol[i] === "en" ? langCol[i] : detectLanguage(docs[i])) as "en" | "zh");
  const score = new Float64Array(n), code = new Int32Array(n).fill(1), pPos = new Float64Array(n).fill(NaN), pNeg = new Float64Array(n).fill(NaN);
  let hasRatings = false;
  for (let i = 0; i < n; i++) if (Number.isFinite(rating[i])) { hasRatings = true; break; }
  const model = options.model ?? (hasRatings ? "tfidf-lr" : "lexicon");
  const band = options.neutralBand ?? 0.05;
  if (model === "lexicon") {
    for (let i = 0; i < n; i++) {
      const s = scoreSentiment(docs[i], lang[i], { neutralBand: band });
      score[i] = s.compound;
      code[i] = s.label === "positive" ? 2 : s.label === "negative" ? 0 : 1;
    }
  } else {
    const y = sentimentLabelsFromRatings(rating, { classes: 3 });
    for (const L of ["en", "zh"] as const) {
      const idx: number[] = [];
      for (let i = 0; i < n; i++) if (lang[i] === L && docs[i].trim()) idx.push(i);
      if (!idx.length) continue;
      const lab = idx.filter((i) => y[i] >= 0);
      const classes = new Set(lab.map((i) => y[i]));
      if (classes.size < 3 || lab.length < 30) throw new CustlabError("E_LABEL", `scoreReviews: ${L} reviews need ratings in all three bands (≤2, 3, ≥4) and at least 30 rated rows to train; use model "lexicon"`);
      const fold = stratifiedKFold(Int32Array.from(lab, (i) => y[i]), options.folds ?? 5, options.seed ?? 42);
      const unrated = idx.filter((i) => y[i] < 0);
      const nf = options.folds ?? 5;
      for (let f = 0; f < nf; f++) {
        const { train, test } = foldSplit(fold, f);
        const m = new TfidfSentimentClassifier({ lang: L, ...(options.tfidf ?? {}) }).fit(Array.from(train, (k) => docs[lab[k]]), Int32Array.from(train, (k) => y[lab[k]]));
        const target = [...Array.from(test, (k) => lab[k]), ...(f === 0 ? unrated : [])];
        const P = m.predictProba(target.map((i) => docs[i]));
        target.forEach((i, r) => { pNeg[i] = P[3 * r]; pPos[i] = P[3 * r + 2]; score[i] = P[3 * r + 2] - P[3 * r]; let b = 0; for (let c = 1; c < 3; c++) if (P[3 * r + c] > P[3 * r + b]) b = c; code[i] = b; });
        options.onProgress?.({ stage: `sentiment:${L}`, done: f + 1, total: nf });
      }
    }
  }
  const names = ["negative", "neutral", "positive"];
  return reviews.assign({ sentiment_score: score, sentiment: Array.from(code, (c) => names[c]), sentiment_code: code, p_positive: pPos, p_negative: pNeg });
}
