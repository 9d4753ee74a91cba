/**
 * Column storage. Numbers live in typed arrays (missing = NaN in Float64Array);
 * text lives in `string[]` (missing = ""). Dates are Float64Array of epoch
 * milliseconds (UTC), flagged in the table's `kinds` as "date".
 */
export type NumericColumn = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array | Int8Array | Uint16Array | Int16Array;
/** Text column; the empty string means missing. */
export type StringColumn = string[];
/** Any column a {@link Table} can hold. */
export type ColumnData = NumericColumn | StringColumn;
/** Logical kind of a column, used for display and typing. */
export type ColumnKind = "number" | "integer" | "date" | "boolean" | "string";

/**
 * True when a column is a typed numeric array.
 *
 * @example
 * ```ts
 * import { isNumeric } from "custlab";
 * isNumeric(Float64Array.from([1, 2])); // true
 * isNumeric(["a", "b"]);               // false
 * ```
 */
export function isNumeric(c: ColumnData): c is NumericColumn {
  return ArrayBuffer.isView(c);
}

/**
 * The default kind of a column from its storage.
 *
 * @example
 * ```ts
 * import { kindOf } from "custlab";
 * kindOf(Float64Array.from([1.5])); // "number"
 * kindOf(Int32Array.from([1]));     // "integer"
 * kindOf(["x"]);                    // "string"
 * ```
 */
export function kindOf(c: ColumnData): ColumnKind {
  if (!isNumeric(c)) return "string";
  if (c instanceof Float64Array || c instanceof Float32Array) return "number";
  if (c instanceof Uint8Array) return "integer";
  return "integer";
}
