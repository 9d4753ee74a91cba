import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { estimatorJSON, notFitted, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type OptionRule, type OptionSpec, type Resolved } from "../util/estimator";
import type { FitOptions } from "../util/estimator";
import { choleskySolve } from "../models/regressors";
import type { Figure } from "../plot/figure";
import type { Table } from "../table";
import { DAY_MS, isPurchase } from "../features/customer";

/**
 * Survival analysis for right-censored durations: the Kaplan–Meier estimator
 * (statsmodels' `SurvfuncRight`) and the Cox proportional-hazards model
 * (statsmodels' `PHReg`, Breslow or Efron ties).
 */

function checkDurations(time: ArrayLike<number>, event: ArrayLike<number>, what: string): void {
  if (time.length !== event.length) throw new CustlabError("E_SHAPE", `${what}: ${time.length} durations but ${event.length} event flags`);
  if (time.length === 0) throw new CustlabError("E_SHAPE", `${what}: no durations`);
  for (let i = 0; i < time.length; i++) {
    if (!(time[i] >= 0) || !Number.isFinite(time[i])) throw new CustlabError("E_SHAPE", `${what}: duration ${i} is ${time[i]}; durations must be finite and ≥ 0`);
    if (event[i] !== 0 && event[i] !== 1) throw new CustlabError("E_SHAPE", `${what}: event flag ${i} is ${event[i]}; use 1 = event observed, 0 = right-censored`);
  }
}

/** A Kaplan–Meier survival curve. */
export interface KaplanMeierCurve {
  /** Distinct times with at least one event, ascending. */
  times: Float64Array;
  /** S(t) just after each time. */
  survival: Float64Array;
  /** Greenwood standard error of S(t). */
  se: Float64Array;
  /** Rows at risk just before each time. */
  atRisk: Float64Array;
  /** Events at each time. */
  events: Float64Array;
  /** Median survival time: the first time with S(t) < 0.5 (statsmodels' `quantile(0.5)`); Infinity when the curve never drops below 0.5. */
  median: number;
  /** Rows and events in all. */
  n: number;
  nEvents: number;
}

/**
 * Kaplan–Meier estimate of S(t) = P(T > t) from right-censored durations, with
 * Greenwood standard errors, as statsmodels' `SurvfuncRight(time, status)`
 * (`surv_times`, `surv_prob`, `surv_prob_se`, `n_risk`, `n_events`).
 * @param event - 1 = the event happened at `time`, 0 = censored at `time`
 * @example
 * const km = kaplanMeier([5, 8, 8, 12, 20], [1, 1, 0, 1, 0]);
 * km.survival; // [0.8, 0.6, 0.3]
 */
export function kaplanMeier(time: ArrayLike<number>, event: ArrayLike<number>): KaplanMeierCurve {
  checkDurations(time, event, "kaplanMeier");
  const n = time.length;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b]);
  const times: number[] = [], surv: number[] = [], se: number[] = [], risk: number[] = [], evs: number[] = [];
  let s = 1, gw = 0, atRisk = n, nEvents = 0, t = 0;
  while (t < n) {
    const tt = time[idx[t]];
    let d = 0, c = 0;
    while (t < n && time[idx[t]] === tt) { if (event[idx[t]] === 1) d++; c++; t++; }
    if (d > 0) {
      s *= 1 - d / atRisk;
      gw += atRisk > d ? d / (atRisk * (atRisk - d)) : 0;
      times.push(tt); surv.push(s); se.push(s * Math.sqrt(gw)); risk.push(atRisk); evs.push(d);
      nEvents += d;
    }
    atRisk -= c;
  }
  let median = Infinity;
  for (let i = 0; i < surv.length; i++) if (surv[i] < 0.5) { median = times[i]; break; }
  return { times: Float64Array.from(times), survival: Float64Array.from(surv), se: Float64Array.from(se), atRisk: Float64Array.from(risk), events: Float64Array.from(evs), median, n, nEvents };
}

/**
 * S(t) of a step curve at any times (1 before the first event time).
 * @example survivalAt(kaplanMeier([5, 8, 12], [1, 1, 0]), [0, 6, 30]); // [1, 0.667, 0.333]
 */
