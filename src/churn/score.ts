import { Table } from "../table";
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { clvTableAt } from "../clv";
import { thresholdByCapacity, thresholdByExpectedCost } from "../eval";
import type { CostMatrix } from "../eval";
import { buildAlerts, DEFAULT_BANDS } from "../alerts";
import { pseudonymizeColumn } from "../privacy";
import { churnReasons, lastTimestamp } from "./workflow";
import type { LoadedChurnModel } from "./artifact";
import { isoDay, DAY_MS } from "../util/numeric";


/** How bands are cut from calibrated probabilities. */
export type BandRule =
  | { by: "probability"; medium?: number; high?: number }
  | { by: "capacity"; capacity: number; medium?: number }
  | { by: "cost"; costs: CostMatrix; medium?: number };

/** Options for {@link scoreChurnCustomers}. */
export interface ScoreChurnOptions {
  /** Scoring date (epoch ms; rows before it are read). Default: the day after the last transaction. */
  asOf?: number;
  /** Band rule (default: probability, medium 0.3, high 0.6). */
  bands?: BandRule;
  /** Replace customer ids by salted pseudonyms (for sharing). */
  pseudonymiseSalt?: string;
  onProgress?: ProgressCallback;
}

/** What {@link scoreChurnCustomers} returns. */
export interface ChurnScoreResult {
  /** One row per eligible customer, highest probability first. */
  table: Table;
  asOf: string;
  horizonDays: number;
  /** The eligibility rule in words. */
  eligibility: string;
  /** The band rule in words, with the thresholds used. */
  bandRule: string;
  thresholds: { medium: number; high: number };
  /** How value at risk and the next-order date were computed. */
  valueRule: string;
  /** Model name, version and training cutoffs. */
  model: { name: string; version: number; type: string; train_cutoffs: string[]; calibration: string };
}

/**
 * Resolve a {@link BandRule} to probability thresholds for these scores:
 * fixed probabilities, the top `capacity` customers (`thresholdByCapacity`),
 * or the expected-cost optimum for calibrated probabilities (`thresholdByExpectedCost`).
 * @example bandThresholds([0.1, 0.8, 0.5], { by: "capacity", capacity: 1 }); // { medium: 0.3, high: 0.8, rule: ... }
 */
export function bandThresholds(proba: ArrayLike<number>, rule: BandRule = { by: "probability" }): { medium: number; high: number; rule: string } {
  if (rule.by === "probability") {
    const medium = rule.medium ?? DEFAULT_BANDS.medium, high = rule.high ?? DEFAULT_BANDS.high;
    if (!(medium >= 0 && medium <= high && high <= 1)) throw new CustlabError("E_OPTION", `bands: need 0 ≤ medium ≤ high ≤ 1, got medium ${medium}, high ${high}`);
    return { medium, high, rule: `by probability: high ≥ ${high}, medium ≥ ${medium}, else low` };
  }
  if (rule.by === "capacity") {
    if (!proba.length) return { medium: rule.medium ?? DEFAULT_BANDS.medium, high: Infinity, rule: "by capacity: no customers" };
    const c = thresholdByCapacity(proba, rule.capacity);
    const medium = Math.min(rule.medium ?? DEFAULT_BANDS.medium, c.threshold);
    return { medium, high: c.threshold, rule: `by capacity: the top ${rule.capacity} customers by probability are high (threshold ${c.threshold.toFixed(4)}, ${c.flagged} flagged with ties), medium ≥ ${medium.toFixed(4)}` };
  }
  const high = thresholdByExpectedCost(rule.costs);
  const medium = Math.min(rule.medium ?? high / 2, high);
  return { medium, high, rule: `by cost: high when the expected cost of acting is below that of not acting (fp ${rule.costs.fp}, fn ${rule.costs.fn}, tp ${rule.costs.tp ?? 0}, tn ${rule.costs.tn ?? 0} → P ≥ ${high.toFixed(4)}), medium ≥ ${medium.toFixed(4)}` };
}

/**
 * Score every eligible customer with a registered churn model, as of a date:
 * calibrated probability, band, percentile, horizon, the top 3 reasons in
 * plain words, value at risk (P(churn) × predicted 365-day CLV from BG/NBD +
 * Gamma-Gamma fitted on the orders before the date) and the predicted
 * next-order date (median BG/NBD waiting time; empty when the customer is more
 * likely gone than not or the wait exceeds a year). The CLI's `custlab score`.
 * @example
 * const r = scoreChurnCustomers(tx, loadChurnModel("models@champion"), { bands: { by: "capacity", capacity: 500 } });
 * r.table.head(10).toMarkdown();
 */
