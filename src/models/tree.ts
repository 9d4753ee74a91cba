import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { createRng } from "../util/random";
import { applyBins, fitBinThresholds } from "./binning";
import { checkMatrix, encodeLabels, notFitted, probaToLabels, rowWeights } from "./labels";
import { buildCart, shapMatrix, treeExpectedValue, treeFromJSON, treeLeaf, treeShapRow, treeToJSON, TreeArrays } from "./tree-core";
import type { ClassWeight, Classifier, ModelFitOptions } from "./types";

/** SHAP values of a model for one output: rows sum to `prediction − expectedValue`. */
export interface ShapValues {
  /** n × p contributions (columns = features). */
  values: Matrix;
  /** The model's expected output over the training data (the base value). */
  expectedValue: number;
  /** The output explained: class probability (trees, forests) or log-odds / logit (boosting). */
  space: "probability" | "log-odds";
  /** The class index explained (1 for binary problems). */
  classIndex: number;
}

/** Options for {@link DecisionTreeClassifier}. */
export interface DecisionTreeOptions {
  /** Split quality: `"gini"` (default) or `"entropy"`. */
  criterion?: "gini" | "entropy";
  /** Maximum depth. Default unlimited. */
  maxDepth?: number;
  /** A node needs at least this many rows to be split. Default 2. */
  minSamplesSplit?: number;
  /** Each leaf keeps at least this many rows. Default 1. */
  minSamplesLeaf?: number;
  /** Features tried per split: a count, a fraction in (0, 1], `"sqrt"`, `"log2"` or `"all"` (default). */
  maxFeatures?: number | "sqrt" | "log2" | "all";
  /** A split must decrease weighted impurity by at least this (as a fraction of the total weight). Default 0. */
  minImpurityDecrease?: number;
  /** Candidate thresholds per feature: ≤ 255 bins (exact when a feature has ≤ maxBins distinct values). Default 255. */
  maxBins?: number;
  /** Class weights. Default none. */
  classWeight?: ClassWeight;
  /** Seed for the feature order when maxFeatures < all. Default 42. */
  seed?: number;
}

/** @internal */
export function resolveMaxFeatures(mf: DecisionTreeOptions["maxFeatures"], p: number): number {
  if (mf === undefined || mf === "all") return p;
  if (mf === "sqrt") return Math.max(1, Math.floor(Math.sqrt(p)));
  if (mf === "log2") return Math.max(1, Math.floor(Math.log2(p)));
  if (typeof mf === "number" && mf > 0 && mf <= 1 && !Number.isInteger(mf)) return Math.max(1, Math.floor(mf * p));
  if (typeof mf === "number" && Number.isInteger(mf) && mf >= 1) return Math.min(p, mf);
  if (mf === 1) return p;
  throw new CustlabError("E_OPTION", `option maxFeatures: ${mf} is not a count, a fraction, "sqrt", "log2" or "all"`);
}

/**
 * CART decision tree classifier (binary or multiclass). Splits are searched
 * on features quantised to ≤ 255 bins (the histogram method; exact for
 * features with ≤ 255 distinct values) and missing values (NaN) are routed to
 * the side that gives the better split. Leaves predict weighted class
 * proportions.
 *
 * Learned state: `tree_` ({@link TreeArrays}), `classes_`, `nFeatures_`.
 *
 * @example
 * const tree = new DecisionTreeClassifier({ maxDepth: 4 }).fit(X, y);
 * tree.predictProba(X);  // P(class 1)
 * tree.shapValues(X);    // exact TreeSHAP
 */
export class DecisionTreeClassifier implements Classifier {
  readonly options: DecisionTreeOptions;
  tree_?: TreeArrays;
  classes_?: number[];
  nFeatures_?: number;

  constructor(options: DecisionTreeOptions = {}) {
    this.options = { ...options };
  }

