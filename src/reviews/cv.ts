/**
 * Cross-validation of sentiment models (lexicon, TF-IDF + LR, neural, or any
 * {@link TextEstimator}) on texts: stratified folds, ROC-AUC, accuracy and
 * macro F1 per fold. Part of the review-sentiment workflow (`src/reviews`): it
 * scores folds with `eval`'s metrics; the models come from `text`.
 * @module
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { positiveProba } from "../util/estimator";
import { stratifiedKFold, foldSplit } from "../util/folds";
import type { TfidfSentimentOptions, TextEstimator } from "../text/classifier";
import { tfidfFoldBlocks, tfidfFoldCorpus, tfidfFoldProba, TfidfFoldSpec } from "./cv-fold";
import type { TermCounts } from "../text/tfidf";
import { LexiconSentiment, scoreSentiment } from "../text/lexicon";
import { TextNNClassifier } from "../text/nn";
import { accuracyScore, f1Score, rocAucScore } from "../eval/metrics";
import { crossValidate, type EvalEstimator } from "../eval/cv";

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
  /** Options passed to the TF-IDF classifier, plus a progress callback for its fits (then folds run on this thread). */
  tfidf?: TfidfSentimentOptions & { onProgress?: ProgressCallback };
  /** Options passed to the neural model (see `TextNNClassifier`). */
  nn?: Record<string, unknown>;
  /**
   * Threads for "tfidf-lr": folds are fitted side by side, this thread plus
   * `threads − 1` worker threads (each fold gives the same numbers on any
   * thread, so results do not depend on it). Default: available CPUs, at most
   * the number of folds and 8. Other models run on this thread.
   */
  threads?: number;
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
  /** Threads that fitted folds (this one plus the worker threads that finished at least one fold). */
  threads: number;
}

/** The lexicon's class probabilities, n × k (k = 2: P(negative), P(positive); k = 3 from the compound score). */
function lexiconMatrix(texts: string[], lang: "en" | "zh", k: number): Float64Array {
  if (k === 2) {
    const p = positiveProba(new LexiconSentiment({ lang }), texts), out = new Float64Array(2 * p.length);
    for (let i = 0; i < p.length; i++) { out[2 * i] = 1 - p[i]; out[2 * i + 1] = p[i]; }
    return out;
  }
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
  let k = 0;
  for (let i = 0; i < y.length; i++) if (y[i] + 1 > k) k = y[i] + 1;
  if (k < 2) throw new CustlabError("E_LABEL", "crossValidateSentiment: need at least two classes");
  const lang = options.lang ?? "en";
  const nf = options.folds ?? 5, seed = options.seed ?? 42;
  const modelName = typeof options.model === "function" ? "custom" : options.model ?? "tfidf-lr";
  const fold = stratifiedKFold(y, nf, seed);
  const oof = new Float64Array(k === 2 ? X.length : X.length * k);
  const folds: SentimentCVResult["folds"] = new Array(nf);
  const t0 = Date.now();
  let finished = 0;
  const score = (f: number, p: Float64Array, seconds: number, progress = true) => {
    const { test } = foldSplit(fold, f);
    const yte = Int32Array.from(test, (i) => y[i]);
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
    folds[f] = { auc, accuracy: accuracyScore(yte, pred), f1_macro: f1Score(yte, pred, { average: "macro" }), seconds };
    ++finished;
    if (!progress) return; // crossValidate reported this fold
    const done = folds.filter((x) => x !== undefined).map((x) => x.auc);
    options.onProgress?.({ stage: "cv", done: finished, total: nf, metrics: { mean_auc: done.reduce((a, b) => a + b, 0) / done.length, fold_auc: auc } });
  };
  const spec: TfidfFoldSpec | null = modelName === "tfidf-lr" && typeof options.model !== "function" ? { lang, tfidf: plainTfidfOptions(options.tfidf) } : null;
  // a per-fit progress callback cannot run on a worker thread: then folds run here, one by one
  const fitProgress = options.tfidf?.onProgress;
  const nThreads = spec && fitProgress === undefined ? Math.max(1, Math.min(Math.floor(options.threads ?? defaultCvThreads()), nf)) : 1;
  const script = spec && nThreads > 1 ? foldWorkerPath() : null;
  let threads = 1;
  if (!spec) {
    // One thread: the generic factory-based cross-validation (eval's crossValidate) over the texts,
    // with a fresh model per fold; the fold metrics below are read from its out-of-fold predictions.
    const foldModel = (f: number): EvalEstimator<string[]> => {
      if (modelName === "lexicon") return { fit: () => undefined, predictProba: (texts) => lexiconMatrix(texts, lang, k) };
      // a custom TextEstimator (labels as Int32Array) or the tfjs text model, disposed once it has scored its fold
      const est: TextEstimator = typeof options.model === "function" ? options.model() : new TextNNClassifier({ lang, seed: seed + f, ...(options.nn ?? {}) });
      return {
        fit: (texts, yy) => est.fit(texts, Int32Array.from(yy)),
        predictProba: async (texts) => {
          const p = await est.predictProba(texts);
          (est as { dispose?: () => void }).dispose?.();
          return p;
        },
      };
    };
    const cv = await crossValidate(foldModel, X, y, { folds: fold, onProgress: options.onProgress });
    for (let f = 0; f < nf; f++) {
      const { test } = foldSplit(fold, f);
      const p = k === 2 ? Float64Array.from(test, (i) => cv.oof[i]) : Float64Array.from({ length: test.length * k }, (_, q) => cv.oof[test[Math.floor(q / k)] * k + (q % k)]);
      score(f, p, cv.perFold[f].fit_seconds, false);
    }
  } else {
    // TF-IDF + LR: every text is cleaned and counted once (the folds select their rows from the counts),
    // one vectoriser per thread (this thread the first, worker b − 1 vectoriser b); then this thread and
    // the worker threads take folds from one queue. Each fold is the same fit (tfidfFoldProba) on any
    // thread, so the numbers do not depend on the thread count.
    const pool: FoldWorker[] = [];
    if (script) for (let w = 1; w < nThreads; w++) { const fw = startFoldWorker(script, { texts: X, y, fold, spec }); if (fw) pool.push(fw); }
    try {
      const blocks = tfidfFoldBlocks(spec);
      const asked = pool.slice(0, blocks - 1).map((w, b) => w.request({ count: b + 1 }));
      const corpus: TermCounts[] = new Array(blocks);
      corpus[0] = tfidfFoldCorpus(X, spec, 0)[0];
      const got = await Promise.all(asked);
      // a count a worker could not deliver is made here (and surfaces its error)
      for (let b = 1; b < blocks; b++) corpus[b] = got[b - 1]?.corpus?.[0] ?? tfidfFoldCorpus(X, spec, b)[0];
      for (const w of pool) w.send({ corpus });
      const runHere = (f: number) => {
        const tf0 = Date.now();
        score(f, tfidfFoldProba(corpus, y, fold, f, spec, fitProgress), (Date.now() - tf0) / 1000);
      };
      const queue = Array.from({ length: nf }, (_, f) => f);
      const workers = pool.map((w) => runFolds(w, queue, score));
      try {
        // this thread takes folds too, yielding between them so finished workers get the next one
        while (queue.length) {
          runHere(queue.shift()!);
          await new Promise((r) => setImmediate(r));
        }
        threads += (await Promise.all(workers)).filter((n) => n > 0).length;
        // a fold a worker could not finish went back to the queue: finish it here (and surface its error)
        while (queue.length) runHere(queue.shift()!);
      } catch (e) {
        queue.length = 0; // workers stop after their current fold
        throw e;
      }
    } finally {
      for (const w of pool) w.close();
    }
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const aucs = folds.map((f) => f.auc);
  const am = mean(aucs);
  return {
    rows: X.length, model: modelName, lang, classes: k,
    auc_mean: am, accuracy_mean: mean(folds.map((f) => f.accuracy)), f1_macro_mean: mean(folds.map((f) => f.f1_macro)),
    auc_std: Math.sqrt(mean(aucs.map((a) => (a - am) ** 2))),
    folds, oof, seconds: (Date.now() - t0) / 1000, threads,
  };
}

/** Available CPUs, at most 8. */
function defaultCvThreads(): number {
  const n = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(8, n));
}