export function scoreChurnCustomers(tx: Table, lm: LoadedChurnModel, options: ScoreChurnOptions = {}): ChurnScoreResult {
  const end = lastTimestamp(tx);
  const asOf = options.asOf ?? Math.floor(end / DAY_MS) * DAY_MS + DAY_MS;
  if (!Number.isFinite(asOf)) throw new CustlabError("E_OPTION", `score: as-of must be a date`);
  const H = lm.state.horizon_days;
  const feats = lm.features(tx, asOf);
  if (!feats.numRows) throw new CustlabError("E_DATA", `score: no customer has a purchase before ${isoDay(asOf)}${lm.state.active_days ? ` within ${lm.state.active_days} days` : ""}`);
  const scores = lm.scoreFeatures(feats, tx, asOf);
  options.onProgress?.({ stage: "score", done: 1, total: 3 });
  const reasons = churnReasons({ model: lm.model }, scores);
  options.onProgress?.({ stage: "reasons", done: 2, total: 3 });
  // value at risk: expected CLV lost = P(churn) × predicted 365-day CLV
  const clv = clvTableAt(tx, asOf, { horizonDays: 365, churnHorizonDays: H, nextOrderMaxDays: 365 });
  const cid = new Map(clv.str("customer_id").map((c, i) => [c, i]));
  const pclv = clv.num("predicted_clv"), next = clv.num("expected_next_order"); // epoch ms, NaN = none expected
  const clvCol = Float64Array.from(scores.customers, (c) => { const k = cid.get(c); return k === undefined ? NaN : pclv[k]; });
  const nextCol = scores.customers.map((c) => { const k = cid.get(c); return k === undefined || !Number.isFinite(next[k]) ? "" : isoDay(next[k]); });
  options.onProgress?.({ stage: "clv", done: 3, total: 3 });
  const th = bandThresholds(scores.proba, options.bands);
  const withValue = feats.assign({ predicted_clv_365d: clvCol });
  const alerts = buildAlerts({ customers: scores.customers, proba: scores.proba, features: withValue, reasons }, { horizonDays: H, bands: { medium: th.medium, high: th.high }, valueColumn: "predicted_clv_365d" });
  // split the reasons into three plain-words columns
  const rmap = new Map<string, string[]>();
  if (reasons) { const ids = reasons.str("customer_id"); for (let k = 1; k <= 3; k++) if (reasons.has(`reason_${k}`)) { const r = reasons.str(`reason_${k}`); ids.forEach((c, i) => { const a = rmap.get(c) ?? ["", "", ""]; a[k - 1] = r[i]; rmap.set(c, a); }); } }
  const aIds = alerts.str("customer_id");
  const nextById = new Map(scores.customers.map((c, i) => [c, nextCol[i]]));
  let table = new Table({
    customer_id: aIds,
    churn_probability: alerts.num("churn_probability"),
    band: alerts.str("band"),
    percentile: alerts.num("percentile"),
    horizon_days: alerts.num("horizon_days"),
    reason_1: aIds.map((c) => rmap.get(c)?.[0] ?? ""),
    reason_2: aIds.map((c) => rmap.get(c)?.[1] ?? ""),
    reason_3: aIds.map((c) => rmap.get(c)?.[2] ?? ""),
    predicted_clv_365d: alerts.num("value_12m"),
    value_at_risk: alerts.num("value_at_risk"),
    predicted_next_order: aIds.map((c) => nextById.get(c) ?? ""),
    manual_review: alerts.num("manual_review"),
  });
  if (options.pseudonymiseSalt !== undefined) table = pseudonymizeColumn(table, options.pseudonymiseSalt, "customer_id");
  const art = lm.artifact;
  return {
    table, asOf: isoDay(asOf), horizonDays: H,
    eligibility: `customers with at least one purchase before ${isoDay(asOf)}${lm.state.active_days ? ` and an order in the ${lm.state.active_days} days before it` : ""} (the rule the model was trained with)`,
    bandRule: th.rule, thresholds: { medium: th.medium, high: th.high },
    valueRule: "value_at_risk = churn_probability × predicted_clv_365d (BG/NBD expected orders × Gamma-Gamma order value over 365 days, fitted on the orders before the as-of date); predicted_next_order = median BG/NBD waiting time (empty when P(alive) < ½ or longer than 365 days)",
    model: { name: art.name, version: art.version, type: art.modelType, train_cutoffs: lm.state.train_cutoffs, calibration: !lm.state.calibration ? "none (raw model output, not checked)" : lm.state.calibration.method === "none" ? `raw model output kept: its cross-validated log-loss ${lm.state.calibration.cv_logloss.raw.toFixed(4)} beat Platt ${lm.state.calibration.cv_logloss.platt.toFixed(4)} and isotonic ${lm.state.calibration.cv_logloss.isotonic.toFixed(4)}` : `${lm.state.calibration.method} (chosen by cross-validated log-loss ${lm.state.calibration.cv_logloss[lm.state.calibration.method].toFixed(4)} vs raw ${lm.state.calibration.cv_logloss.raw.toFixed(4)})` },
  };
}
