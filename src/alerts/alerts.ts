import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { Table } from "../table";
import { customerFeatures, CustomerFeaturesOptions } from "../features/customer";
import { churnLabels } from "../features/labels";
import { isoDay, DAY_MS } from "../util/numeric";

/** Probability thresholds of the alert bands. */
export interface BandThresholds {
  /** P(churn) from which a customer is "medium" (default 0.3). */
  medium: number;
  /** P(churn) from which a customer is "high" (default 0.6). */
  high: number;
}

/**
 * Default bands: low < 0.3 ≤ medium < 0.6 ≤ high (probabilities of churn within the horizon).
 * @example buildAlerts(input, { bands: { ...DEFAULT_BANDS, high: 0.7 } });
 */
export const DEFAULT_BANDS: BandThresholds = { medium: 0.3, high: 0.6 };

/** Options for {@link buildAlerts}. */
export interface AlertOptions {
  /** Horizon the probabilities refer to, in days (default 90); shown on every row. */
  horizonDays?: number;
  /** Band thresholds (default {@link DEFAULT_BANDS}). */
  bands?: Partial<BandThresholds>;
  /**
   * Customer value column in `features` used for value at risk (default
   * "spend_365d", the trailing-12-month spend from `customerFeatures`).
   * value_at_risk = value × P(churn): the expected spend lost if nothing is done.
   */
  valueColumn?: string;
  /** Customers whose value is at or above this quantile of all customers' value go to manual review when in the medium or high band (default 0.9). */
  reviewValueQuantile?: number;
  /** Sort: "probability" (default, highest first) or "value_at_risk". */
  sortBy?: "probability" | "value_at_risk";
  /**
   * Eligibility rule, stated on every row (`eligible` 0/1, `eligibility` text):
   * customers with fewer orders or a shorter history than this get `eligible = 0`
   * (their scores rest on too little data to act on). Needs `features`
   * (`frequency`, `tenure_days`). Default: minOrders 1, minTenureDays 0 (everyone).
   */
  eligibility?: { minOrders?: number; minTenureDays?: number };
}

/** What {@link buildAlerts} scores. */
export interface AlertInput {
  /** Customer ids. */
  customers: string[];
  /** P(churn within the horizon) per customer. */
  proba: ArrayLike<number>;
  /** The customers' feature table (for value at risk); rows matched by `customer_id`. */
  features?: Table;
  /** Reason codes (e.g. from `reasonCodes`): a Table with `customer_id` and `reasons`. */
  reasons?: Table;
}

/**
 * Scores → an early-warning alert list. One row per customer with
 * `customer_id`, `churn_probability`, `band` (low/medium/high),
 * `percentile` (share of customers scoring at or below, 0–100),
 * `horizon_days`, `value_12m`, `value_at_risk` (= value_12m × probability),
 * `top_reasons`, `manual_review` (1 for eligible high-value customers — value
 * at or above the `reviewValueQuantile` quantile — in the medium or high
 * band: they deserve a person, not an automatic voucher), and `eligible` /
 * `eligibility` (the rule deciding whether a score is acted on at all).
 * @example
 * const alerts = buildAlerts({ customers: ids, proba, features: f, reasons: rc }, { horizonDays: 90 });
 * alerts.filter((i) => alerts.str("band")[i] === "high").toHTML();
 */
export function buildAlerts(input: AlertInput, options: AlertOptions = {}): Table {
  const n = input.customers.length;
  if (input.proba.length !== n) throw new CustlabError("E_SHAPE", `buildAlerts: ${n} customers but ${input.proba.length} probabilities`);
  const bands = { ...DEFAULT_BANDS, ...(options.bands ?? {}) };
  if (!(bands.medium <= bands.high)) throw new CustlabError("E_OPTION", `buildAlerts: option bands.medium (${bands.medium}) must not exceed bands.high (${bands.high})`);
  const H = options.horizonDays ?? 90;
  const p = Float64Array.from(input.proba);
  // percentile rank: share of customers with a score ≤ this one
  const sorted = Float64Array.from(p).sort();
  const upper = (v: number) => { let lo = 0, hi = n; while (lo < hi) { const m = (lo + hi) >> 1; if (sorted[m] <= v) lo = m + 1; else hi = m; } return lo; };
  const pct = Float64Array.from(p, (v) => (100 * upper(v)) / n);
  const band = Array.from(p, (v) => (v >= bands.high ? "high" : v >= bands.medium ? "medium" : "low"));
  const value = new Float64Array(n).fill(NaN);
  const vcol = options.valueColumn ?? "spend_365d";
  if (input.features) {
    if (!input.features.has(vcol)) throw new CustlabError("E_MISSING_COLUMN", `buildAlerts: features have no value column "${vcol}" (set option valueColumn)`, { column: vcol });
    const idx = new Map(input.features.str("customer_id").map((c, i) => [c, i]));
    const v = input.features.num(vcol);
    input.customers.forEach((c, i) => { const k = idx.get(c); if (k !== undefined) value[i] = v[k]; });
  }
  const var_ = Float64Array.from(p, (q, i) => q * value[i]);
  const vs = Float64Array.from(value).filter((x) => !Number.isNaN(x)).sort();
  const qv = options.reviewValueQuantile ?? 0.9;
  const vthr = vs.length ? vs[Math.min(vs.length - 1, Math.floor(qv * (vs.length - 1)))] : Infinity;
  const review = Int32Array.from(p, (_, i) => (band[i] !== "low" && value[i] >= vthr && value[i] > 0 ? 1 : 0));
  const reasons = new Array<string>(n).fill("");
  if (input.reasons) {
    const idx = new Map(input.reasons.str("customer_id").map((c, i) => [c, i]));
    const r = input.reasons.str("reasons");
    input.customers.forEach((c, i) => { const k = idx.get(c); if (k !== undefined) reasons[i] = r[k]; });
  }
  const minO = options.eligibility?.minOrders ?? 1, minT = options.eligibility?.minTenureDays ?? 0;
  const eligible = new Int32Array(n).fill(1);
  if ((minO > 1 || minT > 0) && input.features) {
    const idx = new Map(input.features.str("customer_id").map((c, i) => [c, i]));
    const fr = input.features.num("frequency"), te = input.features.num("tenure_days");
    input.customers.forEach((c, i) => { const k = idx.get(c); eligible[i] = k !== undefined && fr[k] >= minO && te[k] >= minT ? 1 : 0; });
  }
  const rule = `≥ ${minO} order${minO === 1 ? "" : "s"}${minT > 0 ? ` and ≥ ${minT} days of history` : ""}`;
  for (let i = 0; i < n; i++) if (!eligible[i]) review[i] = 0;
  const t = new Table({
    customer_id: [...input.customers], churn_probability: p, band, percentile: pct, horizon_days: new Int32Array(n).fill(H),
    value_12m: value, value_at_risk: var_, top_reasons: reasons, manual_review: review, eligible, eligibility: new Array<string>(n).fill(rule),
  });
  return options.sortBy === "value_at_risk" ? t.orderBy("value_at_risk", "desc") : t.orderBy("churn_probability", "desc");
}

