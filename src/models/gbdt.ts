import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { stratifiedHoldout } from "../util/folds";
import { createRng } from "../util/random";
import { softmaxRows } from "../util/numeric";
import { applyBins, BinnedMatrix, fitBinThresholds, MISSING_BIN } from "./binning";
import { estimatorJSON, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type OptionSpec, type Resolved } from "../util/estimator";
import { binaryProba, checkClassWeight, checkMatrix, encodeLabels, notFitted, probaToLabels, rowWeights } from "./labels";
import { treeFromJSON, treeLeaf, treeToJSON, TreeArrays, TreeBuilderStore } from "./tree-core";
import { forestShap, ShapValues } from "./tree";
import { defaultGbdtThreads, HistArena } from "./hist-kernel";
import type { ClassWeight, Classifier, ModelFitOptions } from "./types";

/** Tree and boosting options shared by the histogram gradient-boosted classifier and regressor. */
export interface HistBoostingTreeOptions {
  /** Shrinkage applied to every leaf value. Default 0.1. */
  learningRate?: number;
  /** Boosting iterations (trees per class). Default 100. */
  maxIter?: number;
  /** Maximum leaves per tree (leaf-wise, best-first growth). Default 31. */
  maxLeafNodes?: number;
  /** Maximum depth. Default unlimited. */
  maxDepth?: number;
  /** Minimum rows per leaf. Default 20. */
  minSamplesLeaf?: number;
  /** L2 regularisation of leaf values (λ in −G/(H+λ)). Default 0. */
  l2Regularization?: number;
  /** Bins per feature (≤ 255, missing values get their own bin). Default 255. */
  maxBins?: number;
  /**
   * Early stopping on a validation split (stratified for classes, random for
   * regression) using the training loss: `"auto"` (default) turns it on when
   * n > 10,000, as scikit-learn does.
   */
  earlyStopping?: "auto" | boolean;
  /** Fraction of rows held out for early stopping. Default 0.1. */
  validationFraction?: number;
  /** Stop when the validation loss has not improved by more than `tol` for this many iterations. Default 10. */
  nIterNoChange?: number;
  /** Improvement threshold for early stopping. Default 1e-7. */
  tol?: number;
  /** Seed for the validation split. Default 42. */
  seed?: number;
  /**
   * Threads that build the histograms (worker threads over blocks of
   * features, on shared memory); 0 (default) = one per CPU core, at most 8.
   * Fits and tree nodes under 250,000 row × feature cells (per-row passes under 30,000 rows) stay on one thread. The trees do
   * not depend on it: every feature's sums are added in the same order.
   */
  nThreads?: number;
}

/** The option rules of {@link HistBoostingTreeOptions} (scikit-learn 1.2's defaults). @internal */
export const HIST_BOOSTING_SPEC: OptionSpec<HistBoostingTreeOptions> = {
  learningRate: { default: 0.1, gt: 0 },
  maxIter: { default: 100, integer: true, min: 1 },
  maxLeafNodes: { default: 31, integer: true, min: 2 },
  maxDepth: { default: Infinity, integer: true, min: 1 },
  minSamplesLeaf: { default: 20, integer: true, min: 1 },
  l2Regularization: { default: 0, min: 0 },
  maxBins: { default: 255, integer: true, min: 2, max: 255 },
  earlyStopping: { default: "auto", type: "boolean", oneOf: ["auto"] },
  validationFraction: { default: 0.1, gt: 0, lt: 1 },
  nIterNoChange: { default: 10, integer: true, min: 1 },
  tol: { default: 1e-7, min: 0 },
  seed: { default: 42 },
  nThreads: { default: 0, integer: true, min: 0 },
};

/**
 * Options for {@link HistGradientBoostingClassifier}; defaults mirror
 * scikit-learn's `HistGradientBoostingClassifier` (1.2).
 */
export interface HistGradientBoostingOptions extends HistBoostingTreeOptions {
  /** Class weights. Default none. */
  classWeight?: ClassWeight;
}

