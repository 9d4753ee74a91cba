import { Table } from "../table";
import { formatNumber } from "../table/format-html";
import type { ShapExplanation } from "./shap";
import { median } from "../util/numeric";
import { CustlabError } from "../util/errors";

/** Turns a feature value and its typical (median) value into plain words. */
export type ReasonPhrase = (value: number, typical: number) => string;

const days = (v: number) => `${Math.round(v)}`;
const money = (v: number) => formatNumber(Math.round(v * 100) / 100, 4);
const pct = (v: number) => `${Math.round(v * 100)}%`;

/**
 * Plain-words templates for the columns of `customerFeatures`. Windowed
 * columns (`orders_90d`, `spend_30d`, …) are matched by pattern. Override or
 * extend through {@link ReasonCodeOptions.phrases}.
 * @example DEFAULT_REASON_PHRASES.recency_days(143, 21); // "no purchase for 143 days (typical 21)"
 */
export const DEFAULT_REASON_PHRASES: Record<string, ReasonPhrase> = {
  recency_days: (v, t) => `no purchase for ${days(v)} days (typical ${days(t)})`,
  tenure_days: (v, t) => `first purchase ${days(v)} days ago (typical ${days(t)})`,
  frequency: (v, t) => `${formatNumber(v)} orders so far (typical ${formatNumber(t)})`,
  monetary: (v, t) => `total spend ${money(v)} (typical ${money(t)})`,
  avg_order_value: (v, t) => `average order ${money(v)} (typical ${money(t)})`,
  ipt_mean_days: (v, t) => (Number.isNaN(v) ? "only one order so far" : `usually ${days(v)} days between orders (typical ${days(t)})`),
  ipt_std_days: (v, t) => (Number.isNaN(v) ? "too few orders to judge regularity" : `irregular ordering: gaps vary by ${days(v)} days (typical ${days(t)})`),
  spend_trend: (v, t) => `monthly spend ${v < 0 ? "falling" : "rising"} by ${money(Math.abs(v))} a month (typical ${t < 0 ? "−" : ""}${money(Math.abs(t))})`,
  basket_units: (v, t) => `${formatNumber(v, 3)} units per order (typical ${formatNumber(t, 3)})`,
  basket_lines: (v, t) => `${formatNumber(v, 3)} products per order (typical ${formatNumber(t, 3)})`,
  distinct_products: (v, t) => `bought ${formatNumber(v)} different products (typical ${formatNumber(t)})`,
  distinct_categories: (v, t) => `shops in ${formatNumber(v)} categories (typical ${formatNumber(t)})`,
  return_rate: (v, t) => `returns ${pct(v)} of units (typical ${pct(t)})`,
  weekend_share: (v, t) => `${pct(v)} of orders at weekends (typical ${pct(t)})`,
  q4_share: (v, t) => `${pct(v)} of orders in Oct–Dec (typical ${pct(t)})`,
};

function phraseFor(name: string, phrases: Record<string, ReasonPhrase>): ReasonPhrase {
  if (phrases[name]) return phrases[name];
  let m = /^orders_(\d+)d$/.exec(name);
  if (m) { const w = m[1]; return (v, t) => `${formatNumber(v)} orders in the last ${w} days (typical ${formatNumber(t)})`; }
  m = /^spend_(\d+)d$/.exec(name);
  if (m) { const w = m[1]; return (v, t) => `spent ${money(v)} in the last ${w} days (typical ${money(t)})`; }
  m = /^(.+)_freq$/.exec(name);
  if (m) { const col = m[1]; return (v, t) => `${col} shared by ${pct(v)} of customers (typical ${pct(t)})`; }
  m = /^(.+)=(.+)$/.exec(name);
  if (m) { const [, col, level] = m; return (v) => (v >= 0.5 ? `${col} is ${level}` : `${col} is not ${level}`); }
  return (v, t) => `${name} = ${formatNumber(v)} (typical ${formatNumber(t)})`;
}

