import type { Figure } from "../report/figure";
import type { ShapExplanation } from "./shap";
import type { PermutationImportance } from "./importance";

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
  return {
    data: [{ type: "bar", orientation: "h", x: top.map((j) => r4(m[j])), y: top.map((j) => ex.featureNames[j]), marker: { color: "#4c78a8" } }],
    layout: { title: { text: `Mean |SHAP| (${ex.space})` }, xaxis: { title: { text: `mean |SHAP value| (${ex.space})` } }, margin: { l: 180 } },
  };
}

/**
 * Beeswarm: one dot per row and feature at its SHAP value, coloured by the
 * feature's value (low blue → high red, scaled per feature), jittered vertically.
 * @example shapBeeswarmFigure(ex, 12);
 */
export function shapBeeswarmFigure(ex: ShapExplanation, maxFeatures = 12, seed = 42): Figure {
  const top = topFeatures(ex, maxFeatures).reverse();
  const { rows: n, cols: p } = ex.values;
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
      text.push(`${ex.featureNames[j]} = ${r4(v)}`);
    }
  });
  return {
    data: [{ type: "scattergl", mode: "markers", x, y, text, hovertemplate: "%{text}<br>SHAP %{x}<extra></extra>", marker: { color: c, colorscale: [[0, "#1e88e5"], [1, "#ff0d57"]], size: 5, opacity: 0.7, colorbar: { title: { text: "feature value" }, tickvals: [0, 1], ticktext: ["low", "high"] } } }],
    layout: {
      title: { text: `SHAP values (${ex.space})` },
      xaxis: { title: { text: `SHAP value (${ex.space})` }, zeroline: true },
      yaxis: { tickvals: top.map((_, r) => r), ticktext: top.map((j) => ex.featureNames[j]) },
      margin: { l: 180 },
    },
  };
}

/**
 * Waterfall for one row: from the base value, each feature's contribution
 * (largest |SHAP| first, the rest pooled) to the row's output.
 * @example shapWaterfallFigure(ex, 0, 10);
 */
export function shapWaterfallFigure(ex: ShapExplanation, row: number, maxFeatures = 10): Figure {
  const p = ex.values.cols;
  const sv = Array.from({ length: p }, (_, j) => ex.values.data[row * p + j]);
  const order = sv.map((_, j) => j).sort((a, b) => Math.abs(sv[b]) - Math.abs(sv[a]) || a - b);
  const shown = order.slice(0, maxFeatures);
  const rest = order.slice(maxFeatures).reduce((s, j) => s + sv[j], 0);
  const labels = shown.map((j) => `${ex.featureNames[j]} = ${r4(ex.data.data[row * p + j])}`);
  const vals = shown.map((j) => r4(sv[j]));
  if (order.length > maxFeatures) { labels.push(`${order.length - maxFeatures} other features`); vals.push(r4(rest)); }
  return {
    data: [{
      type: "waterfall", orientation: "h",
      measure: ["absolute", ...vals.map(() => "relative"), "total"],
      y: ["base value", ...labels, "output"],
      x: [r4(ex.baseValue), ...vals, r4(ex.outputs[row])],
      increasing: { marker: { color: "#ff0d57" } }, decreasing: { marker: { color: "#1e88e5" } }, totals: { marker: { color: "#52606d" } },
    }],
    layout: { title: { text: `Why this score (${ex.space})` }, yaxis: { autorange: "reversed" }, margin: { l: 260 } },
  };
}

/**
 * Permutation importance with error bars (std over repeats).
 * @example permutationImportanceFigure(permutationImportance(model, Xtest, ytest));
 */
export function permutationImportanceFigure(imp: PermutationImportance, maxFeatures = 15): Figure {
  const n = Math.min(maxFeatures, imp.table.numRows);
  const t = imp.table.head(n);
  return {
    data: [{ type: "bar", orientation: "h", x: Array.from(t.num("importance_mean"), r4).reverse(), y: [...t.str("feature")].reverse(), error_x: { type: "data", array: Array.from(t.num("importance_std"), r4).reverse() }, marker: { color: "#72b7b2" } }],
    layout: { title: { text: "Permutation importance (score drop when shuffled)" }, margin: { l: 180 } },
  };
}