/** Bins with missing → the feature's own last bin (nBins[j] ≤ 255), so each histogram is compact. @internal */
export function localBins(B: BinnedMatrix, out?: Uint8Array): Uint8Array {
  const n = B.n, LB = out ?? new Uint8Array(B.bins.length);
  LB.set(B.bins);
  for (let j = 0; j < B.p; j++) { const nb = B.nBins[j], col = LB.subarray(j * n, (j + 1) * n); for (let i = 0; i < n; i++) if (col[i] === MISSING_BIN) col[i] = nb; }
  return LB;
}

/** scikit-learn's early-stopping rule: no score among the last `nIterNoChange` beats the one before them by more than `tol`. @internal */
export function noImprovement(scores: number[], nIterNoChange: number, tol: number): boolean {
  const ref = nIterNoChange + 1;
  if (scores.length < ref) return false;
  const refScore = scores[scores.length - ref] + tol;
  return !scores.slice(scores.length - ref + 1).some((s) => s > refScore);
}

const EPS = 2.220446049250313e-16;
const MIN_HESSIAN_TO_SPLIT = 1e-3;

interface Split { gain: number; feature: number; bin: number; missingLeft: boolean; gL: number; hL: number; nL: number }

interface GrowNode {
  id: number; start: number; end: number; depth: number;
  sumG: number; sumH: number;
  hist: Float64Array | null; // per feature 256 bins × [g, h, count]
  split: Split | null;
}

/**
 * Histogram-based gradient-boosted trees for classification (LightGBM-style,
 * the algorithm of scikit-learn's HistGradientBoostingClassifier): features
 * are binned to ≤ 255 bins, each tree grows leaf-wise (best gain first) from
 * gradient/hessian histograms, the larger child's histogram is the parent's
 * minus the smaller child's, and missing values go to the side with the
 * higher gain. Binary log-loss or multinomial (one tree per class per
 * iteration). Learned state: `trees_` (per iteration, per class), `baseline_`,
 * `classes_`, `nIter_`, `trainLoss_` (binary: over every ⌈n / 10,000⌉-th
 * training row, as scikit-learn's training score uses a 10,000-row
 * subsample), `validationLoss_`.
 *
 * @example
 * const gb = new HistGradientBoostingClassifier({ learningRate: 0.1, maxIter: 200 }).fit(X, y);
 * gb.predictProba(X);   // n × k class probabilities
 * gb.shapValues(X);     // exact TreeSHAP in log-odds
 */
export class HistGradientBoostingClassifier implements Classifier, Estimator<Matrix, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<HistGradientBoostingOptions> = {
    ...HIST_BOOSTING_SPEC,
    classWeight: { default: undefined, type: "any", check: checkClassWeight },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(HistGradientBoostingClassifier.spec);
  readonly options: Resolved<HistGradientBoostingOptions>;
  /** trees_[iteration][class] (one class column for binary problems). */
  trees_?: TreeArrays[][];
  baseline_?: Float64Array;
  classes_?: number[];
  nFeatures_?: number;
  nIter_?: number;
  trainLoss_?: number[];
  validationLoss_?: number[];

  constructor(options: HistGradientBoostingOptions = {}) {
    this.options = resolveOptions("HistGradientBoostingClassifier", HistGradientBoostingClassifier.spec, options);
  }

