/**
 * Customer lifetime value from a transaction model and a spend model, and the
 * per-customer value table CRM tools show (historic CLV, predicted CLV,
 * predicted orders, expected next order date, churn probability).
 */
import { Table } from "../table";
import { CustlabError, optionError } from "../util/errors";
import { CLVSummary, CLVTimeUnit, CLV_DAY_MS, clvUnitDays } from "./summary";
import { BetaGeoModel, CustomerHistory, GammaGammaModel, TransactionModel } from "./models";
import { summaryFromTransactions } from "./summary";
import { purchases } from "../clean";
import { DAY_MS } from "../util/numeric";

/**
 * Periods of `unit` per month, as in lifetimes' `customer_lifetime_value` (day 30, week 4.345, month 1).
 *
 * @example
 * ```ts
 * import { periodsPerMonth } from "custlab";
 * periodsPerMonth("day");   // 30
 * periodsPerMonth("week");  // 4.345
 * periodsPerMonth("month"); // 1
 * ```
 */
export function periodsPerMonth(unit: CLVTimeUnit): number {
  return unit === "day" ? 30 : unit === "week" ? 4.345 : 1;
}

/** Options for {@link customerLifetimeValue}. */
export interface CLVOptions {
  /** Horizon in months (default 12). */
  months?: number;
  /** Monthly discount rate (default 0.01). */
  discountRate?: number;
  /** Time unit the model was fitted in (default "week"). */
  unit?: CLVTimeUnit;
}

/**
 * Discounted CLV over a horizon, month by month, exactly as lifetimes'
 * `customer_lifetime_value`: Σ_{i=1..months} spend · (E[Y(i·f)] − E[Y((i−1)·f)]) / (1 + d)^i,
 * where f is the number of model periods per month ({@link periodsPerMonth})
 * and E[Y(t)] the conditional expected purchases.
 *
 * @param model - fitted transaction model
 * @param h - customer histories
 * @param spend - expected value per purchase (e.g. {@link GammaGammaModel.conditionalExpectedAverageSpend})
 * @param options - see {@link CLVOptions}
 * @returns CLV per customer
 * @example
 * const spend = gg.conditionalExpectedAverageSpend(summary);
 * const clv = customerLifetimeValue(bgnbd, summary, spend, { months: 12, discountRate: 0.01, unit: "week" });
 */
export function customerLifetimeValue(model: TransactionModel, h: CustomerHistory, spend: ArrayLike<number>, options: CLVOptions = {}): Float64Array {
  const months = options.months ?? 12;
  const d = options.discountRate ?? 0.01;
  const f = periodsPerMonth(options.unit ?? "week");
  if (!(months > 0) || !Number.isInteger(months)) optionError("months", `must be a positive integer, got ${months}`);
  if (!(d > -1)) optionError("discountRate", `must be > −1, got ${d}`);
  const n = h.frequency.length;
  if (spend.length !== n) throw new CustlabError("E_OPTION", `spend has ${spend.length} values for ${n} customers`);
  const out = new Float64Array(n);
  let prev = new Float64Array(n);
  for (let i = 1; i <= months; i++) {
    const cur = model.conditionalExpectedPurchases(i * f, h);
    const disc = Math.pow(1 + d, i);
    for (let j = 0; j < n; j++) out[j] += (spend[j] * (cur[j] - prev[j])) / disc;
    prev = cur;
  }
  return out;
}

/** Options for {@link clvTable}. */
export interface CLVTableOptions {
  /** Prediction horizon for predicted orders and predicted CLV, in days (default 365). */
  horizonDays?: number;
  /** Horizon of the churn probability (P(no order in the next N days)), in days (default 90). */
  churnHorizonDays?: number;
  /** Monthly discount rate for the predicted CLV (default 0: undiscounted, like Klaviyo's). */
  discountRate?: number;
  /**
   * Spend per order when no spend model is given: "monetary" uses the customer's
   * mean repeat order value (or mean first order when none), default.
   */
  spendFallback?: "monetary";
  /** Date the predictions start from, epoch ms (default the summary's observation end). */
  asOf?: number;
  /**
   * Longest wait shown as an expected next order date, in days (default `horizonDays`): customers whose median
   * time to the next order is longer (or who are more likely gone than not) get an empty date.
   */
  nextOrderMaxDays?: number;
}

