import { CustlabError } from "../util/errors";
import { probaColumn } from "../util/estimator";
import { createRng } from "../util/random";
import { stratifiedKFold, foldSplit } from "../util/folds";
import type { Matrix } from "../util/matrix";
import { takeRows } from "../util/matrix";
import type { ProgressCallback } from "../util/progress";
import { Table } from "../table";
import { resampleClasses, type ResampleOptions } from "../models";
import { accuracyScore, averagePrecisionScore, brierScore, f1Score, logLoss, rocAucScore, topKLift } from "./metrics";
import { meanStd, delongTest, bootstrapCompare, DeLongResult, BootstrapCompareResult } from "./stats";

// The fold splitters live in util (text's out-of-fold scoring uses them too); re-exported here.
export { stratifiedKFold, foldSplit };

/**
 * What evaluation needs from a model: the custlab estimator contract
 * (`fit` returns the model or a Promise of it; `predictProba` gives the
 * row-major n × k matrix of class probabilities, also for binary problems,
 * or a Promise of it). `M` is what the model reads: a `Matrix` (the default,
 * and what a fold's preprocessing gives), or the rows of `crossValidate`'s
 * input as they are, e.g. `string[]` for text models.
 */
export interface EvalEstimator<M = Matrix> {
  fit(X: M, y: Float64Array, options?: object): unknown;
  predictProba(X: M): Float64Array | Promise<Float64Array>;
}

/** A fit/transform step fitted on each training fold only (e.g. `Preprocessor`, `StandardScaler`). */
export interface FoldTransformer<In> {
  fit(X: In): unknown;
  transform(X: In): Matrix;
}

/** Options for {@link crossValidate}. */
export interface CrossValidateOptions<In = Matrix> {
  /** Number of stratified folds (default 5) or a precomputed fold id per row (e.g. from {@link stratifiedKFold}). */
  folds?: number | ArrayLike<number>;
  /** Seed for the fold split (default 42). */
  seed?: number;
  /** Factory for a preprocessing step fitted on each training fold only. Required when X is a Table. */
  preprocess?: () => FoldTransformer<In>;
  /** Options passed to every `fit` (e.g. `{sampleWeight}` is not supported here; use class weights). */
  fitOptions?: object;
  /** One event per finished fold. */
  onProgress?: ProgressCallback;
  /**
   * Class-imbalance resampling of each training fold only, after its
   * preprocessing (`resampleClasses`: "over", "under" or "smote", seeded per
   * fold); the rows a fold is scored on are never resampled or seen. Default none.
   */
  resample?: ResampleOptions;
}

/** Metrics of one fold. Binary: auc, pr_auc, logloss, brier, accuracy, f1, top_decile_lift. Multiclass: auc (OvR macro), logloss, accuracy, f1_macro, f1_weighted. */
export type FoldMetrics = Record<string, number>;

/** Result of {@link crossValidate}. */
export interface CVResult {
  /** Metrics per fold (plus `fit_seconds`). */
  perFold: FoldMetrics[];
  /** Mean of each metric over folds. */
  mean: FoldMetrics;
  /** Population standard deviation (ddof 0, like numpy) of each metric over folds. */
  std: FoldMetrics;
  /** Out-of-fold predictions: P(class 1) per row (binary) or row-major n × k (multiclass). */
  oof: Float64Array;
  /** Fold id per row. */
  fold: Int32Array;
  /** Number of classes. */
  numClasses: number;
  /** perFold as a Table (one row per fold, then "mean" and "std" rows). */
  table: Table;
}

function subset<In>(X: In, idx: Int32Array): In {
  if (X instanceof Table) return X.take(idx) as unknown as In;
  if (Array.isArray(X)) return Array.from(idx, (i) => X[i]) as unknown as In;
  return takeRows(X as unknown as Matrix, idx) as unknown as In;
}

function numRowsOf(X: unknown): number {
  return X instanceof Table ? X.numRows : Array.isArray(X) ? X.length : (X as Matrix).rows;
}

/**
 * Metrics for one set of predictions. @internal
 *
 * @example
 * ```ts
 * // binary: p is P(class 1) per row
 * foldMetrics([0, 1, 1, 0], Float64Array.from([0.2, 0.8, 0.6, 0.4]), 2);
 * // { auc: 1, pr_auc: 1, logloss: 0.367, brier: 0.1, accuracy: 1, f1: 1, top_decile_lift: 2 }
 * ```
 */