export function survivalAt(curve: Pick<KaplanMeierCurve, "times" | "survival">, at: ArrayLike<number>): Float64Array {
  return stepAt(curve.times, curve.survival, at, 1);
}

/** Value of a right-continuous step function (jumps at ascending `times`) at each of `at`; `before` ahead of the first jump. */
function stepAt(times: Float64Array, values: Float64Array, at: ArrayLike<number>, before: number): Float64Array {
  const out = new Float64Array(at.length);
  for (let q = 0; q < at.length; q++) {
    let lo = 0, hi = times.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] <= at[q]) lo = mid + 1; else hi = mid; }
    out[q] = lo === 0 ? before : values[lo - 1];
  }
  return out;
}

/**
 * Kaplan–Meier curves per group (e.g. per segment), groups in first-seen order.
 * @example kaplanMeierByGroup(days, churned, segments).get("Champions")!.median;
 */
export function kaplanMeierByGroup(time: ArrayLike<number>, event: ArrayLike<number>, group: ArrayLike<string>): Map<string, KaplanMeierCurve> {
  if (group.length !== time.length) throw new CustlabError("E_SHAPE", `kaplanMeierByGroup: ${time.length} durations but ${group.length} groups`);
  const rows = new Map<string, number[]>();
  for (let i = 0; i < group.length; i++) { let r = rows.get(group[i]); if (!r) rows.set(group[i], (r = [])); r.push(i); }
  const out = new Map<string, KaplanMeierCurve>();
  for (const [g, r] of rows) out.set(g, kaplanMeier(r.map((i) => time[i]), r.map((i) => event[i])));
  return out;
}

// ---------------------------------------------------------------------------
// Cox proportional hazards

/** How tied event times enter the Cox partial likelihood. */
export type CoxTies = "breslow" | "efron";

/** Options for {@link CoxPH}. */
export interface CoxPHOptions {
  /** Tie handling: "breslow" (default, as statsmodels' PHReg) or "efron". */
  ties?: CoxTies;
  /** L2 penalty ½·α·‖β‖² on the coefficients (0 = plain partial likelihood, default). */
  alpha?: number;
  /** Newton iterations at most. Default 100. */
  maxIter?: number;
  /** Stop when the largest step in β is below this. Default 1e-10. */
  tol?: number;
}

/** Fit data for {@link CoxPH}: covariates, durations and event flags. */
export interface SurvivalData {
  /** Covariates, n × p. */
  X: Matrix;
  /** Durations (≥ 0). */
  time: ArrayLike<number>;
  /** 1 = event observed, 0 = right-censored. */
  event: ArrayLike<number>;
}

/**
 * Cox proportional-hazards regression, h(t | x) = h₀(t)·exp(xᵀβ), fitted by
 * Newton–Raphson on the partial likelihood with Breslow or Efron ties, as
 * statsmodels' `PHReg(time, X, status, ties=…)`. Learned state: `coef_`,
 * `se_` (from the inverse observed information), `logLikelihood_`, `nIter_`,
 * and the Breslow baseline cumulative hazard (`baselineTimes_`,
 * `baselineCumHazard_`) for survival curves per row.
 *
 * @example
 * const cox = new CoxPH().fit({ X, time: days, event: churned });
 * cox.coef_;                    // log hazard ratios
 * cox.survivalAt(X, [30, 90]);  // n × 2: P(no event by 30 and by 90 days)
 */
