import { CustlabError } from "../util/errors";

/**
 * Classification metrics on typed arrays, following scikit-learn's
 * definitions. Labels are numbers (binary: 0/1; multiclass: 0..k-1 codes or
 * any numbers, sorted to classes). Scores for binary problems are P(class 1)
 * (any monotone score works for the rank metrics); multiclass probabilities
 * are a row-major n × k `Float64Array`.
 */

/** Averaging mode for precision / recall / F1 on more than two classes. */
export type MetricAverage = "binary" | "macro" | "weighted" | "micro";

/** Options for precision, recall and F1. */
export interface PRFOptions {
  /** "binary" (default) scores the positive label only; "macro", "weighted", "micro" as in scikit-learn. */
  average?: MetricAverage;
  /** Positive label for "binary" (default 1). */
  positive?: number;
}

function checkLen(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new CustlabError("E_SHAPE", `${what}: yTrue has ${a.length} entries but the other argument has ${b.length}`);
  if (a.length === 0) throw new CustlabError("E_SHAPE", `${what}: empty input`);
}

/**
 * Share of predictions equal to the truth.
 * @example accuracyScore([0, 1, 1], [0, 1, 0]); // 0.6667
 */
export function accuracyScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLen(yTrue, yPred, "accuracyScore");
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** Sorted distinct labels in one or more label arrays.
 * @example uniqueLabels([2, 0, 2], [1]); // [0, 1, 2]
 */
export function uniqueLabels(...ys: ArrayLike<number>[]): number[] {
  const s = new Set<number>();
  for (const y of ys) for (let i = 0; i < y.length; i++) s.add(y[i]);
  return [...s].sort((a, b) => a - b);
}

/** A confusion matrix with its labels: `counts[i * k + j]` = rows with true label i predicted as j. */
export interface ConfusionMatrix {
  /** Sorted labels (row and column order). */
  labels: number[];
  /** Row-major k × k counts (rows = truth, columns = prediction), like scikit-learn. */
  counts: Int32Array;
}

/**
 * Confusion matrix (rows = true label, columns = predicted label).
 * @param labels - label order (default: sorted union of both arrays)
 * @example
 * const cm = confusionMatrix([0, 1, 1, 0], [0, 1, 0, 0]);
 * cm.counts; // [2, 0, 1, 1]
 */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels?: number[]): ConfusionMatrix {
  checkLen(yTrue, yPred, "confusionMatrix");
  const labs = labels ?? uniqueLabels(yTrue, yPred);
  const idx = new Map(labs.map((l, i) => [l, i]));
  const k = labs.length;
  const counts = new Int32Array(k * k);
  for (let i = 0; i < yTrue.length; i++) {
    const a = idx.get(yTrue[i]), b = idx.get(yPred[i]);
    if (a === undefined || b === undefined) continue;
    counts[a * k + b]++;
  }
  return { labels: labs, counts };
}

/** Per-class tp, fp, fn and support from the confusion matrix. @internal */
export function prfPerClass(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels: number[]) {
  const cm = confusionMatrix(yTrue, yPred, labels);
  const k = labels.length;
  const tp = new Float64Array(k), fp = new Float64Array(k), fn = new Float64Array(k), support = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const c = cm.counts[i * k + j];
      support[i] += c;
      if (i === j) tp[i] += c;
      else { fn[i] += c; fp[j] += c; }
    }
  }
  return { tp, fp, fn, support };
}

function prf(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, o: PRFOptions, which: "p" | "r" | "f"): number {
  checkLen(yTrue, yPred, which === "p" ? "precisionScore" : which === "r" ? "recallScore" : "f1Score");
  const average = o.average ?? "binary";
  const score = (tp: number, fp: number, fn: number): number => {
    const p = tp + fp > 0 ? tp / (tp + fp) : 0;
    const r = tp + fn > 0 ? tp / (tp + fn) : 0;
    if (which === "p") return p;
    if (which === "r") return r;
    return 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
  };
  if (average === "binary") {
    const pos = o.positive ?? 1;
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < yTrue.length; i++) {
      const t = yTrue[i] === pos, p = yPred[i] === pos;
      if (t && p) tp++; else if (p) fp++; else if (t) fn++;
    }
    return score(tp, fp, fn);
  }
  const labels = uniqueLabels(yTrue, yPred);
  const { tp, fp, fn, support } = prfPerClass(yTrue, yPred, labels);
  if (average === "micro") {
    let a = 0, b = 0, c = 0;
    for (let i = 0; i < labels.length; i++) { a += tp[i]; b += fp[i]; c += fn[i]; }
    return score(a, b, c);
  }
  let s = 0, w = 0;
  for (let i = 0; i < labels.length; i++) {
    const v = score(tp[i], fp[i], fn[i]);
    const wi = average === "weighted" ? support[i] : 1;
    s += v * wi; w += wi;
  }
  return w > 0 ? s / w : 0;
}

