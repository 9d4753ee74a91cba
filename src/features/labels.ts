import { Table } from "../table";
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { customerFeatures, DAY_MS, groupOrders, MONTH_DAYS, isPurchase, CustomerFeaturesOptions } from "./customer";
import { isoDay } from "../util/numeric";

/** The four business classes of {@link churnLabels}, in code order 0..3. */
export const CUSTOMER_CLASSES = ["high-value", "regular", "at-risk", "lost"] as const;
/** A customer class name. */
export type CustomerClass = (typeof CUSTOMER_CLASSES)[number];

/** Options for {@link churnLabels}. */
export interface ChurnLabelOptions {
  /** Cutoff (epoch ms UTC). Labels read only rows in (cutoff, cutoff + horizon]. Required. */
  cutoff: number;
  /** Horizon H in days (default 90). */
  horizonDays?: number;
  /** Future-spend quantile (among customers who buy in the horizon) from which a customer is "high-value" (default 0.8). */
  highValueQuantile?: number;
  /** A buyer is "at-risk" when future orders < this share of the orders in the H days before the cutoff (default 0.5). */
  atRiskRatio?: number;
  /** Given class labels per customer id (e.g. from a CRM column); when set they replace the rule. Unknown ids get "". */
  classLabels?: Record<string, string> | Map<string, string>;
}

/**
 * Labels for customers at a cutoff and horizon H (days):
 *
 * - `churn` (0/1): no purchase in (cutoff, cutoff + H]
 * - `purchase_in_h` (0/1): 1 − churn (the propensity target)
 * - `future_orders`, `future_spend`: orders and spend in (cutoff, cutoff + H] (the regression target)
 * - `past_orders`: orders in [cutoff − H, cutoff) (used by the class rule)
 * - `customer_class` and `class_code` (0..3), by this documented rule, in order:
 *   1. **lost** (3): no purchase in the horizon;
 *   2. **high-value** (0): future spend ≥ the `highValueQuantile` (0.8) quantile of future spend among buyers;
 *   3. **at-risk** (2): future orders < `atRiskRatio` (0.5) × past orders (activity falling by half or more);
 *   4. **regular** (1): everyone else.
 *   With `classLabels` the given labels are used instead (codes = index in the sorted distinct labels).
 *
 * Purchases are counted as in {@link customerFeatures}. Rows are in the order of `customers`.
 *
 * @param customers - customer ids, or a Table with a `customer_id` column (e.g. the feature table)
 * @example
 * const f = customerFeatures(tx, { cutoff });
 * const y = churnLabels(tx, f, { cutoff, horizonDays: 90 });
 * y.num("churn");
 */
export function churnLabels(tx: Table, customers: string[] | Table, options: ChurnLabelOptions): Table {
  const cutoff = options?.cutoff;
  if (typeof cutoff !== "number" || !Number.isFinite(cutoff)) throw new CustlabError("E_OPTION", `churnLabels: option cutoff must be a finite epoch-ms number, got ${String(cutoff)}`);
  const H = options.horizonDays ?? 90;
  if (!(H > 0)) throw new CustlabError("E_OPTION", `churnLabels: option horizonDays must be > 0, got ${H}`);
  const ids = Array.isArray(customers) ? customers : customers.str("customer_id");
  const end = cutoff + H * DAY_MS;
  const cust = tx.str("customer_id"), ord = tx.str("order_id"), ts = tx.num("timestamp"), q = tx.num("quantity"), p = tx.num("unit_price");
  const index = new Map(ids.map((c, i) => [c, i]));
  const n = ids.length;
  const futOrders = new Int32Array(n), pastOrders = new Int32Array(n), futSpend = new Float64Array(n);
  const seenFut = new Set<string>(), seenPast = new Set<string>();
  const pastStart = cutoff - H * DAY_MS;
  for (let i = 0; i < tx.numRows; i++) {
    const t = ts[i];
    const fut = t > cutoff && t <= end, past = t >= pastStart && t < cutoff;
    if (!fut && !past) continue;
    const k = index.get(cust[i]);
    if (k === undefined || !isPurchase(q[i], p[i], ord[i])) continue;
    const key = cust[i] + "\u0001" + ord[i];
    if (fut) {
      futSpend[k] += q[i] * p[i];
      if (!seenFut.has(key)) { seenFut.add(key); futOrders[k]++; }
    } else if (!seenPast.has(key)) { seenPast.add(key); pastOrders[k]++; }
  }
  return churnLabelTable(ids, futOrders, futSpend, pastOrders, options);
}