export class CoxPH implements Estimator<SurvivalData, undefined> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<CoxPHOptions> = {
    ties: { default: "breslow", oneOf: ["breslow", "efron"] } as OptionRule<CoxTies | undefined>,
    alpha: { default: 0, min: 0 },
    maxIter: { default: 100, integer: true, min: 1 },
    tol: { default: 1e-10, gt: 0 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(CoxPH.spec);
  readonly options: Resolved<CoxPHOptions>;
  coef_?: Float64Array;
  se_?: Float64Array;
  logLikelihood_?: number;
  nIter_?: number;
  baselineTimes_?: Float64Array;
  baselineCumHazard_?: Float64Array;

  constructor(options: CoxPHOptions = {}) {
    this.options = resolveOptions("CoxPH", CoxPH.spec, options);
  }

  fit(data: SurvivalData, _y?: undefined, fitOptions: FitOptions = {}): this {
    const { X, time, event } = data;
    checkDurations(time, event, "CoxPH");
    if (X.rows !== time.length) throw new CustlabError("E_SHAPE", `CoxPH: X has ${X.rows} rows but there are ${time.length} durations`);
    for (let i = 0; i < X.data.length; i++) if (!Number.isFinite(X.data[i])) throw new CustlabError("E_SHAPE", `CoxPH: X has a missing or infinite value at row ${Math.floor(i / X.cols)}, column ${i % X.cols} (impute first)`);
    const n = X.rows, p = X.cols, o = this.options;
    // rows by time descending, so risk sets grow as we sweep
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => time[b] - time[a]);
    let beta = new Float64Array(p);
    let ll = this.partial(X, time, event, order, beta);
    let it = 0;
    for (; it < o.maxIter; it++) {
      // Newton step: solve (−H) δ = g, with step halving when the likelihood falls
      const step = solveSym(ll.negHess, ll.grad, p);
      let scale = 1, next: Float64Array, nl: ReturnType<CoxPH["partial"]>;
      for (;;) {
        next = beta.map((b, j) => b + scale * step[j]);
        nl = this.partial(X, time, event, order, next);
        if (nl.value >= ll.value - 1e-12 || scale < 1e-8) break;
        scale /= 2;
      }
      let mx = 0;
      for (let j = 0; j < p; j++) mx = Math.max(mx, Math.abs(next[j] - beta[j]));
      beta = next; ll = nl;
      fitOptions.onProgress?.({ stage: "newton", done: it + 1, total: o.maxIter, metrics: { loglik: ll.value } });
      if (mx < o.tol) { it++; break; }
    }
    const cov = invertSym(ll.negHess, p);
    this.coef_ = beta;
    this.se_ = Float64Array.from({ length: p }, (_, j) => Math.sqrt(cov[j * p + j]));
    this.logLikelihood_ = ll.value;
    this.nIter_ = it;
    // Breslow baseline cumulative hazard: H0(t) = Σ_{event times s ≤ t} d_s / Σ_{j ∈ R(s)} exp(x_jᵀβ)
    const eta = this.linear(X);
    const asc = Int32Array.from(order).reverse();
    const times: number[] = [], cum: number[] = [];
    let riskSum = 0;
    for (let i = 0; i < n; i++) riskSum += Math.exp(eta[i]);
    let H = 0, t = 0;
    while (t < n) {
      const tt = time[asc[t]];
      let d = 0, gone = 0;
      while (t < n && time[asc[t]] === tt) { if (event[asc[t]] === 1) d++; gone += Math.exp(eta[asc[t]]); t++; }
      if (d > 0) { H += d / riskSum; times.push(tt); cum.push(H); }
      riskSum -= gone;
    }
    this.baselineTimes_ = Float64Array.from(times);
    this.baselineCumHazard_ = Float64Array.from(cum);
    return this;
  }

