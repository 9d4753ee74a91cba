import * as os from "os";
import type { Worker } from "worker_threads";
import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import type { ProgressCallback } from "../util/progress";
import { WarmWorkers } from "../util/workers";
import type { TreeArrays } from "../models/tree-core";
import { DecisionTreeClassifier } from "../models/tree";
import { RandomForestClassifier } from "../models/forest";
import { HistGradientBoostingClassifier } from "../models/gbdt";
import { compileTreeShap, treeShapRange, treeShapScratch, type CompiledTreeShap } from "../models/treeshap";
import { DONE, POSTED, RECLAIMED } from "./treeshap-block";
import { isXGBoostModel, xgboostGroup } from "./xgboost";

/**
 * The trees behind one explained output of a tree model: the output is
 * `base + Σ scale × tree(x)[out]`.
 */
export interface TreeEnsemble {
  trees: TreeArrays[];
  /** Output column of the leaf values (class index for CART trees, 0 for boosting). */
  out: number;
  /** Multiplier of each tree (1/T for a forest average). */
  scale: number;
  /** Added to the expected value (the boosting baseline). */
  base: number;
  /** "log-odds" (boosting margins) or "probability" (trees, forests). */
  space: "probability" | "log-odds";
  /** The class explained. */
  classIndex: number;
}

/**
 * The tree ensemble behind a custlab tree model (HistGradientBoostingClassifier,
 * RandomForestClassifier, DecisionTreeClassifier) or an XGBoost model read by
 * `readXGBoostModel`, for class `classIndex` (default 1 for binary models);
 * undefined for other models.
 * @example
 * const ens = treeEnsembleOf(gbdt); // { trees, out: 0, scale: 1, base: baseline, space: "log-odds", classIndex: 1 }
 */
export function treeEnsembleOf(model: unknown, classIndex?: number): TreeEnsemble | undefined {
  if (model instanceof HistGradientBoostingClassifier && model.trees_ && model.baseline_) {
    const K = model.baseline_.length;
    const ci = classIndex ?? (K === 1 ? 1 : 0);
    const col = K === 1 ? 0 : ci;
    if (!(Number.isInteger(col) && col >= 0 && col < K)) throw new CustlabError("E_OPTION", `classIndex ${ci} is not a class of this model`);
    return { trees: model.trees_.map((t) => t[col]), out: 0, scale: 1, base: model.baseline_[col], space: "log-odds", classIndex: ci };
  }
  if (model instanceof RandomForestClassifier && model.trees_) return cart(model.trees_, classIndex ?? 1, 1 / model.trees_.length);
  if (model instanceof DecisionTreeClassifier && model.tree_) return cart([model.tree_], classIndex ?? 1, 1);
  if (isXGBoostModel(model)) {
    const g = xgboostGroup(model, classIndex);
    return { trees: model.trees.filter((_, t) => model.treeGroup[t] === g), out: 0, scale: 1, base: model.baseMargin, space: "log-odds", classIndex: model.nGroups === 1 ? 1 : g };
  }
  return undefined;
}

function cart(trees: TreeArrays[], ci: number, scale: number): TreeEnsemble {
  const k = trees[0]?.outDim ?? 0;
  if (!(Number.isInteger(ci) && ci >= 0 && ci < k)) throw new CustlabError("E_OPTION", `classIndex ${ci} is not a class of this model (0…${k - 1})`);
  return { trees, out: ci, scale, base: 0, space: "probability", classIndex: ci };
}

/** Options for {@link treeShap}. */
export interface TreeShapOptions {
  /** Class explained (default 1 for binary models, 0 for multi-class boosting). */
  classIndex?: number;
  /** Threads (default: available CPUs, at most 8; small jobs run on one). Rows are split in blocks, one per thread. */
  nThreads?: number;
  /** One event when done (and one per block of rows on one thread). */
  onProgress?: ProgressCallback;
}

/** Result of {@link treeShap}. */
export interface TreeShapResult {
  /** n × p contributions (shared memory when computed on several threads). */
  values: Matrix;
  /** Expected output: base + cover-weighted mean of the trees. */
  expectedValue: number;
  space: "probability" | "log-odds";
  classIndex: number;
  /** Threads that computed rows. */
  threads: number;
}

/** Leaf visits below which a job stays on one thread (worker start-up and copies would dominate). */
const PARALLEL_MIN_WORK = 2_000_000;

/**
 * Default thread count for TreeSHAP: available CPUs, at most 8.
 * @example
 * treeShap(model, X, { nThreads: defaultTreeShapThreads() });
 */
export function defaultTreeShapThreads(): number {
  const n = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(8, n));
}

/**
 * Exact path-dependent TreeSHAP (Lundberg et al. 2018, Algorithm 2, with each
 * leaf's step in closed form and tabulated over its 2^d outcomes where rows
 * repeat them; see src/models/treeshap.ts) for a custlab tree model or an
 * XGBoost model, with the rows split over worker threads. Each row sums to
 * the model's output (log-odds for boosting, probability for trees and
 * forests) minus `expectedValue`. The values do not depend on the thread count.
 *
 * @example
 * const sv = treeShap(gbdt, X, { nThreads: 2 });
 * sv.values.data; sv.expectedValue;
 */
export function treeShap(model: unknown, X: Matrix, options: TreeShapOptions = {}): TreeShapResult {
  const ens = treeEnsembleOf(model, options.classIndex);
  if (!ens) throw new CustlabError("E_UNSUPPORTED", "treeShap needs a tree model (HistGradientBoostingClassifier, RandomForestClassifier, DecisionTreeClassifier or readXGBoostModel); use explainModel for other models");
  return treeShapEnsemble(ens, X, options);
}

