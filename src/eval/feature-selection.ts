import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { createRng } from "../util/random";
import type { Figure } from "../plot/figure";
import { digamma } from "../clv/special";

/**
 * Feature selection by mutual information: the k-nearest-neighbour estimator
 * of I(X_j; y) for a continuous feature and a discrete target (Ross 2014, the
 * estimator of scikit-learn's `mutual_info_classif`), in nats.
 */

/** Options for {@link mutualInfoClassif}. */
export interface MutualInfoOptions {
  /** Neighbours k of the estimator. Default 3 (scikit-learn's). */
  nNeighbors?: number;
  /**
   * Scale each feature by its standard deviation and add noise of 1e-10 × max(1, mean |x|)
   * per value to break ties, as scikit-learn does (seeded). Default true.
   */
  jitter?: boolean;
  /** Seed of the jitter. Default 42. */
  seed?: number;
  /**
   * Column indices to treat as discrete (counts, flags, codes): their MI is the plug-in
   * contingency-table value (scikit-learn's `discrete_features=[…]` / `mutual_info_score`).
   * Default none (all continuous, as scikit-learn for dense input). The k-NN estimator on a
   * column with many ties depends on the tie-breaking jitter, so name such columns here.
   */
  discreteFeatures?: number[];
}

/** Plug-in mutual information (nats) of two discrete variables (scikit-learn's `mutual_info_score`). */
function miDiscrete(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length, joint = new Map<string, number>(), px = new Map<number, number>(), py = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${x[i]}\u0001${y[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    px.set(x[i], (px.get(x[i]) ?? 0) + 1); py.set(y[i], (py.get(y[i]) ?? 0) + 1);
  }
  let mi = 0;
  for (const [key, c] of joint) {
    const [a, b] = key.split("\u0001").map(Number);
    mi += (c / n) * Math.log((c * n) / (px.get(a)! * py.get(b)!));
  }
  return Math.max(0, mi);
}

/** 1-d k-NN mutual information between one continuous column and discrete labels. */
function miContinuousDiscrete(x: Float64Array, y: ArrayLike<number>, k0: number): number {
  const n = x.length;
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) { let r = byClass.get(y[i]); if (!r) byClass.set(y[i], (r = [])); r.push(i); }
  const radius = new Float64Array(n), kAll = new Float64Array(n), counts = new Float64Array(n);
  for (const rows of byClass.values()) {
    const cnt = rows.length;
    for (const i of rows) counts[i] = cnt;
    if (cnt < 2) continue;
    const k = Math.min(k0, cnt - 1);
    const v = Float64Array.from(rows, (i) => x[i]).sort();
    const order = rows.slice().sort((a, b) => x[a] - x[b]);
    for (let j = 0; j < cnt; j++) {
      // k-th smallest distance from v[j] to the other values of its class (merge of left and right neighbours)
      let l = j - 1, r = j + 1, d = 0;
      for (let t = 0; t < k; t++) {
        const dl = l >= 0 ? v[j] - v[l] : Infinity, dr = r < cnt ? v[r] - v[j] : Infinity;
        if (dl <= dr) { d = dl; l--; } else { d = dr; r++; }
      }
      // scikit-learn counts neighbours strictly inside the radius (nextafter(r, 0))
      radius[order[j]] = d; kAll[order[j]] = k;
    }
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (counts[i] > 1) keep.push(i);
  const m = keep.length;
  if (m === 0) return 0;
  const all = Float64Array.from(keep, (i) => x[i]).sort();
  const lower = (t: number) => { let lo = 0, hi = m; while (lo < hi) { const mid = (lo + hi) >> 1; if (all[mid] < t) lo = mid + 1; else hi = mid; } return lo; };
  const upper = (t: number) => { let lo = 0, hi = m; while (lo < hi) { const mid = (lo + hi) >> 1; if (all[mid] <= t) lo = mid + 1; else hi = mid; } return lo; };
  let sK = 0, sN = 0, sM = 0;
  for (const i of keep) {
    // scikit-learn counts the points with |x_j − x_i| ≤ nextafter(r, 0), the point itself included:
    // distance < r, or exact ties when r = 0 (the same subtraction decides, so float rounding agrees)
    const d = radius[i], xi = x[i];
    let lo = lower(xi - d), hi = upper(xi + d);
    const inside = (t: number) => { const dist = Math.abs(all[t] - xi); return d > 0 ? dist < d : dist <= 0; };
    while (lo < hi && !inside(lo)) lo++;
    while (hi > lo && !inside(hi - 1)) hi--;
    const cntIn = Math.max(1, hi - lo);
    sK += digamma(kAll[i]); sN += digamma(counts[i]); sM += digamma(cntIn);
  }
  return Math.max(0, digamma(m) + sK / m - sN / m - sM / m);
}

/**
 * Mutual information (nats) between each feature column and a discrete
 * target, by the k-NN estimator of scikit-learn's `mutual_info_classif`
 * (features treated as continuous, scaled by their standard deviation, tiny
 * seeded jitter to break ties; 0 = independent).
 * @example mutualInfoClassif(X, y); // one value per column
 */
export function mutualInfoClassif(X: Matrix, y: ArrayLike<number>, options: MutualInfoOptions = {}): Float64Array {
  const n = X.rows, p = X.cols, k = options.nNeighbors ?? 3;
  if (y.length !== n) throw new CustlabError("E_SHAPE", `mutualInfoClassif: X has ${n} rows but y has ${y.length} labels`);
  if (!(Number.isInteger(k) && k >= 1)) throw new CustlabError("E_OPTION", `mutualInfoClassif: nNeighbors must be a positive integer, got ${k}`);
  const rng = createRng(options.seed ?? 42);
  const discrete = new Set(options.discreteFeatures ?? []);
  for (const j of discrete) if (!(Number.isInteger(j) && j >= 0 && j < p)) throw new CustlabError("E_OPTION", `mutualInfoClassif: discreteFeatures has ${j}, not a column index 0..${p - 1}`);
  const out = new Float64Array(p), col = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = X.data[i * p + j];
      if (!Number.isFinite(v)) throw new CustlabError("E_SHAPE", `mutualInfoClassif: missing or infinite value at row ${i}, column ${j} (impute first)`);
      col[i] = v; s += v; s2 += v * v;
    }
    if (discrete.has(j)) { out[j] = miDiscrete(col, y); continue; }
    if (options.jitter !== false) {
      const sd = Math.sqrt(Math.max(0, (s2 - (s * s) / n) / Math.max(1, n - 1)));
      let meanAbs = 0;
      for (let i = 0; i < n; i++) { if (sd > 0) col[i] /= sd; meanAbs += Math.abs(col[i]); }
      const scale = 1e-10 * Math.max(1, meanAbs / n);
      for (let i = 0; i < n; i++) col[i] += scale * rng.normal();
    }
    out[j] = miContinuousDiscrete(col, y, k);
  }
  return out;
}

/**
 * Horizontal bars of a per-feature score (mutual information, importance, …), largest on top.
 * @example featureScoreFigure(names, mutualInfoClassif(X, y), "mutual information (nats)");
 */
export function featureScoreFigure(names: string[], scores: ArrayLike<number>, label = "score", top = 20): Figure {
  const idx = names.map((_, j) => j).sort((a, b) => scores[b] - scores[a] || a - b).slice(0, top).reverse();
  return {
    data: [{ type: "bar", orientation: "h", y: idx.map((j) => names[j]), x: idx.map((j) => Math.round(scores[j] * 1e4) / 1e4), marker: { color: "#4c78a8" } }],
    layout: { title: { text: `Features by ${label}` }, xaxis: { title: { text: label } }, margin: { l: 180 } },
  };
}
