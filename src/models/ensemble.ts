import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { takeRows } from "../util/matrix";
import { createRng } from "../util/random";
import { estimatorJSON, probaColumn, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type AsyncEstimator, type OptionSpec, type Resolved } from "../util/estimator";
import { checkMatrix, encodeLabels, notFitted, probaToLabels } from "./labels";
import { LogisticRegression } from "./logistic";
import type { Classifier, ModelFitOptions } from "./types";
import { modelFromJSON } from "./revive";

/**
 * A fresh, unfitted copy of a model with the same options
 * (`new (model.constructor)(model.options)`), like scikit-learn's `clone`.
 * @example const fresh = cloneModel(new RandomForestClassifier({ nEstimators: 50 }));
 */
export function cloneModel<M extends Classifier>(model: M): M {
  const Ctor = (model as any).constructor;
  if (typeof Ctor !== "function") throw new CustlabError("E_OPTION", "cloneModel: the model has no constructor to clone from");
  return new Ctor({ ...(model.options as object) }) as M;
}

function proba(model: Classifier, X: Matrix, k: number): Float64Array {
  const p = model.predictProba(X);
  if (p.length !== X.rows * k) throw new CustlabError("E_SHAPE", `a base model returned ${p.length / X.rows} class columns, expected ${k} (a class missing from its training rows?)`);
  return p;
}

const isModel = (v: unknown): boolean => !!v && typeof (v as Classifier).fit === "function" && typeof (v as Classifier).predictProba === "function";
const checkModels = (v: Classifier[] | undefined): string | undefined =>
  !v || !v.length ? "needs at least one model" : v.every(isModel) ? undefined : "every entry must be a model (fit + predictProba)";

/** Options for {@link VotingClassifier}. */
export interface VotingClassifierOptions {
  /** The member models (fitted by `fit`). */
  estimators: Classifier[];
  /** Weight per member for the weighted average of probabilities. Default all 1. */
  weights?: number[];
  /** Only soft voting (averaging probabilities) is implemented. Default "soft". */
  voting?: "soft";
}

/**
 * Soft (optionally weighted) voting: the class probabilities are the
 * weighted mean of the members' `predictProba`. `fit` trains every member on
 * the same rows (async, so tfjs members work).
 * @example
 * const vote = await new VotingClassifier({ estimators: [new LogisticRegression(), new HistGradientBoostingClassifier()], weights: [1, 2] }).fit(X, y);
 */
export class VotingClassifier implements Classifier, AsyncEstimator<Matrix, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<VotingClassifierOptions> = {
    estimators: { default: [], check: checkModels },
    weights: { default: undefined, type: "array", check: (v) => (v!.every((x) => typeof x === "number" && x >= 0 && Number.isFinite(x)) ? undefined : "weights must be finite numbers ≥ 0") },
    voting: { default: "soft", oneOf: ["soft"] },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(VotingClassifier.spec);
  readonly options: Resolved<VotingClassifierOptions>;
  classes_?: number[];
  estimators_?: Classifier[];

  constructor(options: VotingClassifierOptions) {
    this.options = resolveOptions("VotingClassifier", VotingClassifier.spec, options);
    if (this.options.weights && this.options.weights.length !== this.options.estimators.length) throw new CustlabError("E_OPTION", `VotingClassifier: option weights: ${this.options.weights.length} weights for ${this.options.estimators.length} estimators`);
  }

  async fit(X: Matrix, y: ArrayLike<number>, fitOptions: ModelFitOptions = {}): Promise<this> {
    const est = this.options.estimators;
    this.classes_ = encodeLabels(y, X.rows).classes;
    const fitted: Classifier[] = [];
    for (let m = 0; m < est.length; m++) {
      const model = cloneModel(est[m]);
      await model.fit(X, y, { sampleWeight: fitOptions.sampleWeight });
      fitted.push(model);
      fitOptions.onProgress?.({ stage: "members", done: m + 1, total: est.length, message: (model.toJSON() as { type?: string }).type });
    }
    this.estimators_ = fitted;
    return this;
  }