export function foldMetrics(y: ArrayLike<number>, p: Float64Array, k: number): FoldMetrics {
  const n = y.length;
  if (k <= 2) {
    const pred = new Float64Array(n);
    for (let i = 0; i < n; i++) pred[i] = p[i] >= 0.5 ? 1 : 0;
    let auc = NaN, ap = NaN;
    try { auc = rocAucScore(y, p); ap = averagePrecisionScore(y, p); } catch { /* one class in fold */ }
    return { auc, pr_auc: ap, logloss: logLoss(y, p), brier: brierScore(y, p), accuracy: accuracyScore(y, pred), f1: f1Score(y, pred), top_decile_lift: topKLift(y, p, 0.1) };
  }
  const pred = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + b]) b = c;
    pred[i] = b;
  }
  return {
    auc: rocAucScore(y, p, { numClasses: k }),
    logloss: logLoss(y, p, { numClasses: k }),
    accuracy: accuracyScore(y, pred),
    f1_macro: f1Score(y, pred, { average: "macro" }),
    f1_weighted: f1Score(y, pred, { average: "weighted" }),
  };
}

/**
 * Stratified k-fold cross-validation of any estimator. Each fold builds a
 * fresh model with `makeModel()`, fits the optional preprocessing on the
 * training rows only, fits, and scores the held-out rows. Works with async
 * (tfjs) models. `X` is a `Matrix`, a `Table` (with `preprocess`), or an
 * array of rows the model reads as they are (texts for the sentiment models:
 * `crossValidateSentiment` runs on this).
 *
 * Binary labels must be 0/1; multiclass labels the codes 0..k-1.
 *
 * @example
 * const cv = await crossValidate(() => new LogisticRegression({ C: 1 }), X, y, { folds: 5, seed: 42 });
 * cv.mean.auc; cv.std.auc;
 */
export async function crossValidate<In = Matrix>(
  makeModel: (fold: number) => EvalEstimator | EvalEstimator<In>,
  X: In,
  y: ArrayLike<number>,
  options: CrossValidateOptions<In> = {},
): Promise<CVResult> {
  const n = numRowsOf(X);
  if (y.length !== n) throw new CustlabError("E_SHAPE", `crossValidate: X has ${n} rows but y has ${y.length} labels`);
  if (X instanceof Table && !options.preprocess) throw new CustlabError("E_OPTION", "crossValidate: option preprocess is required when X is a Table (e.g. () => new Preprocessor())");
  const fold = typeof options.folds === "object" ? Int32Array.from(options.folds) : stratifiedKFold(y, options.folds ?? 5, options.seed ?? 42);
  if (fold.length !== n) throw new CustlabError("E_SHAPE", `crossValidate: folds has ${fold.length} entries but X has ${n} rows`);
  let nf = 0;
  for (let i = 0; i < n; i++) nf = Math.max(nf, fold[i] + 1);
  let maxLabel = 0;
  for (let i = 0; i < n; i++) maxLabel = Math.max(maxLabel, y[i]);
  const k = maxLabel + 1 <= 2 ? 2 : maxLabel + 1;
  const yAll = Float64Array.from(y);
  const oof = new Float64Array(k <= 2 ? n : n * k);
  const perFold: FoldMetrics[] = [];
  for (let f = 0; f < nf; f++) {
    const { train, test } = foldSplit(fold, f);
    const t0 = Date.now();
    let Xtr: unknown, Xte: unknown;
    if (options.preprocess) {
      const pre = options.preprocess();
      const a = subset(X, train), b = subset(X, test);
      pre.fit(a);
      Xtr = pre.transform(a); Xte = pre.transform(b);
    } else {
      Xtr = subset(X, train); Xte = subset(X, test);
    }
    let ytr = Float64Array.from(train, (i) => yAll[i]);
    const yte = Float64Array.from(test, (i) => yAll[i]);
    if (options.resample) {
      const M = Xtr as Matrix;
      if (!(M && M.data instanceof Float64Array && typeof M.rows === "number")) throw new CustlabError("E_OPTION", "crossValidate: option resample needs numeric features (a Matrix, or a Table with preprocess)");
      ({ X: Xtr, y: ytr } = resampleClasses(M, ytr, { ...options.resample, seed: (options.resample.seed ?? options.seed ?? 42) + f }));
    }
    const model = makeModel(f) as EvalEstimator<unknown>;
    await model.fit(Xtr, ytr, options.fitOptions);
    const fitSeconds = (Date.now() - t0) / 1000;
    const kk = Math.max(k, 2);
    let p = await model.predictProba(Xte);
    if (p.length !== test.length * kk) throw new CustlabError("E_SHAPE", `crossValidate: model returned ${p.length} probabilities for ${test.length} rows × ${kk} classes (a class missing from a training fold?)`);
    if (kk === 2) { p = probaColumn(p, 2, 1); for (let t = 0; t < test.length; t++) oof[test[t]] = p[t]; }
    else for (let t = 0; t < test.length; t++) for (let c = 0; c < k; c++) oof[test[t] * k + c] = p[t * k + c];
    const m = foldMetrics(yte, p, k);
    m.fit_seconds = fitSeconds;
    perFold.push(m);
    // The running mean over the folds done so far (the number a reader compares), then this fold's.
    options.onProgress?.({ stage: "cv", done: f + 1, total: nf, metrics: { mean_auc: meanStd(perFold.map((r) => r.auc)).mean, fold_auc: m.auc } });
  }
  const names = Object.keys(perFold[0]);
  const mean: FoldMetrics = {}, std: FoldMetrics = {};
  for (const name of names) { const s = meanStd(perFold.map((r) => r[name])); mean[name] = s.mean; std[name] = s.std; }
  const cols: Record<string, string[] | Float64Array> = { fold: [...perFold.map((_, i) => String(i)), "mean", "std"] };
  for (const name of names) cols[name] = Float64Array.from([...perFold.map((r) => r[name]), mean[name], std[name]]);
  return { perFold, mean, std, oof, fold, numClasses: k, table: new Table(cols) };
}

