import { CustlabError } from "../util/errors";
import type { Figure } from "../plot/figure";
import { confusionMatrix, prfPerClass, rocAucScore, rocCurve, uniqueLabels } from "./metrics";

/**
 * Multi-class evaluation: scikit-learn's `classification_report` (per-class
 * precision / recall / F1 / support with macro and weighted averages),
 * `top_k_accuracy_score`, one-vs-rest ROC per class and the confusion matrix
 * as counts and row-normalised shares.
 */

/** Precision, recall, F1 and support of one class (or an average). */
export interface ClassScores {
  /** tp / (tp + fp); 0 when the class is never predicted (scikit-learn's zero_division=0). */
  precision: number;
  /** tp / (tp + fn); 0 when the class never occurs. */
  recall: number;
  /** 2·tp / (2·tp + fp + fn); 0 when both are 0. */
  f1: number;
  /** Rows whose true label is this class (for averages: all rows). */
  support: number;
}

/** Result of {@link classificationReport}. */
export interface ClassificationReport {
  /** Labels in report order (sorted union of yTrue and yPred unless given). */
  labels: number[];
  /** Display name of each label (default the label as text). */
  names: string[];
  /** Scores per label, in `labels` order. */
  perClass: ClassScores[];
  /** Unweighted mean over the labels. */
  macro: ClassScores;
  /** Mean weighted by support. */
  weighted: ClassScores;
  /** Share of rows predicted right. */
  accuracy: number;
  /** `{ <name>: { precision, recall, f1, support } }` (the `per_class` block of `custlab train --json`). */
  byName: Record<string, ClassScores>;
}

/** Options for {@link classificationReport}. */
export interface ClassificationReportOptions {
  /** Labels to report, in order (default: sorted union of both arrays, as scikit-learn). */
  labels?: number[];
  /** Display names, one per label (default the label numbers as text). */
  names?: string[];
}

/**
 * Per-class precision, recall, F1 and support with macro and weighted
 * averages and accuracy: scikit-learn's `classification_report(yTrue, yPred,
 * output_dict=True, zero_division=0)`.
 *
 * @example
 * const r = classificationReport([0, 1, 2, 2], [0, 2, 2, 2], { names: ["lost", "regular", "high"] });
 * r.byName.high;   // { precision: 0.667, recall: 1, f1: 0.8, support: 2 }
 * r.macro.f1;      // 0.6
 */
export function classificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: ClassificationReportOptions = {}): ClassificationReport {
  if (yTrue.length !== yPred.length) throw new CustlabError("E_SHAPE", `classificationReport: yTrue has ${yTrue.length} entries but yPred has ${yPred.length}`);
  if (yTrue.length === 0) throw new CustlabError("E_SHAPE", "classificationReport: empty input");
  const labels = options.labels ?? uniqueLabels(yTrue, yPred);
  const names = options.names ?? labels.map(String);
  if (names.length !== labels.length) throw new CustlabError("E_SHAPE", `classificationReport: ${names.length} names for ${labels.length} labels`);
  const k = labels.length;
  const { tp, fp, fn, support } = prfPerClass(yTrue, yPred, labels);
  const perClass: ClassScores[] = [];
  let total = 0, right = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) right++;
  for (let c = 0; c < k; c++) {
    total += support[c];
    perClass.push({
      precision: tp[c] + fp[c] > 0 ? tp[c] / (tp[c] + fp[c]) : 0,
      recall: support[c] > 0 ? tp[c] / support[c] : 0,
      f1: 2 * tp[c] + fp[c] + fn[c] > 0 ? (2 * tp[c]) / (2 * tp[c] + fp[c] + fn[c]) : 0,
      support: support[c],
    });
  }
  const avg = (weighted: boolean): ClassScores => {
    let p = 0, r = 0, f = 0, w = 0;
    for (const s of perClass) { const wi = weighted ? s.support : 1; p += wi * s.precision; r += wi * s.recall; f += wi * s.f1; w += wi; }
    return w > 0 ? { precision: p / w, recall: r / w, f1: f / w, support: total } : { precision: 0, recall: 0, f1: 0, support: total };
  };
  const byName: Record<string, ClassScores> = {};
  names.forEach((nm, c) => (byName[nm] = perClass[c]));
  return { labels, names, perClass, macro: avg(false), weighted: avg(true), accuracy: right / yTrue.length, byName };
}

/**
 * Argmax per row of a row-major n × k probability matrix (ties → the lowest class, like numpy's argmax).
 * @example argmaxRows(Float64Array.from([0.2, 0.8, 0.6, 0.4]), 2); // Int32Array [1, 0]
 */
export function argmaxRows(proba: ArrayLike<number>, k: number): Int32Array {
  const n = proba.length / k;
  if (!Number.isInteger(n)) throw new CustlabError("E_SHAPE", `argmaxRows: ${proba.length} entries is not a multiple of ${k} classes`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + b]) b = c;
    out[i] = b;
  }
  return out;
}

/**
 * Top-k accuracy: share of rows whose true class (a code 0..m-1) is among the
 * k highest scores. Ties are broken as scikit-learn's `top_k_accuracy_score`
 * does (stable sort, then reversed: among equal scores the higher class index
 * ranks first).
 * @param proba - row-major n × m scores
 * @example topKAccuracy([0, 1], Float64Array.from([0.5, 0.3, 0.2, 0.2, 0.3, 0.5]), 2, 3); // 0.5
 */