/** Options for {@link rollingCutoffs}. */
export interface RollingCutoffsOptions {
  /** Explicit cutoffs (epoch ms). Otherwise `count` cutoffs `every` days apart ending at `last`. */
  cutoffs?: number[];
  /** Days between generated cutoffs (default: horizonDays). */
  every?: number;
  /** Number of generated cutoffs (default 3). */
  count?: number;
  /** Latest generated cutoff (default: last timestamp in the data − horizon, so its labels are complete). */
  last?: number;
  /** Horizon H in days (default 90). */
  horizonDays?: number;
  /** Feature options passed to {@link customerFeatures} (cutoff is set per step). */
  features?: Omit<CustomerFeaturesOptions, "cutoff">;
  /** Label options passed to {@link churnLabels}. */
  labels?: Omit<ChurnLabelOptions, "cutoff" | "horizonDays">;
  /** Allow cutoffs whose horizon runs past the end of the data (labels censored; default false → error). */
  allowIncomplete?: boolean;
  /** One event per cutoff. */
  onProgress?: ProgressCallback;
}

/**
 * Stack training examples over several cutoffs: for each cutoff, the
 * customer features (rows before it) joined with its labels (rows in the
 * following H days), plus a `cutoff` date column. Cutoffs are sorted oldest
 * first. A cutoff whose horizon ends after the data's last timestamp is an
 * error unless `allowIncomplete` (its churn labels would be wrong).
 *
 * To train for a scoring cutoff C without leakage, use training cutoffs with
 * cutoff + H ≤ C (e.g. `last: C − H·day`).
 *
 * @example
 * const { table, cutoffs } = rollingCutoffs(tx, { last: Date.parse("2011-06-11"), every: 30, count: 4, horizonDays: 90 });
 * table.num("churn"); table.num("cutoff");
 */
export function rollingCutoffs(tx: Table, options: RollingCutoffsOptions = {}): { table: Table; cutoffs: number[] } {
  const H = options.horizonDays ?? 90;
  const ts = tx.num("timestamp");
  let maxTs = -Infinity;
  for (let i = 0; i < ts.length; i++) if (ts[i] > maxTs) maxTs = ts[i];
  let cuts: number[];
  if (options.cutoffs) cuts = [...options.cutoffs];
  else {
    const every = options.every ?? H, count = options.count ?? 3;
    const last = options.last ?? maxTs - H * DAY_MS;
    cuts = Array.from({ length: count }, (_, j) => last - j * every * DAY_MS);
  }
  cuts.sort((a, b) => a - b);
  for (const c of cuts) {
    if (!Number.isFinite(c)) throw new CustlabError("E_OPTION", `rollingCutoffs: cutoff ${c} is not a finite epoch-ms number`);
    if (!options.allowIncomplete && c + H * DAY_MS > maxTs) {
      throw new CustlabError("E_OPTION", `rollingCutoffs: cutoff ${isoDay(c)} + ${H} days runs past the last transaction (${isoDay(maxTs)}); its churn labels would be incomplete (set allowIncomplete to accept)`);
    }
  }
  const parts: Table[] = [];
  cuts.forEach((c, j) => {
    const f = customerFeatures(tx, { ...(options.features ?? {}), cutoff: c });
    const y = churnLabels(tx, f, { ...(options.labels ?? {}), cutoff: c, horizonDays: H });
    let t = f.assign({ cutoff: new Float64Array(f.numRows).fill(c) }, { cutoff: "date" });
    for (const name of y.columnNames()) if (name !== "customer_id") t = t.assign({ [name]: y.get(name) });
    parts.push(t);
    options.onProgress?.({ stage: "cutoffs", done: j + 1, total: cuts.length });
  });
  return { table: Table.concat(parts), cutoffs: cuts };
}

/** Options for {@link monthlySequences}. */
export interface MonthlySequenceOptions {
  /** Cutoff (epoch ms); only rows before it are read. Required. */
  cutoff: number;
  /** Number of 30-day steps before the cutoff (default 12). */
  months?: number;
  /** Customers (row order); default: every customer with a purchase before the cutoff, sorted like {@link customerFeatures}. */
  customers?: string[];
  /** Apply log1p to spend and units (default true; counts stay raw). */
  log1p?: boolean;
}

/** A per-customer activity tensor for sequence models (LSTM/GRU/Transformer). */
export interface MonthlySequences {
  /** Row-major [n, months, features] float32: `data[(i*months + t)*f + j]`. */
  data: Float32Array;
  /** [n, months, features]. */
  shape: [number, number, number];
  /** Customer id of each sequence. */
  customers: string[];
  /** Step features: orders, spend, units, returns (lines returned), active (0/1). */
  featureNames: string[];
}

/**
 * Monthly activity sequences: step t (0 = oldest, months−1 = the 30 days just
 * before the cutoff) holds the customer's orders, spend, units, return lines
 * and an active flag in that 30-day bin. Only rows before the cutoff are read.
 * The `{data, shape}` pair is the `Sequences` type the sequence models take.
 * @example
 * const seq = monthlySequences(tx, { cutoff, months: 12, customers: f.str("customer_id") });
 * seq.shape; // [n, 12, 5]
 */