  fit(X: Matrix, y: ArrayLike<number>, fitOptions: ModelFitOptions = {}): this {
    checkMatrix(X);
    const o = this.options;
    const lr = o.learningRate ?? 0.1, maxIter = o.maxIter ?? 100, maxLeaves = o.maxLeafNodes ?? 31;
    const maxDepth = o.maxDepth ?? Infinity, minLeaf = o.minSamplesLeaf ?? 20, l2 = o.l2Regularization ?? 0;
    if (!(lr > 0)) throw new CustlabError("E_OPTION", `option learningRate: must be > 0, got ${lr}`);
    if (!(Number.isInteger(maxIter) && maxIter >= 1)) throw new CustlabError("E_OPTION", `option maxIter: must be a positive integer, got ${maxIter}`);
    if (!(maxLeaves >= 2)) throw new CustlabError("E_OPTION", `option maxLeafNodes: must be ≥ 2, got ${maxLeaves}`);
    const { classes, codes } = encodeLabels(y, X.rows);
    const w = rowWeights(codes, classes, o.classWeight, fitOptions.sampleWeight);
    const n = X.rows, k = classes.length, K = k === 2 ? 1 : k;
    const es = o.earlyStopping ?? "auto";
    const useES = es === true || (es === "auto" && n > 10_000);
    // validation split (stratified, seeded)
    let trainRows: Int32Array, valRows: Int32Array = new Int32Array(0);
    if (useES) {
      ({ train: trainRows, validation: valRows } = stratifiedHoldout(codes, k, o.validationFraction ?? 0.1, createRng(o.seed ?? 42)));
    } else trainRows = Int32Array.from({ length: n }, (_, i) => i);
    const B = applyBins(X, fitBinThresholds(X, o.maxBins ?? 255, 200_000, trainRows));
    const baseline = classBaseline(codes, w, trainRows, k);
    const m = trainRows.length, identity = m === n;
    const unitWeights = w.every((v) => v === 1);
    const grower = new HistTreeGrower(B, m, { maxLeaves, maxDepth, minLeaf, l2, lr }, o.nThreads || defaultGbdtThreads(), K === 1 ? { weighted: !unitWeights } : undefined);
    // binary: the raw scores, labels and weights live in the grower's shared memory, where each tree's
    // score and gradient update runs over the threads
    const raw = K === 1 ? grower.arena.shareBinary(codes, unitWeights ? null : w, baseline[0]) : new Float64Array(n * K);
    if (K > 1) for (let i = 0; i < n; i++) for (let c = 0; c < K; c++) raw[i * K + c] = baseline[c];
    const prob = new Float64Array(K > 1 ? n * K : 0);
    const trees: TreeArrays[][] = [];
    const trainLoss: number[] = [], valLoss: number[] = [];
    const lossOf = (rows: Int32Array): number => classLoss(raw, codes, w, rows, K);
    const scores: number[] = [];
    if (useES) scores.push(-lossOf(valRows));
    const nIterNoChange = o.nIterNoChange ?? 10, tol = o.tol ?? 1e-7;
    try {
    const lossStride = Math.max(1, Math.ceil(m / TRAIN_LOSS_ROWS));
    if (K === 1) grower.arena.binaryUpdate(trainRows, 0, null, null, null);
    const leafValues = new Float64Array(maxLeaves);
    let it = 0;
    for (; it < maxIter; it++) {
      if (K > 1) classProbabilities(raw, trainRows, K, prob);
      const iterTrees: TreeArrays[] = [];
      for (let c = 0; c < K; c++) {
        if (K > 1) classGradients(prob, codes, w, trainRows, K, c, grower.gh);
        if (K > 1) grower.rows.set(trainRows); // binary: binaryUpdate wrote them back
        const tree = grower.grow(unitWeights ? null : w, m, identity);
        iterTrees.push(tree);
        if (K === 1) {
          // the scores of the training rows, then the gradient pairs of the next tree, over the threads
          for (let l = 0; l < grower.nLeaves; l++) leafValues[l] = tree.value[grower.leafNode[l]];
          grower.arena.binaryUpdate(trainRows, grower.nLeaves, grower.leafStart, grower.leafEnd, leafValues);
        } else grower.addLeafValues(tree, raw, K, c);
        for (const i of valRows) raw[i * K + c] += tree.value[treeLeafBinned(tree, B, i)];
      }
      trees.push(iterTrees);
      const tl = K === 1 ? binaryLoss(raw, codes, w, trainRows, lossStride) : lossOf(trainRows);
      trainLoss.push(tl);
      const metrics: Record<string, number> = { loss: tl };
      let stop = false;
      if (useES) {
        const vl = lossOf(valRows);
        valLoss.push(vl); metrics.val_loss = vl;
        scores.push(-vl);
        stop = noImprovement(scores, nIterNoChange, tol);
      }
      fitOptions.onProgress?.({ stage: "boost", done: it + 1, total: maxIter, metrics, final: stop || it + 1 === maxIter });
      if (stop) { it++; break; }
    }
    } finally { grower.close(); }
    this.trees_ = trees;
    this.baseline_ = baseline;
    this.classes_ = classes;
    this.nFeatures_ = X.cols;
    this.nIter_ = trees.length;
    this.trainLoss_ = trainLoss;
    this.validationLoss_ = valLoss;
    // thresholds must be consulted at predict time from raw X: trees store raw thresholds.
    return this;
  }