  /** Partial log-likelihood, gradient and negative Hessian at β. @internal */
  private partial(X: Matrix, time: ArrayLike<number>, event: ArrayLike<number>, order: Int32Array, beta: Float64Array) {
    const n = X.rows, p = X.cols, efron = this.options.ties === "efron", alpha = this.options.alpha;
    const grad = new Float64Array(p), negHess = new Float64Array(p * p);
    let value = 0;
    // running risk-set sums: S0 = Σ e^η, S1 = Σ e^η x, S2 = Σ e^η x xᵀ
    let S0 = 0;
    const S1 = new Float64Array(p), S2 = new Float64Array(p * p);
    const D1 = new Float64Array(p), D2 = new Float64Array(p * p), xs = new Float64Array(p);
    const eta = new Float64Array(n);
    let shift = 0;
    for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < p; j++) s += X.data[i * p + j] * beta[j]; eta[i] = s; if (i === 0 || s > shift) shift = s; }
    let t = 0;
    while (t < n) {
      const tt = time[order[t]];
      // add the whole tie group to the risk set; collect its events
      let d = 0, E0 = 0;
      D1.fill(0); D2.fill(0); xs.fill(0);
      while (t < n && time[order[t]] === tt) {
        const i = order[t], w = Math.exp(eta[i] - shift), off = i * p;
        S0 += w;
        for (let a = 0; a < p; a++) { S1[a] += w * X.data[off + a]; for (let b = 0; b <= a; b++) S2[a * p + b] += w * X.data[off + a] * X.data[off + b]; }
        if (event[i] === 1) {
          d++; E0 += w; value += eta[i] - shift;
          for (let a = 0; a < p; a++) { xs[a] += X.data[off + a]; D1[a] += w * X.data[off + a]; for (let b = 0; b <= a; b++) D2[a * p + b] += w * X.data[off + a] * X.data[off + b]; }
        }
        t++;
      }
      if (d === 0) continue;
      for (let a = 0; a < p; a++) grad[a] += xs[a];
      const parts = efron ? d : 1;
      for (let k = 0; k < parts; k++) {
        const f = efron ? k / d : 0, mult = efron ? 1 : d;
        const s0 = S0 - f * E0;
        value -= mult * Math.log(s0);
        for (let a = 0; a < p; a++) {
          const ma = (S1[a] - f * D1[a]) / s0;
          grad[a] -= mult * ma;
          for (let b = 0; b <= a; b++) {
            const mb = (S1[b] - f * D1[b]) / s0;
            negHess[a * p + b] += mult * ((S2[a * p + b] - f * D2[a * p + b]) / s0 - ma * mb);
          }
        }
      }
    }
    if (alpha > 0) for (let a = 0; a < p; a++) { value -= 0.5 * alpha * beta[a] * beta[a]; grad[a] -= alpha * beta[a]; negHess[a * p + a] += alpha; }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) negHess[b * p + a] = negHess[a * p + b];
    return { value, grad, negHess };
  }

  private linear(X: Matrix): Float64Array {
    const p = X.cols, out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) { let s = 0; for (let j = 0; j < p; j++) s += X.data[i * p + j] * this.coef_![j]; out[i] = s; }
    return out;
  }

  /** Linear predictor xᵀβ per row (log relative hazard). */
  predictLogHazard(X: Matrix): Float64Array {
    if (!this.coef_) notFitted("CoxPH");
    if (X.cols !== this.coef_.length) throw new CustlabError("E_SHAPE", `X has ${X.cols} columns but the model was fitted on ${this.coef_.length}`);
    return this.linear(X);
  }

  /** S(t | x) = exp(−H₀(t)·exp(xᵀβ)) for each row and time: row-major n × times.length. */
  survivalAt(X: Matrix, at: ArrayLike<number>): Float64Array {
    const eta = this.predictLogHazard(X);
    const H0 = stepAt(this.baselineTimes_!, this.baselineCumHazard_!, at, 0);
    const m = at.length, out = new Float64Array(X.rows * m);
    for (let i = 0; i < X.rows; i++) { const r = Math.exp(eta[i]); for (let q = 0; q < m; q++) out[i * m + q] = Math.exp(-H0[q] * r); }
    return out;
  }

  /** Median time to the event per row: the first baseline time with S(t | x) ≤ 0.5 (Infinity if never). */
  medianTime(X: Matrix): Float64Array {
    const eta = this.predictLogHazard(X), T = this.baselineTimes_!, H = this.baselineCumHazard_!;
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      // S ≤ 0.5 ⇔ H0(t) ≥ ln 2 / e^η
      const need = Math.LN2 / Math.exp(eta[i]);
      let lo = 0, hi = H.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (H[mid] >= need) hi = mid; else lo = mid + 1; }
      out[i] = lo < H.length ? T[lo] : Infinity;
    }
    return out;
  }

  /** `{ type, version, options, state }`. */
  toJSON() {
    return estimatorJSON("CoxPH", 1, this.options, this.coef_ && { coef: Array.from(this.coef_), se: Array.from(this.se_!), logLikelihood: this.logLikelihood_, nIter: this.nIter_, baselineTimes: Array.from(this.baselineTimes_!), baselineCumHazard: Array.from(this.baselineCumHazard_!) });
  }

  /** Rebuild from {@link CoxPH.toJSON} output. */
  static fromJSON(o: unknown): CoxPH {
    const { options, state: s } = readEstimatorJSON(o, "CoxPH", 1);
    const m = new CoxPH(options);
    if (s?.coef) {
      m.coef_ = Float64Array.from(s.coef); m.se_ = Float64Array.from(s.se); m.logLikelihood_ = s.logLikelihood; m.nIter_ = s.nIter;
      m.baselineTimes_ = Float64Array.from(s.baselineTimes); m.baselineCumHazard_ = Float64Array.from(s.baselineCumHazard);
    }
    return m;
  }
}