/**
 * Precision tp / (tp + fp) (0 when nothing is predicted positive, like scikit-learn's zero_division=0).
 * @example precisionScore([0, 1, 1, 0], [1, 1, 0, 0]); // 0.5
 */
export function precisionScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: PRFOptions = {}): number {
  return prf(yTrue, yPred, options, "p");
}

/**
 * Recall tp / (tp + fn).
 * @example recallScore([0, 1, 1, 0], [1, 1, 0, 0]); // 0.5
 */
export function recallScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: PRFOptions = {}): number {
  return prf(yTrue, yPred, options, "r");
}

/**
 * F1 = 2·tp / (2·tp + fp + fn); "macro" averages classes equally, "weighted" by support.
 * @example f1Score([0, 1, 2, 2], [0, 2, 2, 2], { average: "macro" });
 */
export function f1Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: PRFOptions = {}): number {
  return prf(yTrue, yPred, options, "f");
}

/**
 * Mid-ranks (1-based) of values, ties sharing the average rank.
 * @internal
 * @example
 * ```ts
 * midRanks([10, 20, 20, 30]); // Float64Array [1, 2.5, 2.5, 4]
 * ```
 */
export function midRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[idx[j + 1]] === x[idx[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) r[idx[t]] = rank;
    i = j + 1;
  }
  return r;
}

function binaryAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>, positive = 1): number {
  const r = midRanks(score);
  let n1 = 0, sum = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === positive) { n1++; sum += r[i]; }
  const n0 = yTrue.length - n1;
  if (n1 === 0 || n0 === 0) throw new CustlabError("E_LABEL", `rocAucScore: only one class present in yTrue (${n1} positives, ${n0} negatives); AUC is undefined`);
  return (sum - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/** Options for {@link rocAucScore}. */
export interface AucOptions {
  /** Positive label for binary input (default 1). */
  positive?: number;
  /** Number of classes when `score` is a row-major n × k probability matrix (multiclass, one-vs-rest). */
  numClasses?: number;
  /** Multiclass averaging: "macro" (default) or "weighted" by prevalence. */
  average?: "macro" | "weighted";
}

/**
 * ROC-AUC from scores by the rank (Mann–Whitney) formula; tied scores count
 * one half. With `numClasses = k > 2`, `score` is row-major n × k and the
 * result is the one-vs-rest macro (or prevalence-weighted) average over
 * classes 0..k-1 (labels must be the codes 0..k-1), as scikit-learn's
 * `roc_auc_score(multi_class="ovr")`.
 * @example rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 */
export function rocAucScore(yTrue: ArrayLike<number>, score: ArrayLike<number>, options: AucOptions = {}): number {
  const k = options.numClasses ?? 2;
  if (k <= 2 && score.length === yTrue.length) {
    checkLen(yTrue, score, "rocAucScore");
    return binaryAuc(yTrue, score, options.positive ?? 1);
  }
  const n = yTrue.length;
  if (score.length !== n * k) throw new CustlabError("E_SHAPE", `rocAucScore: multiclass scores need n·k = ${n}·${k} entries, got ${score.length}`);
  const col = new Float64Array(n);
  let s = 0, w = 0;
  for (let c = 0; c < k; c++) {
    let cnt = 0;
    for (let i = 0; i < n; i++) { col[i] = score[i * k + c]; if (yTrue[i] === c) cnt++; }
    if (cnt === 0 || cnt === n) continue;
    const a = binaryAuc(yTrue, col, c);
    const wi = options.average === "weighted" ? cnt : 1;
    s += a * wi; w += wi;
  }
  return s / w;
}

/** Points of a curve. */
export interface Curve {
  x: Float64Array;
  y: Float64Array;
  /** Score threshold at each point (NaN/Infinity at the ends). */
  thresholds: Float64Array;
}

function sortedDesc(score: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(score.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((a, b) => score[b] - score[a] || a - b);
  return idx;
}

/**
 * ROC curve: x = false-positive rate, y = true-positive rate, one point per
 * distinct threshold (descending), starting at (0, 0) with threshold +∞.
 * @example const { x: fpr, y: tpr } = rocCurve(y, p);
 */
export function rocCurve(yTrue: ArrayLike<number>, score: ArrayLike<number>, positive = 1): Curve {
  checkLen(yTrue, score, "rocCurve");
  const idx = sortedDesc(score);
  let P = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === positive) P++;
  const N = yTrue.length - P;
  const xs = [0], ys = [0], th = [Infinity];
  let tp = 0, fp = 0;
  for (let t = 0; t < idx.length; t++) {
    const i = idx[t];
    if (yTrue[i] === positive) tp++; else fp++;
    if (t + 1 === idx.length || score[idx[t + 1]] !== score[i]) {
      xs.push(N ? fp / N : 0); ys.push(P ? tp / P : 0); th.push(score[i]);
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), thresholds: Float64Array.from(th) };
}

/**
 * Precision–recall curve: x = recall, y = precision, one point per distinct
 * threshold (descending), starting at recall 0 / precision 1.
 * @example const { x: recall, y: precision } = precisionRecallCurve(y, p);
 */
export function precisionRecallCurve(yTrue: ArrayLike<number>, score: ArrayLike<number>, positive = 1): Curve {
  checkLen(yTrue, score, "precisionRecallCurve");
  const idx = sortedDesc(score);
  let P = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === positive) P++;
  const xs = [0], ys = [1], th = [Infinity];
  let tp = 0, fp = 0;
  for (let t = 0; t < idx.length; t++) {
    const i = idx[t];
    if (yTrue[i] === positive) tp++; else fp++;
    if (t + 1 === idx.length || score[idx[t + 1]] !== score[i]) {
      xs.push(P ? tp / P : 0); ys.push(tp / (tp + fp)); th.push(score[i]);
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), thresholds: Float64Array.from(th) };
}

/**
 * Average precision (PR-AUC) exactly as scikit-learn's
 * `average_precision_score`: Σ (Rₙ − Rₙ₋₁)·Pₙ over distinct thresholds
 * (no interpolation).
 * @example averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333
 */
export function averagePrecisionScore(yTrue: ArrayLike<number>, score: ArrayLike<number>, positive = 1): number {
  const c = precisionRecallCurve(yTrue, score, positive);
  let ap = 0;
  for (let i = 1; i < c.x.length; i++) ap += (c.x[i] - c.x[i - 1]) * c.y[i];
  return ap;
}

/** Options for {@link logLoss}. */
export interface LogLossOptions {
  /** Number of classes when `proba` is row-major n × k (default 2: `proba` = P(class 1)). */
  numClasses?: number;
  /** Probabilities are clipped to [eps, 1 − eps] (default 1e-15). */
  eps?: number;
}

/**
 * Mean negative log-likelihood. Binary: `proba` = P(y = 1), labels 0/1.
 * Multiclass: `proba` row-major n × k, labels 0..k-1.
 * @example logLoss([0, 1], [0.1, 0.8]); // 0.164252
 */
export function logLoss(yTrue: ArrayLike<number>, proba: ArrayLike<number>, options: LogLossOptions = {}): number {
  const k = options.numClasses ?? 2, eps = options.eps ?? 1e-15;
  const n = yTrue.length;
  const clip = (p: number) => Math.min(1 - eps, Math.max(eps, p));
  let s = 0;
  if (k === 2 && proba.length === n) {
    for (let i = 0; i < n; i++) s -= yTrue[i] === 1 ? Math.log(clip(proba[i])) : Math.log(1 - clip(proba[i]));
  } else {
    if (proba.length !== n * k) throw new CustlabError("E_SHAPE", `logLoss: need n·k = ${n * k} probabilities, got ${proba.length}`);
    for (let i = 0; i < n; i++) {
      let tot = 0;
      for (let c = 0; c < k; c++) tot += clip(proba[i * k + c]);
      s -= Math.log(clip(proba[i * k + yTrue[i]]) / tot);
    }
  }
  return s / n;
}