/** Options for {@link gridSearch} and {@link randomSearch}. */
export interface SearchOptions<In = Matrix> extends CrossValidateOptions<In> {
  /** Metric to maximise (default "auc"; "logloss" and "brier" are minimised). */
  metric?: string;
}

/** Result of a hyperparameter search. */
export interface SearchResult {
  /** One row per candidate: its options (one column each), mean/std of the metric, rank (1 = best). */
  results: Table;
  /** Options of the best candidate. */
  bestOptions: Record<string, unknown>;
  /** Its mean CV score. */
  bestScore: number;
  /** Every candidate's options and CV result, in the order tried. */
  candidates: { options: Record<string, unknown>; cv: CVResult }[];
}

async function runSearch<In>(
  makeModel: (options: Record<string, any>) => EvalEstimator,
  candidates: Record<string, unknown>[],
  X: In,
  y: ArrayLike<number>,
  o: SearchOptions<In>,
): Promise<SearchResult> {
  const metric = o.metric ?? "auc";
  const minimise = metric === "logloss" || metric === "brier";
  const fold = typeof o.folds === "object" ? Int32Array.from(o.folds) : stratifiedKFold(y, o.folds ?? 5, o.seed ?? 42);
  const done: { options: Record<string, unknown>; cv: CVResult }[] = [];
  for (let c = 0; c < candidates.length; c++) {
    const cv = await crossValidate((_f) => makeModel(candidates[c]), X, y, { ...o, folds: fold, onProgress: undefined });
    if (!(metric in cv.mean)) throw new CustlabError("E_OPTION", `search: unknown metric "${metric}" (have: ${Object.keys(cv.mean).join(", ")})`);
    done.push({ options: candidates[c], cv });
    o.onProgress?.({ stage: "search", done: c + 1, total: candidates.length, metrics: { [metric]: cv.mean[metric] } });
  }
  const scores = done.map((d) => d.cv.mean[metric]);
  const order = scores.map((_, i) => i).sort((a, b) => (minimise ? scores[a] - scores[b] : scores[b] - scores[a]) || a - b);
  const rank = new Int32Array(done.length);
  order.forEach((i, r) => (rank[i] = r + 1));
  const keys = [...new Set(candidates.flatMap((c) => Object.keys(c)))];
  const cols: Record<string, string[] | Float64Array | Int32Array> = {};
  for (const key of keys) {
    const vals = done.map((d) => d.options[key]);
    cols[key] = vals.every((v) => typeof v === "number") ? Float64Array.from(vals as number[]) : vals.map((v) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v)));
  }
  cols[`mean_${metric}`] = Float64Array.from(scores);
  cols[`std_${metric}`] = Float64Array.from(done.map((d) => d.cv.std[metric]));
  cols.rank = rank;
  const best = order[0];
  return { results: new Table(cols), bestOptions: done[best].options, bestScore: scores[best], candidates: done };
}

/**
 * Exhaustive search over a grid of estimator options with the same CV folds
 * for every candidate (like scikit-learn's GridSearchCV).
 *
 * @param makeModel - builds a model from one candidate's options
 * @param grid - option name → values to try (the Cartesian product is searched)
 * @example
 * const s = await gridSearch((o) => new HistGradientBoostingClassifier(o), X, y, { maxLeafNodes: [15, 31], learningRate: [0.05, 0.1] }, { folds: 5, seed: 42 });
 * s.bestOptions; s.results.toMarkdown();
 */
