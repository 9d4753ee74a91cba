/**
 * Adapters: each known dataset (and any CSV/TSV through a column mapping)
 * mapped onto the canonical tables of `./schema`.
 * @module
 */
import * as fs from "fs";
import { CustlabError } from "../util/errors";
import { Table } from "../table";
import type { ColumnData, ColumnKind } from "../table";
import { TRANSACTION_COLUMNS, REVIEW_COLUMNS } from "./schema";
import type { TransactionColumn, ReviewColumn } from "./schema";
import { CsvTokenizer } from "./csv";
import { ByteParser, DateFormat, PARSE_OK, ZoneConverter } from "./parse";
import { ColumnSpec, LoadResult, ReadOptions, decodeField, readColumns } from "./reader";
import { normalizeReadingOptions, parseColumnRef } from "./reading";
import { resolveEncoding, Utf8Transcoder } from "./encoding";
import { readBasketLines } from "./basket-lines";

/** Transaction formats `loadTransactions` understands. */
export const TRANSACTION_FORMATS = ["online-retail", "cdnow", "groceries", "custlab", "generic", "transactions"] as const;
/** Review formats `loadReviews` understands. */
export const REVIEW_FORMATS = ["womens-clothing-reviews", "chinese-reviews", "custlab", "generic"] as const;
/** A transaction format name. */
export type TransactionFormat = (typeof TRANSACTION_FORMATS)[number];
/** A review format name. */
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

/**
 * A column mapping for any CSV/TSV: canonical column → source header name
 * (or 0-based index when `header` is false).
 *
 * @example
 * const mapping: ColumnMapping = { columns: { customer_id: "Cust", order_id: "Order", timestamp: "When", quantity: "Qty", unit_price: "Price" },
 *   dateFormat: "dmy", delimiter: ";", timeZone: "Europe/Berlin" };
 */
export interface ColumnMapping {
  /**
   * Canonical name → source column. For transactions an extra key `amount`
   * (line total) may replace `unit_price` (then unit_price = amount / quantity).
   * Unmapped canonical columns are filled with "" / NaN; unmapped `order_id`
   * becomes the line number, unmapped `quantity` becomes 1.
   */
  columns: Partial<Record<string, string | number>>;
  /** Date format of the timestamp column (default "auto"). */
  dateFormat?: DateFormat;
  /** Delimiter (default: sniffed from the header line among , ; TAB |). */
  delimiter?: string;
  /** Time zone of timestamps without an explicit zone (default "UTC"). */
  timeZone?: string;
  /** Whether the file has a header line (default true). */
  header?: boolean;
  /** Numbers use a decimal comma ("3,5"; default false). */
  decimalComma?: boolean;
}

/** Options of {@link loadTransactions}. */
export interface LoadTransactionsOptions extends ReadOptions {
  /** Source format (default "custlab", or "generic" when a mapping is given). */
  format?: TransactionFormat;
  /** Column mapping for `format: "generic"`. */
  mapping?: ColumnMapping;
}

/** Options of {@link loadReviews}. */
export interface LoadReviewsOptions extends ReadOptions {
  /** Source format (default "custlab", or "generic" when a mapping is given). */
  format?: ReviewFormat;
  /** Column mapping for `format: "generic"` (canonical review name → source column). */
  mapping?: ColumnMapping;
  /** Language written into the `language` column when the source has none (default "en"). */
  language?: string;
}

const txText = (name: TransactionColumn, source?: string | number, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, source, type: "text", ...extra });

function onlineRetailSpecs(): ColumnSpec[] {
  return [
    txText("customer_id", "CustomerID", { trim: true, stripFloatSuffix: true }),
    txText("order_id", "InvoiceNo", { required: true, trim: true }),
    { name: "timestamp", source: "InvoiceDate", type: "date", required: true, dateFormat: "auto" },
    txText("product_id", "StockCode", { trim: true }),
    txText("product_name", "Description"),
    txText("category"),
    { name: "quantity", source: "Quantity", type: "number", required: true },
    { name: "unit_price", source: "UnitPrice", type: "number", required: true, negativeReason: "negative_price" },
    txText("country", "Country"),
    txText("channel"),
  ];
}

