import { CustlabError } from "../util/errors";
import { createRng } from "../util/random";
import type { Matrix } from "../util/matrix";
import { takeRows } from "../util/matrix";
import type { ProgressCallback } from "../util/progress";
import { treeEnsembleOf, treeShapEnsemble } from "./treeshap";

/** Anything with `predictProba`, or a plain function from a Matrix to P(class 1) (or n × k probabilities). */
export type Predictor = { predictProba(X: Matrix): Float64Array } | ((X: Matrix) => Float64Array);

/** The output space SHAP values are expressed in. */
export type ShapSpace = "probability" | "log-odds";

/** SHAP values for some rows: `values[i, j]` is feature j's contribution to row i's output. */
export interface ShapExplanation {
  /** n × p contributions; each row sums to output(x) − baseValue. */
  values: Matrix;
  /** Expected output over the background (the starting point of a waterfall). */
  baseValue: number;
  /** Output of each explained row (in `space`). */
  outputs: Float64Array;
  /** The space: "probability" or "log-odds" (logit of P(class)). */
  space: ShapSpace;
  /** Feature names (from the matrix columns, else x0, x1...). */
  featureNames: string[];
  /** The explained rows (model inputs). */
  data: Matrix;
  /** "kernel" (model-agnostic) or "tree" (exact TreeSHAP from the model). */
  method: "kernel" | "tree";
}

/** Options for {@link kernelShap}. */
export interface KernelShapOptions {
  /** Output space (default "log-odds": exact additivity for logistic models). */
  space?: ShapSpace;
  /** Class explained for multiclass models (default 1 for binary = P(class 1)). */
  classIndex?: number;
  /** Number of classes when the model returns n × k probabilities (default: inferred). */
  numClasses?: number;
  /** Enumerate all 2^p coalitions when p ≤ this (exact Shapley values; default 12). */
  exactLimit?: number;
  /** Coalitions sampled when p > exactLimit (default 2p + 2048, in complementary pairs). */
  nSamples?: number;
  /** Seed for coalition sampling (default 42). */
  seed?: number;
  /** One event per explained row. */
  onProgress?: ProgressCallback;
}

const EPS = 1e-12;

function predictFn(model: Predictor): (X: Matrix) => Float64Array {
  return typeof model === "function" ? model : (X) => model.predictProba(X);
}

/**
 * Model output in the chosen space for each row of X. @internal
 *
 * @example
 * ```ts
 * import { fromArrays } from "custlab";
 * const X = fromArrays([[1, 2], [3, 4]]);
 * const model = (_X: typeof X) => Float64Array.from([0.2, 0.9]); // P(class 1) per row
 * outputOf(model, X, "log-odds"); // Float64Array [-1.386, 2.197]
 * ```
 */
export function outputOf(model: Predictor, X: Matrix, space: ShapSpace, classIndex?: number, numClasses?: number): Float64Array {
  const p = predictFn(model)(X);
  let k = numClasses ?? (p.length === X.rows ? 2 : Math.round(p.length / X.rows));
  if (p.length !== X.rows && p.length !== X.rows * k) throw new CustlabError("E_SHAPE", `model returned ${p.length} values for ${X.rows} rows`);
  const out = new Float64Array(X.rows);
  const c = classIndex ?? 1;
  for (let i = 0; i < X.rows; i++) {
    let v = p.length === X.rows ? (c === 0 ? 1 - p[i] : p[i]) : p[i * k + c];
    if (space === "log-odds") { v = Math.min(1 - EPS, Math.max(EPS, v)); v = Math.log(v / (1 - v)); }
    out[i] = v;
  }
  if (k < 2) k = 2;
  return out;
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Solve the symmetric positive (semi)definite system A x = b by Gaussian elimination with partial pivoting and a tiny ridge. */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A), x = Float64Array.from(b);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += M[i * n + i];
  for (let i = 0; i < n; i++) M[i * n + i] += 1e-12 * (tr / Math.max(1, n) + 1e-300);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[piv * n + c])) piv = r;
    if (piv !== c) {
      for (let j = 0; j < n; j++) { const t = M[c * n + j]; M[c * n + j] = M[piv * n + j]; M[piv * n + j] = t; }
      const t = x[c]; x[c] = x[piv]; x[piv] = t;
    }
    const d = M[c * n + c];
    if (Math.abs(d) < 1e-300) continue;
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / d;
      if (f === 0) continue;
      for (let j = c; j < n; j++) M[r * n + j] -= f * M[c * n + j];
      x[r] -= f * x[c];
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let s = x[c];
    for (let j = c + 1; j < n; j++) s -= M[c * n + j] * x[j];
    x[c] = Math.abs(M[c * n + c]) < 1e-300 ? 0 : s / M[c * n + c];
  }
  return x;
}