  fit(X: Matrix, y: ArrayLike<number>, fitOptions: ModelFitOptions = {}): this {
    checkMatrix(X);
    const { classes, codes } = encodeLabels(y, X.rows);
    const w = rowWeights(codes, classes, this.options.classWeight, fitOptions.sampleWeight);
    const B = applyBins(X, fitBinThresholds(X, this.options.maxBins ?? 255));
    const idx = Int32Array.from({ length: X.rows }, (_, i) => i).filter((i) => w[i] > 0);
    const o = this.options;
    const mf = resolveMaxFeatures(o.maxFeatures, X.cols);
    this.tree_ = buildCart(B, codes, classes.length, w, idx, {
      criterion: o.criterion ?? "gini", maxDepth: o.maxDepth ?? Infinity, minSamplesSplit: o.minSamplesSplit ?? 2,
      minSamplesLeaf: o.minSamplesLeaf ?? 1, maxFeatures: mf, minImpurityDecrease: o.minImpurityDecrease ?? 0,
    }, mf < X.cols ? createRng(o.seed ?? 42) : null);
    this.classes_ = classes;
    this.nFeatures_ = X.cols;
    fitOptions.onProgress?.({ stage: "fit", done: 1, total: 1, message: `tree ${this.tree_.nodeCount} nodes` });
    return this;
  }

  predictProba(X: Matrix): Float64Array {
    if (!this.tree_) notFitted("DecisionTreeClassifier");
    checkMatrix(X, this.nFeatures_);
    const t = this.tree_, k = t.outDim, n = X.rows;
    const out = new Float64Array(k === 2 ? n : n * k);
    for (let i = 0; i < n; i++) {
      const leaf = treeLeaf(t, X.data, i * X.cols);
      if (k === 2) out[i] = t.value[leaf * 2 + 1];
      else for (let c = 0; c < k; c++) out[i * k + c] = t.value[leaf * k + c];
    }
    return out;
  }

  predict(X: Matrix): Float64Array {
    return probaToLabels(this.predictProba(X), this.classes_!, X.rows);
  }

  /**
   * Exact TreeSHAP values of P(class `classIndex`) (default 1). Each row sums
   * to `predictProba − expectedValue`.
   */
  shapValues(X: Matrix, options: { classIndex?: number } = {}): ShapValues {
    if (!this.tree_) notFitted("DecisionTreeClassifier");
    return forestShap([this.tree_], X, options.classIndex ?? 1, 1, "probability");
  }

  toJSON(): object {
    return { type: "DecisionTreeClassifier", options: this.options, classes: this.classes_, nFeatures: this.nFeatures_, tree: this.tree_ && treeToJSON(this.tree_) };
  }

  static fromJSON(o: any): DecisionTreeClassifier {
    if (o?.type !== "DecisionTreeClassifier") throw new CustlabError("E_FORMAT", `not a DecisionTreeClassifier JSON (type ${o?.type})`);
    const m = new DecisionTreeClassifier(o.options);
    if (o.tree) { m.tree_ = treeFromJSON(o.tree); m.classes_ = o.classes; m.nFeatures_ = o.nFeatures; }
    return m;
  }
}

/**
 * TreeSHAP over a sum of trees, each scaled by `scale` (1/T for a forest
 * average, 1 for boosting), explaining output `out`. `base` is added to the
 * expected value (the boosting baseline).
 * @internal
 */
export function forestShap(trees: TreeArrays[], X: Matrix, out: number, scale: number, space: ShapValues["space"], base = 0, classIndex = out): ShapValues {
  const values = shapMatrix(X.rows, X.cols, X.columns);
  let ev = base;
  for (const t of trees) ev += scale * treeExpectedValue(t, out);
  for (let i = 0; i < X.rows; i++) {
    const phi = values.data.subarray(i * X.cols, (i + 1) * X.cols);
    for (const t of trees) treeShapRow(t, X.data, i * X.cols, out, phi, scale);
  }
  return { values, expectedValue: ev, space, classIndex };
}
