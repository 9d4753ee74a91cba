/**
 * Uplift evaluation: the uplift and Qini curves, their areas (AUUC, Qini
 * coefficient) and uplift by decile, with percentile-bootstrap intervals.
 * Definitions follow scikit-uplift (`sklift.metrics`): customers are ranked by
 * predicted uplift (highest first) and the curves are evaluated at every distinct
 * score value, so ties never depend on row order.
 */
import { CustlabError, optionError } from "../util/errors";
import { createRng } from "../util/random";
import { quantile as sortedQuantile } from "../eval/stats";
import type { Figure } from "../plot/figure";

/** One uplift or Qini curve: x = customers targeted, y = the curve value there (both start at 0). */
export interface UpliftCurve {
  /** Number of customers targeted (0, then the last rank of every distinct score). */
  x: Float64Array;
  /** Curve value at x. */
  y: Float64Array;
}

function checkInputs(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>): void {
  const n = y.length;
  if (uplift.length !== n || treatment.length !== n)
    throw new CustlabError("E_SHAPE", `uplift curves need one outcome, score and treatment flag per customer (got ${n}, ${uplift.length}, ${treatment.length})`);
  if (n === 0) throw new CustlabError("E_VALUE", "uplift curves need at least one customer");
  let nt = 0;
  for (let i = 0; i < n; i++) {
    if (!(y[i] === 0 || y[i] === 1)) throw new CustlabError("E_VALUE", `outcome must be 0 or 1, got ${y[i]} at row ${i}`);
    if (!(treatment[i] === 0 || treatment[i] === 1)) throw new CustlabError("E_VALUE", `treatment flag must be 0 or 1, got ${treatment[i]} at row ${i}`);
    if (!Number.isFinite(uplift[i])) throw new CustlabError("E_VALUE", `predicted uplift must be finite, got ${uplift[i]} at row ${i}`);
    nt += treatment[i];
  }
  if (nt === 0 || nt === n) throw new CustlabError("E_VALUE", "uplift curves need both treated and control customers");
}

/** Indices by descending score; ties keep the order of numpy's reversed stable argsort. */
function rankDescending(s: ArrayLike<number>): Int32Array {
  const n = s.length;
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => s[a] - s[b] || a - b);
  return idx.reverse();
}

/** Cumulative counts at the last rank of each distinct score. */
function cumulative(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>) {
  const order = rankDescending(uplift);
  const n = order.length;
  const at: number[] = [];
  for (let k = 0; k < n - 1; k++) if (uplift[order[k]] !== uplift[order[k + 1]]) at.push(k);
  at.push(n - 1);
  const m = at.length;
  const nAll = new Float64Array(m), nT = new Float64Array(m), yT = new Float64Array(m), yC = new Float64Array(m);
  let ct = 0, cyt = 0, cyc = 0, j = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    ct += treatment[i];
    cyt += y[i] * treatment[i];
    cyc += y[i] * (1 - treatment[i]);
    if (k === at[j]) { nAll[j] = k + 1; nT[j] = ct; yT[j] = cyt; yC[j] = cyc; j++; }
  }
  return { nAll, nT, yT, yC };
}

/** A curve from the cumulative counts at each distinct score: value(N, Nₜ, Yₜ, Y꜀, N꜀), starting at (0, 0). */
function curve(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>,
  value: (n: number, nt: number, yt: number, yc: number, nc: number) => number): UpliftCurve {
  checkInputs(y, uplift, treatment);
  const { nAll, nT, yT, yC } = cumulative(y, uplift, treatment);
  const m = nAll.length, x = new Float64Array(m + 1), v = new Float64Array(m + 1);
  for (let j = 0; j < m; j++) { x[j + 1] = nAll[j]; v[j + 1] = value(nAll[j], nT[j], yT[j], yC[j], nAll[j] - nT[j]); }
  return { x, y: v };
}

/**
 * The uplift curve (sklift `uplift_curve`): at each cut-off, the difference
 * between treated and control response rates among the customers targeted so
 * far, times the number targeted: (Yₜ/Nₜ − Y꜀/N꜀)·N. A rate with no customers
 * counts as 0.
 *
 * @param y - 0/1 outcome per customer
 * @param uplift - predicted uplift (higher = target first)
 * @param treatment - 1 treated, 0 control
 * @example
 * const c = upliftCurve([1, 0, 1, 0], [0.9, 0.5, 0.2, 0.1], [1, 0, 0, 1]);
 * c.y[c.y.length - 1]; // total uplift × n
 */
