import type { Figure } from "../plot/figure";
import type { MonthlySequences } from "./labels";

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** Options for {@link featureHistogramFigure}. */
export interface FeatureHistogramOptions {
  /** 0/1 group per row (e.g. churn); draws one overlaid histogram per group. */
  by?: ArrayLike<number>;
  /** Names of groups 0 and 1 (default ["stayed", "churned"]). */
  groupNames?: [string, string];
  /** Bins (default 40). */
  bins?: number;
  /** Plot log10(1 + value) (for spend and counts; default false). */
  log1p?: boolean;
  /** Title (default the feature name). */
  title?: string;
}

/**
 * Histogram of one feature, optionally split by a 0/1 label (normalised to
 * probability density so groups of different size compare). NaN values are left out.
 * @example featureHistogramFigure(f.num("recency_days"), "recency_days", { by: y }); // y: 1 = churned
 */
export function featureHistogramFigure(values: ArrayLike<number>, name: string, o: FeatureHistogramOptions = {}): Figure {
  const tr = (v: number) => (o.log1p ? Math.log10(1 + Math.max(0, v)) : v);
  const groups = o.by ? [0, 1] : [-1];
  const names = o.groupNames ?? ["stayed", "churned"];
  const data = groups.map((g) => {
    const x: number[] = [];
    for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]) && (g < 0 || o.by![i] === g)) x.push(r4(tr(values[i])));
    return { type: "histogram", name: g < 0 ? name : names[g], x, nbinsx: o.bins ?? 40, opacity: 0.6, histnorm: o.by ? "probability density" : "" };
  });
  return { data, layout: { title: { text: o.title ?? name }, barmode: "overlay", xaxis: { title: { text: o.log1p ? `log10(1 + ${name})` : name } }, yaxis: { title: { text: o.by ? "density" : "customers" } } } };
}

/**
 * Mean activity per month before the cutoff for each label group (e.g.
 * churners vs stayers) from {@link monthlySequences}: shows how activity
 * fades ahead of churn.
 * @param feature - step feature index (default 0 = orders)
 * @example sequenceProfileFigure(seq, y); // y: 1 = churned
 */
export function sequenceProfileFigure(seq: MonthlySequences, by: ArrayLike<number>, feature = 0, groupNames: [string, string] = ["stayed", "churned"]): Figure {
  const [n, T, F] = seq.shape;
  const data = [0, 1].map((g) => {
    const s = new Float64Array(T);
    let cnt = 0;
    for (let i = 0; i < n; i++) {
      if (by[i] !== g) continue;
      cnt++;
      for (let t = 0; t < T; t++) s[t] += seq.data[(i * T + t) * F + feature];
    }
    return { type: "scatter", mode: "lines+markers", name: `${groupNames[g]} (${cnt})`, x: Array.from({ length: T }, (_, t) => t - T), y: Array.from(s, (v) => r4(v / Math.max(1, cnt))) };
  });
  return { data, layout: { title: { text: `Mean ${seq.featureNames[feature]} per 30-day step before the cutoff` }, xaxis: { title: { text: "30-day steps before the cutoff (−1 = the last 30 days)" } }, yaxis: { title: { text: seq.featureNames[feature] } } } };
}
