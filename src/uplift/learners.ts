/**
 * Uplift models over any custlab classifier of the model zoo. With a
 * synchronous base (`logreg`, `tree`, `forest`, `gbdt`) `fit` returns the
 * model; with an asynchronous one (the tfjs models `mlp`, `lstm`, `gru`,
 * `transformer` on a flat feature matrix, and `ensemble`, `stacking`) `fit`
 * returns `Promise<this>` (the estimator contract's {@link AsyncEstimator}).
 * One fit body serves both: it is a generator driven by {@link driveFit}.
 * - {@link TLearner}: one outcome model per arm; uplift = P(y | x, treated) − P(y | x, control).
 * - {@link XLearner} (Künzel et al. 2019): outcome models per arm, imputed individual effects
 *   regressed on x per arm, blended by the propensity.
 * - {@link ClassTransformationUplift} (Jaskowski & Jaroszewicz 2012): one classifier of
 *   Z = y·t + (1 − y)(1 − t), with arms re-weighted to equal size; uplift = 2·P(Z = 1 | x) − 1.
 *
 * Regressing an effect in [−1, 1] with a classifier: each row enters twice, as label 1 with
 * weight (1 + D)/2 and as label 0 with weight (1 − D)/2; the weighted log-loss minimiser is
 * P(1 | x) = E[(1 + D)/2 | x], so E[D | x] = 2·P(1 | x) − 1.
 */
import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import {
  estimatorJSON, notFitted, positiveProba, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults,
  type EstimatorJSON, type FitOptions, type OptionSpec, type Resolved,
} from "../util/estimator";
import { createModel, MODEL_NAMES, modelFromJSON } from "../models";
import type { Classifier } from "../models/types";

/** Options shared by the uplift models. */
export interface UpliftModelOptions {
  /**
   * Base classifier from the model zoo (default "logreg"). Any zoo name: with an
   * asynchronous one ({@link ASYNC_UPLIFT_BASES}) `fit` returns a Promise.
   */
  base?: string;
  /** Constructor overrides for the base classifier (default none). */
  baseOptions?: Record<string, unknown>;
  /** Seed of the base classifiers (default 42). */
  seed?: number;
}

/** Options of {@link XLearner}. */
export interface XLearnerOptions extends UpliftModelOptions {
  /**
   * Propensity g(x) = P(treated | x) used to blend the two effect models, τ = g·τ₀ + (1 − g)·τ₁:
   * "constant" (default: the treated share, right for a randomised campaign) or "model"
   * (a base classifier of the treatment flag, for observational data).
   */
  propensity?: "constant" | "model";
}

/** Arguments of an uplift model's `fit` besides X and y. */
export interface UpliftFitOptions extends FitOptions {
  /** 1 = treated, 0 = control, one per row of X. */
  treatment: ArrayLike<number>;
}

/** Names of the zoo models whose `fit` is asynchronous (as a type). */
export type AsyncUpliftBase = "mlp" | "lstm" | "gru" | "transformer" | "ensemble" | "stacking";

/** Zoo models whose `fit` is asynchronous: an uplift model over one of them fits asynchronously too. */
export const ASYNC_UPLIFT_BASES: readonly string[] = ["mlp", "lstm", "gru", "transformer", "ensemble", "stacking"] satisfies readonly AsyncUpliftBase[];

/**
 * True when an uplift model over `base` fits asynchronously (its `fit` returns a Promise).
 * @example
 * ```ts
 * import { isAsyncUpliftBase } from "custlab/uplift";
 * isAsyncUpliftBase("mlp");  // true
 * isAsyncUpliftBase("gbdt"); // false
 * ```
 */
export function isAsyncUpliftBase(base: string | undefined): boolean {
  return ASYNC_UPLIFT_BASES.includes(base ?? "logreg");
}

/**
 * Run a fit body written as a generator: each `yield` hands over a value that may be a
 * Promise (a base classifier's `fit`). While every yielded value is synchronous the body
 * runs synchronously and its result is returned; from the first Promise on, the rest runs
 * asynchronously and a Promise of the result is returned. @internal
 */
