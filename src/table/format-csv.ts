import { cell, type TableView } from "./types";

/** Options for {@link Table.toCSV}. */
export interface CSVOptions {
  /** Field delimiter (default ","). */
  delimiter?: string;
  /** Line terminator (default "\n"). */
  newline?: string;
}

/** A plain number literal (`-1.5`, `+3`, `1e-9`, `-Infinity`): safe in a spreadsheet, kept as written. */
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?Infinity$/;

/**
 * Neutralise a text cell a spreadsheet would run as a formula (OWASP's CSV
 * injection rule): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a leading `'`, unless it is a plain number such as `-1.5`.
 *
 * @example
 * ```ts
 * import { neutraliseFormula } from "custlab";
 * neutraliseFormula('=HYPERLINK("http://x","y")'); // "'=HYPERLINK(\"http://x\",\"y\")"
 * neutraliseFormula("-1.5");                       // "-1.5"
 * neutraliseFormula("@SUM(A1)");                   // "'@SUM(A1)"
 * ```
 */
export function neutraliseFormula(s: string): string {
  if (s === "") return s;
  const c = s.charCodeAt(0);
  // = + - @ \t \r
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return s;
  return NUMBER_RE.test(s) ? s : "'" + s;
}

/**
 * The one CSV cell writer: neutralises formula text ({@link neutraliseFormula}),
 * then quotes the field when it contains the delimiter, a quote or a newline
 * (RFC 4180). Every CSV custlab writes goes through it.
 *
 * @example
 * ```ts
 * import { csvField } from "custlab";
 * csvField("a,b");        // "\"a,b\""
 * csvField("plain");      // "plain"
 * csvField("a;b", ";");  // "\"a;b\""
 * csvField("=1+1");       // "'=1+1"
 * csvField("-1.5");       // "-1.5"
 * ```
 */
export function csvField(s: string, delimiter = ","): string {
  s = neutraliseFormula(s);
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
export function toCSV(t: TableView, o: CSVOptions = {}): string {
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