/**
 * Coalition masks (rows of 0/1 over p features) with their kernel weights. @internal
 *
 * @example
 * ```ts
 * const c = coalitions(3, {}); // p ≤ exactLimit (12): every proper non-empty subset
 * c.count;   // 6 (2³ − 2); c.masks holds 6 rows of 3 zeros/ones
 * const s = coalitions(20, { nSamples: 512, seed: 1 }); // sampled by the Shapley kernel
 * ```
 */
export function coalitions(p: number, o: { exactLimit?: number; nSamples?: number; seed?: number }): { masks: Uint8Array; weights: Float64Array; count: number } {
  if (p <= (o.exactLimit ?? 12)) {
    const count = (1 << p) - 2;
    const masks = new Uint8Array(count * p), weights = new Float64Array(count);
    for (let s = 1; s <= count; s++) {
      let size = 0;
      for (let j = 0; j < p; j++) if (s & (1 << j)) { masks[(s - 1) * p + j] = 1; size++; }
      weights[s - 1] = (p - 1) / (binom(p, size) * size * (p - size));
    }
    return { masks, weights, count };
  }
  const rng = createRng(o.seed ?? 42);
  let nS = o.nSamples ?? 2 * p + 2048;
  nS += nS % 2;
  // sizes 1..p−1 drawn with probability ∝ (p−1)/(s(p−s)) — the Shapley kernel summed over subsets of size s
  const sizeW = Array.from({ length: p - 1 }, (_, i) => (p - 1) / ((i + 1) * (p - 1 - i)));
  const masks = new Uint8Array(nS * p), weights = new Float64Array(nS).fill(1);
  const perm = Int32Array.from({ length: p }, (_, j) => j);
  for (let t = 0; t < nS; t += 2) {
    const size = rng.categorical(sizeW) + 1;
    for (let j = 0; j < size; j++) { const r = j + rng.int(p - j); const tmp = perm[j]; perm[j] = perm[r]; perm[r] = tmp; }
    for (let j = 0; j < p; j++) masks[(t + 1) * p + j] = 1;
    for (let j = 0; j < size; j++) { masks[t * p + perm[j]] = 1; masks[(t + 1) * p + perm[j]] = 0; }
  }
  return { masks, weights, count: nS };
}

/**
 * Model-agnostic Kernel SHAP (Lundberg & Lee 2017): for each row x, the
 * value of a coalition S is the mean model output over the background rows
 * with the features in S set to x's values; SHAP values are the weighted
 * least-squares fit of those values under the Shapley kernel, constrained to
 * add up to output(x) − baseValue. With p ≤ `exactLimit` features every
 * coalition is enumerated and the result equals the exact (interventional)
 * Shapley values; above it, coalitions are sampled in complementary pairs
 * (seeded).
 *
 * The output is averaged in the chosen space (`log-odds` by default), so for
 * a logistic regression on independent features the values equal
 * coef × (x − background mean).
 *
 * @param model - a fitted model or a predict function
 * @param X - rows to explain (e.g. customers of interest)
 * @param background - reference rows (e.g. 50–100 training rows)
 * @example
 * const ex = kernelShap(model, takeRows(X, [0, 1, 2]), takeRows(X, Array.from({ length: 50 }, (_, i) => i)), { space: "log-odds" });
 * ex.values; ex.baseValue;
 */
