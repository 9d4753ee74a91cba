import { CustlabError } from "../util/errors";
import { ColumnData, ColumnKind, NumericColumn, StringColumn, isNumeric, kindOf, cell } from "./types";
import { toHTML, HTMLOptions } from "./format-html";
import { toMarkdown, MarkdownOptions } from "./format-markdown";
import { toCSV, CSVOptions } from "./format-csv";
import { TextCodes, isTextCodes, decodeText, peekTextCodes, textCodes } from "./codes";

export { cell };

/** What a table holds per column: plain storage, or text still dictionary-encoded. */
type Entry = ColumnData | TextCodes;

/**
 * An immutable column-oriented table. Every verb returns a new Table that
 * shares the columns it did not change. Numbers are typed arrays; text is
 * `string[]` ("" = missing); dates are epoch-ms Float64Arrays with kind "date".
 * Text may also be given (and is kept, as loaders give it) dictionary-encoded
 * as {@link TextCodes}: `codes(name)` reads the codes without making strings,
 * `take`/`filter`/`slice` move codes only, and `str(name)` decodes on first use.
 *
 * @example
 * const t = new Table({ id: ["a", "b"], spend: Float64Array.from([10, 20]) });
 * t.numRows;               // 2
 * t.num("spend")[1];       // 20
 * t.filter((i) => t.num("spend")[i] > 15).toMarkdown();
 */
export class Table {
  /** Number of rows. */
  readonly numRows: number;
  // Columns by name; an encoded text column is replaced by its strings the first time they are asked for.
  private readonly cols: Record<string, Entry>;
  private readonly kindMap: Readonly<Record<string, ColumnKind>>;
  private readonly order: readonly string[];

  constructor(columns: Record<string, ColumnData | TextCodes>, kinds: Partial<Record<string, ColumnKind>> = {}) {
    const names = Object.keys(columns);
    let n = -1;
    for (const name of names) {
      const c = columns[name];
      const len = isTextCodes(c) ? c.codes.length : c.length;
      if (n === -1) n = len;
      else if (len !== n) throw new CustlabError("E_TABLE", `column "${name}" has ${len} rows, expected ${n}`);
    }
    this.numRows = Math.max(0, n);
    this.cols = { ...columns };
    const km: Record<string, ColumnKind> = {};
    for (const name of names) km[name] = kinds[name] ?? entryKind(columns[name]);
    this.kindMap = km;
    this.order = names;
  }

  /** Column names in order. */
  columnNames(): string[] {
    return [...this.order];
  }

  /** Number of columns. */
  get numCols(): number {
    return this.order.length;
  }

