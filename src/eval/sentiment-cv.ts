/**
 * Cross-validation of sentiment models (lexicon, TF-IDF + LR, neural, or any
 * {@link TextEstimator}) on texts: stratified folds, ROC-AUC, accuracy and
 * macro F1 per fold. Lives in `eval` because it scores folds with `./metrics`;
 * the models come from `text`.
 * @module
 */
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { stratifiedKFold, foldSplit } from "../util/folds";
import { TfidfSentimentClassifier } from "../text/classifier";
import type { TfidfSentimentOptions, TextEstimator } from "../text/classifier";
import { LexiconSentiment, scoreSentiment } from "../text/lexicon";
import { TextNNClassifier } from "../text/nn";
import { accuracyScore, f1Score, rocAucScore } from "./metrics";

/** The sentiment models {@link crossValidateSentiment} knows. */
export type SentimentModelName = "lexicon" | "tfidf-lr" | "nn";

/** Options for {@link crossValidateSentiment}. */
export interface SentimentCVOptions {
  /** "lexicon", "tfidf-lr" (default) or "nn"; or a factory returning any {@link TextEstimator}. */
  model?: SentimentModelName | (() => TextEstimator);
  /** Language. Default "en". */
  lang?: "en" | "zh";
  /** Folds. Default 5. */
  folds?: number;
  /** Seed for the fold split and the models. Default 42. */
  seed?: number;
  /** Options passed to the TF-IDF classifier. */
  tfidf?: TfidfSentimentOptions;
  /** Options passed to the neural model (see `TextNNClassifier`). */
  nn?: Record<string, unknown>;
  /** Progress (stage "cv", done = folds finished). */
  onProgress?: ProgressCallback;
}

/** Per-fold and mean metrics of {@link crossValidateSentiment}. */
export interface SentimentCVResult {
  rows: number;
  model: string;
  lang: string;
  classes: number;
  /** ROC-AUC mean over folds (one-vs-rest macro for 3 classes). */
  auc_mean: number;
  accuracy_mean: number;
  f1_macro_mean: number;
  auc_std: number;
  folds: { auc: number; accuracy: number; f1_macro: number; seconds: number }[];
  /** Out-of-fold P(positive) (binary) or n × k probabilities. */
  oof: Float64Array;
  seconds: number;
}

function lexiconProba(texts: string[], lang: "en" | "zh", k: number): Float64Array {
  if (k === 2) return new LexiconSentiment({ lang }).predictProba(texts);
  const out = new Float64Array(texts.length * 3);
  texts.forEach((t, i) => {
    const c = scoreSentiment(t, lang).compound;
    out[3 * i] = Math.max(-c, 0); out[3 * i + 1] = 1 - Math.abs(c); out[3 * i + 2] = Math.max(c, 0);
  });
  return out;
}

/**
 * Stratified k-fold cross-validation of a sentiment model on texts with class
 * codes (0/1, or 0/1/2 for negative/neutral/positive). Folds from
 * `stratifiedKFold(y, folds, seed)`; metrics: ROC-AUC, accuracy, macro F1
 * (scikit-learn definitions, `./metrics`). The lexicon model is scored
 * without training (compound ≥ 0.05 ⇒ positive); rows with label −1 are dropped.
 *
 * @example
 * const r = await crossValidateSentiment(texts, y, { model: "tfidf-lr", lang: "en", folds: 5, seed: 42 });
 * r.auc_mean; // ≈ 0.96 on the clothing reviews
 */
export async function crossValidateSentiment(texts: ArrayLike<string>, labels: ArrayLike<number>, options: SentimentCVOptions = {}): Promise<SentimentCVResult> {
  const keep: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) keep.push(i);
  const X = keep.map((i) => texts[i] ?? "");
  const y = Int32Array.from(keep, (i) => labels[i]);
  const k = Math.max(...y) + 1;
  if (k < 2) throw new CustlabError("E_LABEL", "crossValidateSentiment: need at least two classes");
  const lang = options.lang ?? "en";
  const nf = options.folds ?? 5, seed = options.seed ?? 42;
  const modelName = typeof options.model === "function" ? "custom" : options.model ?? "tfidf-lr";
  const fold = stratifiedKFold(y, nf, seed);
  const oof = new Float64Array(k === 2 ? X.length : X.length * k);
  const folds: SentimentCVResult["folds"] = [];
  const t0 = Date.now();
  for (let f = 0; f < nf; f++) {
    const tf0 = Date.now();
    const { train, test } = foldSplit(fold, f);
    const Xtr = Array.from(train, (i) => X[i]), Xte = Array.from(test, (i) => X[i]);
    const ytr = Int32Array.from(train, (i) => y[i]), yte = Int32Array.from(test, (i) => y[i]);
    let p: Float64Array;
    if (modelName === "lexicon") p = lexiconProba(Xte, lang, k);
    else {
      let est: TextEstimator;
      if (typeof options.model === "function") est = options.model();
      else if (modelName === "tfidf-lr") est = new TfidfSentimentClassifier({ lang, ...(options.tfidf ?? {}) });
      else {
        est = new TextNNClassifier({ lang, seed: seed + f, ...(options.nn ?? {}) });
      }
      await est.fit(Xtr, ytr);
      p = await est.predictProba(Xte);
      if (typeof (est as unknown as { dispose?: () => void }).dispose === "function") (est as unknown as { dispose: () => void }).dispose();
    }
    const pred = new Int32Array(test.length);
    for (let i = 0; i < test.length; i++) {
      if (k === 2) { oof[test[i]] = p[i]; pred[i] = modelName === "lexicon" ? (p[i] * 2 - 1 >= 0.05 ? 1 : 0) : p[i] > 0.5 ? 1 : 0; }
      else {
        let best = 0;
        for (let c = 0; c < k; c++) { oof[test[i] * k + c] = p[i * k + c]; if (p[i * k + c] > p[i * k + best]) best = c; }
        pred[i] = best;
      }
    }
    const auc = k === 2 ? rocAucScore(yte, p) : rocAucScore(yte, p, { numClasses: k });
    folds.push({ auc, accuracy: accuracyScore(yte, pred), f1_macro: f1Score(yte, pred, { average: "macro" }), seconds: (Date.now() - tf0) / 1000 });
    options.onProgress?.({ stage: "cv", done: f + 1, total: nf, metrics: { auc } });
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const aucs = folds.map((f) => f.auc);
  const am = mean(aucs);
  return {
    rows: X.length, model: modelName, lang, classes: k,
    auc_mean: am, accuracy_mean: mean(folds.map((f) => f.accuracy)), f1_macro_mean: mean(folds.map((f) => f.f1_macro)),
    auc_std: Math.sqrt(mean(aucs.map((a) => (a - am) ** 2))),
    folds, oof, seconds: (Date.now() - t0) / 1000,
  };
}
