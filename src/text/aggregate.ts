/**
 * Sentiment aggregates: per product, category, segment or month, with counts
 * and Wilson confidence intervals on the negative and positive shares; the
 * most negative products with example reviews; figures.
 */
import { CustlabError } from "../util/errors";
import { Table } from "../table";
import type { Figure } from "../plot/figure";
import { wilsonInterval } from "../util/numeric";

/**
 * Wilson score interval for a proportion (better than the normal interval
 * for small n or rates near 0/1).
 * @param successes count of successes
 * @param n trials
 * @param z normal quantile (default 1.96 for 95%)
 * @example wilsonRateInterval(8, 10) // { rate: 0.8, low: 0.490, high: 0.943 }
 */
export function wilsonRateInterval(successes: number, n: number, z = 1.96): { rate: number; low: number; high: number } {
  if (n > 0 && (successes < 0 || successes > n)) throw new CustlabError("E_RANGE", `wilsonRateInterval: ${successes} successes out of ${n}`);
  return wilsonInterval(successes, n, z);
}

/** Options for {@link sentimentByGroup}. */
export interface SentimentGroupOptions {
  /** Sentiment scores per row (compound −1…1 or P(positive)) to average. Default none. */
  scores?: ArrayLike<number>;
  /** Only groups with at least this many labelled rows. Default 1. */
  minCount?: number;
  /** Confidence level z for the Wilson intervals. Default 1.96 (95%). */
  z?: number;
  /** Name of the group column in the output. Default "group". */
  name?: string;
}

/**
 * Sentiment per group. `sentiment` holds class codes per row: 0 negative,
 * 1 positive for two classes, or 0 negative / 1 neutral / 2 positive with
 * `classes: 3`; −1 (or NaN) rows are skipped. Returns a Table sorted by the
 * negative share's Wilson lower bound (most negative first) with columns:
 * group, n, negative, neutral, positive, negative_rate, negative_low,
 * negative_high, positive_rate, positive_low, positive_high, mean_score.
 * @example sentimentByGroup(productIds, labels, { classes: 3, minCount: 10 }).head(5)
 */
export function sentimentByGroup(groups: ArrayLike<string>, sentiment: ArrayLike<number>, options: SentimentGroupOptions & { classes?: 2 | 3 } = {}): Table {
  if (groups.length !== sentiment.length) throw new CustlabError("E_SHAPE", `sentimentByGroup: ${groups.length} groups but ${sentiment.length} labels`);
  const k = options.classes ?? 2;
  const neutralCode = k === 3 ? 1 : -99, posCode = k === 3 ? 2 : 1;
  const acc = new Map<string, { n: number; neg: number; neu: number; pos: number; s: number; sn: number }>();
  for (let i = 0; i < groups.length; i++) {
    const c = sentiment[i];
    if (!(c >= 0)) continue;
    const g = String(groups[i] ?? "");
    let a = acc.get(g);
    if (!a) { a = { n: 0, neg: 0, neu: 0, pos: 0, s: 0, sn: 0 }; acc.set(g, a); }
    a.n++;
    if (c === 0) a.neg++; else if (c === neutralCode) a.neu++; else if (c === posCode) a.pos++;
    if (options.scores && Number.isFinite(options.scores[i])) { a.s += options.scores[i]; a.sn++; }
  }
  const z = options.z ?? 1.96, minCount = options.minCount ?? 1;
  const rows = [...acc.entries()].filter(([, a]) => a.n >= minCount).map(([g, a]) => {
    const neg = wilsonRateInterval(a.neg, a.n, z), pos = wilsonRateInterval(a.pos, a.n, z);
    return {
      [options.name ?? "group"]: g, n: a.n, negative: a.neg, neutral: a.neu, positive: a.pos,
      negative_rate: neg.rate, negative_low: neg.low, negative_high: neg.high,
      positive_rate: pos.rate, positive_low: pos.low, positive_high: pos.high,
      mean_score: a.sn ? a.s / a.sn : NaN,
    };
  });
  rows.sort((a, b) => (b.negative_low as number) - (a.negative_low as number) || (b.n as number) - (a.n as number));
  const cols = [options.name ?? "group", "n", "negative", "neutral", "positive", "negative_rate", "negative_low", "negative_high", "positive_rate", "positive_low", "positive_high", "mean_score"];
  return rows.length ? Table.fromRows(rows, cols) : new Table(Object.fromEntries(cols.map((c) => [c, c === (options.name ?? "group") ? [] : new Float64Array(0)])));
}

/**
 * Month key "YYYY-MM" (UTC) of epoch-millisecond timestamps; "" for NaN.
 * @example monthKeys([Date.UTC(2024, 2, 5)]) // ["2024-03"]
 */
export function monthKeys(timestamps: ArrayLike<number>): string[] {
  const out: string[] = new Array(timestamps.length);
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    if (!Number.isFinite(t)) { out[i] = ""; continue; }
    const d = new Date(t);
    out[i] = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  }
  return out;
}

/**
 * Sentiment per calendar month (UTC), oldest first.
 * @example sentimentByMonth(reviews.num("timestamp"), labels)
 */
