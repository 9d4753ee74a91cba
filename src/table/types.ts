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

/**
 * A cell as a display value: numbers (NaN → null), dates → ISO string, text → string.
 *
 * @example
 * ```ts
 * import { cell } from "custlab";
 * const ts = Float64Array.from([Date.UTC(2024, 2, 5), NaN]);
 * cell(ts, "date", 0);   // "2024-03-05T00:00:00.000Z"
 * cell(ts, "date", 1);   // null
 * cell(["a", "b"], "string", 1); // "b"
 * ```
 */
export function cell(c: ColumnData, kind: ColumnKind, i: number): string | number | null {
  if (isNumeric(c)) {
    const v = c[i];
    if (Number.isNaN(v)) return null;
    if (kind === "date") return new Date(v).toISOString();
    return v;
  }
  return c[i];
}

/**
 * What the table formatters ({@link toHTML}, {@link toMarkdown}, {@link toCSV})
 * read from a table: a {@link Table} is one, and so is any object with these
 * four members (so the formatters need not import the class that calls them).
 *
 * @example
 * ```ts
 * import { Table, toCSV, type TableView } from "custlab";
 * const view: TableView = new Table({ sku: ["A"], price: Float64Array.from([9.5]) });
 * toCSV(view); // "sku,price\nA,9.5\n"
 * ```
 */
export interface TableView {
  /** Number of rows. */
  readonly numRows: number;
  /** Column names in order. */
  columnNames(): string[];
  /** Logical kind of every column. */
  kinds(): Record<string, ColumnKind>;
  /** A column's storage (text-coded columns decoded). */
  get(name: string): ColumnData;
}