  /** Raw scores: log-odds (binary, length n) or logits (n × k). */
  decisionFunction(X: Matrix): Float64Array {
    if (!this.trees_ || !this.baseline_) notFitted("HistGradientBoostingClassifier");
    checkMatrix(X, this.nFeatures_);
    const K = this.baseline_.length, n = X.rows, raw = new Float64Array(n * K);
    for (let i = 0; i < n; i++) for (let c = 0; c < K; c++) raw[i * K + c] = this.baseline_[c];
    for (const iter of this.trees_) for (let c = 0; c < K; c++) {
      const t = iter[c];
      for (let i = 0; i < n; i++) raw[i * K + c] += t.value[treeLeaf(t, X.data, i * X.cols)];
    }
    return raw;
  }

  /** Class probabilities, n × k row-major (columns in `classes_` order). */
  predictProba(X: Matrix): Float64Array {
    const raw = this.decisionFunction(X);
    const K = this.baseline_!.length;
    if (K === 1) { for (let i = 0; i < raw.length; i++) raw[i] = 1 / (1 + Math.exp(-raw[i])); return binaryProba(raw); }
    return softmaxRows(raw, X.rows, K);
  }

  predict(X: Matrix): Float64Array {
    return probaToLabels(this.predictProba(X), this.classes_!, X.rows);
  }

  /**
   * Exact TreeSHAP in log-odds (binary) or class-logit (multiclass, class
   * `classIndex`) space: each row sums to `decisionFunction − expectedValue`.
   */
  shapValues(X: Matrix, options: { classIndex?: number } = {}): ShapValues {
    if (!this.trees_ || !this.baseline_) notFitted("HistGradientBoostingClassifier");
    checkMatrix(X, this.nFeatures_);
    const K = this.baseline_.length;
    const ci = options.classIndex ?? (K === 1 ? 1 : 0);
    const col = K === 1 ? 0 : ci;
    return forestShap(this.trees_.map((t) => t[col]), X, 0, 1, "log-odds", this.baseline_[col], ci);
  }

  /** `{ type, version, options, state }`. */
  toJSON() {
    return estimatorJSON("HistGradientBoostingClassifier", 1, this.options, this.trees_ && { classes: this.classes_, nFeatures: this.nFeatures_, baseline: Array.from(this.baseline_!), nIter: this.nIter_, trainLoss: this.trainLoss_, validationLoss: this.validationLoss_, trees: this.trees_.map((it) => it.map(treeToJSON)) });
  }