export function upliftCurve(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>): UpliftCurve {
  return curve(y, uplift, treatment, (n, nt, yt, yc, nc) => ((nt > 0 ? yt / nt : 0) - (nc > 0 ? yc / nc : 0)) * n);
}

/**
 * The Qini curve (sklift `qini_curve`): treated responders among the customers
 * targeted so far minus control responders scaled to the treated count:
 * Yₜ − Y꜀·Nₜ/N꜀ (the second term 0 while N꜀ = 0).
 *
 * @example
 * const q = qiniCurve([1, 0, 1, 0], [0.9, 0.5, 0.2, 0.1], [1, 0, 0, 1]);
 */
export function qiniCurve(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>): UpliftCurve {
  return curve(y, uplift, treatment, (_n, nt, yt, yc, nc) => yt - (nc > 0 ? (yc * nt) / nc : 0));
}

/** Trapezoid area under a curve. */
function area(c: UpliftCurve): number {
  let a = 0;
  for (let j = 1; j < c.x.length; j++) a += ((c.x[j] - c.x[j - 1]) * (c.y[j] + c.y[j - 1])) / 2;
  return a;
}

/** Area between a curve and the straight line from (0, 0) to its end point (random targeting). */
function areaOverRandom(c: UpliftCurve): number {
  const last = c.x.length - 1;
  return area(c) - (c.x[last] * c.y[last]) / 2;
}

/**
 * sklift's perfect ranking for the uplift curve (`perfect_uplift_curve`): customers whose outcome equals
 * their treatment flag first, then (treated or responders, whichever group the data favours).
 */
function perfectUpliftScore(y: ArrayLike<number>, treatment: ArrayLike<number>): Float64Array {
  let cr = 0, tn = 0;
  for (let i = 0; i < y.length; i++) { if (y[i] === 1 && treatment[i] === 0) cr++; if (y[i] === 0 && treatment[i] === 1) tn++; }
  const summand = cr > tn ? y : treatment;
  return Float64Array.from({ length: y.length }, (_, i) => 2 * (y[i] === treatment[i] ? 1 : 0) + summand[i]);
}

/** sklift's perfect ranking for the Qini curve with negative effects (`perfect_qini_curve`): treated responders first, control responders last. */
function perfectScore(y: ArrayLike<number>, treatment: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: y.length }, (_, i) => y[i] * treatment[i] - y[i] * (1 - treatment[i]));
}

/**
 * Area under the uplift curve (trapezoid rule) over the random-targeting
 * line, divided by the same area of the perfect ranking (sklift
 * `uplift_auc_score`): 1 = perfect, 0 = random.
 * @example
 * upliftAucScore(y, upliftPred, treatment); // e.g. 0.12
 */
export function upliftAucScore(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>): number {
  const a = areaOverRandom(upliftCurve(y, uplift, treatment));
  const p = areaOverRandom(upliftCurve(y, perfectUpliftScore(y, treatment), treatment));
  return a / p;
}

/**
 * The Qini coefficient: area between the Qini curve and the random-targeting
 * line, divided by the same area of the perfect ranking (sklift
 * `qini_auc_score`, negative effects allowed). > 0: the ranking puts
 * responders to treatment first more often than chance.
 * @example
 * qiniCoefficient(y, upliftPred, treatment); // e.g. 0.08
 */
export function qiniCoefficient(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>): number {
  const a = areaOverRandom(qiniCurve(y, uplift, treatment));
  const p = areaOverRandom(qiniCurve(y, perfectScore(y, treatment), treatment));
  return a / p;
}

/**
 * Raw areas: AUUC (trapezoid area under the uplift curve) and the Qini area
 * over the random line, both in customers × outcomes (not normalised).
 * @example
 * auuc(y, upliftPred, treatment).auuc;
 */
export function auuc(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>): { auuc: number; qiniArea: number } {
  return { auuc: area(upliftCurve(y, uplift, treatment)), qiniArea: areaOverRandom(qiniCurve(y, uplift, treatment)) };
}

/** Options for {@link upliftByDecile} and {@link upliftEvaluation}. */
export interface UpliftBootstrapOptions {
  /** Number of groups (default 10 = deciles). */
  bins?: number;
  /** Bootstrap resamples (default 1000; 0 = no intervals). */
  nBoot?: number;
  /** Two-sided level (default 0.05 → 95% intervals). */
  alpha?: number;
  /** Seed of the resampling (default 42). */
  seed?: number;
  /** Explicit resamples (each n row indices); overrides `nBoot` and `seed` (used to check against an external oracle). */
  resamples?: ArrayLike<ArrayLike<number>>;
}

