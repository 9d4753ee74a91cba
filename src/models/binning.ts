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

/**
 * Sort `a` (no NaN) ascending in place, in the order of `Float64Array.prototype.sort` (−0 before +0):
 * an LSD radix sort on the IEEE bits made order-preserving (negatives: every bit flipped; others: the
 * sign bit), six passes of 11-bit digits, a pass skipped when every value has the same digit; `tmp`
 * holds at least a.length values. A few times faster than the comparison sort on 10⁵ values. @internal
 */
export function sortFloat64(a: Float64Array, tmp: Float64Array): Float64Array {
  const n = a.length;
  if (n < 512) return a.sort();
  let src = a, dst = tmp.subarray(0, n);
  // six 11-bit digits (three per 32-bit half); every digit's counts from one first pass
  const count = new Int32Array(6 * 2048);
  let u = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  for (let t = 0; t < n; t++) {
    const hi = u[2 * t + 1], neg = hi >> 31, lo = u[2 * t] ^ neg, kh = hi ^ (neg | 0x80000000);
    count[lo & 0x7ff]++; count[2048 + ((lo >>> 11) & 0x7ff)]++; count[4096 + (lo >>> 22)]++;
    count[6144 + (kh & 0x7ff)]++; count[8192 + ((kh >>> 11) & 0x7ff)]++; count[10240 + (kh >>> 22)]++;
  }
  for (let pass = 0; pass < 6; pass++) {
    const base = pass * 2048, shift = (pass % 3) * 11, word = pass >= 3;
    let same = false;
    for (let d = 0; d < 2048; d++) if (count[base + d] !== 0) { same = count[base + d] === n; break; }
    if (same) continue;
    let sum = 0;
    for (let d = 0; d < 2048; d++) { const c = count[base + d]; count[base + d] = sum; sum += c; }
    u = new Uint32Array(src.buffer, src.byteOffset, 2 * n);
    for (let t = 0; t < n; t++) {
      const hi = u[2 * t + 1], neg = hi >> 31;
      const k = word ? hi ^ (neg | 0x80000000) : u[2 * t] ^ neg;
      dst[count[base + ((k >>> shift) & 0x7ff)]++] = src[t];
    }
    const x = src; src = dst; dst = x;
  }
  if (src !== a) a.set(src);
  return a;
}

/** Learn bin thresholds per feature (from up to `subsample` rows). @internal */
export function fitBinThresholds(X: Matrix, maxBins = 255, subsample = 200_000, rowIdx?: ArrayLike<number>): Float64Array[] {
  if (maxBins > 255 || maxBins < 2) throw new Error("maxBins must be in [2, 255]");
  const rows = rowIdx ?? Array.from({ length: X.rows }, (_, i) => i);
  const m = Math.min(rows.length, subsample);
  const step = rows.length / m;
  const out: Float64Array[] = [], p = X.cols, data = X.data;
  // one pass over the sampled rows (each row's cache lines read once) into per-feature columns
  const cols = new Float64Array(m * p), cnt = new Int32Array(p), tmp = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    const o = rows[Math.floor(t * step)] * p;
    for (let j = 0; j < p; j++) { const v = data[o + j]; if (v === v) cols[j * m + cnt[j]++] = v; }
  }
  for (let j = 0; j < p; j++) {
    const c = cnt[j];
    const s = sortFloat64(cols.subarray(j * m, j * m + c), tmp);
    const distinct: number[] = [];
    // the distinct values matter only while there are at most maxBins of them
    for (let t = 0; t < c && distinct.length <= maxBins; t++) if (t === 0 || s[t] !== s[t - 1]) distinct.push(s[t]);
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

/**
 * Bin a matrix with given thresholds: per feature, a branch-free binary search over the thresholds
 * padded with +∞ to a power of two (the same bins as {@link binOf}). The row-major matrix is read in
 * blocks of rows that stay in cache while every feature of the block is binned, so each value's cache
 * line comes from memory once rather than once per feature. @internal
 */
export function applyBins(X: Matrix, thresholds: Float64Array[]): BinnedMatrix {
  const n = X.rows, p = X.cols, data = X.data;
  const bins = new Uint8Array(n * p);
  const hasMissing = new Uint8Array(p);
  const nBins = new Int32Array(p);
  const pads: Float64Array[] = [], half = new Int32Array(p);
  for (let j = 0; j < p; j++) {
    const th = thresholds[j];
    nBins[j] = th.length + 1;
    let P = 1;
    while (P < th.length + 1) P <<= 1;
    const pad = new Float64Array(P).fill(Infinity);
    pad.set(th);
    pads.push(pad); half[j] = P >>> 1;
  }
  const BLOCK = Math.max(64, Math.floor(32_768 / Math.max(1, p)));
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let j = 0; j < p; j++) {
      const pad = pads[j], H = half[j], off = j * n;
      let miss = 0, i = i0;
      // four rows at a time, each step branch-free (h & −(x > t) compiles to a mask, not a jump that the
      // random comparisons would mispredict): four independent search chains in flight
      for (; i + 4 <= i1; i += 4) {
        const x0 = data[i * p + j], x1 = data[(i + 1) * p + j], x2 = data[(i + 2) * p + j], x3 = data[(i + 3) * p + j];
        let l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        for (let h = H; h > 0; h >>>= 1) {
          l0 += h & -(x0 > pad[l0 + h - 1]); l1 += h & -(x1 > pad[l1 + h - 1]);
          l2 += h & -(x2 > pad[l2 + h - 1]); l3 += h & -(x3 > pad[l3 + h - 1]);
        }
        if (x0 !== x0) { l0 = MISSING_BIN; miss = 1; }
        if (x1 !== x1) { l1 = MISSING_BIN; miss = 1; }
        if (x2 !== x2) { l2 = MISSING_BIN; miss = 1; }
        if (x3 !== x3) { l3 = MISSING_BIN; miss = 1; }
        bins[off + i] = l0; bins[off + i + 1] = l1; bins[off + i + 2] = l2; bins[off + i + 3] = l3;
      }
      for (; i < i1; i++) {
        const x = data[i * p + j];
        let lo = 0;
        for (let h = H; h > 0; h >>>= 1) lo += h & -(x > pad[lo + h - 1]);
        if (x !== x) { lo = MISSING_BIN; miss = 1; }
        bins[off + i] = lo;
      }
      if (miss) hasMissing[j] = 1;
    }
  }
  return { bins, n, p, thresholds, nBins, hasMissing };
}