  /** Rebuild from {@link HistGradientBoostingClassifier.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(o: unknown): HistGradientBoostingClassifier {
    const { options, state: s } = readEstimatorJSON(o, "HistGradientBoostingClassifier", 1, true);
    const m = new HistGradientBoostingClassifier(options);
    if (s?.trees) {
      m.trees_ = s.trees.map((it: any[]) => it.map(treeFromJSON)); m.baseline_ = Float64Array.from(s.baseline);
      m.classes_ = s.classes; m.nFeatures_ = s.nFeatures; m.nIter_ = s.nIter; m.trainLoss_ = s.trainLoss; m.validationLoss_ = s.validationLoss;
    }
    return m;
  }
}

/** Baseline raw scores of the classifier: the log-odds (binary) or log class shares (multiclass) of the weighted training rows. @internal */
export function classBaseline(codes: Int32Array, w: Float64Array, rows: Int32Array, k: number): Float64Array {
  const K = k === 2 ? 1 : k;
  const baseline = new Float64Array(K);
  const cw = new Float64Array(k);
  let tot = 0;
  for (const i of rows) { cw[codes[i]] += w[i]; tot += w[i]; }
  if (K === 1) { const p = Math.min(Math.max(cw[1] / tot, EPS), 1 - EPS); baseline[0] = Math.log(p / (1 - p)); }
  else for (let c = 0; c < k; c++) baseline[c] = Math.log(Math.max(cw[c] / tot, EPS));
  return baseline;
}

/** Weighted mean log-loss of raw scores (K = 1: binary log-odds; else n × K logits) over `rows`. @internal */
export function classLoss(raw: Float64Array, codes: Int32Array, w: Float64Array, rows: Int32Array, K: number): number {
  let s = 0, ws = 0;
  for (const i of rows) {
    const wi = w[i];
    if (K === 1) { const z = raw[i], yi = codes[i]; s += wi * ((z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - yi * z); }
    else {
      let mx = -Infinity; for (let c = 0; c < K; c++) mx = Math.max(mx, raw[i * K + c]);
      let se = 0; for (let c = 0; c < K; c++) se += Math.exp(raw[i * K + c] - mx);
      s += wi * (Math.log(se) + mx - raw[i * K + codes[i]]);
    }
    ws += wi;
  }
  return s / ws;
}

/** Weighted mean binary log-loss of raw log-odds over every `lossStride`-th of `rows` (1: all of them). @internal */
export function binaryLoss(raw: Float64Array, codes: Int32Array, w: Float64Array, rows: Int32Array, lossStride = 1): number {
  let s = 0, ws = 0;
  for (let t = 0; t < rows.length; t += lossStride) {
    const i = rows[t], z = raw[i], wi = w[i], l = Math.log1p(Math.exp(z > 0 ? -z : z));
    s += wi * ((z > 0 ? z + l : l) - codes[i] * z);
    ws += wi;
  }
  return s / ws;
}

/** Training rows over which the training loss is reported: every one up to 10,000, then every ⌈m / 10,000⌉-th (scikit-learn scores training loss on a 10,000-row subsample too). @internal */
export const TRAIN_LOSS_ROWS = 10_000;

/** Probabilities of `rows` from raw scores into `prob` (sigmoid for K = 1, softmax otherwise). @internal */
export function classProbabilities(raw: Float64Array, rows: Int32Array, K: number, prob: Float64Array): void {
  for (const i of rows) {
    if (K === 1) { const z = raw[i]; prob[i] = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)); }
    else {
      let mx = -Infinity; for (let c = 0; c < K; c++) mx = Math.max(mx, raw[i * K + c]);
      let se = 0; for (let c = 0; c < K; c++) { prob[i * K + c] = Math.exp(raw[i * K + c] - mx); se += prob[i * K + c]; }
      for (let c = 0; c < K; c++) prob[i * K + c] /= se;
    }
  }
}

/** Gradients and hessians of the log-loss for class column c, as pairs gh[2i], gh[2i + 1] (float32 like scikit-learn's G_H_DTYPE, so near-tied splits resolve the same way). @internal */
export function classGradients(prob: Float64Array, codes: Int32Array, w: Float64Array, rows: Int32Array, K: number, c: number, gh: Float32Array): void {
  for (let t = 0; t < rows.length; t++) {
    const i = rows[t], pr = prob[i * K + c], yi = K === 1 ? codes[i] : codes[i] === c ? 1 : 0;
    gh[2 * i] = w[i] * (pr - yi);
    gh[2 * i + 1] = w[i] * pr * (1 - pr);
  }
}

