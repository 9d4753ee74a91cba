import type { Matrix } from "../util/matrix";
import type { FitOptions } from "../util/estimator";

/**
 * Per-class weights for imbalanced data. `"balanced"` gives class c the
 * weight `n / (k · n_c)` (scikit-learn's rule); a record maps each label
 * (as a string, e.g. `"1"`) to its weight (missing labels get 1).
 */
export type ClassWeight = "balanced" | Record<string, number>;

/**
 * Options every classifier's `fit` accepts. `onProgress`: iterative models emit
 * one event per epoch / boosting round / tree with `metrics` such as `{loss, val_loss}`.
 */
export interface ModelFitOptions extends FitOptions {
  /** Weight per training row (length n). Multiplied with class weights. Default: all 1. */
  sampleWeight?: ArrayLike<number>;
}

/**
 * The classifier contract shared by every custlab model (scikit-learn style).
 * `fit` returns the model (a Promise of it for tfjs models: see `Estimator` /
 * `AsyncEstimator`); `predictProba` returns the row-major n × k matrix of class
 * probabilities (columns in `classes_` order, also for binary problems:
 * `positiveProba(model, X)` takes the P(class 1) column); `predict` returns the
 * most probable label per row (labels as given to `fit`).
 */
export interface Classifier {
  /** The resolved constructor options (defaults filled in, frozen). */
  readonly options: object;
  /** Sorted distinct labels seen by `fit`. */
  classes_?: number[];
  fit(X: Matrix, y: ArrayLike<number>, options?: ModelFitOptions): this | Promise<this>;
  predictProba(X: Matrix): Float64Array;
  predict(X: Matrix): Float64Array;
  toJSON(): object;
}

/**
 * A 3-d float32 tensor for sequence models: `data[(i*T + t)*f + j]` is
 * feature j at step t of sequence i; `shape` is `[n, T, f]`.
 */
export interface Sequences {
  data: Float32Array;
  shape: [number, number, number];
}
