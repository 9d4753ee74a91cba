import { Matrix, takeRows } from "../util/matrix";
import { createRng } from "../util/random";
import { CustlabError } from "../util/errors";
import { sqDist } from "./kmeans";

/** Largest n for which {@link silhouetteScore} is computed exactly by default (O(n²·d)); above it a seeded sample of this size is used. */
export const SILHOUETTE_EXACT_MAX = 10_000;

/** Options for {@link silhouetteScore}. */
export interface SilhouetteOptions {
  /**
   * Rows to use. Default: all rows when n ≤ {@link SILHOUETTE_EXACT_MAX}
   * (10,000), else a uniform sample of 10,000 rows drawn with `seed`
   * (scikit-learn's `sample_size` behaviour: the score of the sample).
   */
  sampleSize?: number;
  /** Seed for the sample. Default 42. */
  seed?: number;
}

function checkLabels(X: Matrix, labels: ArrayLike<number>, fn: string): number {
  if (labels.length !== X.rows) throw new CustlabError("E_SHAPE", `${fn}: ${labels.length} labels for ${X.rows} rows`);
  let k = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!Number.isInteger(l) || l < 0) throw new CustlabError("E_VALUE", `${fn}: labels must be non-negative integers, got ${l} at row ${i}`);
    if (l + 1 > k) k = l + 1;
  }
  return k;
}

/**
 * Per-row silhouette values s(i) = (b − a) / max(a, b) with Euclidean
 * distances (a = mean distance to the own cluster, b = lowest mean distance
 * to another cluster; s = 0 for singletons), as scikit-learn's
 * `silhouette_samples`. Exact, O(n²·d): use on samples.
 * @example
 * const s = silhouetteSamples(X, km.labels_); // one value per row in −1..1
 */
export function silhouetteSamples(X: Matrix, labels: ArrayLike<number>): Float64Array {
  const k = checkLabels(X, labels, "silhouetteSamples");
  const { rows: n, cols: d, data } = X;
  // Rows copied in label order (stable), so that each row meets every cluster as one contiguous
  // block: the distances of a pair (i, j), i < j, go to row i's sum for j's cluster (a local
  // accumulator over the block) and to row j's sum for i's cluster (one array slot per j).
  const counts = new Float64Array(k), start = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) counts[labels[i]]++;
  for (let c = 0; c < k; c++) start[c + 1] = start[c] + counts[c];
  const pos = start.slice(0, k), order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[pos[labels[i]]++] = i;
  // Up to 4 columns: rows padded with zeros to a stride of 4 (the same distances) for an unrolled loop.
  const D = d <= 4 ? 4 : d;
  const xs = new Float64Array(n * D);
  for (let p = 0; p < n; p++) xs.set(data.subarray(order[p] * d, order[p] * d + d), p * D);
  const sums = new Float64Array(n * k); // by sorted position
  const colAcc = new Float64Array(n);
  for (let ci = 0; ci < k; ci++) {
    for (let cj = ci; cj < k; cj++) {
      const j1 = start[cj + 1];
      colAcc.fill(0, start[cj], j1);
      for (let p = start[ci]; p < start[ci + 1]; p++) {
        const po = p * D, q0 = cj === ci ? p + 1 : start[cj];
        sums[p * k + cj] += D === 4 ? blockDistances4(xs, po, q0, j1, colAcc) : blockDistances(xs, po, q0, j1, D, colAcc);
      }
      for (let q = start[cj]; q < j1; q++) sums[q * k + ci] += colAcc[q];
    }
  }
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const i = order[p], li = labels[i];
    if (counts[li] <= 1) { out[i] = 0; continue; }
    const a = sums[p * k + li] / (counts[li] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== li && counts[c] > 0) { const m = sums[p * k + c] / counts[c]; if (m < b) b = m; }
    out[i] = b === Infinity ? 0 : (b - a) / Math.max(a, b);
  }
  return out;
}

/** Σ of the distances from the row at `po` to rows q0..q1 − 1 (stride 4), each also added to `colAcc[q]`. */
function blockDistances4(xs: Float64Array, po: number, q0: number, q1: number, colAcc: Float64Array): number {
  const a0 = xs[po], a1 = xs[po + 1], a2 = xs[po + 2], a3 = xs[po + 3];
  let acc = 0;
  for (let q = q0, qo = q0 * 4; q < q1; q++, qo += 4) {
    const v0 = a0 - xs[qo], v1 = a1 - xs[qo + 1], v2 = a2 - xs[qo + 2], v3 = a3 - xs[qo + 3];
    const dist = Math.sqrt(v0 * v0 + v1 * v1 + v2 * v2 + v3 * v3);
    acc += dist;
    colAcc[q] += dist;
  }
  return acc;
}