/**
 * {@link treeShap} for an explicit {@link TreeEnsemble}.
 * @example
 * const sv = treeShapEnsemble(treeEnsembleOf(gbdt, 1)!, X);
 */
export function treeShapEnsemble(ens: TreeEnsemble, X: Matrix, options: TreeShapOptions = {}): TreeShapResult {
  if (!X || !(X.data instanceof Float64Array) || X.data.length !== X.rows * X.cols) throw new CustlabError("E_SHAPE", "X must be a Matrix {data: Float64Array, rows, cols} with data.length = rows·cols");
  let maxF = -1;
  for (const t of ens.trees) for (let i = 0; i < t.nodeCount; i++) if (t.feature[i] > maxF) maxF = t.feature[i];
  if (maxF >= X.cols) throw new CustlabError("E_SHAPE", `X has ${X.cols} columns but the trees split on feature ${maxF}`);
  const n = X.rows, p = X.cols;
  const c = compileTreeShap(ens.trees, { out: ens.out, scale: ens.scale, rows: n });
  let leaves = 0;
  for (let i = 0; i < c.left.length; i++) if (c.left[i] < 0) leaves++;
  const want = Math.max(1, Math.floor(options.nThreads ?? defaultTreeShapThreads()));
  const T = workerPath() === null || n * leaves < PARALLEL_MIN_WORK ? 1 : Math.min(want, Math.max(1, Math.floor(n / 64)));
  const result = (data: Float64Array, threads: number): TreeShapResult => {
    options.onProgress?.({ stage: "shap", done: n, total: n });
    return { values: { data, rows: n, cols: p, columns: X.columns }, expectedValue: ens.base + c.expectedValue, space: ens.space, classIndex: ens.classIndex, threads };
  };
  if (T === 1) {
    const phi = new Float64Array(n * p), s = treeShapScratch(c);
    const step = Math.max(1024, Math.ceil(n / 20));
    for (let lo = 0; lo < n; lo += step) {
      const hi = Math.min(n, lo + step);
      treeShapRange(c, X.data, p, lo, hi, phi, p, 0, s);
      if (hi < n) options.onProgress?.({ stage: "shap", done: hi, total: n });
    }
    return result(phi, 1);
  }
  return result(parallelShap(c, X, T), T);
}

// ---- worker threads ------------------------------------------------------------------------

const pool = new WarmWorkers(__dirname, "explain", "treeshap-worker.js");
const workerPath = () => pool.path();

/**
 * End the TreeSHAP worker threads kept between calls (they never keep the
 * process alive; this frees their memory at once).
 * @example
 * treeShap(model, X);
 * closeTreeShapWorkers();
 */
export function closeTreeShapWorkers(): void {
  pool.close();
}

/** Copy a typed array into shared memory. */
function share<T extends Int32Array | Float64Array | Uint8Array>(a: T): T {
  const C = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new C(new SharedArrayBuffer(Math.max(8, a.byteLength)));
  (out as unknown as { set(x: ArrayLike<number>): void }).set(a);
  return out;
}

/** The compiled arrays the workers need. @internal */
export const SHARED_FIELDS = ["treeStart", "feature", "threshold", "missingLeft", "left", "right", "bit", "pos", "parent", "elemOff", "elemFeature", "elemZ", "leafValue", "tableOff", "table", "weights"] as const;

function parallelShap(c: CompiledTreeShap, X: Matrix, T: number): Float64Array {
  const n = X.rows, p = X.cols;
  const bounds = Array.from({ length: T + 1 }, (_, b) => Math.round((b * n) / T));
  const shared: Record<string, unknown> = { nTrees: c.nTrees, maxD: c.maxD, maxNodes: c.maxNodes, expectedValue: c.expectedValue };
  for (const f of SHARED_FIELDS) shared[f] = share(c[f]);
  // the workers' rows (the main thread reads its own block in place) and the output, in shared memory
  const xs = new Float64Array(new SharedArrayBuffer(Math.max(8, (n - bounds[1]) * p * 8)));
  xs.set(X.data.subarray(bounds[1] * p));
  const phi = new Float64Array(new SharedArrayBuffer(Math.max(8, n * p * 8)));
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * T));
  const workers: (Worker | null)[] = [null];
  for (let w = 1; w < T; w++) {
    let worker: Worker | null = null;
    try { worker = pool.take(); } catch { worker = null; }
    workers.push(worker);
    if (!worker) { ctrl[w] = RECLAIMED; continue; }
    worker.postMessage({ c: shared, x: xs, xRow0: bounds[1], cols: p, lo: bounds[w], hi: bounds[w + 1], phi, ctrl, slot: w });
  }
  const s = treeShapScratch(c);
  treeShapRange(c, X.data, p, bounds[0], bounds[1], phi, p, 0, s);
  for (let w = 1; w < T; w++) {
    // a worker that has not taken its block within 30 s (or failed) gets it done here
    const deadline = Date.now() + 30_000;
    for (;;) {
      const v = Atomics.load(ctrl, w);
      if (v === DONE || v === RECLAIMED) break;
      if (v === -1 || (v === POSTED && Date.now() > deadline)) {
        if (v === -1 || Atomics.compareExchange(ctrl, w, POSTED, RECLAIMED) === POSTED) {
          if (v === -1) { for (let i = bounds[w] * p; i < bounds[w + 1] * p; i++) phi[i] = 0; ctrl[w] = RECLAIMED; }
          workers[w] = null;
          const own = X.data;
          treeShapRange(c, own, p, bounds[w], bounds[w + 1], phi, p, 0, s);
          break;
        }
        continue;
      }
      Atomics.wait(ctrl, w, v, 100);
    }
    const wk = workers[w];
    if (wk && Atomics.load(ctrl, w) === DONE) pool.give(wk);
    else if (wk) void wk.terminate();
  }
  return phi;
}
