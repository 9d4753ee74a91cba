import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { minimizeFista, minimizeLbfgs } from "../util/optim";
import { softmaxRows } from "../util/numeric";
import { estimatorJSON, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type OptionSpec, type Resolved } from "../util/estimator";
import { arr, binaryProba, checkClassWeight, checkMatrix, encodeLabels, notFitted, probaToLabels, rowWeights } from "./labels";
import type { ClassWeight, Classifier, ModelFitOptions } from "./types";

/** Options for {@link LogisticRegression}. */
export interface LogisticRegressionOptions {
  /** `"l2"` (default, L-BFGS), `"l1"` (FISTA proximal gradient; exact zeros) or `"none"`. */
  penalty?: "l2" | "l1" | "none";
  /**
   * Inverse regularisation strength, as in scikit-learn: the objective is
   * `C · Σ wᵢ·lossᵢ + ½‖W‖²` (L2) or `C · Σ wᵢ·lossᵢ + ‖W‖₁` (L1); the intercept is
   * not penalised. Default 1.
   */
  C?: number;
  /** Fit an intercept. Default true. */
  fitIntercept?: boolean;
  /** Maximum optimiser iterations. Default (undefined): 1000 (L-BFGS) / 5000 (L1). */
  maxIter?: number;
  /** Convergence tolerance (gradient ∞-norm of the scaled objective for L-BFGS; step size for L1). Default 1e-7. */
  tol?: number;
  /** Class weights. Default none. */
  classWeight?: ClassWeight;
  /** Unused (the problem is convex and solved deterministically); accepted for a uniform API. Default 42. */
  seed?: number;
}

/**
 * Logistic regression, binary (one weight vector) or multinomial (softmax,
 * one weight vector per class — scikit-learn's `multi_class="multinomial"`).
 * L2 uses L-BFGS and reaches scikit-learn's `lbfgs` solution; L1 uses FISTA
 * with soft-thresholding, so unneeded coefficients are exactly 0.
 * Standardise features first (penalties are scale-dependent).
 *
 * Learned state: `coef_` (k' × p row-major, k' = 1 for binary), `intercept_`
 * (k'), `classes_`, `nIter_`, `converged_`.
 *
 * @example
 * const lr = new LogisticRegression({ C: 1 }).fit(X, y);
 * const p = lr.predictProba(X); // n × 2: P(class 0), P(class 1) per row
 */