/** Leaf of binned row i (uses the bin-level split stored alongside). @internal */
export function treeLeafBinned(t: TreeArrays & { binThreshold?: Int32Array }, B: BinnedMatrix, i: number): number {
  let node = 0;
  const bt = t.binThreshold!;
  while (t.left[node] >= 0) {
    const b = B.bins[t.feature[node] * B.n + i];
    node = (b === MISSING_BIN ? t.missingLeft[node] === 1 : b <= bt[node]) ? t.left[node] : t.right[node];
  }
  return node;
}

/** Histogram layout of a tree: feature j owns (nBins[j] + 1) bins (the last one = missing) × [g, h, count], from offset[j]. @internal */
export function histogramOffsets(B: BinnedMatrix): Int32Array {
  const featOff = new Int32Array(B.p + 1);
  for (let j = 0; j < B.p; j++) featOff[j + 1] = featOff[j] + (B.nBins[j] + 1) * 3;
  return featOff;
}

/**
 * The best split of a node from its histogram (sums G, H over N rows): every feature, every bin
 * boundary, missing values sent right (left to right scan) or left (right to left scan); gain
 * G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ), null when no split has a positive gain. @internal
 */
export function bestSplit(hist: Float64Array, featOff: Int32Array, B: BinnedMatrix, G: number, H: number, N: number, o: GrowOptions): Split | null {
  const p = B.p;
  const parentLoss = (G * G) / (H + o.l2);
  let best: Split | null = null;
  for (let j = 0; j < p; j++) {
    const off = featOff[j], nb = B.nBins[j];
    const mN = hist[off + nb * 3 + 2];
    const hasMissing = mN > 0;
    // left to right, missing right
    let gl = 0, hl = 0, nl = 0;
    const end = hasMissing ? nb : nb - 1;
    for (let b = 0; b < end; b++) {
      gl += hist[off + b * 3]; hl += hist[off + b * 3 + 1]; nl += hist[off + b * 3 + 2];
      if (nl < o.minLeaf) continue;
      if (N - nl < o.minLeaf) break;
      const hr = H - hl;
      if (hl < MIN_HESSIAN_TO_SPLIT) continue;
      if (hr < MIN_HESSIAN_TO_SPLIT) break;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + o.l2) + (gr * gr) / (hr + o.l2) - parentLoss;
      if (gain > 0 && (!best || gain > best.gain)) best = { gain, feature: j, bin: b, missingLeft: false, gL: gl, hL: hl, nL: nl };
    }
    if (hasMissing) {
      // right to left, missing left
      let gr = 0, hr = 0, nr = 0;
      for (let b = nb - 1; b >= 1; b--) {
        gr += hist[off + b * 3]; hr += hist[off + b * 3 + 1]; nr += hist[off + b * 3 + 2];
        if (nr < o.minLeaf) continue;
        if (N - nr < o.minLeaf) break;
        const hl2 = H - hr;
        if (hr < MIN_HESSIAN_TO_SPLIT) continue;
        if (hl2 < MIN_HESSIAN_TO_SPLIT) break;
        const gl2 = G - gr;
        const gain = (gl2 * gl2) / (hl2 + o.l2) + (gr * gr) / (hr + o.l2) - parentLoss;
        if (gain > 0 && (!best || gain > best.gain)) best = { gain, feature: j, bin: b - 1, missingLeft: true, gL: gl2, hL: hl2, nL: N - nr };
      }
    }
  }
  return best;
}

/** Limits of one histogram tree. @internal */
export interface GrowOptions { maxLeaves: number; maxDepth: number; minLeaf: number; l2: number; lr: number }

/** A grown tree with its bin-level thresholds. @internal */
export type BinnedTree = TreeArrays & { binThreshold: Int32Array };