function canonicalSpecs(cols: Record<string, string>, requiredCols: string[], extra: Record<string, Partial<ColumnSpec>> = {}): ColumnSpec[] {
  return Object.entries(cols).map(([name, kind]) => ({
    name,
    source: name,
    type: kind === "string" ? "text" : kind === "date" ? "date" : "number",
    required: requiredCols.includes(name),
    dateFormat: "iso",
    ...extra[name],
  }) as ColumnSpec);
}

/**
 * Load transactions from a file onto the canonical transaction table
 * (`TRANSACTION_COLUMNS`, plus `_line`: each row's source line).
 *
 * Formats:
 * - `online-retail`: UCI Online Retail (`InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country`).
 *   `InvoiceDate` is read as ISO (`2010-12-01 08:26:00`) or US (`12/1/2010 8:26`). The times are UK
 *   wall-clock times; by default they are taken as UTC (so calendar days and hours match the source,
 *   ≤ 1 h off during British Summer Time) — pass `timeZone: "Europe/London"` for true UTC instants.
 *   `CustomerID` "17850.0" becomes "17850". Negative unit prices (bad-debt adjustments) are quarantined.
 * - `cdnow`: `CDNOW_master.txt`, whitespace separated `customer_id date(yyyymmdd) number_of_cds dollar_value`;
 *   order_id = line number, unit_price = dollar_value / number_of_cds (0 when no CDs).
 * - `groceries`: one basket per line, items comma separated, no header; order_id = line number,
 *   one row per item with quantity 1 and unit_price NaN (`rows_in` counts baskets).
 * - `custlab`: the canonical CSV (header = canonical names, ISO-8601 timestamps with zone).
 * - `generic` (alias `transactions`): any CSV/TSV through `map` (canonical column → header name or `"#3"`;
 *   see {@link ReadingOptions}) or `mapping` (see {@link ColumnMapping}).
 *
 * The {@link ReadingOptions} (`map`, `header`, `delimiter`, `dateFormat`, `encoding`) apply to every format:
 * with a named format, `map` overrides where that format finds a column.
 *
 * @param file - path to the file
 * @param options - format, mapping, quarantine file, `now` for future dates, time zone...
 * @returns `{ table, report }`; `report.rows_in = accepted + quarantined`
 * @example
 * const { table, report } = await loadTransactions("../shared/datasets/online-retail/online_retail.csv",
 *   { format: "online-retail", quarantineFile: "quarantine.csv" });
 * report.rows_in;   // 541909
 */
export async function loadTransactions(file: string, options: LoadTransactionsOptions = {}): Promise<LoadResult> {
  options = normalizeReadingOptions(options);
  const format = options.format ?? (options.mapping || options.map ? "generic" : "custlab");
  let res: LoadResult;
  switch (format) {
    case "online-retail": {
      res = await readColumns(file, onlineRetailSpecs(), format, { ...options, timeZone: options.timeZone ?? "UTC" });
      res.report.notes.push(`InvoiceDate is UK local time; read in time zone ${res.report.time_zone}${res.report.time_zone === "UTC" ? " (wall clock kept; pass timeZone \"Europe/London\" for true UTC)" : ""}`);
      res.report.notes.push("CustomerID float strings (\"17850.0\") normalised to \"17850\"; negative UnitPrice rows quarantined as negative_price");
      break;
    }
    case "cdnow": {
      const specs: ColumnSpec[] = [
        txText("customer_id", "customer_id", { required: true }),
        txText("order_id"),
        { name: "timestamp", source: "date", type: "date", required: true, dateFormat: "ymd8" },
        txText("product_id"), txText("product_name"), txText("category"),
        { name: "quantity", source: "number_of_cds", type: "number", required: true, negativeReason: "negative_price" },
        { name: "unit_price", source: "dollar_value", type: "number", required: true, negativeReason: "negative_price" },
        txText("country"), txText("channel"),
      ];
      res = await readColumns(file, specs, format, { ...options, delimiter: "whitespace" });
      const t = res.table;
      const q = t.num("quantity"), amount = t.num("unit_price"), lines = t.num("_line");
      const price = new Float64Array(t.numRows);
      for (let i = 0; i < t.numRows; i++) price[i] = q[i] > 0 ? amount[i] / q[i] : 0;
      const orders = Array.from(lines, (l) => String(l));
      res = { table: t.assign({ order_id: orders, unit_price: price }), report: res.report };
      res.report.notes.push("order_id = source line number; unit_price = dollar_value / number_of_cds; dates are calendar days (00:00 UTC)");
      break;
    }
    case "groceries":
      res = await loadGroceries(file, options);
      break;
    case "custlab": {
      const specs = canonicalSpecs(TRANSACTION_COLUMNS, ["order_id", "timestamp", "quantity", "unit_price"], {
        unit_price: { negativeReason: "negative_price" },
        category: { optional: true }, channel: { optional: true }, country: { optional: true }, product_name: { optional: true },
      });
      res = await readColumns(file, specs, format, options);
      break;
    }
    case "generic":
    case "transactions":
      res = await loadGenericTransactions(file, options);
      break;
    default:
      throw new CustlabError("E_OPTION", `option format: unknown transaction format "${format}" (known: ${TRANSACTION_FORMATS.join(", ")})`);
  }
  return res;
}