export function driveFit<T>(gen: Generator<unknown, T, unknown>): T | Promise<T> {
  let r = gen.next();
  while (!r.done) {
    if (r.value instanceof Promise) {
      const first = r.value;
      return (async () => {
        let v = await first;
        for (;;) {
          const s = gen.next(v);
          if (s.done) return s.value;
          v = await s.value;
        }
      })();
    }
    r = gen.next(r.value);
  }
  return r.value;
}

/**
 * `fit`'s result for base `B`: the model over a synchronous base, `Promise` of it over an
 * asynchronous one ({@link AsyncUpliftBase}), either when the base is only known as a string.
 */
export type UpliftFitResult<B extends string, M> = string extends B ? M | Promise<M> : B extends AsyncUpliftBase ? Promise<M> : M;

const baseSpec = {
  base: { default: "logreg", oneOf: MODEL_NAMES },
  baseOptions: { default: undefined, type: "object" },
  seed: { default: 42, type: "number" },
} as const;

function checkFit(cls: string, X: Matrix, y: ArrayLike<number>, t: ArrayLike<number> | undefined): { nT: number } {
  if (!t) throw new CustlabError("E_OPTION", `${cls}.fit needs { treatment } (1 treated, 0 control per row)`);
  if (y.length !== X.rows || t.length !== X.rows) throw new CustlabError("E_SHAPE", `${cls}.fit: X has ${X.rows} rows, y ${y.length}, treatment ${t.length}`);
  let nT = 0;
  for (let i = 0; i < X.rows; i++) {
    if (!(t[i] === 0 || t[i] === 1)) throw new CustlabError("E_VALUE", `${cls}.fit: treatment must be 0 or 1, got ${t[i]} at row ${i}`);
    if (!(y[i] === 0 || y[i] === 1)) throw new CustlabError("E_VALUE", `${cls}.fit: outcome must be 0 or 1, got ${y[i]} at row ${i}`);
    nT += t[i];
  }
  if (nT === 0 || nT === X.rows) throw new CustlabError("E_VALUE", `${cls}.fit needs both treated and control rows (treated: ${nT} of ${X.rows})`);
  return { nT };
}

function rowsWhere(X: Matrix, keep: (i: number) => boolean): { X: Matrix; idx: Int32Array } {
  const idx: number[] = [];
  for (let i = 0; i < X.rows; i++) if (keep(i)) idx.push(i);
  const out = new Float64Array(idx.length * X.cols);
  idx.forEach((i, k) => out.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), k * X.cols));
  return { X: { data: out, rows: idx.length, cols: X.cols, columns: X.columns }, idx: Int32Array.from(idx) };
}

function makeBase(o: Resolved<UpliftModelOptions>, salt: number): Classifier {
  return createModel(o.base, { seed: (o.seed + salt) >>> 0, overrides: o.baseOptions ?? {} });
}

/** Fit a base classifier; the model itself, or a Promise of it for an asynchronous base. */
function fitBase(m: Classifier, X: Matrix, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): Classifier | Promise<Classifier> {
  const r = m.fit(X, y, sampleWeight ? { sampleWeight } : {});
  return r instanceof Promise ? r.then(() => m) : m;
}

/** Fit a classifier to a target D in [−1, 1] (duplicated rows with soft-label weights); returns x ↦ E[D | x]. */
function fitEffect(m: Classifier, X: Matrix, d: ArrayLike<number>): Classifier | Promise<Classifier> {
  const n = X.rows, p = X.cols;
  const data = new Float64Array(2 * n * p);
  data.set(X.data, 0);
  data.set(X.data, n * p);
  const yy = new Float64Array(2 * n), w = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const di = Math.max(-1, Math.min(1, d[i]));
    yy[i] = 1; w[i] = (1 + di) / 2;
    yy[n + i] = 0; w[n + i] = (1 - di) / 2;
  }
  return fitBase(m, { data, rows: 2 * n, cols: p, columns: X.columns }, yy, w);
}

const effectOf = (m: Classifier, X: Matrix): Float64Array => positiveProba(m, X).map((q) => 2 * q - 1);

