import { CustlabError } from "../util/errors";
import { createRng } from "../util/random";
import { normalCdf } from "../util/numeric";
import { midRanks, rocAucScore } from "./metrics";

/** Result of {@link delongTest}. */
export interface DeLongResult {
  /** AUC of each score vector. */
  aucs: [number, number];
  /** aucs[0] − aucs[1]. */
  diff: number;
  /** DeLong covariance matrix [var1, cov, cov, var2] of the two AUCs. */
  covariance: [number, number, number, number];
  /** z statistic of the difference. */
  z: number;
  /** Two-sided p-value. */
  pValue: number;
  /** 95% confidence interval of the difference (normal approximation). */
  ci: [number, number];
}

/**
 * DeLong, DeLong & Clarke-Pearson (1988) test for two correlated ROC AUCs
 * measured on the same rows, using Sun & Xu's (2014) mid-rank algorithm
 * (O(n log n)). Ties count one half.
 *
 * @param yTrue - 0/1 labels
 * @param scoreA - scores of model A (e.g. champion)
 * @param scoreB - scores of model B (challenger), same rows
 * @example
 * const r = delongTest(y, pChampion, pChallenger);
 * r.pValue < 0.05; // the AUCs differ
 */
export function delongTest(yTrue: ArrayLike<number>, scoreA: ArrayLike<number>, scoreB: ArrayLike<number>, positive = 1): DeLongResult {
  const n = yTrue.length;
  if (scoreA.length !== n || scoreB.length !== n) throw new CustlabError("E_SHAPE", `delongTest: labels (${n}) and scores (${scoreA.length}, ${scoreB.length}) differ in length`);
  const posIdx: number[] = [], negIdx: number[] = [];
  for (let i = 0; i < n; i++) (yTrue[i] === positive ? posIdx : negIdx).push(i);
  const m = posIdx.length, k = negIdx.length;
  if (m < 2 || k < 2) throw new CustlabError("E_LABEL", `delongTest: need at least 2 positives and 2 negatives (have ${m} and ${k})`);
  const comp = (s: ArrayLike<number>) => {
    const x = Float64Array.from(posIdx, (i) => s[i]);
    const y = Float64Array.from(negIdx, (i) => s[i]);
    const z = new Float64Array(m + k); z.set(x); z.set(y, m);
    const tx = midRanks(x), ty = midRanks(y), tz = midRanks(z);
    let sumTzx = 0;
    for (let i = 0; i < m; i++) sumTzx += tz[i];
    const auc = sumTzx / (m * k) - (m + 1) / (2 * k);
    const v01 = new Float64Array(m), v10 = new Float64Array(k);
    for (let i = 0; i < m; i++) v01[i] = (tz[i] - tx[i]) / k;
    for (let j = 0; j < k; j++) v10[j] = 1 - (tz[m + j] - ty[j]) / m;
    return { auc, v01, v10 };
  };
  const a = comp(scoreA), b = comp(scoreB);
  const cov = (u: Float64Array, v: Float64Array) => {
    const len = u.length;
    let mu = 0, mv = 0;
    for (let i = 0; i < len; i++) { mu += u[i]; mv += v[i]; }
    mu /= len; mv /= len;
    let s = 0;
    for (let i = 0; i < len; i++) s += (u[i] - mu) * (v[i] - mv);
    return s / (len - 1);
  };
  const sAA = cov(a.v01, a.v01) / m + cov(a.v10, a.v10) / k;
  const sBB = cov(b.v01, b.v01) / m + cov(b.v10, b.v10) / k;
  const sAB = cov(a.v01, b.v01) / m + cov(a.v10, b.v10) / k;
  const diff = a.auc - b.auc;
  const varDiff = sAA + sBB - 2 * sAB;
  const se = Math.sqrt(Math.max(varDiff, 0));
  const z = se > 0 ? diff / se : diff === 0 ? 0 : Infinity * Math.sign(diff);
  const pValue = se > 0 ? 2 * (1 - normalCdf(Math.abs(z))) : diff === 0 ? 1 : 0;
  return { aucs: [a.auc, b.auc], diff, covariance: [sAA, sAB, sAB, sBB], z, pValue, ci: [diff - 1.959963984540054 * se, diff + 1.959963984540054 * se] };
}

/** Options for {@link bootstrapCI} and {@link bootstrapCompare}. */
export interface BootstrapOptions {
  /** Resamples (default 1000). */
  nBoot?: number;
  /** Two-sided level: the interval covers 1 − alpha (default 0.05 → 95%). */
  alpha?: number;
  /** Seed for the resampling (default 42). */
  seed?: number;
  /** Resample within each class separately, keeping the class balance (default true). */
  stratified?: boolean;
}

/** A point estimate with a percentile bootstrap interval. */
export interface BootstrapCI {
  estimate: number;
  lower: number;
  upper: number;
  /** Standard deviation of the bootstrap replicates. */
  se: number;
  /** Replicates actually used (those where the metric was defined). */
  nBoot: number;
}

