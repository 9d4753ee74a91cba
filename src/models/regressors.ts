import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { createRng } from "../util/random";
import { applyBins, fitBinThresholds } from "./binning";
import { estimatorJSON, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type OptionRule, type OptionSpec, type Resolved } from "../util/estimator";
import { checkMatrix, notFitted } from "./labels";
import { treeFromJSON, treeLeaf, treeToJSON, TreeArrays } from "./tree-core";
import { defaultGbdtThreads } from "./hist-kernel";
import { HistTreeGrower, HIST_BOOSTING_SPEC, noImprovement, treeLeafBinned, type HistBoostingTreeOptions } from "./gbdt";
import type { ModelFitOptions } from "./types";

/**
 * Regressors under the estimator contract: a histogram gradient-boosted
 * regressor (squared error, Poisson, Tweedie; the algorithm of scikit-learn's
 * HistGradientBoostingRegressor, on the same tree grower as the classifier), a
 * random-forest regressor (bagged histogram trees) and a ridge linear
 * regressor with an optional log target.
 */

/** The regression contract: `fit(X, y)` with real-valued y, `predict(X)` one number per row. */
export interface Regressor {
  /** The resolved constructor options (defaults filled in, frozen). */
  readonly options: object;
  fit(X: Matrix, y: ArrayLike<number>, options?: ModelFitOptions): this;
  predict(X: Matrix): Float64Array;
  toJSON(): object;
}

function checkTarget(y: ArrayLike<number>, n: number, cls: string, nonNegative: boolean): Float64Array {
  if (y.length !== n) throw new CustlabError("E_SHAPE", `${cls}: y has ${y.length} values but X has ${n} rows`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) throw new CustlabError("E_LABEL", `${cls}: y[${i}] is ${v}; targets must be finite numbers`);
    if (nonNegative && v < 0) throw new CustlabError("E_LABEL", `${cls}: y[${i}] is ${v}; this loss needs targets ≥ 0`);
    out[i] = v;
  }
  return out;
}

function sampleWeights(n: number, sw: ArrayLike<number> | undefined): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (!sw) return w;
  if (sw.length !== n) throw new CustlabError("E_SHAPE", `sampleWeight has ${sw.length} entries but X has ${n} rows`);
  for (let i = 0; i < n; i++) {
    if (!(sw[i] >= 0) || !Number.isFinite(sw[i])) throw new CustlabError("E_OPTION", `sampleWeight[${i}] = ${sw[i]}: weights must be finite and ≥ 0`);
    w[i] = sw[i];
  }
  return w;
}

// ---------------------------------------------------------------------------
// Gradient boosting

/** Loss of {@link HistGradientBoostingRegressor}. */
export type RegressionLoss = "squared_error" | "poisson" | "tweedie";

/** Options for {@link HistGradientBoostingRegressor}; defaults mirror scikit-learn's HistGradientBoostingRegressor (1.2). */
export interface HistGradientBoostingRegressorOptions extends HistBoostingTreeOptions {
  /**
   * `"squared_error"` (default; identity link), `"poisson"` (log link, y ≥ 0) or
   * `"tweedie"` (log link, power `tweediePower` in (1, 2): a point mass at 0 plus a continuous part — spend).
   */
  loss?: RegressionLoss;
  /** Tweedie power p, 1 < p < 2 (only for loss "tweedie"). Default 1.5. */
  tweediePower?: number;
}

const EPS = 2.220446049250313e-16;

/** Per-row loss, gradient and hessian of a regression loss on the raw (link) scale. */
function lossKernel(loss: RegressionLoss, p: number) {
  if (loss === "squared_error") return {
    base: (mean: number) => mean,
    inv: (z: number) => z,
    grad: (z: number, y: number) => z - y,
    hess: () => 1,
    value: (z: number, y: number) => 0.5 * (z - y) * (z - y),
  };
  if (loss === "poisson") return {
    base: (mean: number) => Math.log(Math.max(mean, EPS)),
    inv: Math.exp,
    grad: (z: number, y: number) => Math.exp(z) - y,
    hess: (z: number) => Math.exp(z),
    value: (z: number, y: number) => Math.exp(z) - y * z,
  };
  return {
    base: (mean: number) => Math.log(Math.max(mean, EPS)),
    inv: Math.exp,
    grad: (z: number, y: number) => -y * Math.exp((1 - p) * z) + Math.exp((2 - p) * z),
    hess: (z: number, y: number) => -(1 - p) * y * Math.exp((1 - p) * z) + (2 - p) * Math.exp((2 - p) * z),
    value: (z: number, y: number) => (-y * Math.exp((1 - p) * z)) / (1 - p) + Math.exp((2 - p) * z) / (2 - p),
  };
}