/**
 * The median waiting time to the next order, or NaN when it is longer than
 * `maxT` (including customers more likely than not never to order again): the t solving
 * P(at least one order in t | history) = ½, found by bisection on log t.
 * @param model - fitted transaction model
 * @param h - histories
 * @param maxT - longest horizon searched, in model units (default 1e4)
 * @example
 * medianTimeToNextPurchase(bgnbd, summary); // weeks, NaN where P(alive) ≤ ½
 */
export function medianTimeToNextPurchase(model: TransactionModel, h: CustomerHistory, maxT = 1e4): Float64Array {
  const n = h.frequency.length;
  const out = new Float64Array(n);
  const one = { frequency: [0], recency: [0], T: [0] };
  for (let i = 0; i < n; i++) {
    one.frequency[0] = h.frequency[i]; one.recency[0] = h.recency[i]; one.T[0] = h.T[i];
    const buy = (t: number) => 1 - model.conditionalProbabilityNoPurchases(t, one)[0];
    if (buy(maxT) < 0.5) { out[i] = NaN; continue; }
    let lo = Math.log(1e-6), hi = Math.log(maxT);
    for (let k = 0; k < 60; k++) {
      const mid = 0.5 * (lo + hi);
      if (buy(Math.exp(mid)) < 0.5) lo = mid; else hi = mid;
      if (hi - lo < 1e-6) break;
    }
    out[i] = Math.exp(0.5 * (lo + hi));
  }
  return out;
}

/**
 * A per-customer value table like Klaviyo's predictive analytics, one row per
 * customer of the summary:
 *
 * | column | meaning |
 * |---|---|
 * | customer_id | id |
 * | orders | purchases to date (frequency + 1) |
 * | historic_clv | spend to date (summary `totalSpend`) |
 * | p_alive | P(still a customer) |
 * | predicted_orders | expected orders in the next `horizonDays` |
 * | expected_order_value | expected value per order (Gamma-Gamma; the observed mean without a spend model or where the model has no finite estimate) |
 * | predicted_clv | expected spend in the next `horizonDays` (discounted monthly when `discountRate` > 0) |
 * | total_clv | historic + predicted |
 * | expected_next_order | date of the median time to the next order; empty when P(ever ordering again) < ½ or the median wait exceeds `nextOrderMaxDays` |
 * | churn_probability | P(no order in the next `churnHorizonDays`) |
 * | clv_percentile | rank of predicted_clv, 0–100 |
 *
 * @param summary - customer summary (from transactions, so `totalSpend` and the observation end are known)
 * @param model - fitted transaction model
 * @param spendModel - fitted Gamma-Gamma model (optional)
 * @param options - see {@link CLVTableOptions}
 * @example
 * const table = clvTable(summary, bgnbd, gg, { horizonDays: 365, churnHorizonDays: 90 });
 * table.orderBy("predicted_clv", "desc").head(10).toMarkdown();
 */
export function clvTable(summary: CLVSummary, model: TransactionModel, spendModel?: GammaGammaModel, options: CLVTableOptions = {}): Table {
  const u = clvUnitDays(summary.unit);
  const horizon = (options.horizonDays ?? 365) / u;
  const churnH = (options.churnHorizonDays ?? 90) / u;
  const d = options.discountRate ?? 0;
  const n = summary.customerId.length;
  const pa = model.probabilityAlive(summary);
  let spend: Float64Array;
  const observed = (i: number) => (summary.frequency[i] > 0 ? summary.monetary[i] : summary.totalSpend[i]);
  if (spendModel) {
    spend = spendModel.conditionalExpectedAverageSpend(summary);
    // No finite model estimate (Gamma-Gamma q ≤ 1 has no population mean): use the observed order value.
    for (let i = 0; i < n; i++) if (!(spend[i] > 0) || !Number.isFinite(spend[i])) spend[i] = observed(i);
  } else spend = Float64Array.from({ length: n }, (_, i) => observed(i));
  const orders = model.conditionalExpectedPurchases(horizon, summary);
  let pclv: Float64Array;
  if (d === 0) pclv = Float64Array.from(orders, (o, i) => o * spend[i]);
  else {
    const steps = Math.max(1, Math.round((options.horizonDays ?? 365) / (365.25 / 12)));
    pclv = new Float64Array(n);
    let prev = new Float64Array(n);
    for (let k = 1; k <= steps; k++) {
      const cur = model.conditionalExpectedPurchases((k * horizon) / steps, summary);
      for (let j = 0; j < n; j++) pclv[j] += (spend[j] * (cur[j] - prev[j])) / Math.pow(1 + d, k);
      prev = cur;
    }
  }
  const churn = model.conditionalProbabilityNoPurchases(churnH, summary);
  const maxWait = (options.nextOrderMaxDays ?? options.horizonDays ?? 365) / u;
  const wait = medianTimeToNextPurchase(model, summary, maxWait);
  const asOf = options.asOf ?? summary.observationEnd;
  const next = Float64Array.from(wait, (w) => (Number.isFinite(w) && Number.isFinite(asOf) ? Math.round((asOf + w * u * CLV_DAY_MS) / CLV_DAY_MS) * CLV_DAY_MS : NaN));
  const rank = Array.from(pclv.keys()).sort((a, b) => pclv[a] - pclv[b]);
  const pct = new Float64Array(n);
  rank.forEach((k, r) => { pct[k] = n > 1 ? Math.round((1000 * r) / (n - 1)) / 10 : 100; });
  const hist = summary.totalSpend;
  return new Table({
    customer_id: summary.customerId,
    orders: Float64Array.from(summary.frequency, (x) => x + 1),
    historic_clv: hist,
    p_alive: pa,
    predicted_orders: orders,
    expected_order_value: spend,
    predicted_clv: pclv,
    total_clv: Float64Array.from(pclv, (v, i) => v + (Number.isFinite(hist[i]) ? hist[i] : 0)),
    expected_next_order: next,
    churn_probability: churn,
    clv_percentile: pct,
  }, { expected_next_order: "date" });
}