async function loadGenericTransactions(file: string, options: LoadTransactionsOptions): Promise<LoadResult> {
  const mp: ColumnMapping | undefined = options.mapping ?? (options.map ? { columns: options.map } : undefined);
  if (!mp || !mp.columns) throw new CustlabError("E_OPTION", `a file without a known format needs a column mapping: --map timestamp=<col> --map unit_price=<col> (or amount=<col>) --map customer_id=<col> … (library: map: { timestamp: "...", ... })`);
  const known = new Set<string>([...Object.keys(TRANSACTION_COLUMNS), "amount"]);
  for (const k of Object.keys(mp.columns)) if (!known.has(k)) throw new CustlabError("E_OPTION", `--map: unknown canonical column "${k}" (known: ${[...known].join(", ")})`);
  const c: Record<string, string | number | undefined> = {};
  for (const [k, v] of Object.entries(mp.columns)) if (v !== undefined) c[k] = parseColumnRef(v);
  if (c.timestamp === undefined) throw new CustlabError("E_OPTION", `--map: "timestamp" must be mapped to a source column (e.g. --map timestamp=#3)`);
  if (c.unit_price === undefined && c.amount === undefined) throw new CustlabError("E_OPTION", `--map: map "unit_price" or "amount" to a source column (e.g. --map amount=#5)`);
  const delimiter = mp.delimiter ?? options.delimiter ?? sniffDelimiter(file);
  const specs: ColumnSpec[] = [];
  for (const [name, kind] of Object.entries(TRANSACTION_COLUMNS)) {
    const source = name === "unit_price" && c.unit_price === undefined ? c.amount : c[name];
    specs.push({
      name, source,
      type: kind === "string" ? "text" : kind === "date" ? "date" : "number",
      required: source !== undefined && ["order_id", "timestamp", "unit_price"].includes(name),
      trim: name === "customer_id" || name === "order_id" || name === "product_id",
      dateFormat: mp.dateFormat ?? options.dateFormat ?? "auto",
      negativeReason: name === "unit_price" ? "negative_price" : undefined,
      constant: name === "quantity" ? 1 : undefined,
    });
  }
  const res = await readColumns(file, specs, options.format ?? "generic", { ...options, map: undefined, delimiter, timeZone: mp.timeZone ?? options.timeZone, header: mp.header ?? options.header, decimalComma: mp.decimalComma ?? options.decimalComma });
  let t = res.table;
  if (c.order_id === undefined) { t = t.assign({ order_id: Array.from(t.num("_line"), (l) => String(l)) }); res.report.notes.push("order_id = source line number (not mapped)"); }
  if (c.unit_price === undefined) {
    const q = t.num("quantity"), a = t.num("unit_price");
    t = t.assign({ unit_price: Float64Array.from(a, (v, i) => (q[i] !== 0 ? v / q[i] : v)) });
    res.report.notes.push("unit_price = amount / quantity (amount mapped)");
  }
  return { table: t, report: res.report };
}

/**
 * Guess the delimiter from the first line: the most frequent of , ; TAB | outside quotes (default ",").
 * @example
 * sniffDelimiter("orders.csv"); // ";" for a European export
 */