/**
 * Grows histogram trees over one binned matrix, leaf-wise (best gain first),
 * reusing one {@link HistArena} from tree to tree: the caller writes the
 * gradient pairs of every row into `gh` (float32 [g, h] per row) and the
 * training rows, increasing, into `rows`, then calls
 * {@link HistTreeGrower.grow}. Each node's histogram is built from its rows in
 * row order (stable partitions keep them increasing), only for the smaller
 * child of a split (the larger one's is the parent's minus it), in histogram
 * slots that are reused. After a grow, `leafNode`, `leafStart` and `leafEnd`
 * (first `nLeaves` entries) say which rows[start..end) ended in which leaf, so
 * {@link HistTreeGrower.addLeafValues} updates the training scores without
 * walking the tree. Shared by the classifier, the gradient-boosted regressor
 * and the random-forest regressor. @internal
 */
export class HistTreeGrower {
  readonly arena: HistArena;
  nLeaves = 0;
  readonly leafNode: Int32Array; readonly leafStart: Int32Array; readonly leafEnd: Int32Array;

  /** `binary`: room for the binary log-loss state in the arena (see {@link HistArena.shareBinary}). */
  constructor(readonly B: BinnedMatrix, maxRows: number, readonly o: GrowOptions, threads = 1, binary?: { weighted: boolean }) {
    this.arena = new HistArena(B.n, B.p, maxRows, histogramOffsets(B), o.maxLeaves + 2, threads, binary && { weighted: binary.weighted, maxLeaves: o.maxLeaves });
    localBins(B, this.arena.bins);
    this.leafNode = new Int32Array(o.maxLeaves); this.leafStart = new Int32Array(o.maxLeaves); this.leafEnd = new Int32Array(o.maxLeaves);
  }

  /** Hand the worker threads back (call when the fit is done, also on an error). */
  close(): void { this.arena.close(); }

  /** Gradient pairs by row: gh[2i] = g_i, gh[2i + 1] = h_i (float32). */
  get gh(): Float32Array { return this.arena.gh; }
  /** The training rows (write the first m, increasing, before each grow; partitioned in place by it). */
  get rows(): Int32Array { return this.arena.rows; }

  private buildHist(start: number, end: number, seq: boolean): Float64Array {
    const hist = this.arena.newHist();
    if (!seq) this.arena.gather(start, end);
    this.arena.fill(hist, start, end, seq);
    return hist;
  }