  predictProba(X: Matrix): Float64Array {
    if (!this.estimators_) notFitted("VotingClassifier");
    const k = this.classes_!.length, w = this.options.weights ?? this.estimators_.map(() => 1);
    let tot = 0;
    for (const v of w) tot += v;
    let acc: Float64Array | null = null;
    this.estimators_.forEach((m, j) => {
      const p = proba(m, X, k);
      if (!acc) acc = new Float64Array(p.length);
      for (let i = 0; i < p.length; i++) acc[i] += (w[j] / tot) * p[i];
    });
    return acc!;
  }

  predict(X: Matrix): Float64Array {
    return probaToLabels(this.predictProba(X), this.classes_!, X.rows);
  }

  /** `{ type, version, options, state }`; member models as their own JSON. */
  toJSON() {
    return estimatorJSON("VotingClassifier", 1, { ...this.options, estimators: this.options.estimators.map((e) => e.toJSON()) }, this.estimators_ && { classes: this.classes_, estimators: this.estimators_.map((e) => e.toJSON()) });
  }

  /** Rebuild from {@link VotingClassifier.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(o: unknown): VotingClassifier {
    const { options, state: s } = readEstimatorJSON(o, "VotingClassifier", 1, true);
    const m = new VotingClassifier({ ...options, estimators: (options.estimators ?? []).map(modelFromJSON) });
    if (s?.estimators) { m.estimators_ = s.estimators.map(modelFromJSON); m.classes_ = s.classes; }
    return m;
  }
}

/** Options for {@link StackingClassifier}. */
export interface StackingClassifierOptions {
  /** Base models. */
  estimators: Classifier[];
  /** Meta model trained on the base models' out-of-fold probabilities. Default `new LogisticRegression()`. */
  finalEstimator?: Classifier;
  /** Folds for the out-of-fold predictions (stratified). Default 5. */
  cv?: number;
  /** Also give the meta model the original features. Default false. */
  passthrough?: boolean;
  /** Seed of the fold split. Default 42. */
  seed?: number;
}

/**
 * Stacking: each base model is cross-fitted on `cv` stratified folds to get
 * out-of-fold class probabilities for every training row; the meta model
 * (logistic regression by default) learns from those; finally every base
 * model is refitted on all rows for prediction.
 * @example
 * const st = await new StackingClassifier({ estimators: [new RandomForestClassifier(), new HistGradientBoostingClassifier()] }).fit(X, y);
 */
export class StackingClassifier implements Classifier, AsyncEstimator<Matrix, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<StackingClassifierOptions> = {
    estimators: { default: [], check: checkModels },
    finalEstimator: { default: undefined, type: "object", check: (v) => (isModel(v) ? undefined : "must be a model (fit + predictProba)") },
    cv: { default: 5, integer: true, min: 2 },
    passthrough: { default: false },
    seed: { default: 42 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(StackingClassifier.spec);
  readonly options: Resolved<StackingClassifierOptions>;
  classes_?: number[];
  estimators_?: Classifier[];
  finalEstimator_?: Classifier;

  constructor(options: StackingClassifierOptions) {
    this.options = resolveOptions("StackingClassifier", StackingClassifier.spec, options);
  }

  private metaFeatures(probs: Float64Array[], X: Matrix, k: number): Matrix {
    const per = k === 2 ? 1 : k, m = probs.length, extra = this.options.passthrough ? X.cols : 0, cols = m * per + extra;
    const out = new Float64Array(X.rows * cols);
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < m; j++) for (let c = 0; c < per; c++) out[i * cols + j * per + c] = probs[j][i * per + c];
      for (let c = 0; c < extra; c++) out[i * cols + m * per + c] = X.data[i * X.cols + c];
    }
    return { data: out, rows: X.rows, cols };
  }