export function monthlySequences(tx: Table, options: MonthlySequenceOptions): MonthlySequences {
  const cutoff = options?.cutoff;
  if (typeof cutoff !== "number" || !Number.isFinite(cutoff)) throw new CustlabError("E_OPTION", `monthlySequences: option cutoff must be a finite epoch-ms number, got ${String(cutoff)}`);
  const T = options.months ?? 12, F = 5, log = options.log1p ?? true;
  const start = cutoff - T * MONTH_DAYS * DAY_MS;
  const returns = new Map<string, Int32Array>();
  const cust = tx.str("customer_id"), ord = tx.str("order_id"), ts = tx.num("timestamp"), q = tx.num("quantity"), p = tx.num("unit_price");
  const g = groupOrders(tx, start, cutoff, (i) => {
    if (!isPurchase(q[i], p[i], ord[i]) && (q[i] < 0 || ord[i].charCodeAt(0) === 67)) {
      let r = returns.get(cust[i]);
      if (!r) { r = new Int32Array(T); returns.set(cust[i], r); }
      r[T - 1 - Math.floor((cutoff - ts[i]) / DAY_MS / MONTH_DAYS)]++;
    }
  });
  let ids = options.customers;
  if (!ids) ids = customerFeatures(tx, { cutoff, windows: [] }).str("customer_id");
  const index = new Map(g.customers.map((c, k) => [c, k]));
  const n = ids.length;
  const data = new Float32Array(n * T * F);
  for (let i = 0; i < n; i++) {
    const k = index.get(ids[i]);
    const r = returns.get(ids[i]);
    if (r) for (let t = 0; t < T; t++) data[(i * T + t) * F + 3] = r[t];
    if (k === undefined) continue;
    const acc = new Float64Array(T * 3);
    for (let o = g.offsets[k]; o < g.offsets[k + 1]; o++) {
      const t = T - 1 - Math.floor((cutoff - g.ts[o]) / DAY_MS / MONTH_DAYS);
      acc[t * 3]++; acc[t * 3 + 1] += g.value[o]; acc[t * 3 + 2] += g.units[o];
    }
    for (let t = 0; t < T; t++) {
      const b = (i * T + t) * F;
      data[b] = acc[t * 3];
      data[b + 1] = log ? Math.log1p(acc[t * 3 + 1]) : acc[t * 3 + 1];
      data[b + 2] = log ? Math.log1p(acc[t * 3 + 2]) : acc[t * 3 + 2];
      data[b + 4] = acc[t * 3] > 0 ? 1 : 0;
    }
  }
  return { data, shape: [n, T, F], customers: [...ids], featureNames: ["orders", log ? "log1p_spend" : "spend", log ? "log1p_units" : "units", "return_lines", "active"] };
}

/**
 * The label table of {@link churnLabels} from per-customer counts (future
 * orders and spend in the horizon, orders in the H days before the cutoff):
 * the class rule and the columns, shared by the memory and SQL engines.
 *
 * @example
 * const y = churnLabelTable(["a", "b"], Int32Array.from([0, 2]), Float64Array.from([0, 50]), Int32Array.from([1, 1]), { cutoff: 0 });
 * y.num("churn"); // Int32Array [1, 0]
 */
export function churnLabelTable(ids: string[], futOrders: Int32Array, futSpend: Float64Array, pastOrders: Int32Array, options: ChurnLabelOptions): Table {
  const n = ids.length;
  const churn = Int32Array.from(futOrders, (o) => (o > 0 ? 0 : 1));
  const buy = Int32Array.from(churn, (c) => 1 - c);
  let cls: string[], code: Int32Array;
  if (options.classLabels) {
    const lab = options.classLabels instanceof Map ? options.classLabels : new Map(Object.entries(options.classLabels));
    cls = ids.map((c) => lab.get(c) ?? "");
    const levels = [...new Set(cls.filter((c) => c !== ""))].sort();
    code = Int32Array.from(cls, (c) => (c === "" ? -1 : levels.indexOf(c)));
  } else {
    const spends = Float64Array.from(ids.map((_, k) => futSpend[k]).filter((_, k) => futOrders[k] > 0)).sort();
    const qv = options.highValueQuantile ?? 0.8;
    let thr = Infinity;
    if (spends.length) {
      const pos = qv * (spends.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
      thr = spends[lo] + (spends[hi] - spends[lo]) * (pos - lo);
    }
    const ratio = options.atRiskRatio ?? 0.5;
    code = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      if (futOrders[k] === 0) code[k] = 3;
      else if (futSpend[k] >= thr) code[k] = 0;
      else if (futOrders[k] < ratio * pastOrders[k]) code[k] = 2;
      else code[k] = 1;
    }
    cls = Array.from(code, (c) => CUSTOMER_CLASSES[c]);
  }
  return new Table({ customer_id: [...ids], churn, purchase_in_h: buy, future_orders: futOrders, future_spend: futSpend, past_orders: pastOrders, customer_class: cls, class_code: code });
}