/**
 * The manual-review queue: alert rows flagged for a person, highest value at risk first.
 * @example reviewQueue(alerts).head(20).toMarkdown();
 */
export function reviewQueue(alerts: Table): Table {
  return alerts.filter((i) => alerts.num("manual_review")[i] === 1).orderBy("value_at_risk", "desc");
}

/** Options for {@link replayAlerts}. */
export interface ReplayOptions {
  /** Past cutoffs to replay (epoch ms); each needs a complete horizon in the data. */
  cutoffs: number[];
  /** Horizon in days (default 90). */
  horizonDays?: number;
  /**
   * Scores the customers at one cutoff: gets that cutoff's feature table
   * (rows before the cutoff only) and returns P(churn) per row. To be honest
   * it must use a model trained only on data before that cutoff.
   */
  score: (features: Table, cutoff: number) => ArrayLike<number> | Promise<ArrayLike<number>>;
  /** Band thresholds (default {@link DEFAULT_BANDS}). */
  bands?: Partial<BandThresholds>;
  /** Which band counts as an alert: "high" (default) or "medium" (medium and high). */
  alertBand?: "high" | "medium";
  /** Feature options (windows...). */
  features?: Omit<CustomerFeaturesOptions, "cutoff">;
  onProgress?: ProgressCallback;
}

/**
 * Replays the alerting at past cutoffs and measures what happened next:
 * per cutoff, customers scored, alerts raised, how many alerted customers did
 * churn, `false_alarm_rate` = alerted customers who bought again within the
 * horizon / alerts (1 − precision), `recall` = churners alerted / churners,
 * and the churn rate. A final "all" row pools the cutoffs.
 * @example
 * const r = await replayAlerts(tx, { cutoffs, horizonDays: 90, score: (f, c) => scoreWithModelTrainedBefore(c, f) });
 * r.toMarkdown();
 */
export async function replayAlerts(tx: Table, options: ReplayOptions): Promise<Table> {
  const H = options.horizonDays ?? 90;
  const bands = { ...DEFAULT_BANDS, ...(options.bands ?? {}) };
  const thr = options.alertBand === "medium" ? bands.medium : bands.high;
  const ts = tx.num("timestamp");
  let maxTs = -Infinity;
  for (let i = 0; i < ts.length; i++) if (ts[i] > maxTs) maxTs = ts[i];
  const rows: Record<string, unknown>[] = [];
  let T = { n: 0, alerts: 0, hits: 0, churners: 0 };
  for (let c = 0; c < options.cutoffs.length; c++) {
    const cut = options.cutoffs[c];
    if (cut + H * DAY_MS > maxTs) throw new CustlabError("E_OPTION", `replayAlerts: cutoff ${isoDay(cut)} + ${H} days runs past the data (last ${isoDay(maxTs)}); outcomes are unknown`);
    const f = customerFeatures(tx, { ...(options.features ?? {}), cutoff: cut });
    const p = await options.score(f, cut);
    if (p.length !== f.numRows) throw new CustlabError("E_SHAPE", `replayAlerts: score returned ${p.length} values for ${f.numRows} customers`);
    const y = churnLabels(tx, f, { cutoff: cut, horizonDays: H }).num("churn");
    let alerts = 0, hits = 0, churners = 0;
    for (let i = 0; i < f.numRows; i++) {
      if (y[i]) churners++;
      if (p[i] >= thr) { alerts++; if (y[i]) hits++; }
    }
    rows.push({ cutoff: isoDay(cut), customers: f.numRows, alerts, churned_among_alerts: hits, false_alarms: alerts - hits, false_alarm_rate: alerts ? (alerts - hits) / alerts : NaN, recall: churners ? hits / churners : NaN, churn_rate: churners / f.numRows });
    T = { n: T.n + f.numRows, alerts: T.alerts + alerts, hits: T.hits + hits, churners: T.churners + churners };
    options.onProgress?.({ stage: "replay", done: c + 1, total: options.cutoffs.length });
  }
  rows.push({ cutoff: "all", customers: T.n, alerts: T.alerts, churned_among_alerts: T.hits, false_alarms: T.alerts - T.hits, false_alarm_rate: T.alerts ? (T.alerts - T.hits) / T.alerts : NaN, recall: T.churners ? T.hits / T.churners : NaN, churn_rate: T.churners / Math.max(1, T.n) });
  return Table.fromRows(rows);
}