/** One decile of {@link upliftByDecile}. */
export interface UpliftDecile {
  /** 1 = the highest predicted uplift. */
  decile: number;
  n: number;
  nTreated: number;
  nControl: number;
  /** Observed response rate of the treated customers in this decile (NaN if none). */
  rateTreated: number;
  /** Observed response rate of the control customers (NaN if none). */
  rateControl: number;
  /** rateTreated − rateControl. */
  uplift: number;
  /** Percentile-bootstrap interval of `uplift` (NaN without resamples). */
  ci: [number, number];
  /** Mean predicted uplift in the decile. */
  predicted: number;
}

function resampleList(n: number, o: UpliftBootstrapOptions): ArrayLike<ArrayLike<number>> {
  if (o.resamples) {
    for (const r of Array.from(o.resamples)) if (r.length !== n) optionError("resamples", `each resample needs ${n} row indices, got ${r.length}`);
    return o.resamples;
  }
  const nBoot = o.nBoot ?? 1000;
  if (!(Number.isInteger(nBoot) && nBoot >= 0)) optionError("nBoot", `must be a non-negative integer, got ${nBoot}`);
  const rng = createRng(o.seed ?? 42);
  return Array.from({ length: nBoot }, () => { const r = new Int32Array(n); for (let i = 0; i < n; i++) r[i] = rng.int(n); return r; });
}

function percentileCi(values: number[], alpha: number): [number, number] {
  const s = Float64Array.from(values.filter(Number.isFinite)).sort();
  if (!s.length) return [NaN, NaN];
  return [sortedQuantile(s, alpha / 2), sortedQuantile(s, 1 - alpha / 2)];
}

/**
 * Uplift by decile of predicted uplift: customers ranked highest first and cut
 * into `bins` groups of sizes differing by at most one (larger groups first,
 * like numpy's `array_split`); per group the treated and control response
 * rates, their difference, and a percentile-bootstrap interval (customers
 * resampled with replacement, each keeping its group).
 *
 * @example
 * const d = upliftByDecile(y, upliftPred, treatment, { nBoot: 500 });
 * d[0].uplift; // observed uplift among the top 10%
 */
export function upliftByDecile(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: UpliftBootstrapOptions = {}): UpliftDecile[] {
  checkInputs(y, uplift, treatment);
  const n = y.length, bins = options.bins ?? 10, alpha = options.alpha ?? 0.05;
  if (!(Number.isInteger(bins) && bins >= 1 && bins <= n)) optionError("bins", `must be an integer in 1..${n}, got ${bins}`);
  const order = rankDescending(uplift);
  const group = new Int32Array(n);
  const base = Math.floor(n / bins), extra = n % bins;
  for (let g = 0, k = 0; g < bins; g++) { const size = base + (g < extra ? 1 : 0); for (let t = 0; t < size; t++) group[order[k++]] = g; }
  const stats = (rows: ArrayLike<number> | null) => {
    const nt = new Float64Array(bins), nc = new Float64Array(bins), yt = new Float64Array(bins), yc = new Float64Array(bins);
    for (let k = 0; k < n; k++) {
      const i = rows ? rows[k] : k, g = group[i];
      if (treatment[i] === 1) { nt[g]++; yt[g] += y[i]; } else { nc[g]++; yc[g] += y[i]; }
    }
    return { nt, nc, yt, yc };
  };
  const full = stats(null);
  const boot: number[][] = Array.from({ length: bins }, () => []);
  for (const r of Array.from(resampleList(n, options))) {
    const s = stats(r);
    for (let g = 0; g < bins; g++) boot[g].push(s.nt[g] > 0 && s.nc[g] > 0 ? s.yt[g] / s.nt[g] - s.yc[g] / s.nc[g] : NaN);
  }
  const pred = new Float64Array(bins), cnt = new Float64Array(bins);
  for (let i = 0; i < n; i++) { pred[group[i]] += uplift[i]; cnt[group[i]]++; }
  return Array.from({ length: bins }, (_, g) => {
    const rt = full.nt[g] > 0 ? full.yt[g] / full.nt[g] : NaN, rc = full.nc[g] > 0 ? full.yc[g] / full.nc[g] : NaN;
    return {
      decile: g + 1, n: cnt[g], nTreated: full.nt[g], nControl: full.nc[g], rateTreated: rt, rateControl: rc, uplift: rt - rc,
      ci: boot[g].length ? percentileCi(boot[g], alpha) : [NaN, NaN], predicted: pred[g] / cnt[g],
    };
  });
}