function resampleIndex(y: ArrayLike<number>, rng: ReturnType<typeof createRng>, stratified: boolean): Int32Array {
  const n = y.length, out = new Int32Array(n);
  if (!stratified) { for (let i = 0; i < n; i++) out[i] = rng.int(n); return out; }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) { const g = groups.get(y[i]); if (g) g.push(i); else groups.set(y[i], [i]); }
  let o = 0;
  for (const key of [...groups.keys()].sort((p, q) => p - q)) {
    const g = groups.get(key)!;
    for (let t = 0; t < g.length; t++) out[o++] = g[rng.int(g.length)];
  }
  return out;
}

/** Linear-interpolation quantile of sorted values (numpy's default). @internal */
export function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Percentile bootstrap confidence interval of any metric `(yTrue, score) → number`.
 * @example
 * const ci = bootstrapCI(y, p, rocAucScore, { nBoot: 500, seed: 1 });
 * `${ci.estimate.toFixed(3)} [${ci.lower.toFixed(3)}, ${ci.upper.toFixed(3)}]`;
 */
export function bootstrapCI(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  metric: (y: ArrayLike<number>, s: ArrayLike<number>) => number,
  options: BootstrapOptions = {},
): BootstrapCI {
  const nBoot = options.nBoot ?? 1000, alpha = options.alpha ?? 0.05;
  const rng = createRng(options.seed ?? 42);
  const n = yTrue.length;
  const yb = new Float64Array(n), sb = new Float64Array(n);
  const reps: number[] = [];
  for (let b = 0; b < nBoot; b++) {
    const idx = resampleIndex(yTrue, rng, options.stratified ?? true);
    for (let i = 0; i < n; i++) { yb[i] = yTrue[idx[i]]; sb[i] = score[idx[i]]; }
    try { const v = metric(yb, sb); if (Number.isFinite(v)) reps.push(v); } catch { /* undefined on this resample */ }
  }
  const s = Float64Array.from(reps).sort();
  let mean = 0;
  for (const v of reps) mean += v;
  mean /= reps.length || 1;
  let ss = 0;
  for (const v of reps) ss += (v - mean) ** 2;
  return { estimate: metric(yTrue, score), lower: quantile(s, alpha / 2), upper: quantile(s, 1 - alpha / 2), se: Math.sqrt(ss / Math.max(1, reps.length - 1)), nBoot: reps.length };
}

/** Result of {@link bootstrapCompare}. */
export interface BootstrapCompareResult {
  /** metric(A) − metric(B) on the full data. */
  diff: number;
  /** Percentile interval of the paired difference. */
  lower: number;
  upper: number;
  /** Two-sided bootstrap p-value: 2 · min(P(diff* ≤ 0), P(diff* ≥ 0)). */
  pValue: number;
  nBoot: number;
}

/**
 * Paired bootstrap comparison of two score vectors on the same rows (the same
 * resample is applied to both), the alternative to {@link delongTest}.
 * @param metric - default ROC-AUC
 * @example bootstrapCompare(y, pA, pB, undefined, { nBoot: 2000, seed: 7 }).pValue;
 */
export function bootstrapCompare(
  yTrue: ArrayLike<number>,
  scoreA: ArrayLike<number>,
  scoreB: ArrayLike<number>,
  metric: (y: ArrayLike<number>, s: ArrayLike<number>) => number = (y, s) => rocAucScore(y, s),
  options: BootstrapOptions = {},
): BootstrapCompareResult {
  const nBoot = options.nBoot ?? 1000, alpha = options.alpha ?? 0.05;
  const rng = createRng(options.seed ?? 42);
  const n = yTrue.length;
  const yb = new Float64Array(n), ab = new Float64Array(n), bb = new Float64Array(n);
  const reps: number[] = [];
  for (let r = 0; r < nBoot; r++) {
    const idx = resampleIndex(yTrue, rng, options.stratified ?? true);
    for (let i = 0; i < n; i++) { yb[i] = yTrue[idx[i]]; ab[i] = scoreA[idx[i]]; bb[i] = scoreB[idx[i]]; }
    try { const d = metric(yb, ab) - metric(yb, bb); if (Number.isFinite(d)) reps.push(d); } catch { /* skip */ }
  }
  const s = Float64Array.from(reps).sort();
  let le = 0, ge = 0;
  for (const d of reps) { if (d <= 0) le++; if (d >= 0) ge++; }
  return {
    diff: metric(yTrue, scoreA) - metric(yTrue, scoreB),
    lower: quantile(s, alpha / 2), upper: quantile(s, 1 - alpha / 2),
    pValue: Math.min(1, (2 * Math.min(le, ge)) / Math.max(1, reps.length)),
    nBoot: reps.length,
  };
}

/**
 * Mean and population standard deviation (ddof 0, like `numpy.std`) of numbers. @internal
 *
 * @example
 * ```ts
 * meanStd([1, 2, 3, 4]); // { mean: 2.5, std: 1.1180… } (population std, like numpy.std)
 * ```
 */
export function meanStd(v: ArrayLike<number>): { mean: number; std: number } {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i];
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
  return { mean: m, std: v.length > 0 ? Math.sqrt(s / v.length) : 0 };
}