/**
 * Brier score: mean (p − y)² for binary labels 0/1 (scikit-learn's `brier_score_loss`).
 * @example brierScore([0, 1], [0.1, 0.8]); // 0.025
 */
export function brierScore(yTrue: ArrayLike<number>, proba: ArrayLike<number>, positive = 1): number {
  checkLen(yTrue, proba, "brierScore");
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) { const d = proba[i] - (yTrue[i] === positive ? 1 : 0); s += d * d; }
  return s / yTrue.length;
}

/** Calibration curve: observed positive rate per bin of predicted probability. */
export interface CalibrationCurve {
  /** Mean predicted probability in each non-empty bin. */
  probPred: Float64Array;
  /** Observed share of positives in each non-empty bin. */
  probTrue: Float64Array;
  /** Rows in each non-empty bin. */
  counts: Int32Array;
}

/** Options for {@link calibrationCurve}. */
export interface CalibrationOptions {
  /** Number of bins (default 10). */
  nBins?: number;
  /** "uniform" bins of width 1/nBins (default) or "quantile" bins of equal size. */
  strategy?: "uniform" | "quantile";
}

/**
 * Reliability diagram data, matching scikit-learn's `calibration_curve`
 * (empty bins dropped; a probability on a bin edge counts in the lower bin).
 * @example calibrationCurve(y, p, { nBins: 5 }).probTrue;
 */
export function calibrationCurve(yTrue: ArrayLike<number>, proba: ArrayLike<number>, options: CalibrationOptions = {}): CalibrationCurve {
  checkLen(yTrue, proba, "calibrationCurve");
  const nb = options.nBins ?? 10;
  const n = yTrue.length;
  let edges: number[];
  if ((options.strategy ?? "uniform") === "quantile") {
    // numpy.percentile(p, linspace(0, 1, nb + 1) * 100) step by step, rounding included: with tied
    // probabilities an edge one ulp off moves a whole tie group to the other bin.
    const s = Float64Array.from(proba).sort();
    const step = 1 / nb;
    edges = [];
    for (let b = 0; b <= nb; b++) {
      const q = b === nb ? 1 : ((b * step) * 100) / 100;
      const pos = (n - 1) * q, lo = Math.floor(pos), hi = Math.min(lo + 1, n - 1), g = pos - lo;
      const d = s[hi] - s[lo];
      edges.push(g >= 0.5 ? s[hi] - d * (1 - g) : s[lo] + d * g); // numpy's _lerp
    }
  } else {
    const step = 1 / nb; // as numpy.linspace: i * step
    edges = Array.from({ length: nb + 1 }, (_, b) => b * step);
  }
  const sumP = new Float64Array(nb), sumY = new Float64Array(nb), cnt = new Int32Array(nb);
  // numpy.searchsorted(bins[1:-1], p) (side "left": a value on an edge goes to the lower bin, as scikit-learn)
  const inner = edges.slice(1, -1);
  for (let i = 0; i < n; i++) {
    const p = proba[i];
    let lo = 0, hi = inner.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (inner[m] < p) lo = m + 1; else hi = m; }
    sumP[lo] += p; sumY[lo] += yTrue[i] === 1 ? 1 : 0; cnt[lo]++;
  }
  const pp: number[] = [], pt: number[] = [], cc: number[] = [];
  for (let b = 0; b < nb; b++) if (cnt[b] > 0) { pp.push(sumP[b] / cnt[b]); pt.push(sumY[b] / cnt[b]); cc.push(cnt[b]); }
  return { probPred: Float64Array.from(pp), probTrue: Float64Array.from(pt), counts: Int32Array.from(cc) };
}

/**
 * Expected calibration error: Σ_bins (rows in bin / n) × |mean predicted − observed rate|,
 * over the bins of {@link calibrationCurve} (uniform width 1/nBins by default).
 * @example expectedCalibrationError(y, p); // 0 = perfectly calibrated
 */