/**
 * Histogram gradient-boosted regression trees (scikit-learn's
 * HistGradientBoostingRegressor): binned features, leaf-wise trees grown from
 * gradient/hessian histograms by the same grower as
 * {@link HistGradientBoostingClassifier}. Squared error (identity link) or
 * Poisson / Tweedie deviance (log link, predictions > 0) for counts and spend.
 * Learned state: `trees_`, `baseline_`, `nIter_`, `trainLoss_`, `validationLoss_`.
 *
 * @example
 * const reg = new HistGradientBoostingRegressor({ loss: "poisson", maxIter: 200 }).fit(X, p);
 * reg.predict(X); // expected value per row
 */
export class HistGradientBoostingRegressor implements Regressor, Estimator<Matrix, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<HistGradientBoostingRegressorOptions> = {
    ...HIST_BOOSTING_SPEC,
    loss: { default: "squared_error", oneOf: ["squared_error", "poisson", "tweedie"] } as OptionRule<RegressionLoss | undefined>,
    tweediePower: { default: 1.5, gt: 1, lt: 2 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(HistGradientBoostingRegressor.spec);
  readonly options: Resolved<HistGradientBoostingRegressorOptions>;
  /** One tree per boosting iteration. */
  trees_?: TreeArrays[];
  /** Raw-scale start value (mean, or log of the mean for log-link losses). */
  baseline_?: number;
  nFeatures_?: number;
  nIter_?: number;
  trainLoss_?: number[];
  validationLoss_?: number[];

  constructor(options: HistGradientBoostingRegressorOptions = {}) {
    this.options = resolveOptions("HistGradientBoostingRegressor", HistGradientBoostingRegressor.spec, options);
  }

  fit(X: Matrix, y: ArrayLike<number>, fitOptions: ModelFitOptions = {}): this {
    checkMatrix(X);
    const o = this.options, n = X.rows;
    const yy = checkTarget(y, n, "HistGradientBoostingRegressor", o.loss !== "squared_error");
    const w = sampleWeights(n, fitOptions.sampleWeight);
    const K = lossKernel(o.loss, o.tweediePower);
    const useES = o.earlyStopping === true || (o.earlyStopping === "auto" && n > 10_000);
    let trainRows: Int32Array, valRows = new Int32Array(0);
    if (useES) {
      // random (unstratified) split, as scikit-learn's train_test_split for regressors
      const perm = Int32Array.from({ length: n }, (_, i) => i);
      createRng(o.seed).shuffle(perm);
      const nv = Math.max(1, Math.round(n * o.validationFraction));
      valRows = perm.slice(0, nv).sort(); trainRows = perm.slice(nv).sort();
    } else trainRows = Int32Array.from({ length: n }, (_, i) => i);
    const B = applyBins(X, fitBinThresholds(X, o.maxBins, 200_000, trainRows));
    let sw = 0, sy = 0;
    for (const i of trainRows) { sw += w[i]; sy += w[i] * yy[i]; }
    if (!(sw > 0)) throw new CustlabError("E_LABEL", "HistGradientBoostingRegressor: every training weight is 0");
    const baseline = K.base(sy / sw);
    const raw = new Float64Array(n).fill(baseline);
    const lossOf = (rows: Int32Array): number => {
      let s = 0, ws = 0;
      for (const i of rows) { s += w[i] * K.value(raw[i], yy[i]); ws += w[i]; }
      return s / ws;
    };
    const trees: TreeArrays[] = [], trainLoss: number[] = [], valLoss: number[] = [];
    const scores: number[] = [];
    if (useES) scores.push(-lossOf(valRows));
    const grow = { maxLeaves: o.maxLeafNodes, maxDepth: o.maxDepth, minLeaf: o.minSamplesLeaf, l2: o.l2Regularization, lr: o.learningRate };
    const grower = new HistTreeGrower(B, trainRows.length, grow, o.nThreads || defaultGbdtThreads()), gh = grower.gh;
    const unitWeights = w.every((v) => v === 1), identity = trainRows.length === n;
    try {
    for (let it = 0; it < o.maxIter; it++) {
      for (const i of trainRows) {
        // float32 like scikit-learn (G_H_DTYPE)
        gh[2 * i] = w[i] * K.grad(raw[i], yy[i]);
        gh[2 * i + 1] = w[i] * K.hess(raw[i], yy[i]);
      }
      grower.rows.set(trainRows);
      const tree = grower.grow(unitWeights ? null : w, trainRows.length, identity);
      trees.push(tree);
      grower.addLeafValues(tree, raw);
      for (const i of valRows) raw[i] += tree.value[treeLeafBinned(tree, B, i)];
      const tl = lossOf(trainRows);
      trainLoss.push(tl);
      const metrics: Record<string, number> = { loss: tl };
      let stop = false;
      if (useES) {
        const vl = lossOf(valRows);
        valLoss.push(vl); metrics.val_loss = vl; scores.push(-vl);
        stop = noImprovement(scores, o.nIterNoChange, o.tol);
      }
      fitOptions.onProgress?.({ stage: "boost", done: it + 1, total: o.maxIter, metrics, final: stop || it + 1 === o.maxIter });
      if (stop) break;
    }
    } finally { grower.close(); }
    this.trees_ = trees; this.baseline_ = baseline; this.nFeatures_ = X.cols; this.nIter_ = trees.length;
    this.trainLoss_ = trainLoss; this.validationLoss_ = valLoss;
    return this;
  }

  /** Raw (link-scale) predictions: the mean for squared error, log of the mean for Poisson / Tweedie. */
  decisionFunction(X: Matrix): Float64Array {
    if (!this.trees_) notFitted("HistGradientBoostingRegressor");
    checkMatrix(X, this.nFeatures_);
    const n = X.rows, raw = new Float64Array(n).fill(this.baseline_!);
    for (const t of this.trees_) for (let i = 0; i < n; i++) raw[i] += t.value[treeLeaf(t, X.data, i * X.cols)];
    return raw;
  }

  /** Predicted mean per row. */
  predict(X: Matrix): Float64Array {
    const raw = this.decisionFunction(X);
    if (this.options.loss !== "squared_error") for (let i = 0; i < raw.length; i++) raw[i] = Math.exp(raw[i]);
    return raw;
  }

  /** `{ type, version, options, state }`. */
  toJSON() {
    return estimatorJSON("HistGradientBoostingRegressor", 1, this.options, this.trees_ && { nFeatures: this.nFeatures_, baseline: this.baseline_, nIter: this.nIter_, trainLoss: this.trainLoss_, validationLoss: this.validationLoss_, trees: this.trees_.map(treeToJSON) });
  }

  /** Rebuild from {@link HistGradientBoostingRegressor.toJSON} output. */
  static fromJSON(o: unknown): HistGradientBoostingRegressor {
    const { options, state: s } = readEstimatorJSON(o, "HistGradientBoostingRegressor", 1);
    const m = new HistGradientBoostingRegressor(options);
    if (s?.trees) {
      m.trees_ = s.trees.map(treeFromJSON); m.baseline_ = s.baseline; m.nFeatures_ = s.nFeatures; m.nIter_ = s.nIter;
      m.trainLoss_ = s.trainLoss; m.validationLoss_ = s.validationLoss;
    }
    return m;
  }
}

// ---------------------------------------------------------------------------
// Random forest

/** Options for {@link RandomForestRegressor}. */
export interface RandomForestRegressorOptions {
  /** Number of trees. Default 100. */
  nEstimators?: number;
  /** Minimum rows per leaf. Default 5. */
  minSamplesLeaf?: number;
  /** Maximum leaves per tree (best-first growth). Default 1024. */
  maxLeafNodes?: number;
  /** Maximum depth. Default unlimited. */
  maxDepth?: number;
  /** Bins per feature (≤ 255). Default 255. */
  maxBins?: number;
  /** Rows drawn (with replacement) per tree as a share of n. Default 1. */
  maxSamples?: number;
  /** Seed for the bootstraps. Default 42. */
  seed?: number;
}

/**
 * Random-forest regressor: each tree is a variance-reduction (squared-error)
 * tree grown best-first on a bootstrap sample (drawn counts used as weights,
 * never copies) over binned features, all features tried at each split
 * (scikit-learn's RandomForestRegressor default `max_features=1.0`);
 * the prediction is the mean of the trees. Learned state: `trees_`, `nFeatures_`.
 *
 * @example
 * const rf = new RandomForestRegressor({ nEstimators: 200, minSamplesLeaf: 3 }).fit(X, p);
 * rf.predict(X);
 */
export class RandomForestRegressor implements Regressor, Estimator<Matrix, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<RandomForestRegressorOptions> = {
    nEstimators: { default: 100, integer: true, min: 1 },
    minSamplesLeaf: { default: 5, integer: true, min: 1 },
    maxLeafNodes: { default: 1024, integer: true, min: 2 },
    maxDepth: { default: Infinity, integer: true, min: 1 },
    maxBins: { default: 255, integer: true, min: 2, max: 255 },
    maxSamples: { default: 1, gt: 0, max: 1 },
    seed: { default: 42 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(RandomForestRegressor.spec);
  readonly options: Resolved<RandomForestRegressorOptions>;
  trees_?: TreeArrays[];
  nFeatures_?: number;

  constructor(options: RandomForestRegressorOptions = {}) {
    this.options = resolveOptions("RandomForestRegressor", RandomForestRegressor.spec, options);
  }

  fit(X: Matrix, y: ArrayLike<number>, fitOptions: ModelFitOptions = {}): this {
    checkMatrix(X);
    const o = this.options, n = X.rows;
    const yy = checkTarget(y, n, "RandomForestRegressor", false);
    const sw = sampleWeights(n, fitOptions.sampleWeight);
    const B = applyBins(X, fitBinThresholds(X, o.maxBins, 200_000));
    const rng = createRng(o.seed);
    const draws = Math.max(1, Math.round(o.maxSamples * n));
    const cnt = new Float64Array(n);
    const trees: TreeArrays[] = [];
    const grow = { maxLeaves: o.maxLeafNodes, maxDepth: o.maxDepth, minLeaf: o.minSamplesLeaf, l2: 0, lr: 1 };
    const grower = new HistTreeGrower(B, n, grow), gh = grower.gh, rows = grower.rows;
    for (let t = 0; t < o.nEstimators; t++) {
      cnt.fill(0);
      for (let d = 0; d < draws; d++) cnt[rng.int(n)]++;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const wi = cnt[i] * sw[i];
        // squared error from 0: gradient −w·y, hessian w → leaf value = weighted mean of y (float32 pairs)
        gh[2 * i] = -wi * yy[i]; gh[2 * i + 1] = wi;
        if (wi > 0) rows[m++] = i;
      }
      trees.push(grower.grow(cnt, m));
      fitOptions.onProgress?.({ stage: "tree", done: t + 1, total: o.nEstimators, final: t + 1 === o.nEstimators });
    }
    this.trees_ = trees; this.nFeatures_ = X.cols;
    return this;
  }

