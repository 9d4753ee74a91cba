import * as fs from "fs";
import { CustlabError } from "../util/errors";
import { softmaxRows } from "../util/numeric";
import type { Matrix } from "../util/matrix";
import type { TreeArrays } from "../models/tree-core";
import type { ShapValues } from "../models/tree";
import { compileTreeShap, treeShapRange, treeShapScratch } from "../models/treeshap";

/**
 * An XGBoost `gbtree` model read from its JSON file (`Booster.save_model("m.json")`):
 * its trees as custlab tree arrays, so custlab predicts with it and explains it
 * with the same TreeSHAP as its own models (`explainModel`, `treeShap`).
 */
export interface XGBoostModel {
  /** The objective (`binary:logistic`, `binary:logitraw`, `multi:softprob` or `multi:softmax`). */
  objective: string;
  /** Number of input features. */
  nFeatures: number;
  /** Number of output groups: 1, or the number of classes for multi-class objectives. */
  nGroups: number;
  /** The base margin added to every output group (`base_score` in margin space). */
  baseMargin: number;
  /** The trees, each with `cover` = XGBoost's hessian sum (what its `pred_contribs` uses). */
  trees: TreeArrays[];
  /** Output group of each tree. */
  treeGroup: Int32Array;
  /** Raw margins: n (one group) or n × nGroups, row-major. */
  decisionFunction(X: Matrix): Float64Array;
  /** P(class 1) for binary objectives (the sigmoid of the margin), class probabilities (n × k) for multi-class ones. */
  predictProba(X: Matrix): Float64Array;
  /** Exact path-dependent TreeSHAP of output group `classIndex` (default: the only group, or 0), in margin space. */
  shapValues(X: Matrix, options?: { classIndex?: number }): ShapValues;
}

const OBJECTIVES = ["binary:logistic", "binary:logitraw", "multi:softprob", "multi:softmax"];

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), b64 = new BigInt64Array(f64.buffer);
/** The largest double below x. */
function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  f64[0] = x;
  b64[0] += x > 0 ? -1n : 1n;
  return f64[0];
}
/**
 * The largest double t such that every double x ≤ t has fround(x) < c (XGBoost
 * compares the float32 value of x with its float32 split condition c).
 */
function leftThreshold(c: number): number {
  if (!Number.isFinite(c)) return c === Infinity ? Number.MAX_VALUE : -Infinity;
  // the float32 just below c, then the midpoint: doubles below it round under c; at it, ties go to the even one
  f32[0] = c;
  if (c === 0) u32[0] = 0x80000001; // −(smallest subnormal)
  else if (c > 0) u32[0] -= 1;
  else u32[0] += 1;
  const below = f32[0], evenBelow = (u32[0] & 1) === 0;
  const mid = (below + c) / 2;
  return evenBelow ? mid : nextDown(mid);
}

function num(v: unknown, what: string): number {
  const x = typeof v === "string" ? Number(v) : (v as number);
  if (typeof x !== "number" || Number.isNaN(x)) throw new CustlabError("E_FORMAT", `XGBoost model: ${what} is not a number (${JSON.stringify(v)})`);
  return x;
}

/**
 * Read an XGBoost model saved as JSON (`Booster.save_model("m.json")`, XGBoost
 * ≥ 1.0; numerical splits of `gbtree` models). Thresholds are mapped so that
 * custlab's `x ≤ t` sends every value where XGBoost's float32 `x < c` does, and
 * node covers are XGBoost's hessian sums, so {@link explainModel} and
 * `treeShap` return XGBoost's `pred_contribs` (up to its float32 arithmetic).
 *
 * @param source - the parsed JSON, its text, or a path to the file
 * @example
 * const xgb = readXGBoostModel("model.json");
 * const ex = explainModel(xgb, X); // ≈ booster.predict(DMatrix(X), pred_contribs=True)
 * xgb.predictProba(X);
 */
