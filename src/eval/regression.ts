import { CustlabError } from "../util/errors";
import { midRanks } from "./metrics";

/**
 * Regression metrics (scikit-learn / scipy definitions) and the normalised
 * Gini of a value ranking.
 */

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, what: string): void {
  if (yTrue.length !== yPred.length) throw new CustlabError("E_SHAPE", `${what}: yTrue has ${yTrue.length} entries but yPred has ${yPred.length}`);
  if (yTrue.length === 0) throw new CustlabError("E_SHAPE", `${what}: empty input`);
}

/**
 * Mean absolute error (scikit-learn's `mean_absolute_error`).
 * @example meanAbsoluteError([1, 2, 3], [1, 3, 5]); // 1
 */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, "meanAbsoluteError");
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return s / yTrue.length;
}

/**
 * Root mean squared error (√ of scikit-learn's `mean_squared_error`).
 * @example rootMeanSquaredError([1, 2, 3], [1, 3, 5]); // 1.291
 */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, "rootMeanSquaredError");
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) { const d = yTrue[i] - yPred[i]; s += d * d; }
  return Math.sqrt(s / yTrue.length);
}

/**
 * Coefficient of determination R² = 1 − SS_res / SS_tot (scikit-learn's
 * `r2_score`: 1 for a perfect fit of a constant target, else 0 when SS_tot = 0).
 * @example r2Score([1, 2, 3], [1, 2, 4]); // 0.5
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, "r2Score");
  const n = yTrue.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += yTrue[i];
  m /= n;
  let res = 0, tot = 0;
  for (let i = 0; i < n; i++) { res += (yTrue[i] - yPred[i]) ** 2; tot += (yTrue[i] - m) ** 2; }
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}

/**
 * Pearson correlation of the mid-ranks (scipy's `spearmanr`, ties averaged);
 * NaN when either side is constant.
 * @example spearmanCorrelation([1, 2, 3, 4], [10, 30, 20, 40]); // 0.8
 */
export function spearmanCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  check(a, b, "spearmanCorrelation");
  const ra = midRanks(a), rb = midRanks(b), n = a.length;
  const m = (n + 1) / 2;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = ra[i] - m, y = rb[i] - m; sab += x * y; saa += x * x; sbb += y * y; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

function giniRaw(actual: ArrayLike<number>, score: ArrayLike<number>): number {
  // customers sorted by score, highest first; tied scores share their group's mean actual value
  const n = actual.length;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((x, y) => score[y] - score[x]);
  let total = 0;
  for (let i = 0; i < n; i++) total += actual[i];
  let cum = 0, sumL = 0, t = 0;
  while (t < n) {
    let u = t, g = 0;
    while (u < n && score[idx[u]] === score[idx[t]]) { g += actual[idx[u]]; u++; }
    const each = g / (u - t);
    for (let q = t; q < u; q++) { cum += each; sumL += cum / total; }
    t = u;
  }
  return sumL / n - (n + 1) / (2 * n);
}

/**
 * Normalised Gini of a value ranking: the Gini of the cumulative share of the
 * actual value captured when customers are taken in order of the score
 * (highest first), divided by the Gini of the perfect order (by the actual
 * value itself). 1 = the score orders customers as their true value does,
 * 0 = no better than random, negative = worse. Tied scores share their
 * group's mean value (so the result does not depend on row order). Needs
 * actual values ≥ 0 with a positive total.
 * @example normalizedGini([0, 10, 0, 50], [0.1, 0.5, 0.2, 0.9]); // 1
 */
export function normalizedGini(actual: ArrayLike<number>, score: ArrayLike<number>): number {
  check(actual, score, "normalizedGini");
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!(actual[i] >= 0)) throw new CustlabError("E_LABEL", `normalizedGini: actual[${i}] is ${actual[i]}; values must be ≥ 0`);
    total += actual[i];
  }
  if (!(total > 0)) throw new CustlabError("E_LABEL", "normalizedGini: the actual values sum to 0; there is no value to rank");
  return giniRaw(actual, score) / giniRaw(actual, actual);
}

/** The regression metrics of {@link regressionMetrics}. */
export interface RegressionMetrics {
  /** Mean absolute error. */
  mae: number;
  /** Root mean squared error. */
  rmse: number;
  /** R². */
  r2: number;
  /** Spearman rank correlation of prediction and truth. */
  spearman: number;
  /** Normalised Gini of the value ranking (NaN when the truth is negative or sums to 0). */
  gini: number;
}

/**
 * MAE, RMSE, R², Spearman and normalised Gini in one call.
 * @example regressionMetrics([0, 10, 0, 50], [1, 8, 2, 40]).rmse;
 */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  let gini = NaN;
  try { gini = normalizedGini(yTrue, yPred); } catch { /* negative or all-zero truth */ }
  return { mae: meanAbsoluteError(yTrue, yPred), rmse: rootMeanSquaredError(yTrue, yPred), r2: r2Score(yTrue, yPred), spearman: spearmanCorrelation(yTrue, yPred), gini };
}