/**
 * T-learner ("two models"): one classifier per arm; uplift(x) = P₁(y = 1 | x) − P₀(y = 1 | x).
 * @example
 * const t = new TLearner({ base: "gbdt" }).fit(X, y, { treatment });
 * const u = t.predictUplift(X); // one uplift per row
 * const nn = await new TLearner({ base: "mlp", baseOptions: { epochs: 20 } }).fit(X, y, { treatment }); // async base
 */
export class TLearner<B extends string = "logreg"> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<UpliftModelOptions> = baseSpec as unknown as OptionSpec<UpliftModelOptions>;
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(TLearner.spec);
  readonly options: Resolved<UpliftModelOptions>;
  /** Outcome model of the treated arm. */
  treated_?: Classifier;
  /** Outcome model of the control arm. */
  control_?: Classifier;

  constructor(options: UpliftModelOptions & { base?: B } = {}) {
    this.options = resolveOptions("TLearner", TLearner.spec, options);
  }

  /** Fit on X, 0/1 outcomes y and `{ treatment }`; a Promise over an asynchronous base ({@link isAsyncUpliftBase}). */
  fit(X: Matrix, y: ArrayLike<number>, fitOptions?: UpliftFitOptions): UpliftFitResult<B, this> {
    return driveFit(this.fitSteps(X, y, fitOptions)) as UpliftFitResult<B, this>;
  }

  private *fitSteps(X: Matrix, y: ArrayLike<number>, fitOptions?: UpliftFitOptions): Generator<unknown, this, unknown> {
    const t = fitOptions?.treatment;
    checkFit("TLearner", X, y, t);
    for (const arm of [1, 0]) {
      const { X: Xa, idx } = rowsWhere(X, (i) => t![i] === arm);
      const m = (yield fitBase(makeBase(this.options, arm), Xa, Float64Array.from(idx, (i) => y[i]))) as Classifier;
      if (arm === 1) this.treated_ = m; else this.control_ = m;
      fitOptions?.onProgress?.({ stage: "uplift", done: 2 - arm, total: 2, message: arm ? "treated model" : "control model" });
    }
    return this;
  }

  /** Predicted uplift per row. */
  predictUplift(X: Matrix): Float64Array {
    if (!this.treated_ || !this.control_) notFitted("TLearner");
    const a = positiveProba(this.treated_, X), b = positiveProba(this.control_, X);
    return a.map((v, i) => v - b[i]);
  }

  /** Same as {@link TLearner.predictUplift}. */
  predict(X: Matrix): Float64Array { return this.predictUplift(X); }

  toJSON(): EstimatorJSON {
    return estimatorJSON("TLearner", 1, this.options, this.treated_ ? { treated: this.treated_.toJSON(), control: this.control_!.toJSON() } : null);
  }

  static fromJSON(o: unknown): TLearner<string> {
    const { options, state } = readEstimatorJSON(o, "TLearner", 1);
    const m = new TLearner<string>(options);
    if (state) { m.treated_ = modelFromJSON(state.treated); m.control_ = modelFromJSON(state.control); }
    return m;
  }
}

/**
 * X-learner (Künzel, Sekhon, Bickel & Yu 2019): outcome models μ₁, μ₀ per arm;
 * imputed effects D₁ = y − μ₀(x) on treated rows and D₀ = μ₁(x) − y on control
 * rows, each regressed on x (τ₁, τ₀); uplift = g(x)·τ₀(x) + (1 − g(x))·τ₁(x).
 * Strongest when the arms differ in size.
 * @example
 * const xl = new XLearner({ base: "gbdt" }).fit(X, y, { treatment });
 * xl.predictUplift(X);
 * const nn = await new XLearner({ base: "mlp", baseOptions: { epochs: 20 } }).fit(X, y, { treatment }); // async base
 */
export class XLearner<B extends string = "logreg"> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<XLearnerOptions> = {
    ...(baseSpec as unknown as OptionSpec<UpliftModelOptions>),
    propensity: { default: "constant", oneOf: ["constant", "model"] },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(XLearner.spec);
  readonly options: Resolved<XLearnerOptions>;
  /** Effect model fitted on the treated rows (τ₁). */
  tauTreated_?: Classifier;
  /** Effect model fitted on the control rows (τ₀). */
  tauControl_?: Classifier;
  /** Propensity model (propensity "model"). */
  propensityModel_?: Classifier;
  /** Treated share (propensity "constant"). */
  treatedShare_?: number;