export class LogisticRegression implements Classifier, Estimator<Matrix, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<LogisticRegressionOptions> = {
    penalty: { default: "l2", oneOf: ["l2", "l1", "none"] },
    C: { default: 1, gt: 0 },
    fitIntercept: { default: true },
    maxIter: { default: undefined, type: "number", integer: true, min: 1 },
    tol: { default: 1e-7, gt: 0 },
    classWeight: { default: undefined, type: "any", check: checkClassWeight },
    seed: { default: 42 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(LogisticRegression.spec);
  readonly options: Resolved<LogisticRegressionOptions>;
  coef_?: Float64Array;
  intercept_?: Float64Array;
  classes_?: number[];
  nFeatures_?: number;
  nIter_?: number;
  converged_?: boolean;

  constructor(options: LogisticRegressionOptions = {}) {
    this.options = resolveOptions("LogisticRegression", LogisticRegression.spec, options);
  }

  /** Fit on X (n × p) and labels y. */
  fit(X: Matrix, y: ArrayLike<number>, fitOptions: ModelFitOptions = {}): this {
    checkMatrix(X);
    const { penalty, C, fitIntercept, tol } = this.options;
    for (let i = 0; i < X.data.length; i++) if (!Number.isFinite(X.data[i])) throw new CustlabError("E_NAN", `X has a missing or infinite value at row ${Math.floor(i / X.cols)}, column ${X.columns?.[i % X.cols] ?? i % X.cols}: impute first (Preprocessor)`);
    const { classes, codes } = encodeLabels(y, X.rows);
    const w = rowWeights(codes, classes, this.options.classWeight, fitOptions.sampleWeight);
    const n = X.rows, p = X.cols, k = classes.length, kk = k === 2 ? 1 : k;
    let wsum = 0;
    for (let i = 0; i < n; i++) wsum += w[i];
    if (!(wsum > 0)) throw new CustlabError("E_OPTION", "all sample weights are zero");
    const nb = fitIntercept ? kk : 0, dim = kk * p + nb;
    const scale = 1 / wsum; // objective divided by Σw for conditioning (same minimiser)
    const l2 = penalty === "l2" ? 1 / C : 0;
    const D = X.data;
    const z = new Float64Array(kk);
    const loss = (theta: Float64Array, grad: Float64Array): number => {
      grad.fill(0);
      let f = 0;
      for (let i = 0; i < n; i++) {
        const wi = w[i];
        if (wi === 0) continue;
        const off = i * p;
        for (let c = 0; c < kk; c++) {
          let s = fitIntercept ? theta[kk * p + c] : 0;
          const wo = c * p;
          for (let j = 0; j < p; j++) s += theta[wo + j] * D[off + j];
          z[c] = s;
        }
        if (kk === 1) {
          const zz = z[0], yi = codes[i];
          // log(1 + e^z) - y z, stable
          f += wi * ((zz > 0 ? zz + Math.log1p(Math.exp(-zz)) : Math.log1p(Math.exp(zz))) - yi * zz);
          const pr = zz >= 0 ? 1 / (1 + Math.exp(-zz)) : Math.exp(zz) / (1 + Math.exp(zz));
          const r = wi * (pr - yi);
          for (let j = 0; j < p; j++) grad[j] += r * D[off + j];
          if (fitIntercept) grad[p] += r;
        } else {
          let mx = -Infinity;
          for (let c = 0; c < k; c++) if (z[c] > mx) mx = z[c];
          let se = 0;
          for (let c = 0; c < k; c++) { z[c] = Math.exp(z[c] - mx); se += z[c]; }
          const yi = codes[i];
          f += wi * (Math.log(se) - Math.log(z[yi]));
          for (let c = 0; c < k; c++) {
            const r = wi * (z[c] / se - (c === yi ? 1 : 0));
            const wo = c * p;
            for (let j = 0; j < p; j++) grad[wo + j] += r * D[off + j];
            if (fitIntercept) grad[kk * p + c] += r;
          }
        }
      }
      f *= scale;
      for (let j = 0; j < dim; j++) grad[j] *= scale;
      if (l2 > 0) {
        let pen = 0;
        for (let j = 0; j < kk * p; j++) { pen += theta[j] * theta[j]; grad[j] += l2 * scale * theta[j]; }
        f += 0.5 * l2 * scale * pen;
      }
      return f;
    };
    const theta0 = new Float64Array(dim);
    let res;
    if (penalty === "l1") {
      const lam = new Float64Array(dim);
      for (let j = 0; j < kk * p; j++) lam[j] = scale / C;
      res = minimizeFista(loss, theta0, lam, { maxIter: this.options.maxIter ?? 5000, tol: tol * 1e-1 });
    } else {
      // firstStep "inf" and 60 line-search halvings: the settings this model was validated with (same coefficients to the bit)
      const r = minimizeLbfgs(loss, theta0, { m: 10, maxIter: this.options.maxIter ?? 1000, gtol: tol * 1e-2, ftol: 0, firstStep: "inf", maxLineSearch: 60 });
      // nIter_ counts a final line search that found no decrease as an iteration
      res = { ...r, iterations: r.iterations + (r.stopReason === "lineSearch" ? 1 : 0) };
    }
    this.coef_ = res.x.slice(0, kk * p);
    this.intercept_ = fitIntercept ? res.x.slice(kk * p) : new Float64Array(kk);
    this.classes_ = classes;
    this.nFeatures_ = p;
    this.nIter_ = res.iterations;
    this.converged_ = res.converged;
    fitOptions.onProgress?.({ stage: "fit", done: 1, total: 1, message: `logreg ${res.iterations} iterations`, metrics: { loss: res.f } });
    return this;
  }

  /** Linear scores: n (binary) or n × k (multinomial) log-odds / logits. */
  decisionFunction(X: Matrix): Float64Array {
    if (!this.coef_ || !this.intercept_ || !this.classes_) notFitted("LogisticRegression");
    checkMatrix(X, this.nFeatures_);
    const p = X.cols, kk = this.intercept_.length, out = new Float64Array(X.rows * kk);
    for (let i = 0; i < X.rows; i++) for (let c = 0; c < kk; c++) {
      let s = this.intercept_[c];
      for (let j = 0; j < p; j++) s += this.coef_[c * p + j] * X.data[i * p + j];
      out[i * kk + c] = s;
    }
    return out;
  }

  /** Class probabilities, n × k row-major (columns in `classes_` order). */
  predictProba(X: Matrix): Float64Array {
    const z = this.decisionFunction(X);
    const kk = this.intercept_!.length;
    if (kk === 1) { for (let i = 0; i < z.length; i++) z[i] = 1 / (1 + Math.exp(-z[i])); return binaryProba(z); }
    return softmaxRows(z, X.rows, kk);
  }

  /** Most probable label per row. */
  predict(X: Matrix): Float64Array {
    return probaToLabels(this.predictProba(X), this.classes_!, X.rows);
  }

  /** `{ type, version, options, state }` (see {@link EstimatorJSON}). */
  toJSON() {
    return estimatorJSON("LogisticRegression", 1, this.options, this.coef_ && { coef: arr(this.coef_), intercept: arr(this.intercept_!), classes: this.classes_, nFeatures: this.nFeatures_, nIter: this.nIter_, converged: this.converged_ });
  }

  /** Rebuild from {@link LogisticRegression.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(o: unknown): LogisticRegression {
    const { options, state: s } = readEstimatorJSON(o, "LogisticRegression", 1, true);
    const m = new LogisticRegression(options);
    if (s?.coef) { m.coef_ = Float64Array.from(s.coef); m.intercept_ = Float64Array.from(s.intercept); m.classes_ = s.classes; m.nFeatures_ = s.nFeatures; m.nIter_ = s.nIter; m.converged_ = s.converged; }
    return m;
  }
}

registerEstimator("LogisticRegression", LogisticRegression);