/** {@link blockDistances4} for any stride D. */
function blockDistances(xs: Float64Array, po: number, q0: number, q1: number, D: number, colAcc: Float64Array): number {
  let acc = 0;
  for (let q = q0; q < q1; q++) {
    const qo = q * D;
    let s2 = 0;
    for (let t = 0; t < D; t++) { const v = xs[po + t] - xs[qo + t]; s2 += v * v; }
    const dist = Math.sqrt(s2);
    acc += dist;
    colAcc[q] += dist;
  }
  return acc;
}

/**
 * Mean silhouette coefficient (−1..1, higher = better separated). Exact for
 * n ≤ 10,000 rows; above that (or when `sampleSize` is set) it is the score of
 * a seeded uniform sample, like scikit-learn's `silhouette_score(sample_size=…)`.
 * Needs 2 ≤ clusters ≤ n − 1.
 *
 * @example
 * silhouetteScore(X, km.labels_);                        // exact below 10k rows
 * silhouetteScore(big, labels, { sampleSize: 5000, seed: 1 });
 */
export function silhouetteScore(X: Matrix, labels: ArrayLike<number>, options: SilhouetteOptions = {}): number {
  checkLabels(X, labels, "silhouetteScore");
  let Xs = X, ls: ArrayLike<number> = labels;
  const size = options.sampleSize ?? (X.rows > SILHOUETTE_EXACT_MAX ? SILHOUETTE_EXACT_MAX : X.rows);
  if (size < X.rows) {
    const rng = createRng(options.seed ?? 42);
    const idx = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) idx[i] = i;
    for (let i = 0; i < size; i++) { const j = i + rng.int(X.rows - i); const t = idx[i]; idx[i] = idx[j]; idx[j] = t; }
    const pick = idx.subarray(0, size);
    Xs = takeRows(X, pick);
    ls = Int32Array.from(pick, (i) => labels[i]);
  }
  const distinct = new Set<number>(Array.from(ls));
  if (distinct.size < 2 || distinct.size > Xs.rows - 1) {
    throw new CustlabError("E_VALUE", `silhouetteScore: needs between 2 and n−1 clusters, got ${distinct.size} for ${Xs.rows} rows`);
  }
  const s = silhouetteSamples(Xs, ls);
  let t = 0;
  for (let i = 0; i < s.length; i++) t += s[i];
  return t / s.length;
}

function centroids(X: Matrix, labels: ArrayLike<number>, k: number): { c: Float64Array; counts: Float64Array } {
  const { rows: n, cols: d, data } = X;
  const c = new Float64Array(k * d), counts = new Float64Array(k);
  for (let i = 0; i < n; i++) { const l = labels[i]; counts[l]++; for (let t = 0; t < d; t++) c[l * d + t] += data[i * d + t]; }
  for (let j = 0; j < k; j++) if (counts[j] > 0) for (let t = 0; t < d; t++) c[j * d + t] /= counts[j];
  return { c, counts };
}

/**
 * Davies–Bouldin index (≥ 0, lower = better): mean over clusters of the worst
 * ratio (sᵢ + sⱼ) / ‖cᵢ − cⱼ‖, sᵢ = mean distance of cluster i's rows to its
 * centroid — scikit-learn's `davies_bouldin_score`. O(n·d).
 * @example
 * daviesBouldinScore(X, km.labels_); // e.g. 1.01 on the Online Retail RFM matrix, k = 4
 */
export function daviesBouldinScore(X: Matrix, labels: ArrayLike<number>): number {
  const k = checkLabels(X, labels, "daviesBouldinScore");
  const { rows: n, cols: d, data } = X;
  const { c, counts } = centroids(X, labels, k);
  const s = new Float64Array(k);
  for (let i = 0; i < n; i++) s[labels[i]] += Math.sqrt(sqDist(data, i * d, c, labels[i] * d, d));
  const used: number[] = [];
  for (let j = 0; j < k; j++) if (counts[j] > 0) { s[j] /= counts[j]; used.push(j); }
  if (used.length < 2) throw new CustlabError("E_VALUE", "daviesBouldinScore: needs at least 2 clusters");
  let tot = 0;
  for (const i of used) {
    let worst = 0;
    for (const j of used) {
      if (i === j) continue;
      const dc = Math.sqrt(sqDist(c, i * d, c, j * d, d));
      const r = dc === 0 ? Infinity : (s[i] + s[j]) / dc;
      if (r > worst) worst = r;
    }
    tot += worst;
  }
  return tot / used.length;
}

