/**
 * Model checks for CLV: the frequency–monetary independence assumption of the
 * Gamma-Gamma model, calibration-vs-holdout purchases, and cumulative expected
 * vs actual repeat transactions over calendar time (the CDNOW tracking plot).
 */
import { Table } from "../table";
import { CustlabError, optionError } from "../util/errors";
import { CLVSummary, CLVTimeUnit, CLV_DAY_MS, CLVDateLike, clvEpochMs, clvUnitDays } from "./summary";
import { TransactionModel } from "./models";
import { groupPurchases } from "./purchases";

/** Result of {@link frequencyMonetaryCorrelation}. */
export interface FrequencyMonetaryCheck {
  /** Pearson correlation between frequency and monetary over customers with frequency > 0. */
  r: number;
  /** Customers used. */
  n: number;
  /** The threshold used. */
  threshold: number;
  /** True when |r| ≤ threshold (the Gamma-Gamma independence assumption looks acceptable). */
  ok: boolean;
  /** A warning sentence when not ok. */
  warning?: string;
}

/**
 * Check the Gamma-Gamma model's assumption that spend per order is independent
 * of purchase frequency: the Pearson correlation of frequency and monetary
 * over repeat customers should be near 0. Warns when |r| > threshold.
 *
 * @param s - summary with frequency and monetary
 * @param threshold - largest acceptable |r| (default 0.3)
 * @example
 * const chk = frequencyMonetaryCorrelation(summary); // CDNOW: r ≈ 0.11, ok
 * if (!chk.ok) console.warn(chk.warning);
 */
export function frequencyMonetaryCorrelation(s: { frequency: ArrayLike<number>; monetary: ArrayLike<number> }, threshold = 0.3): FrequencyMonetaryCheck {
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < s.frequency.length; i++) if (s.frequency[i] > 0 && Number.isFinite(s.monetary[i])) { n++; sx += s.frequency[i]; sy += s.monetary[i]; }
  if (n < 3) return { r: NaN, n, threshold, ok: false, warning: `only ${n} repeat customers: cannot check the frequency–monetary correlation` };
  const mx = sx / n, my = sy / n;
  let cxy = 0, cxx = 0, cyy = 0;
  for (let i = 0; i < s.frequency.length; i++) {
    if (!(s.frequency[i] > 0 && Number.isFinite(s.monetary[i]))) continue;
    const dx = s.frequency[i] - mx, dy = s.monetary[i] - my;
    cxy += dx * dy; cxx += dx * dx; cyy += dy * dy;
  }
  const r = cxx > 0 && cyy > 0 ? cxy / Math.sqrt(cxx * cyy) : NaN;
  const ok = Math.abs(r) <= threshold;
  return {
    r, n, threshold, ok,
    warning: ok ? undefined : `frequency and monetary value are correlated (r = ${r.toFixed(3)}, |r| > ${threshold}): the Gamma-Gamma model assumes they are independent, so its spend estimates may be biased`,
  };
}

/** Result of {@link calibrationHoldoutComparison}. */
export interface CalibrationHoldoutComparison {
  /** Bins of calibration frequency: 0..maxFrequency (the last bin is "maxFrequency+"). */
  frequency: Float64Array;
  /** Customers per bin. */
  customers: Float64Array;
  /** Mean actual holdout purchases per bin. */
  actual: Float64Array;
  /** Mean model-predicted holdout purchases per bin. */
  predicted: Float64Array;
  /** Total actual holdout purchases. */
  actualTotal: number;
  /** Total predicted holdout purchases. */
  predictedTotal: number;
  /** Per-customer predictions (conditional expected purchases over the holdout). */
  perCustomer: Float64Array;
  /** Mean absolute error per customer. */
  mae: number;
  /** The bins as a table. */
  table: Table;
}

/**
 * Calibration vs holdout: the model's conditional expected purchases over the
 * holdout period against the actual holdout purchases, averaged by
 * calibration frequency (lifetimes' `plot_calibration_purchases_vs_holdout_purchases`).
 *
 * @param model - model fitted on the calibration summary
 * @param s - summary from {@link calibrationAndHoldout}
 * @param maxFrequency - last frequency bin (default 7; larger frequencies go into it)
 * @example
 * const cmp = calibrationHoldoutComparison(bgnbd, calHoldout);
 * cmp.table.toMarkdown();
 */
export function calibrationHoldoutComparison(model: TransactionModel, s: CLVSummary, maxFrequency = 7): CalibrationHoldoutComparison {
  if (!s.frequencyHoldout || s.durationHoldout === undefined) throw new CustlabError("E_OPTION", "calibrationHoldoutComparison needs a summary from calibrationAndHoldout (holdout fields missing)");
  const pred = model.conditionalExpectedPurchases(s.durationHoldout, s);
  const k = maxFrequency + 1;
  const cnt = new Float64Array(k), act = new Float64Array(k), pr = new Float64Array(k);
  let at = 0, pt = 0, mae = 0;
  for (let i = 0; i < pred.length; i++) {
    const b = Math.min(maxFrequency, s.frequency[i]);
    cnt[b]++; act[b] += s.frequencyHoldout[i]; pr[b] += pred[i];
    at += s.frequencyHoldout[i]; pt += pred[i]; mae += Math.abs(pred[i] - s.frequencyHoldout[i]);
  }
  for (let b = 0; b < k; b++) { if (cnt[b]) { act[b] /= cnt[b]; pr[b] /= cnt[b]; } else { act[b] = NaN; pr[b] = NaN; } }
  const freq = Float64Array.from({ length: k }, (_, i) => i);
  return {
    frequency: freq, customers: cnt, actual: act, predicted: pr, actualTotal: at, predictedTotal: pt, perCustomer: pred, mae: mae / pred.length,
    table: new Table({
      frequency_cal: Array.from(freq, (f) => (f === maxFrequency ? `${f}+` : String(f))),
      customers: cnt, actual_holdout: act, predicted_holdout: pr,
    }),
  };
}

