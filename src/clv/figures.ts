/**
 * CLV figures as plotly JSON: frequency/recency heatmaps of expected purchases
 * and P(alive), calibration vs holdout, cumulative tracking, CLV by segment.
 */
import { Figure } from "../plot";
import { TransactionModel } from "./models";
import { CalibrationHoldoutComparison, CumulativeTransactions } from "./checks";
import { isoDay, median } from "../util/numeric";

/** Options for the frequency/recency matrices. */
export interface FrequencyRecencyOptions {
  /** Largest frequency on the x axis (default: 40 or the data maximum when given). */
  maxFrequency?: number;
  /** Customer age T used for every cell, and the largest recency (default: the model's calibration length `calibrationT_`, else 52). */
  T?: number;
  /** Grid points on the recency axis (default 40). */
  recencySteps?: number;
  /** Unit label for axes (default "weeks"). */
  unitLabel?: string;
}

function grid(o: FrequencyRecencyOptions, model?: TransactionModel): { xs: number[]; rs: number[]; T: number } {
  const maxF = o.maxFrequency ?? 40;
  const fitted = model?.calibrationT_;
  const T = o.T ?? (fitted !== undefined && Number.isFinite(fitted) && fitted > 0 ? fitted : 52);
  const steps = o.recencySteps ?? 40;
  const xs = Array.from({ length: maxF + 1 }, (_, i) => i);
  const rs = Array.from({ length: steps + 1 }, (_, i) => (T * i) / steps);
  return { xs, rs, T };
}

function matrix(model: TransactionModel, o: FrequencyRecencyOptions, cell: (h: { frequency: number[]; recency: number[]; T: number[] }) => Float64Array): { z: number[][]; xs: number[]; rs: number[]; T: number } {
  const { xs, rs, T } = grid(o, model);
  const z: number[][] = [];
  for (const r of rs) {
    const h = { frequency: xs, recency: xs.map((x) => (x === 0 ? 0 : r)), T: xs.map(() => T) };
    z.push(Array.from(cell(h)));
  }
  return { z, xs, rs, T };
}

/**
 * Heatmap of the expected purchases in the next `t` units by frequency (x) and
 * recency (y) for a customer of age T (lifetimes' `plot_frequency_recency_matrix`).
 * @example
 * frequencyRecencyFigure(bgnbd, 1, { maxFrequency: 30, T: 38.86 });
 */
export function frequencyRecencyFigure(model: TransactionModel, t = 1, o: FrequencyRecencyOptions = {}): Figure {
  const unit = o.unitLabel ?? "weeks";
  const m = matrix(model, o, (h) => model.conditionalExpectedPurchases(t, h));
  return {
    data: [{ type: "heatmap", x: m.xs, y: m.rs, z: m.z, colorscale: "Viridis", colorbar: { title: { text: "E[purchases]" } } }],
    layout: {
      title: { text: `Expected purchases in the next ${t} ${unit} by frequency and recency (${model.modelName}, T = ${m.T.toFixed(1)})` },
      xaxis: { title: { text: "frequency (repeat purchases)" } },
      yaxis: { title: { text: `recency (${unit})` } },
    },
  };
}

/**
 * Heatmap of P(alive) by frequency and recency for customers of age T
 * (lifetimes' `plot_probability_alive_matrix`).
 * @example
 * probabilityAliveFigure(bgnbd, { T: 38.86 });
 */
export function probabilityAliveFigure(model: TransactionModel, o: FrequencyRecencyOptions = {}): Figure {
  const unit = o.unitLabel ?? "weeks";
  const m = matrix(model, o, (h) => model.probabilityAlive(h));
  return {
    data: [{ type: "heatmap", x: m.xs, y: m.rs, z: m.z, zmin: 0, zmax: 1, colorscale: "RdYlGn", colorbar: { title: { text: "P(alive)" } } }],
    layout: {
      title: { text: `Probability a customer is alive, by frequency and recency (${model.modelName}, T = ${m.T.toFixed(1)})` },
      xaxis: { title: { text: "frequency (repeat purchases)" } },
      yaxis: { title: { text: `recency (${unit})` } },
    },
  };
}