/** Options for {@link reasonCodes}. */
export interface ReasonCodeOptions {
  /** Reasons per row (default 3). */
  topK?: number;
  /** "up" (default): features pushing the score up (towards churn); "down": pushing it down; "both": by |SHAP|. */
  direction?: "up" | "down" | "both";
  /**
   * Raw (unscaled) feature values by column name, e.g. the `customerFeatures`
   * table for the same rows. The matrix holds scaled values, so without this
   * the words show the model inputs. Typical values are medians over these rows.
   */
  raw?: Table;
  /** Ids for the output table (default: `raw.customer_id` when present, else row numbers). */
  ids?: string[];
  /**
   * The explained rows are these rows of `raw` (explanation row i is raw row
   * `rows[i]`; default: raw's rows in order). Typical values stay medians over
   * all of raw's rows, so explaining a few customers phrases them against everyone.
   */
  rows?: ArrayLike<number>;
  /** Extra or replacement phrase templates by feature name. */
  phrases?: Record<string, ReasonPhrase>;
}

/**
 * The raw (unscaled) column of each feature, by name, from a table such as
 * `customerFeatures` for the same rows; `null` where the table has no numeric
 * column of that name (one-hot or derived model inputs).
 *
 * @example
 * ```ts
 * import { rawFeatureColumns, Table } from "custlab";
 * const raw = new Table({ recency_days: Float64Array.of(212, 3) });
 * rawFeatureColumns(["recency_days", "country=UK"], raw); // [Float64Array [212, 3], null]
 * ```
 */
export function rawFeatureColumns(featureNames: string[], raw?: Table): (Float64Array | null)[] {
  return featureNames.map((name) => (raw && raw.has(name) && raw.kind(name) !== "string" ? Float64Array.from(raw.num(name) as ArrayLike<number>) : null));
}

/**
 * Per-row top reason codes in plain words from SHAP values: the features
 * with the largest contributions (towards churn by default), phrased with the
 * customer's value and the typical (median) value, e.g.
 * "no purchase for 143 days (typical 21)". Returns a Table with `customer_id`,
 * `reason_1..k` and `reasons` (all joined with "; ").
 * @example
 * const ex = explainModel(model, X);
 * reasonCodes(ex, { raw: features, topK: 3 }).head(5).toMarkdown();
 */
export function reasonCodes(ex: ShapExplanation, options: ReasonCodeOptions = {}): Table {
  const k = options.topK ?? 3, dir = options.direction ?? "up";
  const { rows: n, cols: p } = ex.values;
  const phrases = { ...DEFAULT_REASON_PHRASES, ...(options.phrases ?? {}) };
  const raw = options.raw;
  const valueCol = rawFeatureColumns(ex.featureNames, raw);
  const at = options.rows;
  if (at && at.length !== n) throw new CustlabError("E_SHAPE", `reasonCodes: option rows has ${at.length} entries for ${n} explained rows`);
  const typical = ex.featureNames.map((_, j) => {
    const v = valueCol[j] ?? Float64Array.from({ length: n }, (_, i) => ex.data.data[i * p + j]);
    return median(Float64Array.from(v).filter((x) => !Number.isNaN(x)));
  });
  const fns = ex.featureNames.map((name) => phraseFor(name, phrases));
  const rawIds = raw && raw.has("customer_id") ? raw.str("customer_id") : undefined;
  const ids = options.ids ?? (rawIds ? (at ? Array.from({ length: n }, (_, i) => rawIds[at[i]]) : rawIds) : Array.from({ length: n }, (_, i) => String(at ? at[i] : i)));
  const cols: string[][] = Array.from({ length: k }, () => new Array<string>(n).fill(""));
  const all: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const idx = Array.from({ length: p }, (_, j) => j);
    const sv = (j: number) => ex.values.data[i * p + j];
    const key = (j: number) => (dir === "up" ? sv(j) : dir === "down" ? -sv(j) : Math.abs(sv(j)));
    idx.sort((a, b) => key(b) - key(a) || a - b);
    const chosen = idx.filter((j) => key(j) > 0).slice(0, k);
    const words = chosen.map((j) => fns[j](valueCol[j] ? valueCol[j]![at ? at[i] : i] : ex.data.data[i * p + j], typical[j]));
    words.forEach((w, r) => (cols[r][i] = w));
    all[i] = words.join("; ");
  }
  const out: Record<string, string[]> = { customer_id: [...ids] };
  cols.forEach((c, r) => (out[`reason_${r + 1}`] = c));
  out.reasons = all;
  return new Table(out);
}