/**
 * Calinski–Harabasz index (variance ratio, higher = better):
 * [B / (k − 1)] / [W / (n − k)] with B the between-cluster and W the
 * within-cluster dispersion — scikit-learn's `calinski_harabasz_score`. O(n·d).
 * @example
 * calinskiHarabaszScore(X, km.labels_); // e.g. 3329 on the Online Retail RFM matrix, k = 4
 */
export function calinskiHarabaszScore(X: Matrix, labels: ArrayLike<number>): number {
  const kk = checkLabels(X, labels, "calinskiHarabaszScore");
  const { rows: n, cols: d, data } = X;
  const { c, counts } = centroids(X, labels, kk);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += data[i * d + t];
  for (let t = 0; t < d; t++) mean[t] /= n;
  let k = 0, B = 0, W = 0;
  for (let j = 0; j < kk; j++) if (counts[j] > 0) { k++; B += counts[j] * sqDist(c, j * d, mean, 0, d); }
  for (let i = 0; i < n; i++) W += sqDist(data, i * d, c, labels[i] * d, d);
  if (k < 2 || k > n - 1) throw new CustlabError("E_VALUE", `calinskiHarabaszScore: needs between 2 and n−1 clusters, got ${k}`);
  return W === 0 ? 1 : (B * (n - k)) / (W * (k - 1));
}

/** Contingency table of two labelings (dense codes). */
function contingency(a: ArrayLike<number | string>, b: ArrayLike<number | string>): { table: Float64Array; ra: number; rb: number; n: number } {
  if (a.length !== b.length) throw new CustlabError("E_SHAPE", `label vectors differ in length: ${a.length} vs ${b.length}`);
  const ca = new Map<number | string, number>(), cb = new Map<number | string, number>();
  const ia = new Int32Array(a.length), ib = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    let x = ca.get(a[i]); if (x === undefined) { x = ca.size; ca.set(a[i], x); } ia[i] = x;
    let y = cb.get(b[i]); if (y === undefined) { y = cb.size; cb.set(b[i], y); } ib[i] = y;
  }
  const ra = ca.size, rb = cb.size;
  const table = new Float64Array(ra * rb);
  for (let i = 0; i < a.length; i++) table[ia[i] * rb + ib[i]]++;
  return { table, ra, rb, n: a.length };
}

const comb2 = (x: number) => (x * (x - 1)) / 2;

/**
 * Adjusted Rand index between two labelings (1 = identical partitions, ≈ 0 =
 * chance, can be negative). Labels may be numbers or strings; names need not
 * match. Same as scikit-learn's `adjusted_rand_score`.
 *
 * @example
 * adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 */
export function adjustedRandIndex(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  const { table, ra, rb, n } = contingency(a, b);
  let sumComb = 0;
  const rowS = new Float64Array(ra), colS = new Float64Array(rb);
  for (let i = 0; i < ra; i++) for (let j = 0; j < rb; j++) { const v = table[i * rb + j]; sumComb += comb2(v); rowS[i] += v; colS[j] += v; }
  let sa = 0, sb = 0;
  for (let i = 0; i < ra; i++) sa += comb2(rowS[i]);
  for (let j = 0; j < rb; j++) sb += comb2(colS[j]);
  const expected = (sa * sb) / comb2(n);
  const max = (sa + sb) / 2;
  if (max === expected) return 1; // both trivial partitions (scikit-learn's special case)
  return (sumComb - expected) / (max - expected);
}

/**
 * Normalized mutual information with the arithmetic-mean normaliser
 * (scikit-learn's `normalized_mutual_info_score` default): MI / ((H(a)+H(b))/2).
 * 1 = identical partitions, 0 = independent.
 * @example
 * normalizedMutualInfo([0, 0, 1, 1], ["b", "b", "a", "a"]); // 1
 */
export function normalizedMutualInfo(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  const { table, ra, rb, n } = contingency(a, b);
  if ((ra === 1 && rb === 1) || n === 0) return 1;
  const rowS = new Float64Array(ra), colS = new Float64Array(rb);
  for (let i = 0; i < ra; i++) for (let j = 0; j < rb; j++) { rowS[i] += table[i * rb + j]; colS[j] += table[i * rb + j]; }
  let mi = 0;
  for (let i = 0; i < ra; i++) for (let j = 0; j < rb; j++) {
    const v = table[i * rb + j];
    if (v > 0) mi += (v / n) * Math.log((v * n) / (rowS[i] * colS[j]));
  }
  const H = (s: Float64Array) => { let h = 0; for (const v of s) if (v > 0) h -= (v / n) * Math.log(v / n); return h; };
  const ha = H(rowS), hb = H(colS);
  const denom = (ha + hb) / 2;
  if (denom === 0) return 1;
  return Math.max(0, Math.min(1, mi / denom));
}