/** Result of {@link upliftEvaluation}. */
export interface UpliftEvaluation {
  qini: UpliftCurve;
  uplift: UpliftCurve;
  /** Qini coefficient with its percentile-bootstrap interval. */
  qiniCoefficient: { estimate: number; ci: [number, number] };
  /** Normalised AUUC ({@link upliftAucScore}) with its interval. */
  auuc: { estimate: number; ci: [number, number] };
  deciles: UpliftDecile[];
}

/**
 * Everything at once: both curves, the Qini coefficient and normalised AUUC
 * with percentile-bootstrap intervals, and uplift by decile (one set of
 * resamples for all).
 * @example
 * const ev = upliftEvaluation(y, upliftPred, treatment, { nBoot: 200 });
 * ev.qiniCoefficient.estimate > 0; // better than random targeting
 */
export function upliftEvaluation(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, options: UpliftBootstrapOptions = {}): UpliftEvaluation {
  checkInputs(y, uplift, treatment);
  const n = y.length, alpha = options.alpha ?? 0.05;
  const resamples = resampleList(n, options);
  const qs: number[] = [], as: number[] = [];
  const yb = new Float64Array(n), ub = new Float64Array(n), tb = new Float64Array(n);
  for (const r of Array.from(resamples)) {
    let nt = 0;
    for (let k = 0; k < n; k++) { const i = r[k]; yb[k] = y[i]; ub[k] = uplift[i]; tb[k] = treatment[i]; nt += tb[k]; }
    if (nt === 0 || nt === n) continue;
    qs.push(qiniCoefficient(yb, ub, tb));
    as.push(upliftAucScore(yb, ub, tb));
  }
  return {
    qini: qiniCurve(y, uplift, treatment),
    uplift: upliftCurve(y, uplift, treatment),
    qiniCoefficient: { estimate: qiniCoefficient(y, uplift, treatment), ci: percentileCi(qs, alpha) },
    auuc: { estimate: upliftAucScore(y, uplift, treatment), ci: percentileCi(as, alpha) },
    deciles: upliftByDecile(y, uplift, treatment, { ...options, resamples }),
  };
}

/**
 * Qini curve of a model against random targeting (plotly JSON); with
 * `deciles`, a second figure-ready bar trace is not drawn here (see
 * {@link upliftDecileFigure}).
 * @example
 * const fig = qiniFigure(upliftEvaluation(y, upliftPred, treatment));
 */
export function qiniFigure(ev: UpliftEvaluation, options: { title?: string } = {}): Figure {
  const q = ev.qini, last = q.x.length - 1;
  return {
    data: [
      { type: "scatter", mode: "lines", name: "model", x: Array.from(q.x), y: Array.from(q.y) },
      { type: "scatter", mode: "lines", name: "random", x: [0, q.x[last]], y: [0, q.y[last]], line: { dash: "dash" } },
    ],
    layout: {
      title: { text: `${options.title ?? "Qini curve"} (Qini coefficient ${ev.qiniCoefficient.estimate.toFixed(3)})` },
      xaxis: { title: { text: "customers targeted" } },
      yaxis: { title: { text: "incremental responders" } },
    },
  };
}

/**
 * Observed uplift per decile of predicted uplift with bootstrap error bars (plotly JSON).
 * @example
 * const fig = upliftDecileFigure(upliftByDecile(y, upliftPred, treatment));
 */
export function upliftDecileFigure(deciles: UpliftDecile[], options: { title?: string } = {}): Figure {
  return {
    data: [{
      type: "bar", name: "observed uplift",
      x: deciles.map((d) => d.decile), y: deciles.map((d) => d.uplift),
      error_y: { type: "data", symmetric: false, array: deciles.map((d) => d.ci[1] - d.uplift), arrayminus: deciles.map((d) => d.uplift - d.ci[0]) },
    }, {
      type: "scatter", mode: "markers", name: "predicted", x: deciles.map((d) => d.decile), y: deciles.map((d) => d.predicted),
    }],
    layout: {
      title: { text: options.title ?? "Uplift by decile of predicted uplift" },
      xaxis: { title: { text: "decile (1 = highest predicted uplift)" }, dtick: 1 },
      yaxis: { title: { text: "treated − control response rate" }, tickformat: ".0%" },
    },
  };
}
