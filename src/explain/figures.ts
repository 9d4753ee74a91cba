import { categoryLabels, type Figure } from "../plot/figure";
import type { Table } from "../table";
import type { ShapExplanation } from "./shap";
import type { PermutationImportance } from "./importance";
import { rawFeatureColumns } from "./reasons";

/** Options of the SHAP figures that show feature values. */
export interface ShapFigureOptions {
  /**
   * Raw (unscaled) feature values by column name for the same rows, e.g. the
   * `customerFeatures` table: labels and hovers then read "recency_days = 212"
   * instead of the standardised model input. Features the table lacks
   * (one-hot columns) show the model input.
   */
  raw?: Table;
}

/** A value for a label: integers whole, others to 4 significant digits. */
const show = (v: number) => (Number.isNaN(v) ? "missing" : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4))));

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

function meanAbs(ex: ShapExplanation): Float64Array {
  const { rows: n, cols: p } = ex.values;
  const m = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) m[j] += Math.abs(ex.values.data[i * p + j]);
  for (let j = 0; j < p; j++) m[j] /= n || 1;
  return m;
}

function topFeatures(ex: ShapExplanation, max: number): number[] {
  const m = meanAbs(ex);
  return Array.from({ length: m.length }, (_, j) => j).sort((a, b) => m[b] - m[a] || a - b).slice(0, max);
}

/**
 * Global importance: mean |SHAP| per feature, largest on top.
 * @example shapBarFigure(explainModel(model, X), 15);
 */
export function shapBarFigure(ex: ShapExplanation, maxFeatures = 15): Figure {
  const m = meanAbs(ex);
  const top = topFeatures(ex, maxFeatures).reverse();
  const names = top.map((j) => ex.featureNames[j]);
  const { labels, margin } = categoryLabels(names);
  return {
    data: [{ type: "bar", orientation: "h", x: top.map((j) => r4(m[j])), y: labels, customdata: names, hovertemplate: "%{customdata}: %{x}<extra></extra>", marker: { color: "#4c78a8" } }],
    layout: {
      title: { text: `Mean |SHAP| (${ex.space})` }, xaxis: { title: { text: `mean |SHAP value| (${ex.space})` } },
      yaxis: { automargin: true }, margin: { l: margin }, height: Math.max(320, 140 + 24 * top.length),
    },
  };
}

/**
 * Beeswarm: one dot per row and feature at its SHAP value, coloured by the
 * feature's value (low blue → high red, scaled per feature), jittered vertically.
 * @example shapBeeswarmFigure(ex, 12);
 */
export function shapBeeswarmFigure(ex: ShapExplanation, maxFeatures = 12, seed = 42, options: ShapFigureOptions = {}): Figure {
  const top = topFeatures(ex, maxFeatures).reverse();
  const { rows: n, cols: p } = ex.values;
  const rawCols = rawFeatureColumns(ex.featureNames, options.raw);
  const x: number[] = [], y: number[] = [], c: number[] = [], text: string[] = [];
  let s = seed >>> 0 || 1;
  const rand = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  top.forEach((j, row) => {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) { const v = ex.data.data[i * p + j]; if (v < lo) lo = v; if (v > hi) hi = v; }
    for (let i = 0; i < n; i++) {
      const v = ex.data.data[i * p + j];
      x.push(r4(ex.values.data[i * p + j]));
      y.push(row + (rand() - 0.5) * 0.6);
      c.push(hi > lo ? r4((v - lo) / (hi - lo)) : 0.5);
      text.push(`${ex.featureNames[j]} = ${show(rawCols[j] ? rawCols[j]![i] : v)}`);
    }
  });
  const { labels, margin } = categoryLabels(top.map((j) => ex.featureNames[j]));
  return {
    data: [{ type: "scattergl", mode: "markers", x, y, text, hovertemplate: "%{text}<br>SHAP %{x}<extra></extra>", marker: { color: c, colorscale: [[0, "#1e88e5"], [1, "#ff0d57"]], size: 5, opacity: 0.7, colorbar: { title: { text: "feature value" }, tickvals: [0, 1], ticktext: ["low", "high"] } } }],
    layout: {
      title: { text: `SHAP values (${ex.space})` },
      xaxis: { title: { text: `SHAP value (${ex.space})` }, zeroline: true },
      yaxis: { tickvals: top.map((_, r) => r), ticktext: labels, automargin: true },
      margin: { l: margin }, height: Math.max(360, 140 + 32 * top.length),
    },
  };
}

/**
 * Waterfall for one row: from the base value, each feature's contribution
 * (largest |SHAP| first, the rest pooled) to the row's output. Each bar is
 * labelled with the feature's value for that row: the raw value when
 * `options.raw` has the column ("recency_days = 212"), else the model input.
 * @example shapWaterfallFigure(ex, 0, 10, { raw: features });
 */
export function shapWaterfallFigure(ex: ShapExplanation, row: number, maxFeatures = 10, options: ShapFigureOptions = {}): Figure {
  const rawCols = rawFeatureColumns(ex.featureNames, options.raw);
  const p = ex.values.cols;
  const sv = Array.from({ length: p }, (_, j) => ex.values.data[row * p + j]);
  const order = sv.map((_, j) => j).sort((a, b) => Math.abs(sv[b]) - Math.abs(sv[a]) || a - b);
  const shown = order.slice(0, maxFeatures);
  const rest = order.slice(maxFeatures).reduce((s, j) => s + sv[j], 0);
  // Long names are shortened before the value is appended, so the value always shows.
  const short = categoryLabels(shown.map((j) => ex.featureNames[j]), { maxChars: 48 }).labels;
  const names = shown.map((j, k) => `${short[k]} = ${show(rawCols[j] ? rawCols[j]![row] : ex.data.data[row * p + j])}`);
  const vals = shown.map((j) => r4(sv[j]));
  if (order.length > maxFeatures) { names.push(`${order.length - maxFeatures} other features`); vals.push(r4(rest)); }
  const { labels, margin } = categoryLabels(["base value", ...names, "output"], { maxChars: 80 });
  return {
    data: [{
      type: "waterfall", orientation: "h",
      measure: ["absolute", ...vals.map(() => "relative"), "total"],
      y: labels,
      x: [r4(ex.baseValue), ...vals, r4(ex.outputs[row])],
      increasing: { marker: { color: "#ff0d57" } }, decreasing: { marker: { color: "#1e88e5" } }, totals: { marker: { color: "#52606d" } },
    }],
    layout: { title: { text: `Why this score (${ex.space})` }, yaxis: { autorange: "reversed", automargin: true }, margin: { l: margin }, height: Math.max(360, 140 + 28 * labels.length) },
  };
}

/**
 * Permutation importance with error bars (std over repeats).
 * @example permutationImportanceFigure(permutationImportance(model, Xtest, ytest));
 */
export function permutationImportanceFigure(imp: PermutationImportance, maxFeatures = 15): Figure {
  const n = Math.min(maxFeatures, imp.table.numRows);
  const t = imp.table.head(n);
  const { labels, margin } = categoryLabels([...t.str("feature")].reverse());
  return {
    data: [{ type: "bar", orientation: "h", x: Array.from(t.num("importance_mean"), r4).reverse(), y: labels, error_x: { type: "data", array: Array.from(t.num("importance_std"), r4).reverse() }, marker: { color: "#72b7b2" } }],
    layout: { title: { text: "Permutation importance (score drop when shuffled)" }, yaxis: { automargin: true }, margin: { l: margin } },
  };
}
