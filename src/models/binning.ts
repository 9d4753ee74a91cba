import type { Matrix } from "../util/matrix";

/** Bin index reserved for missing values (NaN). @internal */
export const MISSING_BIN = 255;

/**
 * Features quantised to ≤ 255 bins (scikit-learn's HistGradientBoosting
 * binning): per feature, if it has ≤ maxBins distinct values the thresholds
 * are the midpoints between consecutive distinct values (exact splits);
 * otherwise they are the `midpoint` percentiles at maxBins equally spaced
 * levels. Value x goes to the first bin b with x ≤ thresholds[b]; NaN goes
 * to {@link MISSING_BIN}. Stored column-major for fast histograms.
 * @internal
 */
export interface BinnedMatrix {
  /** bins[j * n + i] = bin of row i, feature j. */
  bins: Uint8Array;
  n: number;
  p: number;
  /** Per feature, the upper edges of bins 0..nBins-2 (the last bin is unbounded). */
  thresholds: Float64Array[];
  /** Per feature, the number of non-missing bins. */
  nBins: Int32Array;
  /** Per feature, whether any value was missing in the data binned at fit time. */
  hasMissing: Uint8Array;
}

/** Learn bin thresholds per feature (from up to `subsample` rows). @internal */
export function fitBinThresholds(X: Matrix, maxBins = 255, subsample = 200_000, rowIdx?: ArrayLike<number>): Float64Array[] {
  if (maxBins > 255 || maxBins < 2) throw new Error("maxBins must be in [2, 255]");
  const rows = rowIdx ?? Array.from({ length: X.rows }, (_, i) => i);
  const m = Math.min(rows.length, subsample);
  const step = rows.length / m;
  const out: Float64Array[] = [];
  const col = new Float64Array(m);
  for (let j = 0; j < X.cols; j++) {
    let c = 0;
    for (let t = 0; t < m; t++) {
      const v = X.data[rows[Math.floor(t * step)] * X.cols + j];
      if (!Number.isNaN(v)) col[c++] = v;
    }
    const s = col.slice(0, c).sort();
    const distinct: number[] = [];
    for (let t = 0; t < c; t++) if (t === 0 || s[t] !== s[t - 1]) distinct.push(s[t]);
    let th: number[];
    if (distinct.length <= maxBins) {
      th = [];
      for (let t = 0; t + 1 < distinct.length; t++) th.push((distinct[t] + distinct[t + 1]) / 2);
    } else {
      th = [];
      for (let q = 1; q < maxBins; q++) {
        const pos = (q / maxBins) * (c - 1);
        const lo = Math.floor(pos), hi = Math.ceil(pos);
        const v = (s[lo] + s[hi]) / 2; // numpy percentile method="midpoint"
        if (th.length === 0 || v !== th[th.length - 1]) th.push(v);
      }
    }
    out.push(Float64Array.from(th));
  }
  return out;
}

/** Bin of x given sorted thresholds: the count of thresholds < x. @internal */
export function binOf(th: Float64Array, x: number): number {
  if (Number.isNaN(x)) return MISSING_BIN;
  let lo = 0, hi = th.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= th[mid]) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/** Bin a matrix with given thresholds: per feature, a branch-free binary search over the thresholds padded with +∞ to a power of two (the same bins as {@link binOf}). @internal */
export function applyBins(X: Matrix, thresholds: Float64Array[]): BinnedMatrix {
  const n = X.rows, p = X.cols, data = X.data;
  const bins = new Uint8Array(n * p);
  const hasMissing = new Uint8Array(p);
  const nBins = new Int32Array(p);
  for (let j = 0; j < p; j++) {
    const th = thresholds[j], off = j * n;
    nBins[j] = th.length + 1;
    let P = 1;
    while (P < th.length + 1) P <<= 1;
    const pad = new Float64Array(P).fill(Infinity);
    pad.set(th);
    let miss = 0;
    for (let i = 0; i < n; i++) {
      const x = data[i * p + j];
      let lo = 0;
      for (let h = P >>> 1; h > 0; h >>>= 1) lo += x > pad[lo + h - 1] ? h : 0;
      if (x !== x) { lo = MISSING_BIN; miss = 1; }
      bins[off + i] = lo;
    }
    hasMissing[j] = miss;
  }
  return { bins, n, p, thresholds, nBins, hasMissing };
}