/** Options for {@link cumulativeTransactions}. */
export interface CumulativeTransactionsOptions {
  /** Time unit of the fitted model and of the grid step (default "week"). */
  unit?: CLVTimeUnit;
  /** Last day of the series (default: last transaction). */
  observationEnd?: CLVDateLike;
  /** Marked on the figure; also restricts the cohort to customers whose first purchase is on or before it. */
  calibrationEnd?: CLVDateLike;
}

/** Result of {@link cumulativeTransactions}. */
export interface CumulativeTransactions {
  /** Grid dates (epoch ms UTC), one per unit step from the first purchase day. */
  dates: Float64Array;
  /** Grid in units since the first purchase day. */
  t: Float64Array;
  /** Actual cumulative repeat purchases at each grid date. */
  actual: Float64Array;
  /** Model-expected cumulative repeat purchases, Σ_i E[X(τ − first_i)]. */
  expected: Float64Array;
  /** Calibration end (epoch ms) or NaN. */
  calibrationEnd: number;
  /** Customers in the cohort. */
  customers: number;
}

/**
 * Cumulative repeat transactions over calendar time, actual vs expected from
 * the model's unconditional E[X(t)] for each customer's time since first
 * purchase (purchases merged per day, as in the summary) — the classic
 * CDNOW tracking plot of Fader, Hardie & Lee (2005, fig. 3).
 *
 * @param tx - canonical transactions
 * @param model - model fitted in `unit`s
 * @param options - see {@link CumulativeTransactionsOptions}
 * @example
 * const track = cumulativeTransactions(tx, bgnbd, { unit: "week", calibrationEnd: "1997-09-30" });
 * track.actual[track.actual.length - 1]; // total repeat purchases
 */
export function cumulativeTransactions(tx: Table, model: TransactionModel, options: CumulativeTransactionsOptions = {}): CumulativeTransactions {
  const unit = options.unit ?? "week";
  const u = clvUnitDays(unit);
  const endMs = options.observationEnd !== undefined ? Math.floor(clvEpochMs(options.observationEnd, "observationEnd") / CLV_DAY_MS) * CLV_DAY_MS + CLV_DAY_MS - 1 : Infinity;
  const calMs = options.calibrationEnd !== undefined ? Math.floor(clvEpochMs(options.calibrationEnd, "calibrationEnd") / CLV_DAY_MS) * CLV_DAY_MS : NaN;
  const g = groupPurchases(tx, (ms) => Math.floor(ms / CLV_DAY_MS), endMs);
  let firstDay = Infinity, lastDay = -Infinity;
  const firstCount = new Map<number, number>();
  const repeatDays: number[] = [];
  let customers = 0;
  for (let k = 0; k < g.names.length; k++) {
    const p = g.periods[k];
    if (!p || !p.length) continue;
    if (Number.isFinite(calMs) && p[0] * CLV_DAY_MS > calMs) continue;
    customers++;
    firstCount.set(p[0], (firstCount.get(p[0]) ?? 0) + 1);
    if (p[0] < firstDay) firstDay = p[0];
    for (let i = 0; i < p.length; i++) if (p[i] > lastDay) lastDay = p[i];
    for (let i = 1; i < p.length; i++) repeatDays.push(p[i]);
  }
  if (!customers) throw new CustlabError("E_EMPTY", "cumulativeTransactions: no customers in the cohort");
  if (Number.isFinite(endMs)) lastDay = Math.floor(endMs / CLV_DAY_MS);
  repeatDays.sort((a, b) => a - b);
  const steps = Math.floor((lastDay - firstDay) / u);
  if (steps < 1) optionError("unit", "the data span less than one unit");
  const firsts = [...firstCount.entries()];
  const dates = new Float64Array(steps + 1), t = new Float64Array(steps + 1), actual = new Float64Array(steps + 1), expected = new Float64Array(steps + 1);
  let ri = 0;
  for (let s = 0; s <= steps; s++) {
    const day = firstDay + s * u;
    dates[s] = day * CLV_DAY_MS; t[s] = s;
    while (ri < repeatDays.length && repeatDays[ri] <= day) ri++;
    actual[s] = ri;
    let e = 0;
    for (const [fd, c] of firsts) if (fd <= day) e += c * model.expectedPurchases((day - fd) / u);
    expected[s] = e;
  }
  return { dates, t, actual, expected, calibrationEnd: calMs, customers };
}