  /** Mean of the trees' predictions. */
  predict(X: Matrix): Float64Array {
    if (!this.trees_) notFitted("RandomForestRegressor");
    checkMatrix(X, this.nFeatures_);
    const n = X.rows, out = new Float64Array(n);
    for (const t of this.trees_) for (let i = 0; i < n; i++) out[i] += t.value[treeLeaf(t, X.data, i * X.cols)];
    for (let i = 0; i < n; i++) out[i] /= this.trees_.length;
    return out;
  }

  /** `{ type, version, options, state }`. */
  toJSON() {
    return estimatorJSON("RandomForestRegressor", 1, this.options, this.trees_ && { nFeatures: this.nFeatures_, trees: this.trees_.map(treeToJSON) });
  }

  /** Rebuild from {@link RandomForestRegressor.toJSON} output. */
  static fromJSON(o: unknown): RandomForestRegressor {
    const { options, state: s } = readEstimatorJSON(o, "RandomForestRegressor", 1);
    const m = new RandomForestRegressor(options);
    if (s?.trees) { m.trees_ = s.trees.map(treeFromJSON); m.nFeatures_ = s.nFeatures; }
    return m;
  }
}

// ---------------------------------------------------------------------------
// Linear

/** Options for {@link LinearRegressor}. */
export interface LinearRegressorOptions {
  /** Ridge penalty α·‖β‖² on the coefficients (not the intercept). Default 1e-6 (plain least squares, kept solvable). */
  alpha?: number;
  /**
   * Fit log1p(y) and predict expm1 of the linear predictor times one level factor
   * (Σ y ÷ Σ expm1(prediction) on the training rows), so predictions are on the
   * scale of means, not medians; more stable than Duan's smearing on zero-inflated
   * spend. Needs y ≥ 0. Default false.
   */
  logTarget?: boolean;
}

/**
 * Linear least-squares regressor with a ridge penalty, optionally on a log
 * target (spend is skewed: `logTarget: true` fits log1p(spend); the linear
 * predictor is then clipped to the training range of log1p(y)). Solved in
 * closed form by Cholesky on the (standardised) normal equations. Learned
 * state: `coef_`, `intercept_`, `smearing_` (level factor), `logRange_`.
 *
 * @example
 * const lin = new LinearRegressor({ logTarget: true }).fit(X, p);
 * lin.predict(X);
 */
export class LinearRegressor implements Regressor, Estimator<Matrix, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<LinearRegressorOptions> = {
    alpha: { default: 1e-6, min: 0 },
    logTarget: { default: false },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(LinearRegressor.spec);
  readonly options: Resolved<LinearRegressorOptions>;
  coef_?: Float64Array;
  intercept_?: number;
  /** The level factor of the log target (1 without a log target). */
  smearing_?: number;
  /** With a log target: the range of log1p(y) seen in training; the linear predictor is clipped to it, so an extreme row cannot explode through exp. */
  logRange_?: [number, number];