/**
 * Mean actual vs predicted holdout purchases by calibration frequency.
 * @example
 * calibrationHoldoutFigure(calibrationHoldoutComparison(bgnbd, calHoldout));
 */
export function calibrationHoldoutFigure(c: CalibrationHoldoutComparison): Figure {
  const labels = Array.from(c.frequency, (f, i) => (i === c.frequency.length - 1 ? `${f}+` : String(f)));
  return {
    data: [
      { type: "scatter", mode: "lines+markers", name: "actual", x: labels, y: Array.from(c.actual), text: Array.from(c.customers, (n) => `${n} customers`) },
      { type: "scatter", mode: "lines+markers", name: "model", x: labels, y: Array.from(c.predicted), line: { dash: "dash" } },
    ],
    layout: {
      title: { text: `Holdout purchases by calibration frequency (actual ${c.actualTotal.toFixed(0)}, predicted ${c.predictedTotal.toFixed(0)})` },
      xaxis: { title: { text: "purchases in the calibration period (repeat)" }, type: "category" },
      yaxis: { title: { text: "mean purchases in the holdout period" } },
    },
  };
}

/**
 * Cumulative repeat transactions over time, actual vs model, with the
 * calibration end marked (Fader, Hardie & Lee 2005, fig. 3).
 * @param incremental - plot per-period instead of cumulative counts (default false)
 * @example
 * cumulativeTransactionsFigure(cumulativeTransactions(tx, bgnbd, { calibrationEnd: "1997-09-30" }));
 */
export function cumulativeTransactionsFigure(c: CumulativeTransactions, incremental = false): Figure {
  const x = Array.from(c.dates, (d) => isoDay(d));
  const diff = (a: Float64Array) => Array.from(a, (v, i) => (i === 0 ? v : v - a[i - 1]));
  const shapes = Number.isFinite(c.calibrationEnd)
    ? [{ type: "line", xref: "x", yref: "paper", x0: isoDay(c.calibrationEnd), x1: isoDay(c.calibrationEnd), y0: 0, y1: 1, line: { dash: "dot", color: "#52606d" } }]
    : [];
  return {
    data: [
      { type: "scatter", mode: "lines", name: "actual", x, y: incremental ? diff(c.actual) : Array.from(c.actual) },
      { type: "scatter", mode: "lines", name: "model", x, y: incremental ? diff(c.expected) : Array.from(c.expected), line: { dash: "dash" } },
    ],
    layout: {
      title: { text: `${incremental ? "Repeat transactions per period" : "Cumulative repeat transactions"}: actual vs model (${c.customers} customers)` },
      xaxis: { title: { text: "date" } },
      yaxis: { title: { text: incremental ? "repeat transactions" : "cumulative repeat transactions" } },
      shapes,
    },
  };
}

/**
 * Distribution of CLV by segment: one box per segment (points hidden beyond 2,000 per segment).
 * @param clv - CLV per customer
 * @param segment - segment label per customer
 * @param title - figure title (default "CLV by segment")
 * @example
 * clvBySegmentFigure(table.num("predicted_clv"), segments);
 */
export function clvBySegmentFigure(clv: ArrayLike<number>, segment: ArrayLike<string>, title = "Predicted CLV by segment"): Figure {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < clv.length; i++) {
    if (!Number.isFinite(clv[i])) continue;
    const g = groups.get(segment[i]) ?? [];
    g.push(clv[i]);
    groups.set(segment[i], g);
  }
  const data = [...groups.entries()].sort((a, b) => median(b[1]) - median(a[1])).map(([name, v]) => ({
    type: "box", name: `${name} (n=${v.length})`, y: v, boxpoints: v.length <= 2000 ? "outliers" : false, boxmean: true,
  }));
  return { data, layout: { title: { text: title }, yaxis: { title: { text: "CLV" }, rangemode: "tozero" }, showlegend: false } };
}