  /**
   * Grow one tree over rows[0..m) with the pairs in `gh`. `w` = row weights
   * for the node covers, null when every weight is 1; `identity`: rows[t] = t
   * for every t (a fit on every row), so the root reads the columns in order.
   */
  grow(w: Float64Array | null, m: number, identity = false): BinnedTree {
    const B = this.B, o = this.o, idx = this.arena.rows, gh = this.arena.gh, arena = this.arena;
    const store = new TreeBuilderStore(1, 2 * o.maxLeaves);
    const binTh: number[] = [];
    const nodes: GrowNode[] = [];
    const makeNode = (start: number, end: number, depth: number, sumG: number, sumH: number): GrowNode => {
      const id = store.add(depth);
      binTh[id] = -1;
      let cov = end - start;
      if (w) { cov = 0; for (let t = start; t < end; t++) cov += w[idx[t]]; }
      store.cover[id] = cov;
      store.value[id] = (-o.lr * sumG) / (sumH + o.l2 + EPS);
      const nd: GrowNode = { id, start, end, depth, sumG, sumH, hist: null, split: null };
      nodes.push(nd);
      return nd;
    };
    let sg = 0, sh = 0;
    for (let t = 0; t < m; t++) { const i = 2 * idx[t]; sg += gh[i]; sh += gh[i + 1]; }
    const root = makeNode(0, m, 0, sg, sh);
    const splittable: GrowNode[] = [];
    const consider = (nd: GrowNode) => {
      const N = nd.end - nd.start;
      if (nd.depth >= o.maxDepth || N < 2 * o.minLeaf || nd.sumH < MIN_HESSIAN_TO_SPLIT) return;
      nd.split = bestSplit(nd.hist!, arena.featOff, B, nd.sumG, nd.sumH, N, o);
      if (nd.split) splittable.push(nd);
    };
    const release = (nd: GrowNode) => { if (nd.hist) { arena.freeHist(nd.hist); nd.hist = null; } };
    if (m >= 2 * o.minLeaf && o.maxDepth > 0 && sh >= MIN_HESSIAN_TO_SPLIT) { root.hist = this.buildHist(0, m, identity); consider(root); }
    if (!root.split) release(root);
    let leaves = 1;
    while (splittable.length && leaves < o.maxLeaves) {
      let bi = 0;
      for (let q = 1; q < splittable.length; q++) if (splittable[q].split!.gain > splittable[bi].split!.gain) bi = q;
      const nd = splittable.splice(bi, 1)[0], s = nd.split!;
      const a = arena.partition(s.feature, nd.start, nd.end, s.bin, B.nBins[s.feature], s.missingLeft);
      // the rows sent left are the ones the histogram counted left: anything else is a wrong tree (rows or sums
      // corrupted), never to be returned as a model
      if (a - nd.start !== s.nL) throw new CustlabError("E_WORKER", `gbdt: a split sent ${a - nd.start} rows left where the histogram counted ${s.nL} (${arena.threads} threads); fit again with nThreads: 1`);
      const th = B.thresholds[s.feature];
      store.feature[nd.id] = s.feature;
      store.threshold[nd.id] = s.bin < th.length ? th[s.bin] : Infinity;
      store.missingLeft[nd.id] = s.missingLeft ? 1 : 0;
      binTh[nd.id] = s.bin;
      const L = makeNode(nd.start, a, nd.depth + 1, s.gL, s.hL);
      const R = makeNode(a, nd.end, nd.depth + 1, nd.sumG - s.gL, nd.sumH - s.hL);
      store.left[nd.id] = L.id; store.right[nd.id] = R.id;
      leaves++;
      const canL = !(L.depth >= o.maxDepth || L.end - L.start < 2 * o.minLeaf);
      const canR = !(R.depth >= o.maxDepth || R.end - R.start < 2 * o.minLeaf);
      if ((canL || canR) && leaves < o.maxLeaves) {
        const small = L.end - L.start <= R.end - R.start ? L : R, large = small === L ? R : L;
        small.hist = this.buildHist(small.start, small.end, false);
        const lh = nd.hist!, sh2 = small.hist, HS = arena.HS;
        for (let q = 0; q < HS; q++) lh[q] -= sh2[q];
        large.hist = lh;
        nd.hist = null;
        if (canL) consider(L);
        if (canR) consider(R);
        if (!L.split) release(L);
        if (!R.split) release(R);
      } else release(nd);
    }
    for (const nd of splittable) release(nd);
    let nl = 0;
    for (const nd of nodes) if (store.left[nd.id] < 0) { this.leafNode[nl] = nd.id; this.leafStart[nl] = nd.start; this.leafEnd[nl] = nd.end; nl++; }
    this.nLeaves = nl;
    const tree = store.finish() as BinnedTree;
    tree.binThreshold = Int32Array.from(binTh.slice(0, tree.nodeCount));
    return tree;
  }

  /** out[rows[t]·stride + col] += the value of the leaf row rows[t] reached, for every row of the last grown tree. */
  addLeafValues(tree: TreeArrays, out: Float64Array, stride = 1, col = 0): void {
    const idx = this.arena.rows;
    for (let l = 0; l < this.nLeaves; l++) {
      const v = tree.value[this.leafNode[l]], e = this.leafEnd[l];
      for (let t = this.leafStart[l]; t < e; t++) out[idx[t] * stride + col] += v;
    }
  }
}

registerEstimator("HistGradientBoostingClassifier", HistGradientBoostingClassifier);