  constructor(options: LinearRegressorOptions = {}) {
    this.options = resolveOptions("LinearRegressor", LinearRegressor.spec, options);
  }

  fit(X: Matrix, y: ArrayLike<number>, fitOptions: ModelFitOptions = {}): this {
    checkMatrix(X);
    const n = X.rows, p = X.cols, o = this.options;
    const yy = checkTarget(y, n, "LinearRegressor", o.logTarget);
    for (let i = 0; i < X.data.length; i++) if (!Number.isFinite(X.data[i])) throw new CustlabError("E_SHAPE", `LinearRegressor: X has a missing or infinite value at row ${Math.floor(i / p)}, column ${i % p} (impute first, e.g. Preprocessor)`);
    const w = sampleWeights(n, fitOptions.sampleWeight);
    const t = o.logTarget ? yy.map(Math.log1p) : yy;
    let sw = 0;
    const mx = new Float64Array(p), sd = new Float64Array(p);
    let my = 0;
    for (let i = 0; i < n; i++) { sw += w[i]; my += w[i] * t[i]; for (let j = 0; j < p; j++) mx[j] += w[i] * X.data[i * p + j]; }
    my /= sw; for (let j = 0; j < p; j++) mx[j] /= sw;
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) { const d = X.data[i * p + j] - mx[j]; sd[j] += w[i] * d * d; }
    for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j] / sw) || 1;
    // normal equations on standardised columns: (ZᵀWZ + αI) b = ZᵀW(t − t̄)
    const A = new Float64Array(p * p), rhs = new Float64Array(p), z = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) z[j] = (X.data[i * p + j] - mx[j]) / sd[j];
      const r = t[i] - my, wi = w[i];
      for (let a = 0; a < p; a++) { rhs[a] += wi * z[a] * r; for (let b = 0; b <= a; b++) A[a * p + b] += wi * z[a] * z[b]; }
    }
    for (let a = 0; a < p; a++) { A[a * p + a] += o.alpha + 1e-12 * sw; for (let b = 0; b < a; b++) A[b * p + a] = A[a * p + b]; }
    const beta = choleskySolve(A, rhs, p);
    const coef = new Float64Array(p);
    let intercept = my;
    for (let j = 0; j < p; j++) { coef[j] = beta[j] / sd[j]; intercept -= coef[j] * mx[j]; }
    this.coef_ = coef; this.intercept_ = intercept; this.smearing_ = 1;
    if (o.logTarget) {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < n; i++) { lo = Math.min(lo, t[i]); hi = Math.max(hi, t[i]); }
      this.logRange_ = [lo, hi];
      // level calibration: one factor so the training predictions' weighted sum equals the targets'
      const lp = this.linear(X);
      let num = 0, den = 0;
      for (let i = 0; i < n; i++) { num += w[i] * yy[i]; den += w[i] * Math.expm1(Math.min(hi, Math.max(lo, lp[i]))); }
      this.smearing_ = den > 0 ? num / den : 1;
    }
    return this;
  }

  private linear(X: Matrix): Float64Array {
    const p = X.cols, out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) { let s = this.intercept_!; for (let j = 0; j < p; j++) s += this.coef_![j] * X.data[i * p + j]; out[i] = s; }
    return out;
  }

  /** Predicted mean per row (back-transformed with smearing on a log target). */
  predict(X: Matrix): Float64Array {
    if (!this.coef_) notFitted("LinearRegressor");
    checkMatrix(X, this.coef_.length);
    const lp = this.linear(X);
    if (this.options.logTarget) {
      const [lo, hi] = this.logRange_ ?? [-Infinity, Infinity];
      for (let i = 0; i < lp.length; i++) lp[i] = Math.max(0, Math.expm1(Math.min(hi, Math.max(lo, lp[i]))) * this.smearing_!);
    }
    return lp;
  }

  /** `{ type, version, options, state }`. */
  toJSON() {
    return estimatorJSON("LinearRegressor", 1, this.options, this.coef_ && { coef: Array.from(this.coef_), intercept: this.intercept_, smearing: this.smearing_, logRange: this.logRange_ });
  }

  /** Rebuild from {@link LinearRegressor.toJSON} output. */
  static fromJSON(o: unknown): LinearRegressor {
    const { options, state: s } = readEstimatorJSON(o, "LinearRegressor", 1);
    const m = new LinearRegressor(options);
    if (s?.coef) { m.coef_ = Float64Array.from(s.coef); m.intercept_ = s.intercept; m.smearing_ = s.smearing; m.logRange_ = s.logRange; }
    return m;
  }
}

/** Solve A x = b for symmetric positive-definite A (p × p, row-major) by Cholesky. @internal */
export function choleskySolve(A: Float64Array, b: Float64Array, p: number): Float64Array {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      if (i === j) {
        if (!(s > 0)) throw new CustlabError("E_SINGULAR", "the normal equations are singular (constant or duplicated columns?); raise alpha");
        L[i * p + i] = Math.sqrt(s);
      } else L[i * p + j] = s / L[j * p + j];
    }
  }
  const x = new Float64Array(p);
  for (let i = 0; i < p; i++) { let s = b[i]; for (let k = 0; k < i; k++) s -= L[i * p + k] * x[k]; x[i] = s / L[i * p + i]; }
  for (let i = p - 1; i >= 0; i--) { let s = x[i]; for (let k = i + 1; k < p; k++) s -= L[k * p + i] * x[k]; x[i] = s / L[i * p + i]; }
  return x;
}

registerEstimator("HistGradientBoostingRegressor", HistGradientBoostingRegressor);
registerEstimator("RandomForestRegressor", RandomForestRegressor);
registerEstimator("LinearRegressor", LinearRegressor);