export function readXGBoostModel(source: unknown): XGBoostModel {
  let json = source;
  let file: string | undefined;
  if (typeof source === "string") {
    const text = source.trimStart().startsWith("{") ? source : (file = source, (() => {
      try { return fs.readFileSync(source, "utf8"); } catch (e) { throw new CustlabError("E_IO", `cannot read XGBoost model ${source}: ${(e as Error).message}`, { file: source }); }
    })());
    try { json = JSON.parse(text); } catch (e) { throw new CustlabError("E_FORMAT", `XGBoost model is not JSON: ${(e as Error).message}`, { file }); }
  }
  const learner = (json as { learner?: Record<string, any> })?.learner;
  const gb = learner?.gradient_booster;
  if (!learner || !gb) throw new CustlabError("E_FORMAT", "not an XGBoost JSON model (no learner.gradient_booster; save it with Booster.save_model(\"m.json\"))", { file });
  if (gb.name !== "gbtree") throw new CustlabError("E_UNSUPPORTED", `XGBoost booster "${gb.name}" is not supported (only gbtree)`, { file });
  const objective = String(learner.objective?.name ?? "");
  if (!OBJECTIVES.includes(objective)) throw new CustlabError("E_UNSUPPORTED", `XGBoost objective "${objective}" is not supported (known: ${OBJECTIVES.join(", ")})`, { file });
  const mp = learner.learner_model_param ?? {};
  const nFeatures = num(mp.num_feature, "num_feature");
  const nClass = num(mp.num_class ?? 0, "num_class");
  const nGroups = objective.startsWith("multi:") ? Math.max(1, nClass) : 1;
  const baseScore = num(mp.base_score ?? 0.5, "base_score");
  const baseMargin = objective === "binary:logistic" ? Math.log(baseScore / (1 - baseScore)) : baseScore;
  const rawTrees: any[] = gb.model?.trees ?? [];
  const info: number[] = gb.model?.tree_info ?? rawTrees.map(() => 0);
  const trees = rawTrees.map((t, ti): TreeArrays => {
    const L: number[] = t.left_children, R: number[] = t.right_children, F: number[] = t.split_indices, C: number[] = t.split_conditions;
    const DL: number[] = t.default_left, H: number[] = t.sum_hessian, ST: number[] | undefined = t.split_type;
    const n = L?.length ?? 0;
    if (!n || [R, F, C, DL, H].some((a) => !a || a.length !== n)) throw new CustlabError("E_FORMAT", `XGBoost model: tree ${ti} has missing or ragged node arrays`, { file });
    const tr: TreeArrays = {
      nodeCount: n, outDim: 1, feature: new Int32Array(n).fill(-1), threshold: new Float64Array(n), missingLeft: new Uint8Array(n),
      left: new Int32Array(n).fill(-1), right: new Int32Array(n).fill(-1), value: new Float64Array(n), cover: new Float64Array(n), maxDepth: 0,
    };
    const depth = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      tr.cover[i] = H[i];
      if (L[i] < 0) { tr.value[i] = Math.fround(C[i]); continue; }
      if (ST && ST[i] !== 0) throw new CustlabError("E_UNSUPPORTED", `XGBoost model: tree ${ti} has a categorical split (not supported)`, { file });
      if (!(L[i] > i && R[i] > i && L[i] < n && R[i] < n) || F[i] < 0 || F[i] >= nFeatures) throw new CustlabError("E_FORMAT", `XGBoost model: tree ${ti} node ${i} has invalid children or feature`, { file });
      tr.left[i] = L[i]; tr.right[i] = R[i]; tr.feature[i] = F[i];
      tr.threshold[i] = leftThreshold(Math.fround(C[i]));
      tr.missingLeft[i] = DL[i] ? 1 : 0;
      depth[L[i]] = depth[R[i]] = depth[i] + 1;
      if (depth[i] + 1 > tr.maxDepth) tr.maxDepth = depth[i] + 1;
    }
    return tr;
  });
  const treeGroup = Int32Array.from(info);
  const check = (X: Matrix) => {
    if (!X || !(X.data instanceof Float64Array) || X.data.length !== X.rows * X.cols) throw new CustlabError("E_SHAPE", "X must be a Matrix {data: Float64Array, rows, cols}");
    if (X.cols !== nFeatures) throw new CustlabError("E_SHAPE", `X has ${X.cols} columns but the XGBoost model has ${nFeatures} features`);
  };
  const decisionFunction = (X: Matrix): Float64Array => {
    check(X);
    const G = nGroups, out = new Float64Array(X.rows * G).fill(baseMargin);
    for (let t = 0; t < trees.length; t++) {
      const tr = trees[t], g = treeGroup[t];
      for (let i = 0; i < X.rows; i++) {
        let nd = 0;
        const off = i * X.cols;
        while (tr.left[nd] >= 0) { const v = X.data[off + tr.feature[nd]]; nd = (v !== v ? tr.missingLeft[nd] === 1 : v <= tr.threshold[nd]) ? tr.left[nd] : tr.right[nd]; }
        out[i * G + g] += tr.value[nd];
      }
    }
    return out;
  };
  return {
    objective, nFeatures, nGroups, baseMargin, trees, treeGroup, decisionFunction,
    predictProba(X: Matrix): Float64Array {
      const m = decisionFunction(X);
      if (nGroups === 1) return m.map((z) => 1 / (1 + Math.exp(-z)));
      return softmaxRows(m, X.rows, nGroups);
    },
    shapValues(X: Matrix, options: { classIndex?: number } = {}): ShapValues {
      check(X);
      const g = xgboostGroup(this, options.classIndex);
      const c = compileTreeShap(trees.filter((_, t) => treeGroup[t] === g), { rows: X.rows });
      const values = { data: new Float64Array(X.rows * X.cols), rows: X.rows, cols: X.cols, columns: X.columns };
      treeShapRange(c, X.data, X.cols, 0, X.rows, values.data, X.cols, 0, treeShapScratch(c));
      return { values, expectedValue: baseMargin + c.expectedValue, space: "log-odds", classIndex: nGroups === 1 ? 1 : g };
    },
  };
}

/** The output group explained for `classIndex` (binary/regression: the one group). @internal */
export function xgboostGroup(m: Pick<XGBoostModel, "nGroups">, classIndex?: number): number {
  if (m.nGroups === 1) return 0;
  const g = classIndex ?? 0;
  if (!(Number.isInteger(g) && g >= 0 && g < m.nGroups)) throw new CustlabError("E_OPTION", `classIndex ${g} is not a class of this model (0…${m.nGroups - 1})`);
  return g;
}

/** Whether a value is an {@link XGBoostModel} read by {@link readXGBoostModel}. @internal */
export function isXGBoostModel(m: unknown): m is XGBoostModel {
  return typeof m === "object" && m !== null && Array.isArray((m as XGBoostModel).trees) && (m as XGBoostModel).treeGroup instanceof Int32Array && typeof (m as XGBoostModel).baseMargin === "number";
}