export function expectedCalibrationError(yTrue: ArrayLike<number>, proba: ArrayLike<number>, options: CalibrationOptions = {}): number {
  const c = calibrationCurve(yTrue, proba, options);
  let e = 0, n = 0;
  for (let b = 0; b < c.counts.length; b++) { e += c.counts[b] * Math.abs(c.probPred[b] - c.probTrue[b]); n += c.counts[b]; }
  return n ? e / n : NaN;
}

/** Cumulative gain and lift at population fractions. */
export interface GainCurve {
  /** Fraction of the population targeted (sorted by score, highest first). */
  fraction: Float64Array;
  /** Fraction of all positives captured within that top fraction. */
  gain: Float64Array;
  /** gain / fraction (1 = random targeting). */
  lift: Float64Array;
}

/**
 * Cumulative gain and lift at `nBins` equal steps of the population (default
 * 10 = deciles). Rows are ranked by score, highest first (ties in row order).
 * @example gainCurve(y, p).lift[0]; // top-decile lift
 */
export function gainCurve(yTrue: ArrayLike<number>, score: ArrayLike<number>, nBins = 10, positive = 1): GainCurve {
  checkLen(yTrue, score, "gainCurve");
  const n = yTrue.length, idx = sortedDesc(score);
  let P = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === positive) P++;
  const fr = new Float64Array(nBins), g = new Float64Array(nBins), l = new Float64Array(nBins);
  let tp = 0, t = 0;
  for (let b = 1; b <= nBins; b++) {
    const upto = Math.round((b / nBins) * n);
    for (; t < upto; t++) if (yTrue[idx[t]] === positive) tp++;
    fr[b - 1] = upto / n;
    g[b - 1] = P ? tp / P : 0;
    l[b - 1] = fr[b - 1] > 0 ? g[b - 1] / fr[b - 1] : NaN;
  }
  return { fraction: fr, gain: g, lift: l };
}

/**
 * Share of all positives found in the top `k` fraction of rows by score
 * (e.g. k = 0.1: "the top 10% of scores catch 38% of churners"). The top set
 * has round(k·n) rows (at least 1).
 * @example topKCapture([0, 1, 1, 0], [0.1, 0.9, 0.2, 0.3], 0.25); // 0.5
 */
export function topKCapture(yTrue: ArrayLike<number>, score: ArrayLike<number>, k = 0.1, positive = 1): number {
  checkLen(yTrue, score, "topKCapture");
  const n = yTrue.length, idx = sortedDesc(score), m = Math.max(1, Math.round(k * n));
  let P = 0, tp = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === positive) P++;
  for (let t = 0; t < m; t++) if (yTrue[idx[t]] === positive) tp++;
  return P ? tp / P : 0;
}

/**
 * Lift in the top `k` fraction: positive rate among the top round(k·n) rows
 * divided by the overall positive rate (default k = 0.1, the top-decile lift).
 * @example topKLift(y, p, 0.1);
 */
export function topKLift(yTrue: ArrayLike<number>, score: ArrayLike<number>, k = 0.1, positive = 1): number {
  const n = yTrue.length, m = Math.max(1, Math.round(k * n));
  return topKCapture(yTrue, score, k, positive) / (m / n);
}

/** The binary metrics custlab reports for a scored model. */
export interface BinaryMetrics {
  auc: number;
  pr_auc: number;
  logloss: number;
  brier: number;
  accuracy: number;
  f1: number;
  top_decile_lift: number;
}

/**
 * All headline binary metrics at once (threshold 0.5 for accuracy and F1).
 * @example binaryMetrics(y, proba).auc;
 */
export function binaryMetrics(yTrue: ArrayLike<number>, proba: ArrayLike<number>): BinaryMetrics {
  const pred = new Float64Array(proba.length);
  for (let i = 0; i < proba.length; i++) pred[i] = proba[i] >= 0.5 ? 1 : 0;
  return {
    auc: rocAucScore(yTrue, proba),
    pr_auc: averagePrecisionScore(yTrue, proba),
    logloss: logLoss(yTrue, proba),
    brier: brierScore(yTrue, proba),
    accuracy: accuracyScore(yTrue, pred),
    f1: f1Score(yTrue, pred),
    top_decile_lift: topKLift(yTrue, proba, 0.1),
  };
}
