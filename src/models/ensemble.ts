import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { takeRows } from "../util/matrix";
import { createRng } from "../util/random";
import { checkMatrix, encodeLabels, notFitted, probaToLabels } from "./labels";
import { LogisticRegression } from "./logistic";
import type { Classifier, ModelFitOptions } from "./types";
import { modelFromJSON } from "./serialize"; // circular but only used inside fromJSON

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
  if (k === 2) return p;
  if (p.length !== X.rows * k) throw new CustlabError("E_SHAPE", `a base model returned ${p.length / X.rows} class columns, expected ${k} (a class missing from its training rows?)`);
  return p;
}

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
export class VotingClassifier implements Classifier {
  readonly options: VotingClassifierOptions;
  classes_?: number[];
  estimators_?: Classifier[];

  constructor(options: VotingClassifierOptions) {
    this.options = { ...options };
  }

  async fit(X: Matrix, y: ArrayLike<number>, fitOptions: ModelFitOptions = {}): Promise<this> {
    const est = this.options.estimators ?? [];
    if (!est.length) throw new CustlabError("E_OPTION", "option estimators: VotingClassifier needs at least one model");
    if (this.options.weights && this.options.weights.length !== est.length) throw new CustlabError("E_OPTION", `option weights: ${this.options.weights.length} weights for ${est.length} estimators`);
    if (this.options.voting && this.options.voting !== "soft") throw new CustlabError("E_OPTION", `option voting: only "soft" is supported, got "${this.options.voting}"`);
    this.classes_ = encodeLabels(y, X.rows).classes;
    const fitted: Classifier[] = [];
    for (let m = 0; m < est.length; m++) {
      const model = cloneModel(est[m]);
      await model.fit(X, y, { sampleWeight: fitOptions.sampleWeight });
      fitted.push(model);
      fitOptions.onProgress?.({ stage: "members", done: m + 1, total: est.length, message: (model as any).constructor?.name });
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

  toJSON(): object {
    return { type: "VotingClassifier", options: { weights: this.options.weights, voting: this.options.voting, estimators: this.options.estimators.map((e) => e.toJSON()) }, classes: this.classes_, estimators: this.estimators_?.map((e) => e.toJSON()) };
  }

  static fromJSON(o: any): VotingClassifier {
    if (o?.type !== "VotingClassifier") throw new CustlabError("E_FORMAT", `not a VotingClassifier JSON (type ${o?.type})`);
    const m = new VotingClassifier({ weights: o.options.weights, voting: o.options.voting, estimators: o.options.estimators.map(modelFromJSON) });
    if (o.estimators) { m.estimators_ = o.estimators.map(modelFromJSON); m.classes_ = o.classes; }
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
export class StackingClassifier implements Classifier {
  readonly options: StackingClassifierOptions;
  classes_?: number[];
  estimators_?: Classifier[];
  finalEstimator_?: Classifier;

  constructor(options: StackingClassifierOptions) {
    this.options = { ...options };
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
    const est = this.options.estimators ?? [];
    if (!est.length) throw new CustlabError("E_OPTION", "option estimators: StackingClassifier needs at least one base model");
    const { classes, codes } = encodeLabels(y, X.rows);
    const k = classes.length, per = k === 2 ? 1 : k, n = X.rows;
    const nf = this.options.cv ?? 5;
    if (!(Number.isInteger(nf) && nf >= 2)) throw new CustlabError("E_OPTION", `option cv: must be an integer ≥ 2, got ${nf}`);
    // stratified folds (seeded)
    const rng = createRng(this.options.seed ?? 42);
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
        const p = proba(m, Xte, k);
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
    return this.finalEstimator_.predictProba(this.metaFeatures(this.estimators_.map((m) => proba(m, X, k)), X, k));
  }

  predict(X: Matrix): Float64Array {
    return probaToLabels(this.predictProba(X), this.classes_!, X.rows);
  }

  toJSON(): object {
    return {
      type: "StackingClassifier",
      options: { cv: this.options.cv, passthrough: this.options.passthrough, seed: this.options.seed, estimators: this.options.estimators.map((e) => e.toJSON()), finalEstimator: this.options.finalEstimator?.toJSON() },
      classes: this.classes_, estimators: this.estimators_?.map((e) => e.toJSON()), finalEstimator: this.finalEstimator_?.toJSON(),
    };
  }

  static fromJSON(o: any): StackingClassifier {
    if (o?.type !== "StackingClassifier") throw new CustlabError("E_FORMAT", `not a StackingClassifier JSON (type ${o?.type})`);
    const m = new StackingClassifier({ cv: o.options.cv, passthrough: o.options.passthrough, seed: o.options.seed, estimators: o.options.estimators.map(modelFromJSON), finalEstimator: o.options.finalEstimator ? modelFromJSON(o.options.finalEstimator) : undefined });
    if (o.estimators) { m.estimators_ = o.estimators.map(modelFromJSON); m.finalEstimator_ = modelFromJSON(o.finalEstimator); m.classes_ = o.classes; }
    return m;
  }
}
