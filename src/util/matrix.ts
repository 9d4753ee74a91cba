/**
 * A dense row-major matrix of float64: element (i, j) is `data[i * cols + j]`.
 * custlab's models, clustering and metrics take and return this (or plain
 * typed arrays), never arrays of objects.
 */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
  /** Optional column names (feature names). */
  columns?: string[];
}

/**
 * A zero matrix.
 *
 * @example
 * ```ts
 * import { zeros } from "custlab";
 * const m = zeros(2, 3, ["a", "b", "c"]);
 * m.data.length; // 6, all 0
 * ```
 */
export function zeros(rows: number, cols: number, columns?: string[]): Matrix {
  return { data: new Float64Array(rows * cols), rows, cols, columns };
}

/**
 * A matrix from nested arrays (for tests and small inputs).
 *
 * @example
 * ```ts
 * import { fromArrays } from "custlab";
 * const m = fromArrays([[1, 2], [3, 4]], ["x", "y"]);
 * m.data; // Float64Array [1, 2, 3, 4] (row-major)
 * ```
 */
export function fromArrays(a: ArrayLike<ArrayLike<number>>, columns?: string[]): Matrix {
  const rows = a.length, cols = rows ? a[0].length : 0;
  const m = zeros(rows, cols, columns);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.data[i * cols + j] = a[i][j];
  return m;
}

/**
 * Row i as a subarray view (no copy).
 *
 * @example
 * ```ts
 * import { fromArrays, rowView } from "custlab";
 * const m = fromArrays([[1, 2], [3, 4]]);
 * const r = rowView(m, 1); // Float64Array [3, 4], shares m.data
 * r[0] = 9;                // m.data is now [1, 2, 9, 4]
 * ```
 */
export function rowView(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/**
 * Rows at the given indices, copied.
 *
 * @example
 * ```ts
 * import { fromArrays, takeRows } from "custlab";
 * const m = fromArrays([[1, 2], [3, 4], [5, 6]]);
 * takeRows(m, [2, 0]).data; // Float64Array [5, 6, 1, 2]
 * ```
 */
export function takeRows(m: Matrix, idx: ArrayLike<number>): Matrix {
  const out = zeros(idx.length, m.cols, m.columns);
  for (let k = 0; k < idx.length; k++) out.data.set(m.data.subarray(idx[k] * m.cols, (idx[k] + 1) * m.cols), k * m.cols);
  return out;
}

/**
 * Column j, copied.
 *
 * @example
 * ```ts
 * import { fromArrays, column } from "custlab";
 * const m = fromArrays([[1, 2], [3, 4]]);
 * column(m, 1); // Float64Array [2, 4]
 * ```
 */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j];
  return out;
}
