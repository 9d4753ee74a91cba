import { CustlabError } from "../util/errors";

/**
 * Compressed sparse row (CSR) matrices in typed arrays — the layout TF-IDF
 * produces and the sparse logistic regression consumes. Row `i` holds the
 * entries `indices[indptr[i]..indptr[i+1])` with values `data[...]`; column
 * indices within a row are sorted ascending.
 *
 * @example
 * const m = csrFromTriplets(2, 3, [0, 1, 1], [2, 0, 2], [1, 5, 7]);
 * csrToDense(m); // [[0,0,1],[5,0,7]]
 */
export interface CsrMatrix {
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
  /** Row pointers, length rows + 1. */
  indptr: Int32Array;
  /** Column index of each stored value. */
  indices: Int32Array;
  /** Stored values. */
  data: Float64Array;
}

/**
 * Build a CSR matrix from (row, col, value) triplets; duplicates are summed.
 * @example csrFromTriplets(1, 2, [0, 0], [1, 1], [2, 3]) // one entry (0,1)=5
 */
export function csrFromTriplets(rows: number, cols: number, r: ArrayLike<number>, c: ArrayLike<number>, v: ArrayLike<number>): CsrMatrix {
  const n = r.length;
  const count = new Int32Array(rows + 1);
  for (let k = 0; k < n; k++) count[r[k] + 1]++;
  for (let i = 0; i < rows; i++) count[i + 1] += count[i];
  const pos = count.slice(0, rows);
  const ci = new Int32Array(n), cv = new Float64Array(n);
  for (let k = 0; k < n; k++) { const p = pos[r[k]]++; ci[p] = c[k]; cv[p] = v[k]; }
  // sort each row, merge duplicates
  const indptr = new Int32Array(rows + 1);
  const outI: number[] = [];
  const outV: number[] = [];
  for (let i = 0; i < rows; i++) {
    const s = count[i], e = count[i + 1];
    const order = Array.from({ length: e - s }, (_, k) => s + k).sort((a, b) => ci[a] - ci[b]);
    let last = -1;
    for (const p of order) {
      if (ci[p] === last) outV[outV.length - 1] += cv[p];
      else { outI.push(ci[p]); outV.push(cv[p]); last = ci[p]; }
    }
    indptr[i + 1] = outI.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(outI), data: Float64Array.from(outV) };
}

/**
 * Dense nested arrays (small matrices and tests only).
 * @example
 * csrToDense(csrFromTriplets(1, 2, [0], [1], [5])); // [[0, 5]]
 */
export function csrToDense(m: CsrMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) {
    const row = new Array(m.cols).fill(0);
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) row[m.indices[p]] = m.data[p];
    out.push(row);
  }
  return out;
}

/**
 * Rows at the given indices (copied, in that order).
 * @example
 * const m = csrFromTriplets(2, 2, [0, 1], [0, 1], [1, 2]);
 * csrToDense(csrTakeRows(m, [1])); // [[0, 2]]
 */
export function csrTakeRows(m: CsrMatrix, idx: ArrayLike<number>): CsrMatrix {
  let nnz = 0;
  for (let k = 0; k < idx.length; k++) nnz += m.indptr[idx[k] + 1] - m.indptr[idx[k]];
  const indptr = new Int32Array(idx.length + 1);
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let q = 0;
  for (let k = 0; k < idx.length; k++) {
    const s = m.indptr[idx[k]], e = m.indptr[idx[k] + 1];
    indices.set(m.indices.subarray(s, e), q);
    data.set(m.data.subarray(s, e), q);
    q += e - s;
    indptr[k + 1] = q;
  }
  return { rows: idx.length, cols: m.cols, indptr, indices, data };
}

/**
 * Number of stored entries.
 * @example
 * csrNnz(csrFromTriplets(2, 2, [0, 1], [0, 1], [1, 2])); // 2
 */
export function csrNnz(m: CsrMatrix): number {
  return m.indptr[m.rows];
}

/**
 * y = X·w (+ b), written into `out` (allocated when omitted).
 * @example
 * csrMatVec(csrFromTriplets(2, 2, [0, 1], [0, 1], [1, 2]), [3, 4], 1); // Float64Array [4, 9]
 */
export function csrMatVec(m: CsrMatrix, w: ArrayLike<number>, b = 0, out?: Float64Array): Float64Array {
  const y = out ?? new Float64Array(m.rows);
  const { indptr, indices, data } = m;
  for (let i = 0; i < m.rows; i++) {
    let s = b;
    for (let p = indptr[i], e = indptr[i + 1]; p < e; p++) s += data[p] * w[indices[p]];
    y[i] = s;
  }
  return y;
}

/**
 * g += Xᵀ·r (accumulates into `g`, length cols).
 * @example
 * const g = new Float64Array(2);
 * csrTransposeMatVecAdd(csrFromTriplets(2, 2, [0, 1], [0, 1], [1, 2]), [1, 1], g); // g = [1, 2]
 */
