import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { createRng } from "../util/random";
import { applyBins, fitBinThresholds } from "./binning";
import { estimatorJSON, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type OptionRule, type OptionSpec, type Resolved } from "../util/estimator";
import { checkClassWeight, checkMatrix, encodeLabels, notFitted, probaToLabels, rowWeights } from "./labels";
import { buildCart, shapMatrix, treeFromJSON, treeLeaf, treeToJSON, TreeArrays } from "./tree-core";
import { compileTreeShap, treeShapRange, treeShapScratch } from "./treeshap";
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

/** Constraints of the CART options shared by trees and forests. @internal */
export const CART_SPEC = {
  criterion: { default: "gini", oneOf: ["gini", "entropy"] } as OptionRule<DecisionTreeOptions["criterion"]>,
  maxDepth: { default: Infinity, integer: true, min: 1 } as OptionRule<number | undefined>,
  minSamplesSplit: { default: 2, integer: true, min: 2 } as OptionRule<number | undefined>,
  minSamplesLeaf: { default: 1, integer: true, min: 1 } as OptionRule<number | undefined>,
  minImpurityDecrease: { default: 0, min: 0 } as OptionRule<number | undefined>,
  maxBins: { default: 255, integer: true, min: 2, max: 255 } as OptionRule<number | undefined>,
  classWeight: { default: undefined, type: "any", check: checkClassWeight } as OptionRule<DecisionTreeOptions["classWeight"]>,
  seed: { default: 42 } as OptionRule<number | undefined>,
};

/**
 * Rule of the `maxFeatures` option (a count, a fraction, "sqrt", "log2" or "all"). @internal
 * @example
 * ```ts
 * import { maxFeaturesRule } from "custlab";
 * maxFeaturesRule("sqrt").default; // "sqrt"
 * ```
 */
export function maxFeaturesRule(def: DecisionTreeOptions["maxFeatures"]): OptionRule<DecisionTreeOptions["maxFeatures"]> {
  return { default: def, type: "number", gt: 0, oneOf: ["sqrt", "log2", "all"], check: (v) => (typeof v === "number" && v > 1 && !Number.isInteger(v) ? `a count must be an integer, got ${v}` : undefined) };
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
 * tree.predictProba(X);  // n × k class probabilities
 * tree.shapValues(X);    // exact TreeSHAP
 */
export class DecisionTreeClassifier implements Classifier, Estimator<Matrix, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<DecisionTreeOptions> = { ...CART_SPEC, maxFeatures: maxFeaturesRule("all") };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(DecisionTreeClassifier.spec);
  readonly options: Resolved<DecisionTreeOptions>;
  tree_?: TreeArrays;
  classes_?: number[];
  nFeatures_?: number;

  constructor(options: DecisionTreeOptions = {}) {
    this.options = resolveOptions("DecisionTreeClassifier", DecisionTreeClassifier.spec, options);
  }

  fit(X: Matrix, y: ArrayLike<number>, fitOptions: ModelFitOptions = {}): this {
    checkMatrix(X);
    const { classes, codes } = encodeLabels(y, X.rows);
    const w = rowWeights(codes, classes, this.options.classWeight, fitOptions.sampleWeight);
    const B = applyBins(X, fitBinThresholds(X, this.options.maxBins));
    const idx = Int32Array.from({ length: X.rows }, (_, i) => i).filter((i) => w[i] > 0);
    const o = this.options;
    const mf = resolveMaxFeatures(o.maxFeatures, X.cols);
    this.tree_ = buildCart(B, codes, classes.length, w, idx, {
      criterion: o.criterion, maxDepth: o.maxDepth, minSamplesSplit: o.minSamplesSplit,
      minSamplesLeaf: o.minSamplesLeaf, maxFeatures: mf, minImpurityDecrease: o.minImpurityDecrease,
    }, mf < X.cols ? createRng(o.seed) : null);
    this.classes_ = classes;
    this.nFeatures_ = X.cols;
    fitOptions.onProgress?.({ stage: "fit", done: 1, total: 1, message: `tree ${this.tree_.nodeCount} nodes` });
    return this;
  }

  predictProba(X: Matrix): Float64Array {
    if (!this.tree_) notFitted("DecisionTreeClassifier");
    checkMatrix(X, this.nFeatures_);
    const t = this.tree_, k = t.outDim, n = X.rows;
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      const leaf = treeLeaf(t, X.data, i * X.cols);
      for (let c = 0; c < k; c++) out[i * k + c] = t.value[leaf * k + c];
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

  /** `{ type, version, options, state }`. */
  toJSON() {
    return estimatorJSON("DecisionTreeClassifier", 1, this.options, this.tree_ && { classes: this.classes_, nFeatures: this.nFeatures_, tree: treeToJSON(this.tree_) });
  }

  /** Rebuild from {@link DecisionTreeClassifier.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(o: unknown): DecisionTreeClassifier {
    const { options, state: s } = readEstimatorJSON(o, "DecisionTreeClassifier", 1, true);
    const m = new DecisionTreeClassifier(options);
    if (s?.tree) { m.tree_ = treeFromJSON(s.tree); m.classes_ = s.classes; m.nFeatures_ = s.nFeatures; }
    return m;
  }
}

registerEstimator("DecisionTreeClassifier", DecisionTreeClassifier);

/**
 * TreeSHAP over a sum of trees, each scaled by `scale` (1/T for a forest
 * average, 1 for boosting), explaining output `out`. `base` is added to the
 * expected value (the boosting baseline).
 * @internal
 */
export function forestShap(trees: TreeArrays[], X: Matrix, out: number, scale: number, space: ShapValues["space"], base = 0, classIndex = out): ShapValues {
  const values = shapMatrix(X.rows, X.cols, X.columns);
  const c = compileTreeShap(trees, { out, scale, rows: X.rows });
  treeShapRange(c, X.data, X.cols, 0, X.rows, values.data, X.cols, 0, treeShapScratch(c));
  return { values, expectedValue: base + c.expectedValue, space, classIndex };
}
