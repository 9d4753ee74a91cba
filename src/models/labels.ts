import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import type { ClassWeight } from "./types";

/** Labels encoded to 0..k-1 plus the sorted distinct labels. @internal */
export interface EncodedLabels {
  classes: number[];
  codes: Int32Array;
}

/** Encode labels to class indices (sorted distinct values). @internal */
export function encodeLabels(y: ArrayLike<number>, n: number, where = "y"): EncodedLabels {
  if (y.length !== n) throw new CustlabError("E_SHAPE", `${where} has ${y.length} labels but X has ${n} rows`);
  const set = new Set<number>();
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) throw new CustlabError("E_LABEL", `${where}[${i}] is ${v}: labels must be finite numbers`);
    set.add(v);
  }
  const classes = [...set].sort((a, b) => a - b);
  if (classes.length < 2) throw new CustlabError("E_LABEL", `${where} has only one class (${classes[0]}); a classifier needs at least two`);
  const index = new Map(classes.map((c, i) => [c, i]));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = index.get(y[i])!;
  return { classes, codes };
}

/**
 * Row weights = sample weight × class weight. Returns a fresh Float64Array.
 * @internal
 */
export function rowWeights(codes: Int32Array, classes: number[], classWeight?: ClassWeight, sampleWeight?: ArrayLike<number>): Float64Array {
  const n = codes.length, k = classes.length;
  const w = new Float64Array(n).fill(1);
  if (sampleWeight) {
    if (sampleWeight.length !== n) throw new CustlabError("E_SHAPE", `sampleWeight has ${sampleWeight.length} entries but X has ${n} rows`);
    for (let i = 0; i < n; i++) {
      const v = sampleWeight[i];
      if (!(v >= 0) || !Number.isFinite(v)) throw new CustlabError("E_OPTION", `sampleWeight[${i}] = ${v}: weights must be finite and ≥ 0`);
      w[i] = v;
    }
  }
  if (classWeight) {
    const cw = new Float64Array(k).fill(1);
    if (classWeight === "balanced") {
      const cnt = new Float64Array(k);
      for (let i = 0; i < n; i++) cnt[codes[i]]++;
      for (let c = 0; c < k; c++) cw[c] = cnt[c] > 0 ? n / (k * cnt[c]) : 0;
    } else {
      for (const [key, val] of Object.entries(classWeight)) {
        const c = classes.indexOf(Number(key));
        if (c < 0) throw new CustlabError("E_OPTION", `option classWeight: label "${key}" does not occur in y (labels: ${classes.join(", ")})`);
        cw[c] = val;
      }
    }
    for (let i = 0; i < n; i++) w[i] *= cw[codes[i]];
  }
  return w;
}

/** Check X is a well-formed matrix (and has `cols` columns when given). @internal */
export function checkMatrix(X: Matrix, cols?: number, what = "X"): void {
  if (!X || !(X.data instanceof Float64Array) || X.data.length !== X.rows * X.cols)
    throw new CustlabError("E_SHAPE", `${what} must be a Matrix {data: Float64Array, rows, cols} with data.length = rows·cols`);
  if (cols !== undefined && X.cols !== cols) throw new CustlabError("E_SHAPE", `${what} has ${X.cols} columns but the model was fitted on ${cols}`);
}

/** Arg-max of n × k class probabilities → labels (binary: P(class 1) > 0.5). @internal */
export function probaToLabels(p: Float64Array, classes: number[], n: number): Float64Array {
  const k = classes.length, out = new Float64Array(n);
  if (k === 2) { for (let i = 0; i < n; i++) out[i] = classes[p[i * 2 + 1] > 0.5 ? 1 : 0]; return out; }
  for (let i = 0; i < n; i++) {
    let best = 0, bv = -Infinity;
    for (let c = 0; c < k; c++) { const v = p[i * k + c]; if (v > bv) { bv = v; best = c; } }
    out[i] = classes[best];
  }
  return out;
}

/** P(class 1) per row → the n × 2 probability matrix [1 − p, p]. @internal */
export function binaryProba(p: ArrayLike<number>): Float64Array {
  const n = p.length, out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) { out[2 * i] = 1 - p[i]; out[2 * i + 1] = p[i]; }
  return out;
}

/** Check a `classWeight` option value (for option specs). @internal */
export function checkClassWeight(v: unknown): string | undefined {
  if (v === undefined || v === "balanced") return undefined;
  if (!v || typeof v !== "object" || Array.isArray(v)) return `must be "balanced" or a record label → weight, got ${JSON.stringify(v)}`;
  for (const [k, w] of Object.entries(v)) if (typeof w !== "number" || !(w >= 0) || !Number.isFinite(w)) return `weight of label ${k} must be a finite number ≥ 0, got ${w}`;
  return undefined;
}

export { notFitted } from "../util/estimator";

/** Typed array → plain number array for JSON. @internal */
export function arr(a: ArrayLike<number>): number[] {
  return Array.from(a);
}
