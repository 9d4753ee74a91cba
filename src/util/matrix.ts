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

/** A zero matrix. */
export function zeros(rows: number, cols: number, columns?: string[]): Matrix {
  return { data: new Float64Array(rows * cols), rows, cols, columns };
}

/** A matrix from nested arrays (for tests and small inputs). */
export function fromArrays(a: ArrayLike<ArrayLike<number>>, columns?: string[]): Matrix {
  const rows = a.length, cols = rows ? a[0].length : 0;
  const m = zeros(rows, cols, columns);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.data[i * cols + j] = a[i][j];
  return m;
}

/** Row i as a subarray view (no copy). */
export function rowView(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Rows at the given indices, copied. */
export function takeRows(m: Matrix, idx: ArrayLike<number>): Matrix {
  const out = zeros(idx.length, m.cols, m.columns);
  for (let k = 0; k < idx.length; k++) out.data.set(m.data.subarray(idx[k] * m.cols, (idx[k] + 1) * m.cols), k * m.cols);
  return out;
}

/** Column j, copied. */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j];
  return out;
}
