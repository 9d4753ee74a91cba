/**
 * One fold of TF-IDF + logistic-regression sentiment cross-validation: fit on
 * the fold's training rows, return P(class) for its test rows. The texts are
 * cleaned and counted once for all folds (`TfidfSentimentClassifier.countCorpus`);
 * a fold selects its rows from those counts, which gives the same matrices as
 * fitting on the fold's texts. Shared by the calling thread and the fold
 * worker threads of `crossValidateSentiment`, so a fold gives the same numbers
 * on either. Imports only the TF-IDF model (no tfjs), which keeps worker
 * start-up short.
 * @module
 */
import { foldSplit } from "../util/folds";
import { TfidfSentimentClassifier } from "../text/classifier";
import type { TfidfSentimentOptions } from "../text/classifier";
import type { TermCounts } from "../text/tfidf";
import type { ProgressCallback } from "../util/progress";
import { probaColumn } from "../util/estimator";

/** What a fold needs besides the data: plain values only (it crosses to worker threads). */
export interface TfidfFoldSpec {
  lang: "en" | "zh";
  /** TF-IDF classifier options (plain values). */
  tfidf: TfidfSentimentOptions;
}

/** The corpus counts every fold of {@link tfidfFoldProba} reads (one per vectoriser of the spec; `only`: that vectoriser's alone). */
export function tfidfFoldCorpus(texts: string[], spec: TfidfFoldSpec, only?: number): TermCounts[] {
  return new TfidfSentimentClassifier({ lang: spec.lang, ...spec.tfidf }).countCorpus(texts, only);
}

/** How many vectorisers (corpus counts) the spec's classifier stacks. */
export function tfidfFoldBlocks(spec: TfidfFoldSpec): number {
  return new TfidfSentimentClassifier({ lang: spec.lang, ...spec.tfidf }).vectorizerCount();
}

/** Fit TF-IDF + LR on the rows outside fold `f` and return the test rows' probabilities (P(1) for two classes, n × k otherwise). */
export function tfidfFoldProba(corpus: TermCounts[], y: Int32Array, fold: Int32Array, f: number, spec: TfidfFoldSpec, onProgress?: ProgressCallback): Float64Array {
  const { train, test } = foldSplit(fold, f);
  const est = new TfidfSentimentClassifier({ lang: spec.lang, ...spec.tfidf });
  est.fitCounts(corpus, train, Int32Array.from(train, (i) => y[i]), { onProgress });
  const P = est.predictProbaCounts(corpus, test);
  return est.model_!.nClasses_ === 2 ? probaColumn(P, 2, 1) : P;
}