export async function gridSearch<In = Matrix>(
  makeModel: (options: Record<string, any>) => EvalEstimator,
  X: In,
  y: ArrayLike<number>,
  grid: Record<string, unknown[]>,
  options: SearchOptions<In> = {},
): Promise<SearchResult> {
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, vals] of Object.entries(grid)) {
    if (!Array.isArray(vals) || vals.length === 0) throw new CustlabError("E_OPTION", `gridSearch: grid.${key} must be a non-empty array`);
    combos = combos.flatMap((c) => vals.map((v) => ({ ...c, [key]: v })));
  }
  return runSearch(makeModel, combos, X, y, options);
}

/** A distribution to sample one option from in {@link randomSearch}: a list of choices or a numeric range. */
export type SearchDistribution = unknown[] | { min: number; max: number; log?: boolean; integer?: boolean };

/**
 * Random search: `nIter` candidates drawn (seeded) from per-option
 * distributions, evaluated on the same CV folds (like RandomizedSearchCV).
 * @example
 * await randomSearch((o) => new RandomForestClassifier(o), X, y, { nEstimators: [100, 200], maxDepth: { min: 3, max: 12, integer: true } }, { nIter: 8, seed: 1 });
 */
export async function randomSearch<In = Matrix>(
  makeModel: (options: Record<string, any>) => EvalEstimator,
  X: In,
  y: ArrayLike<number>,
  space: Record<string, SearchDistribution>,
  options: SearchOptions<In> & { nIter?: number } = {},
): Promise<SearchResult> {
  const rng = createRng((options.seed ?? 42) + 7919);
  const nIter = options.nIter ?? 10;
  const combos: Record<string, unknown>[] = [];
  for (let t = 0; t < nIter; t++) {
    const c: Record<string, unknown> = {};
    for (const [key, d] of Object.entries(space)) {
      if (Array.isArray(d)) c[key] = d[rng.int(d.length)];
      else {
        if (d.integer && !d.log) c[key] = d.min + rng.int(d.max - d.min + 1);
        else {
          const v = d.log ? Math.exp(Math.log(d.min) + rng.next() * (Math.log(d.max) - Math.log(d.min))) : d.min + rng.next() * (d.max - d.min);
          c[key] = d.integer ? Math.min(d.max, Math.max(d.min, Math.round(v))) : v;
        }
      }
    }
    combos.push(c);
  }
  return runSearch(makeModel, combos, X, y, options);
}

/** Result of {@link compareModels}. */
export interface ComparisonResult {
  champion: CVResult;
  challenger: CVResult;
  /** DeLong test on the pooled out-of-fold scores (champion = A, challenger = B). */
  delong: DeLongResult;
  /** Paired bootstrap of the AUC difference on the pooled out-of-fold scores (champion − challenger). */
  bootstrap: BootstrapCompareResult;
  /** "challenger" when it has the higher out-of-fold AUC and DeLong p < alpha, else "champion". */
  winner: "champion" | "challenger";
}

/**
 * Champion/challenger comparison on the same stratified folds: both models
 * are cross-validated on identical splits, and their pooled out-of-fold
 * scores are compared with DeLong's paired test (and a paired bootstrap).
 * The challenger wins only if it is significantly better (p < alpha, default 0.05).
 * @example
 * const cmp = await compareModels(() => new LogisticRegression(), () => new HistGradientBoostingClassifier(), X, y, { seed: 42 });
 * cmp.delong.pValue; cmp.winner;
 */
export async function compareModels<In = Matrix>(
  champion: () => EvalEstimator,
  challenger: () => EvalEstimator,
  X: In,
  y: ArrayLike<number>,
  options: CrossValidateOptions<In> & { alpha?: number; nBoot?: number } = {},
): Promise<ComparisonResult> {
  const fold = typeof options.folds === "object" ? Int32Array.from(options.folds) : stratifiedKFold(y, options.folds ?? 5, options.seed ?? 42);
  const a = await crossValidate(champion, X, y, { ...options, folds: fold });
  const b = await crossValidate(challenger, X, y, { ...options, folds: fold });
  if (a.numClasses > 2) throw new CustlabError("E_OPTION", "compareModels: the paired AUC tests need a binary target");
  const delong = delongTest(y, a.oof, b.oof);
  const bootstrap = bootstrapCompare(y, a.oof, b.oof, undefined, { nBoot: options.nBoot ?? 1000, seed: options.seed ?? 42 });
  const winner = delong.diff < 0 && delong.pValue < (options.alpha ?? 0.05) ? "challenger" : "champion";
  return { champion: a, challenger: b, delong, bootstrap, winner };
}
