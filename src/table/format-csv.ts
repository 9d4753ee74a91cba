import type { Table } from "./table";
import { cell } from "./table";

/** Options for {@link Table.toCSV}. */
export interface CSVOptions {
  /** Field delimiter (default ","). */
  delimiter?: string;
  /** Line terminator (default "\n"). */
  newline?: string;
}

/**
 * Quote a CSV field when it contains the delimiter, a quote or a newline.
 *
 * @example
 * ```ts
 * import { csvField } from "custlab";
 * csvField("a,b");        // "\"a,b\""
 * csvField("plain");      // "plain"
 * csvField("a;b", ";");  // "\"a;b\""
 * ```
 */
export function csvField(s: string, delimiter = ","): string {
  return s.includes(delimiter) || s.includes('"') || s.includes("\n") || s.includes("\r") ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Render a table as RFC 4180 CSV (numbers at full precision, NaN as empty, dates ISO).
 *
 * @example
 * ```ts
 * import { Table, toCSV } from "custlab";
 * const t = new Table({ sku: ["A", "B"], price: Float64Array.from([9.5, 12]) });
 * toCSV(t); // "sku,price\nA,9.5\nB,12\n"
 * ```
 */
export function toCSV(t: Table, o: CSVOptions = {}): string {
  const d = o.delimiter ?? ",";
  const nl = o.newline ?? "\n";
  const names = t.columnNames();
  const kinds = t.kinds();
  const out: string[] = [names.map((n) => csvField(n, d)).join(d)];
  for (let i = 0; i < t.numRows; i++) {
    out.push(names.map((n) => { const v = cell(t.get(n), kinds[n], i); return v === null ? "" : csvField(String(v), d); }).join(d));
  }
  return out.join(nl) + nl;
}