function solveSym(A: Float64Array, b: Float64Array, p: number): Float64Array {
  try { return choleskySolve(A, b, p); } catch (e) {
    if (e instanceof CustlabError) throw new CustlabError("E_SINGULAR", "CoxPH: the information matrix is singular (a constant or duplicated covariate, or one that separates events perfectly); drop it or set alpha > 0");
    throw e;
  }
}

function invertSym(A: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p * p), e = new Float64Array(p);
  for (let j = 0; j < p; j++) { e.fill(0); e[j] = 1; const c = solveSym(A, e, p); for (let i = 0; i < p; i++) out[i * p + j] = c[i]; }
  return out;
}

registerEstimator("CoxPH", CoxPH);

/**
 * Time from `cutoff` to each customer's next order (days), right-censored at
 * the end of the data window: `event` = 1 when the customer ordered again
 * after the cutoff (time = days to that order), 0 when not by the last
 * transaction (time = days from the cutoff to the data end). Purchases are
 * counted as in `customerFeatures`.
 * @param windowEnd - end of the observation window (epoch ms; default the last transaction): rows after it are never read
 * @example const d = nextOrderDurations(tx, ids, cutoff); kaplanMeier(d.time, d.event).median;
 */
export function nextOrderDurations(tx: Table, customers: ArrayLike<string>, cutoff: number, windowEnd?: number): { time: Float64Array; event: Float64Array } {
  const cust = tx.str("customer_id"), ord = tx.str("order_id"), ts = tx.num("timestamp"), q = tx.num("quantity"), p = tx.num("unit_price");
  const at = new Map<string, number>();
  for (let i = 0; i < customers.length; i++) at.set(customers[i], i);
  const n = customers.length, first = new Float64Array(n).fill(Infinity);
  let end = -Infinity;
  for (let i = 0; i < tx.numRows; i++) {
    if (windowEnd !== undefined && ts[i] > windowEnd) continue;
    if (ts[i] > end) end = ts[i];
    if (!(ts[i] > cutoff) || !isPurchase(q[i], p[i], ord[i])) continue;
    const k = at.get(cust[i]);
    if (k !== undefined && ts[i] < first[k]) first[k] = ts[i];
  }
  if (windowEnd !== undefined) end = windowEnd;
  if (!(end > cutoff)) throw new CustlabError("E_OPTION", "nextOrderDurations: no transaction after the cutoff; nothing to observe");
  const time = new Float64Array(n), event = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(first[i])) { time[i] = (first[i] - cutoff) / DAY_MS; event[i] = 1; } else time[i] = (end - cutoff) / DAY_MS;
  }
  return { time, event };
}

/**
 * Kaplan–Meier step curves, one per group (median in the legend).
 * @example kaplanMeierFigure(kaplanMeierByGroup(days, churned, segments), "days since the cutoff");
 */
export function kaplanMeierFigure(curves: Map<string, KaplanMeierCurve>, xTitle = "days", title = "Kaplan–Meier: share without a next order"): Figure {
  const data = [...curves].map(([name, c]) => ({
    type: "scatter", mode: "lines", line: { shape: "hv" }, name: `${name} (n ${c.n}, median ${Number.isFinite(c.median) ? c.median.toFixed(0) : "not reached"})`,
    x: [0, ...Array.from(c.times)], y: [1, ...Array.from(c.survival, (v) => Math.round(v * 1e4) / 1e4)],
  }));
  return { data, layout: { title: { text: title }, xaxis: { title: { text: xTitle } }, yaxis: { title: { text: "S(t)" }, range: [0, 1.02] } } };
}