/** TF-IDF options without callbacks (they cannot cross to a worker thread). */
function plainTfidfOptions(o: SentimentCVOptions["tfidf"]): TfidfFoldSpec["tfidf"] {
  const { onProgress: _p, ...rest } = o ?? {};
  return rest;
}

/** The compiled fold worker (next to this file in dist/, or dist/ beside src/); null when absent. */
function foldWorkerPath(): string | null {
  for (const c of [path.join(__dirname, "cv-worker.js"), path.join(__dirname, "..", "..", "dist", "reviews", "cv-worker.js")]) {
    if (fs.existsSync(c)) return c;
  }
  return null;
}

/** A fold worker thread (src/reviews/cv-worker.ts) answering one request at a time. */
interface FoldWorker {
  /** Post `msg` and resolve to the reply, or null when the thread failed or died. */
  request(msg: unknown): Promise<FoldReply | null>;
  /** Post `msg` without waiting for a reply. */
  send(msg: unknown): void;
  close(): void;
}
type FoldReply = { f?: number; p?: Float64Array; seconds?: number; count?: number; corpus?: TermCounts[]; error?: string };

/** Start a fold worker with the texts, labels, folds and spec; null when the thread cannot start. */
function startFoldWorker(script: string, data: { texts: string[]; y: Int32Array; fold: Int32Array; spec: TfidfFoldSpec }): FoldWorker | null {
  let worker: Worker;
  try { worker = new Worker(script, { workerData: data }); } catch { return null; }
  let settle: ((m: FoldReply | null) => void) | null = null, dead = false;
  const fail = () => { dead = true; const s = settle; settle = null; s?.(null); };
  worker.on("message", (m) => { const s = settle; settle = null; s?.(m); });
  worker.on("error", fail);
  worker.on("exit", fail);
  return {
    request: (msg) => (dead ? Promise.resolve(null) : new Promise((resolve) => { settle = resolve; worker.postMessage(msg); })),
    send: (msg) => { if (!dead) worker.postMessage(msg); },
    close: () => { worker.removeAllListeners("exit"); void worker.terminate(); },
  };
}

/**
 * One worker thread taking folds from `queue` until it is empty; resolves to
 * the number of folds it scored. A fold the worker fails on (an error, or the
 * thread dying) goes back to the queue for the calling thread, which then
 * reports the error itself.
 */
async function runFolds(w: FoldWorker, queue: number[], score: (f: number, p: Float64Array, seconds: number) => void): Promise<number> {
  let scored = 0;
  while (queue.length) {
    const current = queue.shift()!;
    const m = await w.request(current);
    if (!m || m.error !== undefined || !m.p) { queue.unshift(current); return scored; }
    score(m.f!, m.p, m.seconds ?? 0);
    scored++;
  }
  return scored;
}