  constructor(options: XLearnerOptions & { base?: B } = {}) {
    this.options = resolveOptions("XLearner", XLearner.spec, options);
  }

  /** Fit on X, 0/1 outcomes y and `{ treatment }`; a Promise over an asynchronous base ({@link isAsyncUpliftBase}). */
  fit(X: Matrix, y: ArrayLike<number>, fitOptions?: UpliftFitOptions): UpliftFitResult<B, this> {
    return driveFit(this.fitSteps(X, y, fitOptions)) as UpliftFitResult<B, this>;
  }

  private *fitSteps(X: Matrix, y: ArrayLike<number>, fitOptions?: UpliftFitOptions): Generator<unknown, this, unknown> {
    const t = fitOptions?.treatment;
    const { nT } = checkFit("XLearner", X, y, t);
    const report = (done: number, message: string) => fitOptions?.onProgress?.({ stage: "uplift", done, total: 5, message });
    const tr = rowsWhere(X, (i) => t![i] === 1), co = rowsWhere(X, (i) => t![i] === 0);
    const yT = Float64Array.from(tr.idx, (i) => y[i]), yC = Float64Array.from(co.idx, (i) => y[i]);
    const mu1 = (yield fitBase(makeBase(this.options, 1), tr.X, yT)) as Classifier; report(1, "treated outcome model");
    const mu0 = (yield fitBase(makeBase(this.options, 0), co.X, yC)) as Classifier; report(2, "control outcome model");
    const m0OnT = positiveProba(mu0, tr.X), m1OnC = positiveProba(mu1, co.X);
    this.tauTreated_ = (yield fitEffect(makeBase(this.options, 11), tr.X, yT.map((v, k) => v - m0OnT[k]))) as Classifier; report(3, "treated effect model");
    this.tauControl_ = (yield fitEffect(makeBase(this.options, 10), co.X, yC.map((v, k) => m1OnC[k] - v))) as Classifier; report(4, "control effect model");
    this.treatedShare_ = nT / X.rows;
    if (this.options.propensity === "model") this.propensityModel_ = (yield fitBase(makeBase(this.options, 2), X, Float64Array.from(t!))) as Classifier;
    report(5, "propensity");
    return this;
  }

  /** Predicted uplift per row. */
  predictUplift(X: Matrix): Float64Array {
    if (!this.tauTreated_ || !this.tauControl_) notFitted("XLearner");
    const t1 = effectOf(this.tauTreated_, X), t0 = effectOf(this.tauControl_, X);
    const g = this.propensityModel_ ? positiveProba(this.propensityModel_, X) : null;
    return t1.map((v, i) => { const gi = g ? g[i] : this.treatedShare_!; return gi * t0[i] + (1 - gi) * v; });
  }

  /** Same as {@link XLearner.predictUplift}. */
  predict(X: Matrix): Float64Array { return this.predictUplift(X); }

  toJSON(): EstimatorJSON {
    return estimatorJSON("XLearner", 1, this.options, this.tauTreated_ ? {
      tauTreated: this.tauTreated_.toJSON(), tauControl: this.tauControl_!.toJSON(), treatedShare: this.treatedShare_,
      propensity: this.propensityModel_ ? this.propensityModel_.toJSON() : null,
    } : null);
  }

  static fromJSON(o: unknown): XLearner<string> {
    const { options, state } = readEstimatorJSON(o, "XLearner", 1);
    const m = new XLearner<string>(options);
    if (state) {
      m.tauTreated_ = modelFromJSON(state.tauTreated); m.tauControl_ = modelFromJSON(state.tauControl);
      m.treatedShare_ = state.treatedShare;
      if (state.propensity) m.propensityModel_ = modelFromJSON(state.propensity);
    }
    return m;
  }
}

