/**
 * Trained sentiment classifiers on TF-IDF features, and the contract any text
 * model meets ({@link TextEstimator}). Cross-validation of sentiment models
 * (`crossValidateSentiment`) lives in `src/eval/sentiment-cv.ts`.
 */
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { CsrMatrix, csrHstack } from "./csr";
import { TfidfVectorizer, TfidfOptions } from "./tfidf";
import { SparseLogisticRegression } from "./logistic";
import { cleanText } from "./clean";
import { tokenizeChinese, tokenizeEnglish } from "./tokenize";

/** Feature sets for {@link TfidfSentimentClassifier}. */
export type TfidfFeatureSet = "word" | "char" | "word+char" | "sklearn";

/** Options for {@link TfidfSentimentClassifier}. */
export interface TfidfSentimentOptions {
  /** Language: "en" or "zh". Default "en". */
  lang?: "en" | "zh";
  /**
   * Features. "sklearn": exactly the anchor pipelines (en: word 1–2-grams; zh:
   * char_wb 1–3-grams; min_df 2, sublinear tf). "word": negation-marked word
   * 1–2-grams (en) / segmented words + 不_ scope 1–2-grams (zh). "char":
   * char_wb 1–3 (zh) / 2–5 (en) grams. "word+char": both stacked.
   * Default "word" for English (character n-grams added nothing on the
   * clothing reviews: fold-1 AUC 0.9594 vs 0.9593, at 6× the cost) and
   * "word+char" for Chinese.
   */
  features?: TfidfFeatureSet;
  /** Logistic regression C. Default 4 (as the scikit-learn anchors). */
  C?: number;
  /** Minimum document frequency for every vectoriser. Default 2. */
  minDf?: number;
  /** L-BFGS iteration cap. Default 500. */
  maxIter?: number;
  /** Progress callback. */
  onProgress?: ProgressCallback;
}

function vectorizerSpecs(lang: "en" | "zh", features: TfidfFeatureSet, minDf: number): TfidfOptions[] {
  const base = { minDf, sublinearTf: true } as const;
  if (features === "sklearn") return lang === "en" ? [{ ...base, ngramRange: [1, 2] }] : [{ ...base, analyzer: "char_wb", ngramRange: [1, 3] }];
  const word: TfidfOptions = lang === "en"
    ? { ...base, ngramRange: [1, 2], analyzer: (t: string) => tokenizeEnglish(t, { negation: true, negationScope: 3 }) }
    : { ...base, ngramRange: [1, 2], analyzer: (t: string) => tokenizeChinese(t, { negation: true }) };
  const char: TfidfOptions = lang === "en" ? { ...base, analyzer: "char_wb", ngramRange: [2, 5] } : { ...base, analyzer: "char_wb", ngramRange: [1, 3] };
  if (features === "word") return [word];
  if (features === "char") return [char];
  if (features === "word+char") return [word, char];
  throw new CustlabError("E_OPTION", `option features: "${features}" is not sklearn, word, char or word+char`);
}

/**
 * TF-IDF (one or more vectorisers, stacked) + sparse logistic regression on
 * raw texts. `predictProba` returns P(class 1) per text for two classes and
 * an n × k row-major matrix for more (custlab's eval convention).
 *
 * @example
 * const m = new TfidfSentimentClassifier({ lang: "en" }).fit(texts, y);  // y: 0/1 codes
 * m.predictProba(["love it", "returned it"]);  // Float64Array [P(pos), P(pos)]
 */
export class TfidfSentimentClassifier {
  readonly options: TfidfSentimentOptions;
  /** Fitted vectorisers (stacked left to right). */
  vectorizers_: TfidfVectorizer[] = [];
  /** Fitted logistic regression. */
  model_: SparseLogisticRegression | null = null;

  constructor(options: TfidfSentimentOptions = {}) { this.options = options; }

  /** The feature set in use (option, or the language default). */
  features(): TfidfFeatureSet {
    return this.options.features ?? ((this.options.lang ?? "en") === "en" ? "word" : "word+char");
  }

  private clean(texts: ArrayLike<string>): string[] {
    const out: string[] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) out[i] = this.features() === "sklearn" ? texts[i] ?? "" : cleanText(texts[i] ?? "");
    return out;
  }

  /** Fit vectorisers and the model on texts and class codes 0..k-1. Returns this. */
  fit(texts: ArrayLike<string>, y: ArrayLike<number>): this {
    const lang = this.options.lang ?? "en";
    const specs = vectorizerSpecs(lang, this.features(), this.options.minDf ?? 2);
    const docs = this.clean(texts);
    this.vectorizers_ = specs.map((s) => new TfidfVectorizer(s));
    const X = this.stack(this.vectorizers_.map((v) => v.fitTransform(docs)));
    this.model_ = new SparseLogisticRegression({ C: this.options.C ?? 4, maxIter: this.options.maxIter ?? 500, onProgress: this.options.onProgress }).fit(X, y);
    return this;
  }

  private stack(ms: CsrMatrix[]): CsrMatrix {
    if (ms.length === 1) return ms[0];
    // stacked blocks each have unit norm: rescale so the row stays unit-norm
    const X = csrHstack(ms);
    const f = 1 / Math.sqrt(ms.length);
    for (let p = 0; p < X.data.length; p++) X.data[p] *= f;
    return X;
  }

  /** Features of new texts. */
  transform(texts: ArrayLike<string>): CsrMatrix {
    if (!this.model_) throw new CustlabError("E_NOT_FITTED", "TfidfSentimentClassifier: call fit() first");
    const docs = this.clean(texts);
    return this.stack(this.vectorizers_.map((v) => v.transform(docs)));
  }

  /** P(class 1) for binary models; n × k row-major otherwise. */
  predictProba(texts: ArrayLike<string>): Float64Array {
    const P = this.model_!.predictProba(this.transform(texts));
    if (this.model_!.nClasses_ !== 2) return P;
    const out = new Float64Array(texts.length);
    for (let i = 0; i < out.length; i++) out[i] = P[2 * i + 1];
    return out;
  }

  /** Most probable class code per text. */
  predict(texts: ArrayLike<string>): Int32Array {
    return this.model_!.predict(this.transform(texts));
  }

  /**
   * The strongest terms for each direction (binary models): the `n` largest
   * and smallest coefficients with their terms.
   */
  topTerms(n = 20): { positive: { term: string; weight: number }[]; negative: { term: string; weight: number }[] } {
    const m = this.model_!;
    const names: string[] = [];
    for (const v of this.vectorizers_) names.push(...v.featureNames_);
    const order = Array.from(names.keys()).sort((a, b) => m.coef_[b] - m.coef_[a]);
    const pick = (ix: number[]) => ix.map((j) => ({ term: names[j], weight: m.coef_[j] }));
    return { positive: pick(order.slice(0, n)), negative: pick(order.slice(-n).reverse()) };
  }
}

/** Anything with fit(texts, y) and predictProba(texts) (sync or async fit), e.g. for `crossValidateSentiment` in src/eval. */
export interface TextEstimator {
  fit(texts: string[], y: Int32Array): unknown;
  predictProba(texts: string[]): Float64Array | Promise<Float64Array>;
}
