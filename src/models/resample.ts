import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { createRng } from "../util/random";

/**
 * Class-imbalance resampling of a training set (imbalanced-learn's
 * `sampling_strategy="auto"`): random over-sampling and SMOTE grow every
 * class to the size of the largest; random under-sampling shrinks every
 * class to the size of the smallest. Meant for training rows only — the
 * cross-validation (`crossValidate`'s `resample` option) applies it inside
 * each training fold, never to the rows a fold is scored on.
 */

/** Resampling method. */
export type ResampleMethod = "over" | "under" | "smote";

/** Options for {@link resampleClasses}. */
export interface ResampleOptions {
  /** "over" (random duplicates), "under" (random subset) or "smote" (synthetic minority rows). */
  method: ResampleMethod;
  /** SMOTE: neighbours (same class) to interpolate towards. Default 5. */
  kNeighbors?: number;
  /** Seed. Default 42. */
  seed?: number;
}

/** A resampled training set; `source[i]` is the original row behind row i (for SMOTE rows: the row it was grown from). */
export interface Resampled {
  X: Matrix;
  y: Float64Array;
  /** Original row index behind each output row. */
  source: Int32Array;
  /** Number of synthetic (SMOTE) rows, appended after the original rows. */
  synthetic: number;
}

/**
 * Balance the classes of a training set by random over-sampling, random
 * under-sampling or SMOTE (Chawla et al. 2002: a synthetic row = a minority
 * row + u·(one of its k nearest same-class neighbours − it), u ~ U(0, 1),
 * Euclidean distance on the given, e.g. standardised, features).
 * Rows with missing values cannot be interpolated: impute first.
 *
 * @example
 * const r = resampleClasses(X, y, { method: "smote", kNeighbors: 5 });
 * r.X.rows; // every class as large as the largest
 */
export function resampleClasses(X: Matrix, y: ArrayLike<number>, options: ResampleOptions): Resampled {
  const n = X.rows, p = X.cols;
  if (y.length !== n) throw new CustlabError("E_SHAPE", `resampleClasses: X has ${n} rows but y has ${y.length} labels`);
  const method = options.method;
  if (!["over", "under", "smote"].includes(method)) throw new CustlabError("E_OPTION", `resampleClasses: unknown method "${method}" (over, under, smote)`);
  const rng = createRng(options.seed ?? 42);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) { let r = byClass.get(y[i]); if (!r) byClass.set(y[i], (r = [])); r.push(i); }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const sizes = classes.map((c) => byClass.get(c)!.length);
  const target = method === "under" ? Math.min(...sizes) : Math.max(...sizes);
  const rows: number[] = [];
  const synth: { from: number; to: number; u: number }[] = [];
  const k = options.kNeighbors ?? 5;
  for (const c of classes) {
    const r = byClass.get(c)!;
    if (method === "under") {
      const pick = rng.shuffle(Int32Array.from(r)).slice(0, target);
      pick.sort();
      for (const i of pick) rows.push(i);
      continue;
    }
    for (const i of r) rows.push(i);
    const need = target - r.length;
    if (need <= 0) continue;
    if (method === "over") { for (let t = 0; t < need; t++) rows.push(r[rng.int(r.length)]); continue; }
    // SMOTE: k nearest same-class neighbours of each row of this class
    if (r.length < 2) throw new CustlabError("E_LABEL", `resampleClasses: SMOTE needs at least 2 rows of class ${c} (it has ${r.length}); use method "over"`);
    for (const i of r) for (let j = 0; j < p; j++) if (!Number.isFinite(X.data[i * p + j])) throw new CustlabError("E_SHAPE", `resampleClasses: SMOTE cannot interpolate a missing value (row ${i}, column ${j}); impute first`);
    const kk = Math.min(k, r.length - 1);
    const nbrs = r.map((i) => {
      const d = r.filter((j) => j !== i).map((j) => { let s = 0; for (let q = 0; q < p; q++) { const v = X.data[i * p + q] - X.data[j * p + q]; s += v * v; } return [s, j] as const; });
      d.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      return d.slice(0, kk).map((e) => e[1]);
    });
    for (let t = 0; t < need; t++) {
      const a = rng.int(r.length);
      synth.push({ from: r[a], to: nbrs[a][rng.int(kk)], u: rng.next() });
    }
  }
  const m = rows.length + synth.length;
  const out = new Float64Array(m * p), yy = new Float64Array(m), source = new Int32Array(m);
  rows.forEach((i, t) => { out.set(X.data.subarray(i * p, (i + 1) * p), t * p); yy[t] = y[i]; source[t] = i; });
  synth.forEach((s, q) => {
    const t = rows.length + q;
    for (let j = 0; j < p; j++) out[t * p + j] = X.data[s.from * p + j] + s.u * (X.data[s.to * p + j] - X.data[s.from * p + j]);
    yy[t] = y[s.from]; source[t] = s.from;
  });
  return { X: { data: out, rows: m, cols: p }, y: yy, source, synthetic: synth.length };
}
