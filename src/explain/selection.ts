import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import type { Figure } from "../plot/figure";
import { LogisticRegression } from "../models";
import { crossValidate, type EvalEstimator } from "../eval";
import { permutationImportance } from "./importance";

/**
 * Wrapper feature selection: recursive feature elimination with
 * cross-validation ("drop the weakest and refit") and the L1 path.
 */

/** Keep the given columns of a matrix. */
function selectColumns(X: Matrix, cols: number[]): Matrix {
  const out = new Float64Array(X.rows * cols.length);
  for (let i = 0; i < X.rows; i++) for (let t = 0; t < cols.length; t++) out[i * cols.length + t] = X.data[i * X.cols + cols[t]];
  return { data: out, rows: X.rows, cols: cols.length };
}

/** Options for {@link recursiveFeatureElimination}. */
export interface RfeOptions {
  /** Stratified CV folds scoring each feature set. Default 5. */
  folds?: number;
  /** Seed of the folds and the permutations. Default 42. */
  seed?: number;
  /** Features dropped per round. Default 1. */
  step?: number;
  /** Stop at this many features. Default 1. */
  minFeatures?: number;
  /** Feature names (default x0, x1, …). */
  featureNames?: string[];
  /** Permutation repeats for the importance that decides the weakest. Default 3. */
  nRepeats?: number;
}

/** One round of {@link recursiveFeatureElimination}. */
export interface RfeStep {
  /** Features in the model this round. */
  features: string[];
  /** Mean and standard deviation of the CV AUC with them. */
  cvMean: number;
  cvStd: number;
  /** The weakest feature(s) by permutation importance, dropped after this round (empty in the last). */
  dropped: string[];
}

/** Result of {@link recursiveFeatureElimination}. */
export interface RfeResult {
  /** Rounds from all features down to `minFeatures`. */
  steps: RfeStep[];
  /** The round with the highest mean CV AUC (ties: fewer features). */
  best: RfeStep;
}

/**
 * Recursive feature elimination with cross-validation (scikit-learn's RFECV,
 * with permutation importance as the ranking so it works for any model):
 * score the current feature set by stratified CV AUC, refit on all rows, drop
 * the `step` weakest features by permutation importance, repeat. `best` is the
 * feature set with the highest CV AUC.
 * @example
 * const r = await recursiveFeatureElimination(() => new LogisticRegression(), X, y, { featureNames: names });
 * r.best.features;
 */
export async function recursiveFeatureElimination(makeModel: () => EvalEstimator, X: Matrix, y: ArrayLike<number>, options: RfeOptions = {}): Promise<RfeResult> {
  const names = options.featureNames ?? Array.from({ length: X.cols }, (_, j) => `x${j}`);
  if (names.length !== X.cols) throw new CustlabError("E_SHAPE", `recursiveFeatureElimination: ${names.length} feature names for ${X.cols} columns`);
  const step = options.step ?? 1, minF = Math.max(1, options.minFeatures ?? 1), seed = options.seed ?? 42;
  if (!(Number.isInteger(step) && step >= 1)) throw new CustlabError("E_OPTION", `recursiveFeatureElimination: step must be a positive integer, got ${step}`);
  let cols = names.map((_, j) => j);
  const steps: RfeStep[] = [];
  const yy = Float64Array.from(y);
  for (;;) {
    const M = selectColumns(X, cols);
    const cv = await crossValidate(makeModel, M, yy, { folds: options.folds ?? 5, seed });
    const entry: RfeStep = { features: cols.map((j) => names[j]), cvMean: cv.mean.auc, cvStd: cv.std.auc, dropped: [] };
    steps.push(entry);
    if (cols.length <= minF) break;
    const m = makeModel();
    await m.fit(M, yy);
    const imp = permutationImportance(m as never, M, yy, { nRepeats: options.nRepeats ?? 3, seed });
    const mean = cols.map((_, t) => { let s = 0; const r = options.nRepeats ?? 3; for (let q = 0; q < r; q++) s += imp.drops[t * r + q]; return s / r; });
    const drop = Math.min(step, cols.length - minF);
    const order = cols.map((_, t) => t).sort((a, b) => mean[a] - mean[b] || b - a).slice(0, drop);
    entry.dropped = order.map((t) => names[cols[t]]);
    const gone = new Set(order);
    cols = cols.filter((_, t) => !gone.has(t));
  }
  const best = steps.reduce((a, b) => (b.cvMean > a.cvMean + 1e-12 || (Math.abs(b.cvMean - a.cvMean) <= 1e-12 && b.features.length < a.features.length) ? b : a));
  return { steps, best };
}