  /** Whether the table has a column of that name. */
  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.cols, name);
  }

  /** Logical kind of a column. */
  kind(name: string): ColumnKind {
    this.entry(name);
    return this.kindMap[name];
  }

  /** Kinds of all columns. */
  kinds(): Record<string, ColumnKind> {
    return { ...this.kindMap };
  }

  /** Raw column storage (encoded text is decoded to strings here, once). Throws a clear error naming the available columns. */
  get(name: string): ColumnData {
    const c = this.entry(name);
    if (!isTextCodes(c)) return c;
    const strings = decodeText(c);
    this.cols[name] = strings;
    return strings;
  }

  /**
   * Dictionary codes of a text column (`dict[codes[i]]` is row i's value;
   * equal strings ⇔ equal codes) without decoding an encoded column. The
   * fast way to group, join or compare text.
   *
   * @example
   * const { codes, dict } = table.codes("customer_id");
   * const perCustomer = new Float64Array(dict.length);
   * for (let i = 0; i < codes.length; i++) perCustomer[codes[i]] += table.num("amount")[i];
   */
  codes(name: string): TextCodes {
    const c = this.entry(name);
    if (isTextCodes(c)) return c;
    if (isNumeric(c)) throw new CustlabError("E_COLUMN_TYPE", `column "${name}" is numeric, expected text`, { column: name });
    return textCodes(c);
  }

  private entry(name: string): Entry {
    const c = this.cols[name];
    if (c === undefined || !Object.prototype.hasOwnProperty.call(this.cols, name)) {
      throw new CustlabError("E_MISSING_COLUMN", `no column "${name}" (have: ${this.order.join(", ")})`, { column: name });
    }
    return c;
  }

  /** A numeric column (typed array). Throws if the column holds text. */
  num(name: string): NumericColumn {
    const c = this.get(name);
    if (!isNumeric(c)) throw new CustlabError("E_COLUMN_TYPE", `column "${name}" is text, expected numbers`, { column: name });
    return c;
  }

  /** A text column. Throws if the column holds numbers. */
  str(name: string): StringColumn {
    const c = this.get(name);
    if (isNumeric(c)) throw new CustlabError("E_COLUMN_TYPE", `column "${name}" is numeric, expected text`, { column: name });
    return c;
  }

  /** One row as a plain object (dates as ISO strings). Slow path: for display and tests. */
  row(i: number): Record<string, string | number | null> {
    const out: Record<string, string | number | null> = {};
    for (const name of this.order) {
      const c = this.cols[name];
      out[name] = isTextCodes(c) ? c.dict[c.codes[i]] : cell(c, this.kindMap[name], i);
    }
    return out;
  }

  /** All rows as plain objects. For display, tests and small tables only. */
  toRows(): Record<string, string | number | null>[] {
    const rows = new Array(this.numRows);
    for (let i = 0; i < this.numRows; i++) rows[i] = this.row(i);
    return rows;
  }

  /** Keep only the named columns, in that order. */
  select(names: string[]): Table {
    const cols: Record<string, Entry> = {};
    const kinds: Record<string, ColumnKind> = {};
    for (const n of names) { cols[n] = this.entry(n); kinds[n] = this.kindMap[n]; }
    return new Table(cols, kinds);
  }

  /** Drop the named columns. */
  drop(names: string[]): Table {
    const set = new Set(names);
    return this.select(this.order.filter((n) => !set.has(n)));
  }

  /** Rename columns: `{old: new}`. */
  rename(map: Record<string, string>): Table {
    const cols: Record<string, Entry> = {};
    const kinds: Record<string, ColumnKind> = {};
    for (const n of this.order) { const m = map[n] ?? n; cols[m] = this.cols[n]; kinds[m] = this.kindMap[n]; }
    return new Table(cols, kinds);
  }

  /** Add or replace columns. */
  assign(columns: Record<string, ColumnData | TextCodes>, kinds: Partial<Record<string, ColumnKind>> = {}): Table {
    const cols: Record<string, Entry> = { ...this.cols, ...columns };
    const km: Record<string, ColumnKind> = { ...this.kindMap };
    for (const n of Object.keys(columns)) km[n] = kinds[n] ?? entryKind(columns[n]);
    return new Table(cols, km);
  }

  /** Rows where `mask[i]` is non-zero, or where the predicate is true. */
  filter(mask: ArrayLike<number | boolean> | ((i: number) => boolean)): Table {
    const idx: number[] = [];
    if (typeof mask === "function") { for (let i = 0; i < this.numRows; i++) if (mask(i)) idx.push(i); }
    else { for (let i = 0; i < this.numRows; i++) if (mask[i]) idx.push(i); }
    return this.take(idx);
  }

  /** Rows at the given indices, in that order (indices may repeat). Text with known codes stays encoded. */
  take(indices: ArrayLike<number>): Table {
    const cols: Record<string, Entry> = {};
    for (const n of this.order) {
      const c = this.cols[n];
      const tc = isTextCodes(c) ? c : isNumeric(c) ? undefined : peekTextCodes(c);
      cols[n] = tc ? { codes: takeColumn(tc.codes, indices) as Int32Array, dict: tc.dict } : takeColumn(c as ColumnData, indices);
    }
    return new Table(cols, this.kindMap);
  }

  /** Rows [start, end). */
  slice(start: number, end = this.numRows): Table {
    const cols: Record<string, Entry> = {};
    for (const n of this.order) {
      const c = this.cols[n];
      cols[n] = isTextCodes(c) ? { codes: c.codes.slice(start, end), dict: c.dict } : isNumeric(c) ? c.slice(start, end) : c.slice(start, end);
    }
    return new Table(cols, this.kindMap);
  }

  /** First n rows. */
  head(n = 10): Table {
    return this.slice(0, Math.min(n, this.numRows));
  }

  /** Sort by a column (stable); NaN / "" last. */
  orderBy(name: string, direction: "asc" | "desc" = "asc"): Table {
    const c = this.get(name);
    const idx = Array.from({ length: this.numRows }, (_, i) => i);
    const sign = direction === "asc" ? 1 : -1;
    if (isNumeric(c)) {
      idx.sort((a, b) => {
        const x = c[a], y = c[b];
        const nx = Number.isNaN(x), ny = Number.isNaN(y);
        if (nx || ny) return nx === ny ? a - b : nx ? 1 : -1;
        return x === y ? a - b : (x < y ? -1 : 1) * sign;
      });
    } else {
      idx.sort((a, b) => {
        const x = c[a], y = c[b];
        if (x === "" || y === "") return x === y ? a - b : x === "" ? 1 : -1;
        return x === y ? a - b : (x < y ? -1 : 1) * sign;
      });
    }
    return this.take(idx);
  }

  /** Stack tables with the same columns. */
  static concat(tables: Table[]): Table {
    if (tables.length === 0) return new Table({});
    const names = tables[0].columnNames();
    const cols: Record<string, ColumnData> = {};
    for (const n of names) {
      const parts = tables.map((t) => t.get(n));
      if (isNumeric(parts[0])) {
        const total = parts.reduce((s, p) => s + p.length, 0);
        const Ctor = (parts[0] as NumericColumn).constructor as new (n: number) => NumericColumn;
        const out = new Ctor(total);
        let o = 0;
        for (const p of parts) { (out as Float64Array).set(p as Float64Array, o); o += p.length; }
        cols[n] = out;
      } else {
        const out: string[] = [];
        for (const p of parts as string[][]) for (const v of p) out.push(v);
        cols[n] = out;
      }
    }
    return new Table(cols, tables[0].kinds());
  }

  /** Build a table from plain row objects; numbers become Float64Array, the rest text. */
  static fromRows(rows: Record<string, unknown>[], columns?: string[]): Table {
    const names = columns ?? (rows.length ? Object.keys(rows[0]) : []);
    const cols: Record<string, ColumnData> = {};
    for (const n of names) {
      const numeric = rows.every((r) => r[n] === null || r[n] === undefined || typeof r[n] === "number");
      if (numeric) cols[n] = Float64Array.from(rows, (r) => (typeof r[n] === "number" ? (r[n] as number) : NaN));
      else cols[n] = rows.map((r) => (r[n] === null || r[n] === undefined ? "" : String(r[n])));
    }
    return new Table(cols);
  }

  /** HTML table (escaped; optional client-side sorting). */
  toHTML(options: HTMLOptions = {}): string {
    return toHTML(this, options);
  }

  /** GitHub-flavoured Markdown table. */
  toMarkdown(options: MarkdownOptions = {}): string {
    return toMarkdown(this, options);
  }

  /** RFC 4180 CSV text. */
  toCSV(options: CSVOptions = {}): string {
    return toCSV(this, options);
  }

  /** Plain JSON-able object `{columns: {name: values[]}, kinds}`. */
  toJSON(): { columns: Record<string, (string | number | null)[]>; kinds: Record<string, ColumnKind> } {
    const columns: Record<string, (string | number | null)[]> = {};
    for (const n of this.order) {
      const c = this.get(n);
      columns[n] = isNumeric(c) ? Array.from(c as ArrayLike<number>, (v) => (Number.isNaN(v) ? null : v)) : [...c];
    }
    return { columns, kinds: { ...this.kindMap } };
  }
}

function entryKind(c: Entry): ColumnKind {
  return isTextCodes(c) ? "string" : kindOf(c);
}

function takeColumn(c: ColumnData, idx: ArrayLike<number>): ColumnData {
  if (isNumeric(c)) {
    const Ctor = c.constructor as new (n: number) => NumericColumn;
    const out = new Ctor(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = c[idx[i]];
    return out;
  }
  const out = new Array<string>(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = c[idx[i]];
  return out;
}