export function sniffDelimiter(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    const buf = Buffer.alloc(65536);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0, "|": 0 };
    let inQ = false;
    for (let i = 0; i < n; i++) {
      const ch = String.fromCharCode(buf[i]);
      if (ch === '"') inQ = !inQ;
      else if (!inQ && ch === "\n") break;
      else if (!inQ && ch in counts) counts[ch]++;
    }
    let best = ",", bc = 0;
    for (const [d, k] of Object.entries(counts)) if (k > bc) { best = d; bc = k; }
    return best;
  } catch (e) {
    throw new CustlabError("E_FILE", `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Groceries basket file → transactions (one row per item), through {@link readBasketLines}. */
async function loadGroceries(file: string, options: ReadOptions): Promise<LoadResult> {
  const order: string[] = [], items: string[] = [], lines: number[] = [];
  const report = await readBasketLines(file, (vals, line) => {
    const id = String(line);
    for (const v of vals) { order.push(id); items.push(v); lines.push(line); }
  }, { ...options, map: undefined, header: options.header ?? false });
  const n = items.length;
  const empty = () => new Array<string>(n).fill("");
  const table = new Table(
    { customer_id: empty(), order_id: order, timestamp: new Float64Array(n).fill(NaN), product_id: items, product_name: items.slice(), category: empty(),
      quantity: new Float64Array(n).fill(1), unit_price: new Float64Array(n).fill(NaN), country: empty(), channel: empty(), _line: Int32Array.from(lines) },
    { timestamp: "date", _line: "integer" },
  );
  report.format = "groceries";
  report.notes[0] = "one basket per line; rows_in/accepted count baskets, the table has one row per item (order_id = line number, quantity 1, no prices or times)";
  return { table, report };
}

/**
 * Load reviews onto the canonical review table (`REVIEW_COLUMNS`, plus `_line`).
 *
 * Formats:
 * - `womens-clothing-reviews`: review_id = the unnamed index column, product_id = `Clothing ID`, rating = `Rating`,
 *   title, text = `Review Text`, category = `Department Name`, label = `Recommended IND`, language "en".
 * - `chinese-reviews` (`online_shopping_10_cats.csv`: cat,label,review): review_id = line number, category = cat,
 *   label, text = review with stray U+FEFF characters removed, language "zh".
 * - `custlab`: canonical review CSV. `generic`: any CSV/TSV through `mapping`.
 * Reviews with empty text are kept (text ""); filter them for text work.
 *
 * @example
 * const { table } = await loadReviews("../shared/datasets/chinese-reviews/online_shopping_10_cats.csv", { format: "chinese-reviews" });
 * table.numRows;  // 62774
 */
export async function loadReviews(file: string, options: LoadReviewsOptions = {}): Promise<LoadResult> {
  options = normalizeReadingOptions(options);
  const format = options.format ?? (options.mapping || options.map ? "generic" : "custlab");
  const text = (name: ReviewColumn, source?: string | number, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, source, type: "text", ...extra });
  const num = (name: ReviewColumn, source?: string | number, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, source, type: "number", ...extra });
  let specs: ColumnSpec[];
  let lineIds = false;
  switch (format) {
    case "womens-clothing-reviews":
      specs = [text("review_id", "", { required: true, trim: true }), text("product_id", "Clothing ID", { trim: true }), text("customer_id"),
        { name: "timestamp", type: "date" }, num("rating", "Rating"), text("title", "Title", { intern: false }), text("text", "Review Text", { intern: false }),
        text("language", undefined, { constant: options.language ?? "en" }), text("category", "Department Name"), num("label", "Recommended IND")];
      break;
    case "chinese-reviews":
      specs = [text("review_id"), text("product_id"), text("customer_id"), { name: "timestamp", type: "date" }, num("rating"), text("title"),
        text("text", "review", { intern: false, removeBOM: true }), text("language", undefined, { constant: options.language ?? "zh" }),
        text("category", "cat", { removeBOM: true }), num("label", "label")];
      lineIds = true;
      break;
    case "custlab":
      specs = canonicalSpecs(REVIEW_COLUMNS, ["review_id"], {
        title: { intern: false, optional: true }, text: { intern: false }, category: { optional: true }, label: { optional: true },
        customer_id: { optional: true }, product_id: { optional: true }, timestamp: { optional: true }, rating: { optional: true },
        language: { optional: true, constant: options.language ?? "en" },
      });
      break;
    case "generic": {
      const mp: ColumnMapping | undefined = options.mapping ?? (options.map ? { columns: options.map } : undefined);
      if (!mp || !mp.columns) throw new CustlabError("E_OPTION", `a review file without a known format needs a column mapping: --map text=<col> (and rating=, label=, timestamp=…; library: map: { text: "..." })`);
      for (const k of Object.keys(mp.columns)) if (!(k in REVIEW_COLUMNS)) throw new CustlabError("E_OPTION", `mapping: unknown review column "${k}" (known: ${Object.keys(REVIEW_COLUMNS).join(", ")})`);
      if (mp.columns.text === undefined) throw new CustlabError("E_OPTION", `mapping: "text" must be mapped to a source column`);
      specs = Object.entries(REVIEW_COLUMNS).map(([name, kind]) => ({
        name, source: mp.columns[name] === undefined ? undefined : parseColumnRef(mp.columns[name]!), type: kind === "string" ? "text" : kind === "date" ? "date" : "number",
        intern: name !== "text" && name !== "title", dateFormat: mp.dateFormat ?? options.dateFormat ?? "auto", removeBOM: name === "text",
        constant: name === "language" ? options.language ?? "en" : undefined,
      }) as ColumnSpec);
      lineIds = mp.columns.review_id === undefined;
      const res = await readColumns(file, specs, format, { ...options, map: undefined, delimiter: mp.delimiter ?? options.delimiter ?? sniffDelimiter(file), timeZone: mp.timeZone ?? options.timeZone, header: mp.header ?? options.header });
      return lineIds ? withLineIds(res) : res;
    }
    default:
      throw new CustlabError("E_OPTION", `option format: unknown review format "${format}" (known: ${REVIEW_FORMATS.join(", ")})`);
  }
  const res = await readColumns(file, specs, format, options);
  return lineIds ? withLineIds(res) : res;
}

function withLineIds(res: LoadResult): LoadResult {
  res.report.notes.push("review_id = source line number");
  return { table: res.table.assign({ review_id: Array.from(res.table.num("_line"), (l) => String(l)) }), report: res.report };
}

/** Options of {@link loadTable}. */
export interface LoadTableOptions extends ReadOptions {
  /** Force column types instead of inferring them; values that do not fit are quarantined. */
  types?: Record<string, "text" | "number" | "date">;
  /** Date format for date columns (default "auto"). */
  dateFormat?: DateFormat;
}

/**
 * Tokens read as missing values in generic tables: pandas' `read_csv` default
 * `na_values` (pandas 1.5: `""`, `NA`, `N/A`, `n/a`, `NaN`, `nan`, `-nan`, `null`,
 * `NULL`, `#N/A`, `<NA>`…; checked against pandas in test/io-missing-stray.test.ts).
 */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null",
]);