export function csrTransposeMatVecAdd(m: CsrMatrix, r: ArrayLike<number>, g: Float64Array): Float64Array {
  const { indptr, indices, data } = m;
  for (let i = 0; i < m.rows; i++) {
    const ri = r[i];
    if (ri === 0) continue;
    for (let p = indptr[i], e = indptr[i + 1]; p < e; p++) g[indices[p]] += data[p] * ri;
  }
  return g;
}

/**
 * The transpose Xᵀ as a CSR matrix (equivalently X in compressed sparse
 * column form): row j of the result lists the rows of X that use column j,
 * ascending. Solvers that sweep the matrix many times use it so that their
 * random accesses fall on row-length vectors (small enough for the cache)
 * instead of on feature-length ones.
 *
 * @example
 * const T = csrTranspose(csrFromTriplets(2, 3, [0, 1, 1], [2, 0, 2], [1, 5, 7]));
 * csrToDense(T); // [[0,5],[0,0],[1,7]]
 */
export function csrTranspose(m: CsrMatrix): CsrMatrix {
  const { rows, cols, indptr, indices, data } = m;
  const nnz = indptr[rows];
  const tp = new Int32Array(cols + 1);
  for (let p = 0; p < nnz; p++) tp[indices[p] + 1]++;
  for (let j = 0; j < cols; j++) tp[j + 1] += tp[j];
  const next = tp.slice(0, cols), ti = new Int32Array(nnz), td = new Float64Array(nnz);
  for (let i = 0; i < rows; i++) {
    for (let p = indptr[i], e = indptr[i + 1]; p < e; p++) { const q = next[indices[p]]++; ti[q] = i; td[q] = data[p]; }
  }
  return { rows: cols, cols: rows, indptr: tp, indices: ti, data: td };
}

/**
 * Horizontally stack CSR matrices with the same number of rows.
 * @example
 * const a = csrFromTriplets(1, 1, [0], [0], [1]), b = csrFromTriplets(1, 2, [0], [1], [2]);
 * csrToDense(csrHstack([a, b])); // [[1, 0, 2]]
 */
export function csrHstack(mats: CsrMatrix[]): CsrMatrix {
  if (!mats.length) return { rows: 0, cols: 0, indptr: new Int32Array(1), indices: new Int32Array(0), data: new Float64Array(0) };
  const rows = mats[0].rows;
  let nnz = 0, cols = 0;
  for (const m of mats) { nnz += csrNnz(m); }
  const indptr = new Int32Array(rows + 1), indices = new Int32Array(nnz), data = new Float64Array(nnz);
  const offs: number[] = [];
  for (const m of mats) { offs.push(cols); cols += m.cols; }
  let q = 0;
  for (let i = 0; i < rows; i++) {
    mats.forEach((m, k) => {
      for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) { indices[q] = m.indices[p] + offs[k]; data[q] = m.data[p]; q++; }
    });
    indptr[i + 1] = q;
  }
  return { rows, cols, indptr, indices, data };
}

/**
 * Vertically stack CSR matrices with the same number of columns (rows of the
 * first, then of the second, …).
 * @example
 * const a = csrFromTriplets(1, 2, [0], [0], [1]), b = csrFromTriplets(1, 2, [0], [1], [2]);
 * csrToDense(csrVstack([a, b])); // [[1, 0], [0, 2]]
 */
export function csrVstack(mats: CsrMatrix[]): CsrMatrix {
  if (!mats.length) return { rows: 0, cols: 0, indptr: new Int32Array(1), indices: new Int32Array(0), data: new Float64Array(0) };
  let rows = 0, nnz = 0;
  for (const m of mats) {
    if (m.cols !== mats[0].cols) throw new CustlabError("E_SHAPE", `csrVstack: ${m.cols} columns after ${mats[0].cols}`);
    rows += m.rows; nnz += csrNnz(m);
  }
  const indptr = new Int32Array(rows + 1), indices = new Int32Array(nnz), data = new Float64Array(nnz);
  let r = 0, q = 0;
  for (const m of mats) {
    for (let i = 0; i < m.rows; i++) indptr[r + i + 1] = q + m.indptr[i + 1];
    indices.set(m.indices.subarray(0, csrNnz(m)), q);
    data.set(m.data.subarray(0, csrNnz(m)), q);
    r += m.rows; q += csrNnz(m);
  }
  return { rows, cols: mats[0].cols, indptr, indices, data };
}

/**
 * Scale every row to unit l2 (or l1) norm in place; zero rows stay zero.
 * @example
 * csrToDense(csrNormalizeRows(csrFromTriplets(1, 2, [0, 0], [0, 1], [3, 4]))); // [[0.6, 0.8]]
 */
export function csrNormalizeRows(m: CsrMatrix, norm: "l2" | "l1" = "l2"): CsrMatrix {
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) s += norm === "l2" ? m.data[p] * m.data[p] : Math.abs(m.data[p]);
    if (s === 0) continue;
    const f = norm === "l2" ? 1 / Math.sqrt(s) : 1 / s;
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) m.data[p] *= f;
  }
  return m;
}