/**
 * Class-transformation uplift model (Jaskowski & Jaroszewicz 2012): one
 * classifier of Z = 1 when (treated and responded) or (control and did not
 * respond); arms re-weighted to equal total weight so that
 * uplift(x) = 2·P(Z = 1 | x) − 1 holds for any treated share.
 * @example
 * const ct = new ClassTransformationUplift({ base: "logreg" }).fit(X, y, { treatment });
 * ct.predictUplift(X);
 */
export class ClassTransformationUplift<B extends string = "logreg"> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<UpliftModelOptions> = baseSpec as unknown as OptionSpec<UpliftModelOptions>;
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(ClassTransformationUplift.spec);
  readonly options: Resolved<UpliftModelOptions>;
  /** The classifier of Z. */
  model_?: Classifier;

  constructor(options: UpliftModelOptions & { base?: B } = {}) {
    this.options = resolveOptions("ClassTransformationUplift", ClassTransformationUplift.spec, options);
  }

  /** Fit on X, 0/1 outcomes y and `{ treatment }`; a Promise over an asynchronous base ({@link isAsyncUpliftBase}). */
  fit(X: Matrix, y: ArrayLike<number>, fitOptions?: UpliftFitOptions): UpliftFitResult<B, this> {
    return driveFit(this.fitSteps(X, y, fitOptions)) as UpliftFitResult<B, this>;
  }

  private *fitSteps(X: Matrix, y: ArrayLike<number>, fitOptions?: UpliftFitOptions): Generator<unknown, this, unknown> {
    const t = fitOptions?.treatment;
    const { nT } = checkFit("ClassTransformationUplift", X, y, t);
    const n = X.rows, wT = n / (2 * nT), wC = n / (2 * (n - nT));
    const z = new Float64Array(n), w = new Float64Array(n);
    for (let i = 0; i < n; i++) { z[i] = y[i] === t![i] ? 1 : 0; w[i] = t![i] === 1 ? wT : wC; }
    this.model_ = (yield fitBase(makeBase(this.options, 0), X, z, w)) as Classifier;
    fitOptions?.onProgress?.({ stage: "uplift", done: 1, total: 1, message: "class-transformation model" });
    return this;
  }

  /** Predicted uplift per row. */
  predictUplift(X: Matrix): Float64Array {
    if (!this.model_) notFitted("ClassTransformationUplift");
    return effectOf(this.model_, X);
  }

  /** Same as {@link ClassTransformationUplift.predictUplift}. */
  predict(X: Matrix): Float64Array { return this.predictUplift(X); }

  toJSON(): EstimatorJSON {
    return estimatorJSON("ClassTransformationUplift", 1, this.options, this.model_ ? { model: this.model_.toJSON() } : null);
  }

  static fromJSON(o: unknown): ClassTransformationUplift<string> {
    const { options, state } = readEstimatorJSON(o, "ClassTransformationUplift", 1);
    const m = new ClassTransformationUplift<string>(options);
    if (state) m.model_ = modelFromJSON(state.model);
    return m;
  }
}

registerEstimator("TLearner", TLearner);
registerEstimator("XLearner", XLearner);
registerEstimator("ClassTransformationUplift", ClassTransformationUplift);

/** Names of the uplift models of {@link createUpliftModel}. */
export const UPLIFT_METHODS = ["t-learner", "x-learner", "class-transformation"] as const;

/** Any of custlab's uplift models. */
export type UpliftModel = TLearner<string> | XLearner<string> | ClassTransformationUplift<string>;

/**
 * An uplift model by name ("t-learner", "x-learner", "class-transformation").
 * @example
 * const m = await createUpliftModel("x-learner", { base: "gbdt" }).fit(X, y, { treatment }); // await: the base is only known at run time
 */
export function createUpliftModel(method: string, options: UpliftModelOptions = {}): UpliftModel {
  switch (method) {
    case "t-learner": return new TLearner<string>(options);
    case "x-learner": return new XLearner<string>(options);
    case "class-transformation": return new ClassTransformationUplift<string>(options);
    default: throw new CustlabError("E_OPTION", `unknown uplift method "${method}" (choose one of: ${UPLIFT_METHODS.join(", ")})`);
  }
}