/** A column that is mostly numbers but was typed text because of a few cells (see {@link loadTable}). */
export interface TypeWarning {
  /** Column name. */
  column: string;
  /** Share of its non-missing cells that are numbers. */
  numeric_share: number;
  /** Cells that are not numbers (count). */
  bad_cells: number;
  /** Up to 5 distinct values that are not numbers. */
  examples: string[];
}

/**
 * Load any CSV/TSV into a typed table with automatic column typing: a column
 * whose non-missing values all parse as numbers becomes a Float64Array
 * (missing → NaN), one whose values are all ISO dates (or all match
 * `dateFormat`) becomes a date column, everything else text. Missing values
 * are blank cells and the {@link MISSING_TOKENS} (`NA`, `N/A`, `NaN`, `null`…, as
 * pandas); in text columns they become "". The kinds chosen are in
 * `report.column_kinds`; a column that is at least 90% numbers but became text
 * because of a few cells is named in `report.type_warnings`. Whole-row problems
 * (ragged, invalid UTF-8, blank lines) are quarantined as in every loader.
 * `map` renames columns (`{ churn: "Churn" }` or `{ churn: "#21" }` with `header: false`).
 *
 * @example
 * const { table } = await loadTable("../shared/datasets/telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
 * table.kind("TotalCharges");   // "number" (11 NaN)
 */
