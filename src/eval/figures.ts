import type { Figure } from "../plot/figure";
import { Table } from "../table";
import { formatNumber } from "../table/format-html";
import type { CVResult } from "./cv";
import { averagePrecisionScore, calibrationCurve, confusionMatrix, gainCurve, precisionRecallCurve, rocAucScore, rocCurve } from "./metrics";

/** One model's scores for a curve figure. */
export interface ScoredSeries {
  /** Legend name. */
  name: string;
  /** 0/1 labels. */
  yTrue: ArrayLike<number>;
  /** P(class 1) or any score. */
  score: ArrayLike<number>;
}

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
const arr = (a: ArrayLike<number>) => Array.from(a, r4);

/**
 * ROC curves (one per series, AUC in the legend) with the chance diagonal.
 * @example rocFigure([{ name: "logreg", yTrue: y, score: p }]);
 */
export function rocFigure(series: ScoredSeries[], title = "ROC curve"): Figure {
  const data: Record<string, unknown>[] = series.map((s) => {
    const c = rocCurve(s.yTrue, s.score);
    return { type: "scatter", mode: "lines", name: `${s.name} (AUC ${rocAucScore(s.yTrue, s.score).toFixed(3)})`, x: arr(c.x), y: arr(c.y) };
  });
  data.push({ type: "scatter", mode: "lines", name: "chance", x: [0, 1], y: [0, 1], line: { dash: "dot", color: "#9aa5b1" } });
  return { data, layout: { title: { text: title }, xaxis: { title: { text: "false-positive rate" }, range: [0, 1] }, yaxis: { title: { text: "true-positive rate" }, range: [0, 1.02] } } };
}

/**
 * Precision–recall curves (average precision in the legend) with the base rate line.
 * @example prFigure([{ name: "gbdt", yTrue: y, score: p }]);
 */
export function prFigure(series: ScoredSeries[], title = "Precision–recall"): Figure {
  const data: Record<string, unknown>[] = series.map((s) => {
    const c = precisionRecallCurve(s.yTrue, s.score);
    return { type: "scatter", mode: "lines", line: { shape: "hv" }, name: `${s.name} (AP ${averagePrecisionScore(s.yTrue, s.score).toFixed(3)})`, x: arr(c.x), y: arr(c.y) };
  });
  if (series.length) {
    let pos = 0;
    for (let i = 0; i < series[0].yTrue.length; i++) if (series[0].yTrue[i] === 1) pos++;
    const base = pos / series[0].yTrue.length;
    data.push({ type: "scatter", mode: "lines", name: `base rate ${base.toFixed(3)}`, x: [0, 1], y: [base, base], line: { dash: "dot", color: "#9aa5b1" } });
  }
  return { data, layout: { title: { text: title }, xaxis: { title: { text: "recall" }, range: [0, 1] }, yaxis: { title: { text: "precision" }, range: [0, 1.02] } } };
}

/**
 * Reliability diagram: observed churn rate against mean predicted probability per bin.
 * @example calibrationFigure([{ name: "logreg", yTrue: y, score: p }], 10);
 */
export function calibrationFigure(series: ScoredSeries[], nBins = 10, title = "Calibration"): Figure {
  const data: Record<string, unknown>[] = series.map((s) => {
    const c = calibrationCurve(s.yTrue, s.score, { nBins });
    return { type: "scatter", mode: "lines+markers", name: s.name, x: arr(c.probPred), y: arr(c.probTrue), text: Array.from(c.counts, (k) => `${k} rows`) };
  });
  data.push({ type: "scatter", mode: "lines", name: "perfect", x: [0, 1], y: [0, 1], line: { dash: "dot", color: "#9aa5b1" } });
  return { data, layout: { title: { text: title }, xaxis: { title: { text: "mean predicted probability" }, range: [0, 1] }, yaxis: { title: { text: "observed positive rate" }, range: [0, 1] } } };
}

/**
 * Lift by decile (bars) or cumulative gain (lines) for each series.
 * @param kind - "lift" (default) or "gain"
 * @example liftFigure([{ name: "gbdt", yTrue: y, score: p }], "gain");
 */
export function liftFigure(series: ScoredSeries[], kind: "lift" | "gain" = "lift", nBins = 10): Figure {
  const data: Record<string, unknown>[] = series.map((s) => {
    const g = gainCurve(s.yTrue, s.score, nBins);
    const x = Array.from(g.fraction, (f) => Math.round(f * 100));
    return kind === "lift"
      ? { type: "bar", name: s.name, x, y: arr(g.lift) }
      : { type: "scatter", mode: "lines+markers", name: s.name, x: [0, ...x], y: [0, ...arr(g.gain)] };
  });
  if (kind === "gain") data.push({ type: "scatter", mode: "lines", name: "random", x: [0, 100], y: [0, 1], line: { dash: "dot", color: "#9aa5b1" } });
  return {
    data,
    layout: {
      title: { text: kind === "lift" ? "Cumulative lift by top % of scores" : "Cumulative gain" },
      xaxis: { title: { text: "top % of customers by score" } },
      yaxis: { title: { text: kind === "lift" ? "lift (1 = random)" : "share of positives captured" } },
      barmode: "group",
    },
  };
}