  async fit(X: Matrix, y: ArrayLike<number>, fitOptions: ModelFitOptions = {}): Promise<this> {
    checkMatrix(X);
    const est = this.options.estimators;
    const { classes, codes } = encodeLabels(y, X.rows);
    const k = classes.length, per = k === 2 ? 1 : k, n = X.rows;
    const nf = this.options.cv;
    // stratified folds (seeded)
    const rng = createRng(this.options.seed);
    const fold = new Int32Array(n);
    let offset = 0;
    for (let c = 0; c < k; c++) {
      const g: number[] = [];
      for (let i = 0; i < n; i++) if (codes[i] === c) g.push(i);
      rng.shuffle(g);
      g.forEach((i, t) => (fold[i] = (offset + t) % nf));
      offset = (offset + g.length) % nf;
    }
    const yArr = Float64Array.from(y);
    const oof = est.map(() => new Float64Array(n * per));
    const total = est.length * (nf + 1);
    let done = 0;
    for (let f = 0; f < nf; f++) {
      const tr: number[] = [], te: number[] = [];
      for (let i = 0; i < n; i++) (fold[i] === f ? te : tr).push(i);
      const Xtr = takeRows(X, tr), Xte = takeRows(X, te), ytr = Float64Array.from(tr, (i) => yArr[i]);
      const sw = fitOptions.sampleWeight ? Float64Array.from(tr, (i) => fitOptions.sampleWeight![i]) : undefined;
      for (let j = 0; j < est.length; j++) {
        const m = cloneModel(est[j]);
        await m.fit(Xtr, ytr, { sampleWeight: sw });
        const p = metaProba(m, Xte, k);
        te.forEach((i, t) => { for (let c = 0; c < per; c++) oof[j][i * per + c] = p[t * per + c]; });
        fitOptions.onProgress?.({ stage: "stacking", done: ++done, total });
      }
    }
    const meta = this.options.finalEstimator ? cloneModel(this.options.finalEstimator) : new LogisticRegression();
    await meta.fit(this.metaFeatures(oof, X, k), y, { sampleWeight: fitOptions.sampleWeight });
    const fitted: Classifier[] = [];
    for (const e of est) {
      const m = cloneModel(e);
      await m.fit(X, y, { sampleWeight: fitOptions.sampleWeight });
      fitted.push(m);
      fitOptions.onProgress?.({ stage: "stacking", done: ++done, total });
    }
    this.classes_ = classes;
    this.estimators_ = fitted;
    this.finalEstimator_ = meta;
    return this;
  }

  predictProba(X: Matrix): Float64Array {
    if (!this.estimators_ || !this.finalEstimator_) notFitted("StackingClassifier");
    const k = this.classes_!.length;
    return this.finalEstimator_.predictProba(this.metaFeatures(this.estimators_.map((m) => metaProba(m, X, k)), X, k));
  }

  predict(X: Matrix): Float64Array {
    return probaToLabels(this.predictProba(X), this.classes_!, X.rows);
  }

  /** `{ type, version, options, state }`; member models as their own JSON. */
  toJSON() {
    return estimatorJSON("StackingClassifier", 1,
      { ...this.options, estimators: this.options.estimators.map((e) => e.toJSON()), finalEstimator: this.options.finalEstimator?.toJSON() },
      this.estimators_ && { classes: this.classes_, estimators: this.estimators_.map((e) => e.toJSON()), finalEstimator: this.finalEstimator_!.toJSON() });
  }

  /** Rebuild from {@link StackingClassifier.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(o: unknown): StackingClassifier {
    const { options, state: s } = readEstimatorJSON(o, "StackingClassifier", 1, true);
    const m = new StackingClassifier({ ...options, estimators: (options.estimators ?? []).map(modelFromJSON), finalEstimator: options.finalEstimator ? modelFromJSON(options.finalEstimator) : undefined });
    if (s?.estimators) { m.estimators_ = s.estimators.map(modelFromJSON); m.finalEstimator_ = modelFromJSON(s.finalEstimator); m.classes_ = s.classes; }
    return m;
  }
}

/** A member's probabilities as meta features: P(class 1) for binary problems, all k columns otherwise. */
function metaProba(model: Classifier, X: Matrix, k: number): Float64Array {
  const p = proba(model, X, k);
  return k === 2 ? probaColumn(p, 2, 1) : p;
}

registerEstimator("VotingClassifier", VotingClassifier);
registerEstimator("StackingClassifier", StackingClassifier);