export function sentimentByMonth(timestamps: ArrayLike<number>, sentiment: ArrayLike<number>, options: SentimentGroupOptions & { classes?: 2 | 3 } = {}): Table {
  const t = sentimentByGroup(monthKeys(timestamps), sentiment, { ...options, name: "month" });
  const months = t.str("month");
  const order = Array.from(months.keys()).filter((i) => months[i] !== "").sort((a, b) => (months[a] < months[b] ? -1 : 1));
  return t.take(order);
}

/** Options for {@link mostNegativeProducts}. */
export interface NegativeProductOptions {
  /** Minimum labelled reviews for a product to be ranked. Default 10. */
  minCount?: number;
  /** How many products. Default 10. */
  top?: number;
  /** Review texts, for examples. */
  texts?: ArrayLike<string>;
  /** Scores (lower = more negative) choosing the examples. Default: any negative reviews in order. */
  scores?: ArrayLike<number>;
  /** Example reviews per product. Default 2. */
  examples?: number;
  /** Product names (parallel to product ids) to show beside ids. */
  names?: ArrayLike<string>;
  /** 2 or 3 classes in `sentiment`. Default 2. */
  classes?: 2 | 3;
}

/** One product in {@link mostNegativeProducts}. */
export interface NegativeProduct {
  product: string;
  name: string;
  n: number;
  negative: number;
  negativeRate: number;
  /** Wilson 95% interval of the negative share. */
  low: number;
  high: number;
  /** The most negative example reviews. */
  examples: string[];
}

/**
 * The most negative products, ranked by the lower Wilson bound of their
 * negative share (so a product with 3 of 4 negative does not outrank one with
 * 60 of 100), with example reviews.
 * @example mostNegativeProducts(productIds, labels, { texts, scores: compound, top: 5 })
 */
export function mostNegativeProducts(products: ArrayLike<string>, sentiment: ArrayLike<number>, options: NegativeProductOptions = {}): NegativeProduct[] {
  const t = sentimentByGroup(products, sentiment, { minCount: options.minCount ?? 10, classes: options.classes, name: "product" });
  const top = options.top ?? 10, ex = options.examples ?? 2;
  const ids = t.str("product");
  const out: NegativeProduct[] = [];
  const byProduct = new Map<string, number[]>();
  for (let i = 0; i < products.length; i++) if (sentiment[i] === 0) { const key = String(products[i]); const a = byProduct.get(key); if (a) a.push(i); else byProduct.set(key, [i]); }
  for (let r = 0; r < Math.min(top, t.numRows); r++) {
    const pid = ids[r];
    let idx = byProduct.get(pid) ?? [];
    if (options.scores) idx = [...idx].sort((a, b) => options.scores![a] - options.scores![b]);
    const first = options.names ? (() => { for (let i = 0; i < products.length; i++) if (products[i] === pid) return String(options.names![i]); return ""; })() : "";
    out.push({
      product: pid, name: first, n: t.num("n")[r], negative: t.num("negative")[r], negativeRate: t.num("negative_rate")[r],
      low: t.num("negative_low")[r], high: t.num("negative_high")[r],
      examples: options.texts ? idx.slice(0, ex).map((i) => String(options.texts![i])) : [],
    });
  }
  return out;
}

/**
 * Negative share per group with Wilson error bars (a bar per group).
 * @example negativeShareFigure(sentimentByGroup(categories, labels).head(15), "category")
 */
export function negativeShareFigure(t: Table, groupColumn = "group", options: { title?: string } = {}): Figure {
  const g = t.str(groupColumn), r = t.num("negative_rate"), lo = t.num("negative_low"), hi = t.num("negative_high"), n = t.num("n");
  return {
    data: [{
      type: "bar", x: Array.from(g), y: Array.from(r),
      error_y: { type: "data", symmetric: false, array: Array.from(r, (v, i) => hi[i] - v), arrayminus: Array.from(r, (v, i) => v - lo[i]) },
      text: Array.from(n, (v) => `n=${v}`), hovertemplate: "%{x}<br>negative %{y:.1%}<br>%{text}<extra></extra>",
    }],
    layout: { title: { text: options.title ?? "Share of negative reviews (95% Wilson interval)" }, yaxis: { tickformat: ".0%", title: { text: "negative share" } } },
  };
}

/**
 * Monthly sentiment trend: negative and positive shares with Wilson bands.
 * @example sentimentTrendFigure(sentimentByMonth(ts, labels))
 */
export function sentimentTrendFigure(t: Table, options: { title?: string } = {}): Figure {
  const m = Array.from(t.str("month"));
  const line = (rate: string, lo: string, hi: string, name: string, color: string) => [
    { type: "scatter", mode: "lines", x: [...m, ...[...m].reverse()], y: [...Array.from(t.num(hi)), ...Array.from(t.num(lo)).reverse()], fill: "toself", line: { width: 0 }, fillcolor: color.replace("rgb", "rgba").replace(")", ",0.15)"), showlegend: false, hoverinfo: "skip" },
    { type: "scatter", mode: "lines+markers", name, x: m, y: Array.from(t.num(rate)), line: { color } },
  ];
  return {
    data: [...line("negative_rate", "negative_low", "negative_high", "negative", "rgb(214,39,40)"), ...line("positive_rate", "positive_low", "positive_high", "positive", "rgb(44,160,44)")],
    layout: { title: { text: options.title ?? "Sentiment by month (95% Wilson bands)" }, yaxis: { tickformat: ".0%" }, xaxis: { type: "category" } },
  };
}