export async function loadTable(file: string, options: LoadTableOptions = {}): Promise<LoadResult> {
  options = normalizeReadingOptions(options);
  const delimiter = options.delimiter ?? sniffDelimiter(file);
  const header = await readHeader(file, delimiter, options.header ?? true, options.encoding);
  const names = header.map((h, i) => (h === "" ? `col${i + 1}` : h));
  for (const [to, from] of Object.entries(options.map ?? {})) {
    let k = typeof from === "number" ? (from < header.length ? from : -1) : header.indexOf(from);
    if (k < 0 && typeof from === "string") k = header.findIndex((h) => h.toLowerCase() === from.trim().toLowerCase());
    if (k < 0) throw new CustlabError("E_MISSING_COLUMN", `--map ${to}=…: no column ${typeof from === "number" ? `#${from + 1}` : `"${from}"`} (columns: ${header.map((h, i) => (options.header === false ? `#${i + 1}` : h)).join(", ")})`, { file });
    names[k] = to;
  }
  const forced = options.types ?? {};
  for (const k of Object.keys(forced)) if (!header.includes(k) && !names.includes(k)) throw new CustlabError("E_MISSING_COLUMN", `option types: no column "${k}" (header has: ${header.join(", ")})`, { file });
  const specs: ColumnSpec[] = header.map((_h, i) => ({ name: names[i], source: i, type: "text" }));
  const res = await readColumns(file, specs, "table", { ...options, map: undefined, dateFormat: undefined, delimiter });
  const t = res.table;
  const cols: Record<string, ColumnData> = {};
  const kinds: Record<string, ColumnKind> = {};
  const bad = new Uint8Array(t.numRows);
  const badInfo: { row: number; column: string; reason: "invalid_number" | "invalid_date" | "non_finite_number"; value: string }[] = [];
  const parser = new ByteParser();
  const zone = new ZoneConverter(options.timeZone ?? "UTC");
  const dateFormat = options.dateFormat ?? "auto";
  const columnKinds: Record<string, "number" | "date" | "text"> = {};
  const typeWarnings: TypeWarning[] = [];
  for (let c = 0; c < names.length; c++) {
    const name = names[c];
    let vals = t.str(name);
    const inferred = inferType(vals, parser, options.dateFormat);
    const want = forced[header[c]] ?? forced[name] ?? inferred.type;
    columnKinds[name] = want;
    if (want === "text") {
      if (inferred.hasMissingToken) vals = vals.map((v) => (MISSING_TOKENS.has(v.trim()) ? "" : v));
      cols[name] = vals; kinds[name] = "string";
      if (inferred.numericShare >= 0.9 && inferred.nonMissing >= 10) typeWarnings.push({ column: name, numeric_share: inferred.numericShare, bad_cells: inferred.badCells, examples: inferred.examples });
      continue;
    }
    const out = new Float64Array(vals.length);
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i].trim();
      if (MISSING_TOKENS.has(v)) { out[i] = NaN; continue; }
      if (want === "number") {
        const x = NUM_RE.test(v) ? Number(v) : NaN;
        if (Number.isFinite(x)) out[i] = x;
        else { out[i] = NaN; if (!bad[i]) { bad[i] = 1; badInfo.push({ row: i, column: header[c], reason: NONFIN_RE.test(v) ? "non_finite_number" : "invalid_number", value: v }); } }
      } else {
        const b = Buffer.from(v, "latin1");
        let x = parser.date(b, 0, b.length, dateFormat);
        if (parser.status === PARSE_OK) { if (!parser.hasZone) x = zone.toUTC(x); out[i] = x; }
        else { out[i] = NaN; if (!bad[i]) { bad[i] = 1; badInfo.push({ row: i, column: header[c], reason: "invalid_date", value: v }); } }
      }
    }
    cols[name] = out; kinds[name] = want === "date" ? "date" : "number";
  }
  cols._line = t.num("_line"); kinds._line = "integer";
  let table = new Table(cols, kinds);
  const report = res.report;
  if (badInfo.length) {
    const lines = t.num("_line");
    for (const b of badInfo) {
      report.quarantined++; report.accepted--;
      report.reasons[b.reason] = (report.reasons[b.reason] ?? 0) + 1;
      if (report.quarantine.length < (options.keepQuarantine ?? 1000)) {
        report.quarantine.push({ file, line: lines[b.row], column: b.column, reason: b.reason, detail: b.value, raw: names.map((n) => t.str(n)[b.row]).join(delimiter === "whitespace" ? " " : delimiter) });
      }
    }
    table = table.filter((i) => !bad[i]);
    report.quarantine.sort((a, b) => a.line - b.line);
  }
  const inferred = names.filter((n) => kinds[n] !== "string").map((n) => `${n}:${kinds[n]}`);
  report.notes.push(`column types: ${inferred.length ? inferred.join(", ") : "all text"}; other columns text; missing: blank and ${[...MISSING_TOKENS].filter((x) => x).join(" ")}`);
  report.column_kinds = columnKinds;
  report.type_warnings = typeWarnings;
  return { table, report };
}

