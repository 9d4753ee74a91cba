import type { Matrix } from "../util/matrix";
import type { ProgressCallback } from "../util/progress";

/**
 * Per-class weights for imbalanced data. `"balanced"` gives class c the
 * weight `n / (k · n_c)` (scikit-learn's rule); a record maps each label
 * (as a string, e.g. `"1"`) to its weight (missing labels get 1).
 */
export type ClassWeight = "balanced" | Record<string, number>;

/** Options every `fit` accepts. */
export interface ModelFitOptions {
  /** Weight per training row (length n). Multiplied with class weights. Default: all 1. */
  sampleWeight?: ArrayLike<number>;
  /**
   * Progress callback. Iterative models emit one event per epoch / boosting
   * round / tree with `metrics` such as `{loss, val_loss}`.
   */
  onProgress?: ProgressCallback;
}

/**
 * The classifier contract shared by every custlab model (scikit-learn style).
 * `fit` returns the model (a Promise of it for tfjs models); `predictProba`
 * returns P(class 1) (length n) for binary problems and a row-major n × k
 * matrix of class probabilities for multiclass ones; `predict` returns the
 * most probable label per row (labels as given to `fit`).
 */
export interface Classifier {
  /** The hyperparameters given to the constructor (with defaults not filled in). */
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
