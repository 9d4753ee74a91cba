import type { Matrix } from "../util/matrix";
import type { Table } from "./table";

/**
 * Numeric columns of a table as a Matrix (no imputation or scaling; text
 * cells are parsed, blanks → NaN).
 * @example tableToMatrix(features, ["recency_days", "frequency"]);
 */
export function tableToMatrix(t: Table, columns: string[]): Matrix {
  const n = t.numRows, d = columns.length, out = new Float64Array(n * d);
  columns.forEach((c, j) => {
    const v = t.get(c);
    if (Array.isArray(v)) for (let i = 0; i < n; i++) { const s = v[i].trim(); out[i * d + j] = s === "" ? NaN : Number(s); }
    else for (let i = 0; i < n; i++) out[i * d + j] = (v as ArrayLike<number>)[i];
  });
  return { data: out, rows: n, cols: d, columns: [...columns] };
}