const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NONFIN_RE = /^[+-]?(nan|inf|infinity)$/i;
const ISO_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

interface Inferred {
  type: "text" | "number" | "date";
  /** Share of non-missing cells that are numbers. */
  numericShare: number;
  nonMissing: number;
  badCells: number;
  examples: string[];
  hasMissingToken: boolean;
}

/** The kind of a column from its values (missing tokens skipped); counts by cell, so a few bad cells in a numeric column are measured. */
function inferType(vals: string[], parser: ByteParser, dateFormat?: string): Inferred {
  const counts = new Map<string, number>();
  for (const raw of vals) counts.set(raw, (counts.get(raw) ?? 0) + 1);
  let nonMissing = 0, nums = 0, dates = 0, hasMissingToken = false;
  const examples: string[] = [];
  for (const [raw, c] of counts) {
    const v = raw.trim();
    if (MISSING_TOKENS.has(v)) { if (v !== "") hasMissingToken = true; continue; }
    nonMissing += c;
    if (NUM_RE.test(v)) { nums += c; continue; }
    const b = Buffer.from(v, "utf8");
    if (dateFormat ? true : ISO_RE.test(v)) {
      parser.date(b, 0, b.length, dateFormat ?? "iso");
      if (parser.status === PARSE_OK) { dates += c; continue; }
    }
    if (examples.length < 5) examples.push(v);
  }
  const numericShare = nonMissing ? nums / nonMissing : 0;
  const type = nonMissing === 0 ? "text" : nums === nonMissing ? "number" : dates === nonMissing ? "date" : "text";
  return { type, numericShare, nonMissing, badCells: nonMissing - nums, examples, hasMissingToken };
}

/**
 * Read only the header line of a file (field names, trimmed, BOM removed; `encoding` as the loaders, default UTF-8 or Latin-1 per field).
 * @example
 * const names = await readHeader("orders.csv", sniffDelimiter("orders.csv")); // ["InvoiceNo", "StockCode", …]
 */
export async function readHeader(file: string, delimiter = ",", hasHeader = true, encoding?: string): Promise<string[]> {
  let fd: number | undefined;
  let names: string[] | null = null;
  try {
    fd = fs.openSync(file, "r");
    const buf = Buffer.alloc(1 << 20);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    if (n === 0) throw new CustlabError("E_EMPTY_FILE", "the file is empty (0 bytes): expected a header line and data rows", { file });
    const enc = encoding ? resolveEncoding(file, encoding) : null;
    const bytes = enc?.transcode ? new Utf8Transcoder(enc.transcode).push(buf.subarray(0, n)) : buf.subarray(0, n);
    const fieldEnc = enc && enc.field !== "utf8" ? enc.field : "utf8-or-latin1";
    const tok = new CsvTokenizer((r) => {
      if (names) return;
      names = [];
      for (let i = 0; i < r.n; i++) names.push(hasHeader ? (decodeField(r, i, fieldEnc, null) ?? "").replace(/\uFEFF/g, "").trim() : `col${i + 1}`);
    }, { delimiter });
    // In 64 KiB pieces, stopping at the first record (the header), not tokenizing the whole MiB.
    for (let at = 0; at < bytes.length && !names; at += 1 << 16) tok.push(bytes.subarray(at, Math.min(bytes.length, at + (1 << 16))));
    if (!names) tok.end();
  } catch (e) {
    if (e instanceof CustlabError) throw e;
    throw new CustlabError("E_FILE", `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  if (!names || (names as string[]).length === 0) throw new CustlabError("E_EMPTY_FILE", "the file has no header line", { file });
  return names;
}
