import { CustlabError } from "../util/errors";
import { positiveProba } from "../util/estimator";
import { createRng } from "../util/random";
import type { Matrix } from "../util/matrix";
import type { ProgressCallback } from "../util/progress";
import { Table } from "../table";
import { rocAucScore } from "../eval/metrics";
import type { Predictor } from "./shap";

/** Options for {@link permutationImportance}. */
export interface PermutationImportanceOptions {
  /** Score to maximise, `(yTrue, proba) → number` (default ROC-AUC). */
  metric?: (yTrue: ArrayLike<number>, proba: Float64Array) => number;
  /** Shuffles per feature (default 5). */
  nRepeats?: number;
  /** Seed (default 42). */
  seed?: number;
  /** One event per feature. */
  onProgress?: ProgressCallback;
}

/** Result of {@link permutationImportance}. */
export interface PermutationImportance {
  /** Score on the unshuffled data. */
  baseline: number;
  /** feature, importance_mean, importance_std — sorted by importance, highest first. */
  table: Table;
  /** Score drop per feature (columns order) and repeat: n_features × nRepeats, row-major. */
  drops: Float64Array;
}

/**
 * Permutation importance (Breiman 2001; scikit-learn's
 * `permutation_importance`): how much the score drops when one feature's
 * column is shuffled, breaking its link to the target. Measure it on held-out
 * rows.
 * @example
 * const imp = permutationImportance(model, Xtest, ytest, { nRepeats: 10, seed: 1 });
 * imp.table.toMarkdown();
 */
export function permutationImportance(model: Predictor, X: Matrix, y: ArrayLike<number>, options: PermutationImportanceOptions = {}): PermutationImportance {
  if (y.length !== X.rows) throw new CustlabError("E_SHAPE", `permutationImportance: X has ${X.rows} rows but y has ${y.length}`);
  const predict = typeof model === "function" ? model : (M: Matrix) => positiveProba(model, M);
  const metric = options.metric ?? ((a, b) => rocAucScore(a, b));
  const R = options.nRepeats ?? 5;
  const rng = createRng(options.seed ?? 42);
  const baseline = metric(y, predict(X));
  const p = X.cols, n = X.rows;
  const drops = new Float64Array(p * R);
  const work: Matrix = { data: Float64Array.from(X.data), rows: n, cols: p, columns: X.columns };
  const col = new Float64Array(n);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) col[i] = X.data[i * p + j];
    for (let r = 0; r < R; r++) {
      rng.shuffle(perm);
      for (let i = 0; i < n; i++) work.data[i * p + j] = col[perm[i]];
      drops[j * R + r] = baseline - metric(y, predict(work));
    }
    for (let i = 0; i < n; i++) work.data[i * p + j] = col[i];
    options.onProgress?.({ stage: "permutation", done: j + 1, total: p });
  }
  const names = X.columns ?? Array.from({ length: p }, (_, j) => `x${j}`);
  const mean = new Float64Array(p), std = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let r = 0; r < R; r++) s += drops[j * R + r];
    mean[j] = s / R;
    let ss = 0;
    for (let r = 0; r < R; r++) ss += (drops[j * R + r] - mean[j]) ** 2;
    std[j] = Math.sqrt(ss / R);
  }
  const order = Array.from({ length: p }, (_, j) => j).sort((a, b) => mean[b] - mean[a] || a - b);
  const table = new Table({ feature: order.map((j) => names[j]), importance_mean: Float64Array.from(order, (j) => mean[j]), importance_std: Float64Array.from(order, (j) => std[j]) });
  return { baseline, table, drops };
}