/**
 * Confusion-matrix heatmap with counts in the cells.
 * @param names - display names of the labels (default the label numbers)
 * @example confusionMatrixFigure(y, pred, ["stays", "churns"]);
 */
export function confusionMatrixFigure(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, names?: string[]): Figure {
  const cm = confusionMatrix(yTrue, yPred);
  const k = cm.labels.length;
  const lab = names ?? cm.labels.map(String);
  const z = Array.from({ length: k }, (_, i) => Array.from(cm.counts.subarray(i * k, (i + 1) * k)));
  return {
    data: [{ type: "heatmap", x: lab, y: lab, z, colorscale: "Blues", text: z.map((r) => r.map(String)), texttemplate: "%{text}", hovertemplate: "true %{y}, predicted %{x}: %{z}<extra></extra>" }],
    layout: { title: { text: "Confusion matrix" }, xaxis: { title: { text: "predicted" } }, yaxis: { title: { text: "true" }, autorange: "reversed" } },
  };
}

/**
 * Cross-validation comparison: mean ± std of a metric per model (error bars) with the per-fold points.
 * @example cvComparisonFigure({ logreg: cvA, gbdt: cvB }, "auc");
 */
export function cvComparisonFigure(results: Record<string, CVResult>, metric = "auc"): Figure {
  const names = Object.keys(results);
  return {
    data: [
      { type: "bar", name: `mean ${metric}`, x: names, y: names.map((n) => r4(results[n].mean[metric])), error_y: { type: "data", array: names.map((n) => r4(results[n].std[metric])) }, marker: { color: "#4c78a8" } },
      { type: "scatter", mode: "markers", name: "folds", x: names.flatMap((n) => results[n].perFold.map(() => n)), y: names.flatMap((n) => results[n].perFold.map((f) => r4(f[metric]))), marker: { color: "#f58518", size: 7 } },
    ],
    layout: { title: { text: `Cross-validated ${metric}` }, yaxis: { title: { text: metric } } },
  };
}

/**
 * Observed positive (churn) rate per quantile bin of one feature or score —
 * how the rate moves with, say, recency deciles.
 * @example rateByQuantileFigure(f.num("recency_days"), y, "recency_days"); // y: 1 = churned
 */
export function rateByQuantileFigure(values: ArrayLike<number>, yTrue: ArrayLike<number>, name: string, bins = 10): Figure {
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) idx.push(i);
  idx.sort((a, b) => values[a] - values[b] || a - b);
  const x: string[] = [], y: number[] = [], n: number[] = [];
  for (let b = 0; b < bins; b++) {
    const lo = Math.floor((b * idx.length) / bins), hi = Math.floor(((b + 1) * idx.length) / bins);
    if (hi <= lo) continue;
    let pos = 0;
    for (let t = lo; t < hi; t++) pos += yTrue[idx[t]] === 1 ? 1 : 0;
    x.push(`${formatNumber(values[idx[lo]], 3)}–${formatNumber(values[idx[hi - 1]], 3)}`);
    y.push(r4(pos / (hi - lo)));
    n.push(hi - lo);
  }
  return {
    data: [{ type: "bar", x, y, text: n.map((k) => `${k} rows`), marker: { color: "#e45756" } }],
    layout: { title: { text: `Positive rate by ${name} (${bins} quantile bins)` }, xaxis: { title: { text: name }, type: "category" }, yaxis: { title: { text: "positive rate" }, range: [0, 1] } },
  };
}

/**
 * Single-feature signal: ROC-AUC of each numeric column on its own against a
 * 0/1 target (0.5 = no signal; below 0.5 = higher values mean fewer positives),
 * with missing counts. A quick leakage alarm too: a lone feature near 1.0 is suspicious.
 * @example featureAucTable(features, y).toMarkdown(); // y: 1 = churned
 */
export function featureAucTable(table: Table, yTrue: ArrayLike<number>, columns?: string[]): Table {
  const cols = columns ?? table.columnNames().filter((c) => table.kind(c) !== "string" && table.kind(c) !== "date");
  const aucs: number[] = [], miss: number[] = [];
  for (const c of cols) {
    const v = table.num(c);
    const ys: number[] = [], vs: number[] = [];
    let m = 0;
    for (let i = 0; i < v.length; i++) { if (Number.isNaN(v[i])) { m++; continue; } ys.push(yTrue[i]); vs.push(v[i]); }
    let a = NaN;
    try { a = rocAucScore(ys, vs); } catch { /* one class */ }
    aucs.push(a); miss.push(m);
  }
  const order = cols.map((_, j) => j).sort((a, b) => Math.abs(aucs[b] - 0.5) - Math.abs(aucs[a] - 0.5) || a - b);
  return new Table({ feature: order.map((j) => cols[j]), auc: Float64Array.from(order, (j) => aucs[j]), missing: Int32Array.from(order, (j) => miss[j]) });
}
