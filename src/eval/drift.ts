import { CustlabError } from "../util/errors";
import { populationStabilityIndex } from "../segment/dynamic";

function sortedFinite(v: ArrayLike<number>, what: string): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i])) out.push(v[i]);
  if (!out.length) throw new CustlabError("E_EMPTY", `${what}: a sample has no finite values`);
  return Float64Array.from(out).sort();
}

/**
 * Two-sample Kolmogorov–Smirnov statistic D = sup |F₁(x) − F₂(x)| and its
 * asymptotic two-sided p-value from the limiting Kolmogorov distribution,
 * P(K > √(nm/(n+m))·D) (scipy's `kstwobign.sf`); D as scipy's `ks_2samp`.
 * NaN values are dropped.
 * @example ksTwoSample([1, 2, 3, 4], [3, 4, 5, 6]).statistic; // 0.5
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): { statistic: number; pValue: number } {
  const x = sortedFinite(a, "ksTwoSample"), y = sortedFinite(b, "ksTwoSample");
  const n = x.length, m = y.length;
  let i = 0, j = 0, d = 0;
  while (i < n && j < m) {
    const v = Math.min(x[i], y[j]);
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const en = Math.sqrt((n * m) / (n + m));
  const lam = en * d;
  let p = 0;
  if (lam < 1e-3) p = 1;
  else { for (let k = 1; k <= 100; k++) { const t = 2 * (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * lam * lam); p += t; if (Math.abs(t) < 1e-12) break; } }
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)) };
}

/**
 * First Wasserstein (earth mover's) distance between two 1-D samples:
 * ∫ |F₁(x) − F₂(x)| dx, as scipy's `wasserstein_distance` (NaN values dropped).
 * @example wassersteinDistance([0, 1, 3], [5, 6, 8]); // 5
 */
export function wassersteinDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = sortedFinite(a, "wassersteinDistance"), y = sortedFinite(b, "wassersteinDistance");
  const n = x.length, m = y.length;
  let i = 0, j = 0, prev = Math.min(x[0], y[0]), w = 0;
  while (i < n || j < m) {
    const v = j >= m || (i < n && x[i] <= y[j]) ? x[i] : y[j];
    w += Math.abs(i / n - j / m) * (v - prev);
    prev = v;
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
  }
  return w;
}

/** Drift of one variable between a reference sample and a current one. */
export interface DriftStats {
  /** Population stability index over 10 quantile bins of the reference. */
  psi: number;
  /** Kolmogorov–Smirnov statistic and p-value. */
  ks: number;
  ks_p: number;
  /** First Wasserstein distance (in the variable's units). */
  wasserstein: number;
  /** Means of the reference and current samples. */
  mean_reference: number;
  mean_current: number;
}

/**
 * PSI, KS and Wasserstein distance of `current` against `reference` in one call (NaN values dropped).
 * @example driftStats(lastQuarter.num("recency_days"), thisQuarter.num("recency_days")).psi;
 */
export function driftStats(reference: ArrayLike<number>, current: ArrayLike<number>): DriftStats {
  const r = sortedFinite(reference, "driftStats"), c = sortedFinite(current, "driftStats");
  const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;
  const ks = ksTwoSample(r, c);
  return { psi: populationStabilityIndex(r, c), ks: ks.statistic, ks_p: ks.pValue, wasserstein: wassersteinDistance(r, c), mean_reference: mean(r), mean_current: mean(c) };
}