export function kernelShap(model: Predictor, X: Matrix, background: Matrix, options: KernelShapOptions = {}): ShapExplanation {
  const p = X.cols, B = background.rows;
  if (background.cols !== p) throw new CustlabError("E_SHAPE", `kernelShap: background has ${background.cols} columns but X has ${p}`);
  if (B < 1) throw new CustlabError("E_SHAPE", "kernelShap: background needs at least one row");
  const space = options.space ?? "log-odds";
  const out = (M: Matrix) => outputOf(model, M, space, options.classIndex, options.numClasses);
  const bgOut = out(background);
  let base = 0;
  for (let i = 0; i < B; i++) base += bgOut[i];
  base /= B;
  const fx = out(X);
  const names = X.columns ?? Array.from({ length: p }, (_, j) => `x${j}`);
  const values = new Float64Array(X.rows * p);
  if (p === 1) {
    for (let i = 0; i < X.rows; i++) values[i] = fx[i] - base;
    return { values: { data: values, rows: X.rows, cols: p, columns: names }, baseValue: base, outputs: fx, space, featureNames: names, data: X, method: "kernel" };
  }
  const { masks, weights, count } = coalitions(p, options);
  // evaluate coalitions in chunks of rows
  const chunk = Math.max(1, Math.floor(200_000 / B));
  const vz = new Float64Array(count);
  const q = p - 1;
  for (let i = 0; i < X.rows; i++) {
    const x = X.data.subarray(i * p, (i + 1) * p);
    for (let c0 = 0; c0 < count; c0 += chunk) {
      const c1 = Math.min(count, c0 + chunk);
      const rows = (c1 - c0) * B;
      const data = new Float64Array(rows * p);
      for (let c = c0; c < c1; c++) {
        const m = masks.subarray(c * p, (c + 1) * p);
        for (let b = 0; b < B; b++) {
          const o = ((c - c0) * B + b) * p;
          for (let j = 0; j < p; j++) data[o + j] = m[j] ? x[j] : background.data[b * p + j];
        }
      }
      const y = out({ data, rows, cols: p, columns: X.columns });
      for (let c = c0; c < c1; c++) {
        let s = 0;
        for (let b = 0; b < B; b++) s += y[(c - c0) * B + b];
        vz[c] = s / B;
      }
    }
    // constrained WLS: eliminate the last feature with Σφ = fx − base
    const total = fx[i] - base;
    const AtA = new Float64Array(q * q), Atb = new Float64Array(q);
    const a = new Float64Array(q);
    for (let c = 0; c < count; c++) {
      const m = masks.subarray(c * p, (c + 1) * p);
      const zl = m[p - 1];
      for (let j = 0; j < q; j++) a[j] = m[j] - zl;
      const yv = vz[c] - base - zl * total;
      const w = weights[c];
      for (let j = 0; j < q; j++) {
        if (a[j] === 0) continue;
        const wa = w * a[j];
        Atb[j] += wa * yv;
        for (let k = 0; k < q; k++) AtA[j * q + k] += wa * a[k];
      }
    }
    const phi = solve(AtA, Atb, q);
    let s = 0;
    for (let j = 0; j < q; j++) { values[i * p + j] = phi[j]; s += phi[j]; }
    values[i * p + q] = total - s;
    options.onProgress?.({ stage: "shap", done: i + 1, total: X.rows });
  }
  return { values: { data: values, rows: X.rows, cols: p, columns: names }, baseValue: base, outputs: fx, space, featureNames: names, data: X, method: "kernel" };
}

/** A model that computes exact TreeSHAP itself (custlab's tree models). */
export interface TreeShapModel {
  shapValues(X: Matrix, options?: { classIndex?: number }): { values: Matrix; expectedValue: number; space: ShapSpace; classIndex: number };
  predictProba(X: Matrix): Float64Array;
}

/** Options for {@link explainModel}. */
export interface ExplainOptions extends KernelShapOptions {
  /** Background rows for Kernel SHAP (default: up to `backgroundSize` rows of X sampled with the seed). */
  background?: Matrix;
  /** Background sample size when none is given (default 50). */
  backgroundSize?: number;
  /** Use Kernel SHAP even when the model offers exact TreeSHAP (default false). */
  forceKernel?: boolean;
  /** Threads for TreeSHAP (default: available CPUs, at most 8; see `treeShap`). */
  nThreads?: number;
}

/**
 * SHAP values for any model: exact TreeSHAP when the model has one (custlab's
 * trees, forests and boosting, and XGBoost models from `readXGBoostModel`, on
 * worker threads via `treeShap`; any other `model.shapValues`), otherwise {@link kernelShap}
 * against a background sample. Either way each row adds up to
 * output − baseValue in the reported `space`.
 * @example
 * const ex = explainModel(gbdt, Xtest);       // exact TreeSHAP in log-odds
 * const ex2 = explainModel(mlp, Xtest, { background: Xtrain, backgroundSize: 50 });
 */
export function explainModel(model: Predictor | TreeShapModel, X: Matrix, options: ExplainOptions = {}): ShapExplanation {
  const names = X.columns ?? Array.from({ length: X.cols }, (_, j) => `x${j}`);
  if (!options.forceKernel && typeof model === "object" && typeof (model as TreeShapModel).shapValues === "function") {
    // custlab's tree models and XGBoost models: the threaded TreeSHAP; other models: their own shapValues
    const ens = treeEnsembleOf(model, options.classIndex);
    const sv = ens ? treeShapEnsemble(ens, X, { nThreads: options.nThreads, onProgress: options.onProgress }) : (model as TreeShapModel).shapValues(X, options.classIndex !== undefined ? { classIndex: options.classIndex } : undefined);
    const outputs = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = sv.expectedValue;
      for (let j = 0; j < X.cols; j++) s += sv.values.data[i * X.cols + j];
      outputs[i] = s;
    }
    return { values: { ...sv.values, columns: names }, baseValue: sv.expectedValue, outputs, space: sv.space, featureNames: names, data: X, method: "tree" };
  }
  let bg = options.background;
  const size = options.backgroundSize ?? 50;
  const src = bg ?? X;
  if (src.rows > size) {
    const rng = createRng(options.seed ?? 42);
    const idx = rng.shuffle(Int32Array.from({ length: src.rows }, (_, i) => i)).slice(0, size);
    bg = takeRows(src, idx);
  } else bg = src;
  return kernelShap(model as Predictor, X, bg, options);
}