/**
 * Lifecycle labels from a {@link clvTable}, for "CLV by segment" views when no
 * segmentation is at hand: "top 10% predicted value" (clv_percentile ≥ 90),
 * "one-time buyer" (orders = 1), "active repeat buyer" (P(alive) ≥ `aliveThreshold`)
 * and "lapsing repeat buyer" (the rest), checked in that order.
 *
 * @param t - a table from {@link clvTable}
 * @param aliveThreshold - P(alive) separating active from lapsing repeat buyers (default 0.5)
 * @returns one label per row
 * @example
 * clvBySegmentFigure(table.num("predicted_clv"), clvLifecycleSegments(table));
 */
export function clvLifecycleSegments(t: Table, aliveThreshold = 0.5): string[] {
  const pct = t.num("clv_percentile"), orders = t.num("orders"), pa = t.num("p_alive");
  return Array.from({ length: t.numRows }, (_, i) =>
    pct[i] >= 90 ? "top 10% predicted value" : orders[i] <= 1 ? "one-time buyer" : pa[i] >= aliveThreshold ? "active repeat buyer" : "lapsing repeat buyer");
}

/**
 * {@link clvTable} from raw transactions as of a date: purchases before `asOf`
 * summarised in weeks (observation end the day before `asOf`), a BG/NBD model,
 * and a Gamma-Gamma spend model on the repeat buyers with positive spend (none
 * when it cannot be fitted, e.g. too few repeat buyers: the table then uses the
 * observed mean order value). The one home of the "value at risk" model used by
 * churn scoring and next-best action.
 * @param tx - canonical transactions (returns and cancellations are left out)
 * @param asOf - epoch ms; only purchases strictly before it are used
 * @param options - see {@link CLVTableOptions}
 * @example
 * ```ts
 * import { clvTableAt, generateDemoShop } from "custlab";
 * const shop = generateDemoShop({ seed: 42 });
 * const t = clvTableAt(shop.transactions, Date.parse(shop.truth.cutoff), { horizonDays: 365 });
 * t.num("predicted_clv");
 * ```
 */
export function clvTableAt(tx: Table, asOf: number, options: CLVTableOptions = {}): Table {
  const buy = purchases(tx), ts = buy.num("timestamp");
  const s = summaryFromTransactions(buy.filter((i) => ts[i] < asOf), { unit: "week", observationEnd: asOf - DAY_MS });
  const bg = new BetaGeoModel().fit(s);
  const rep: number[] = [];
  for (let i = 0; i < s.frequency.length; i++) if (s.frequency[i] > 0 && s.monetary[i] > 0) rep.push(i);
  let gg: GammaGammaModel | undefined;
  try { gg = new GammaGammaModel().fit({ frequency: rep.map((i) => s.frequency[i]), monetary: rep.map((i) => s.monetary[i]) }); } catch { gg = undefined; }
  return clvTable(s, bg, gg, options);
}