/**
 * CV AUC against the number of features over the rounds of
 * {@link recursiveFeatureElimination} (error bars = fold standard deviation).
 * @example rfeFigure(await recursiveFeatureElimination(() => new LogisticRegression(), X, y));
 */
export function rfeFigure(r: RfeResult): Figure {
  return {
    data: [{ type: "scatter", mode: "lines+markers", x: r.steps.map((s) => s.features.length), y: r.steps.map((s) => Math.round(s.cvMean * 1e4) / 1e4), error_y: { type: "data", array: r.steps.map((s) => Math.round(s.cvStd * 1e4) / 1e4) }, text: r.steps.map((s) => (s.dropped.length ? `then drop ${s.dropped.join(", ")}` : "")), name: "CV AUC" }],
    layout: { title: { text: `CV AUC by number of features (best: ${r.best.features.length})` }, xaxis: { title: { text: "features kept" }, autorange: "reversed" }, yaxis: { title: { text: "mean CV AUC" } } },
  };
}

/** Result of {@link l1Path}. */
export interface L1Path {
  /** Inverse regularisation strengths C, ascending. */
  Cs: number[];
  /** coef[c][j]: coefficient of feature j at Cs[c] (standardise X first to compare them). */
  coef: Float64Array[];
  /** Non-zero coefficients at each C. */
  nonZero: number[];
  /** Feature names. */
  featureNames: string[];
}

/**
 * The L1 (lasso) path of logistic regression: coefficients at each inverse
 * penalty C, ascending; features enter as C grows — the order of entry is a
 * ranking. Fit on standardised features so coefficients compare.
 * @example l1Path(X, y, { Cs: [0.001, 0.01, 0.1, 1] }).nonZero;
 */
export function l1Path(X: Matrix, y: ArrayLike<number>, options: { Cs?: number[]; featureNames?: string[] } = {}): L1Path {
  const Cs = [...(options.Cs ?? [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10])].sort((a, b) => a - b);
  const names = options.featureNames ?? Array.from({ length: X.cols }, (_, j) => `x${j}`);
  const coef: Float64Array[] = [], nonZero: number[] = [];
  for (const C of Cs) {
    const m = new LogisticRegression({ penalty: "l1", C }).fit(X, y);
    const c = Float64Array.from(m.coef_!.subarray(0, X.cols));
    coef.push(c); nonZero.push(c.reduce((s, v) => s + (Math.abs(v) > 1e-10 ? 1 : 0), 0));
  }
  return { Cs, coef, nonZero, featureNames: names };
}

/**
 * Coefficient paths of {@link l1Path} against C (log axis), one line per feature.
 * @example l1PathFigure(l1Path(X, y));
 */
export function l1PathFigure(path: L1Path): Figure {
  return {
    data: path.featureNames.map((f, j) => ({ type: "scatter", mode: "lines+markers", name: f, x: path.Cs, y: path.coef.map((c) => Math.round(c[j] * 1e4) / 1e4) })),
    layout: { title: { text: "L1 path: coefficients as the penalty weakens" }, xaxis: { title: { text: "C (inverse penalty)" }, type: "log" }, yaxis: { title: { text: "coefficient" } } },
  };
}