export function topKAccuracy(yTrue: ArrayLike<number>, proba: ArrayLike<number>, k: number, numClasses: number): number {
  const n = yTrue.length, m = numClasses;
  if (proba.length !== n * m) throw new CustlabError("E_SHAPE", `topKAccuracy: scores need n·k = ${n}·${m} entries, got ${proba.length}`);
  if (!(Number.isInteger(k) && k >= 1)) throw new CustlabError("E_OPTION", `topKAccuracy: k must be a positive integer, got ${k}`);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    if (!(Number.isInteger(t) && t >= 0 && t < m)) throw new CustlabError("E_SHAPE", `topKAccuracy: label ${t} at row ${i} is not a class code 0..${m - 1}`);
    const s = proba[i * m + t];
    let above = 0;
    for (let c = 0; c < m; c++) {
      const v = proba[i * m + c];
      if (v > s || (v === s && c > t)) above++;
    }
    if (above < k) hits++;
  }
  return hits / n;
}

/** One class's one-vs-rest ROC curve and AUC. */
export interface ClassRoc {
  /** Class code. */
  label: number;
  /** Display name. */
  name: string;
  /** False-positive rates. */
  fpr: Float64Array;
  /** True-positive rates. */
  tpr: Float64Array;
  /** ROC-AUC of this class against the rest (NaN when the class is absent or universal). */
  auc: number;
}

/**
 * One-vs-rest ROC curve and AUC per class (class c scored by column c of
 * `proba`), as scikit-learn's `roc_curve(y == c, proba[:, c])`.
 * @example const curves = rocPerClass(y, proba, 4, ["high", "regular", "potential", "lost"]);
 */
export function rocPerClass(yTrue: ArrayLike<number>, proba: ArrayLike<number>, numClasses: number, names?: string[]): ClassRoc[] {
  const n = yTrue.length, k = numClasses;
  if (proba.length !== n * k) throw new CustlabError("E_SHAPE", `rocPerClass: scores need n·k = ${n}·${k} entries, got ${proba.length}`);
  const out: ClassRoc[] = [];
  const col = new Float64Array(n), bin = new Float64Array(n);
  for (let c = 0; c < k; c++) {
    let pos = 0;
    for (let i = 0; i < n; i++) { col[i] = proba[i * k + c]; bin[i] = yTrue[i] === c ? 1 : 0; pos += bin[i]; }
    const curve = rocCurve(bin, col);
    out.push({ label: c, name: names?.[c] ?? String(c), fpr: curve.x, tpr: curve.y, auc: pos > 0 && pos < n ? rocAucScore(bin, col) : NaN });
  }
  return out;
}

/**
 * Row-normalised confusion matrix: share of each true class predicted as each
 * class (rows sum to 1; a class with no rows stays 0), as scikit-learn's
 * `confusion_matrix(normalize="true")`.
 * @example confusionMatrixShares([0, 0, 1], [0, 1, 1]).shares; // [0.5, 0.5, 0, 1]
 */
export function confusionMatrixShares(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels?: number[]): { labels: number[]; counts: Int32Array; shares: Float64Array } {
  const cm = confusionMatrix(yTrue, yPred, labels);
  const k = cm.labels.length, shares = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += cm.counts[i * k + j];
    if (s > 0) for (let j = 0; j < k; j++) shares[i * k + j] = cm.counts[i * k + j] / s;
  }
  return { labels: cm.labels, counts: cm.counts, shares };
}

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

/**
 * Confusion-matrix heatmap coloured by the row-normalised share (how each true
 * class is spread over predictions), each cell labelled "count (share %)".
 * @example multiclassConfusionFigure(y, pred, ["high", "regular", "potential", "lost"]);
 */
export function multiclassConfusionFigure(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, names?: string[], labels?: number[]): Figure {
  const cm = confusionMatrixShares(yTrue, yPred, labels);
  const k = cm.labels.length;
  const lab = names ?? cm.labels.map(String);
  const z = Array.from({ length: k }, (_, i) => Array.from(cm.shares.subarray(i * k, (i + 1) * k), r4));
  const text = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => `${cm.counts[i * k + j]} (${(100 * cm.shares[i * k + j]).toFixed(1)}%)`));
  return {
    data: [{ type: "heatmap", x: lab, y: lab, z, zmin: 0, zmax: 1, colorscale: "Blues", text, texttemplate: "%{text}", hovertemplate: "true %{y}, predicted %{x}: %{text}<extra></extra>" }],
    layout: { title: { text: "Confusion matrix (counts; colour = share of the true class)" }, xaxis: { title: { text: "predicted" }, automargin: true }, yaxis: { title: { text: "true" }, autorange: "reversed", automargin: true }, margin: { l: 120 } },
  };
}

/**
 * One-vs-rest ROC curves, one per class (AUC in the legend), with the chance diagonal.
 * @example rocPerClassFigure(y, proba, 4, ["high", "regular", "potential", "lost"]);
 */
export function rocPerClassFigure(yTrue: ArrayLike<number>, proba: ArrayLike<number>, numClasses: number, names?: string[]): Figure {
  const curves = rocPerClass(yTrue, proba, numClasses, names);
  const data: Record<string, unknown>[] = curves.map((c) => ({ type: "scatter", mode: "lines", name: `${c.name} (AUC ${Number.isNaN(c.auc) ? "n/a" : c.auc.toFixed(3)})`, x: Array.from(c.fpr, r4), y: Array.from(c.tpr, r4) }));
  data.push({ type: "scatter", mode: "lines", name: "chance", x: [0, 1], y: [0, 1], line: { dash: "dot", color: "#9aa5b1" } });
  return { data, layout: { title: { text: "One-vs-rest ROC per class" }, xaxis: { title: { text: "false-positive rate" }, range: [0, 1] }, yaxis: { title: { text: "true-positive rate" }, range: [0, 1.02] } } };
}
