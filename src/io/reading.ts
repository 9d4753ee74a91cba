/**
 * The reading options every loader and every reading CLI command share
 * (`--map`, `--no-header`, `--delimiter`, `--date-format`, `--encoding`,
 * `--allow-quarantine`), and the input accounting every command reports:
 * `input: { rows_in, accepted, quarantined, reasons, encoding }`.
 * @module
 */
import { CustlabError } from "../util/errors";
import { compileDateFormat } from "./parse";
import type { DateFormat } from "./parse";
import { normalizeEncoding } from "./encoding";
import type { InputEncoding } from "./encoding";

/**
 * How to read a shop's own file: which source column holds each canonical
 * column, whether there is a header, the delimiter, the date format and the
 * encoding. Every loader (`loadTransactions`, `loadReviews`, `loadTable`,
 * `readTextColumns`, `readColumns`, `readBaskets`) takes these options, and every
 * reading CLI command takes them as flags.
 *
 * @example
 * // Headerless, whitespace-separated CDNOW-like lines: "00001 1 19970101 1 11.77"
 * const opts: ReadingOptions = {
 *   header: false, delimiter: "whitespace", dateFormat: "%Y%m%d",
 *   map: { customer_id: "#2", timestamp: "#3", quantity: "#4", amount: "#5" },
 * };
 */
export interface ReadingOptions {
  /**
   * Canonical column → source column: a header name (matched exactly, then
   * case-insensitively), a 1-based position written `"#3"`, or a 0-based
   * index number. For a named format it overrides that format's source of the
   * column; with no format (or `"generic"` / `"transactions"`) it is the whole
   * mapping. CLI: `--map customer_id=#2` (repeatable).
   */
  map?: Record<string, string | number>;
  /** Whether the first line is a header (default true). CLI: `--no-header`. Columns are then `col1..colN`. */
  header?: boolean;
  /**
   * Field delimiter: one character (`","`, `";"`, `"|"`), `"tab"` (or `"\t"`), or
   * `"whitespace"` (runs of spaces/tabs, no quoting). Default: per format
   * (sniffed among , ; TAB | for generic files). CLI: `--delimiter`.
   */
  delimiter?: string;
  /**
   * Date format of every date column: `"auto"` (default per format), `"iso"`,
   * `"mdy"`, `"dmy"`, `"ymd8"`, or a strftime pattern such as `"%d-%b-%y"`
   * (`31-Jul-18`), `"%Y%m%d"`, `"%m/%d/%Y %H:%M"`. Dates that do not exist
   * (`2011-02-30`) are quarantined as `invalid_date`. CLI: `--date-format`.
   */
  dateFormat?: DateFormat;
  /**
   * Text encoding (see {@link InputEncoding}): `"auto"`, `"utf-8"`, `"latin1"`,
   * `"windows-1252"`, `"utf-16"`, `"utf8-or-latin1"`. Library default `"utf-8"`
   * (strict); the CLI's default is `"auto"`. The encoding used is named in
   * `report.encoding`. CLI: `--encoding`.
   */
  encoding?: InputEncoding | string;
  /**
   * Accept a load where more than half the rows were quarantined (default
   * false: {@link checkInput} then throws, naming the top reason and a hint).
   * CLI: `--allow-quarantine`.
   */
  allowQuarantine?: boolean;
}

/**
 * A column reference: `"#3"` → 2 (0-based index), a number stays an index,
 * any other text is a header name.
 *
 * @example
 * parseColumnRef("#3");          // 2
 * parseColumnRef("CustomerID");  // "CustomerID"
 */
export function parseColumnRef(ref: string | number): string | number {
  if (typeof ref === "number") {
    if (!Number.isInteger(ref) || ref < 0) throw new CustlabError("E_OPTION", `column index must be a non-negative integer, got ${ref}`);
    return ref;
  }
  const m = /^#(\d+)$/.exec(ref.trim());
  if (!m) return ref;
  const k = Number(m[1]);
  if (k < 1) throw new CustlabError("E_OPTION", `column position "${ref}": positions start at #1`);
  return k - 1;
}

/**
 * A delimiter option in the tokenizer's terms: `"tab"` / `"\\t"` → TAB,
 * `"whitespace"` / `"space"` → `"whitespace"`, `"comma"`, `"semicolon"`,
 * `"pipe"`, or one character. `undefined` stays undefined (format default).
 *
 * @example
 * normalizeDelimiter("tab");   // "\t"
 */
export function normalizeDelimiter(d: string | undefined): string | undefined {
  if (d === undefined) return undefined;
  const named: Record<string, string> = { tab: "\t", "\\t": "\t", "\t": "\t", whitespace: "whitespace", space: "whitespace", spaces: "whitespace", comma: ",", semicolon: ";", pipe: "|" };
  const k = named[d.toLowerCase()] ?? named[d];
  if (k) return k;
  if (d.length !== 1 || d === '"' || d === "\n" || d === "\r") {
    throw new CustlabError("E_OPTION", `option delimiter: expected one character (",", ";", "|"), "tab" or "whitespace", got ${JSON.stringify(d)}`);
  }
  return d;
}

/**
 * Check a reading-options object (delimiter, encoding, map references, date
 * format) and return it normalised; a CustlabError naming the bad option otherwise.
 *
 * @example
 * normalizeReadingOptions({ delimiter: "tab", map: { customer_id: "#2" } }).map;  // { customer_id: 1 }
 */
export function normalizeReadingOptions<T extends ReadingOptions>(o: T): T {
  const out: T = { ...o };
  if (o.delimiter !== undefined) out.delimiter = normalizeDelimiter(o.delimiter);
  if (o.encoding !== undefined) out.encoding = normalizeEncoding(o.encoding);
  if (o.dateFormat !== undefined) {
    if (o.dateFormat.indexOf("%") >= 0) compileDateFormat(o.dateFormat);
    else if (!["auto", "iso", "mdy", "dmy", "ymd8"].includes(o.dateFormat)) throw new CustlabError("E_OPTION", `option date format: "${o.dateFormat}" is not a strftime pattern (e.g. %d-%b-%y, %Y%m%d) nor one of auto, iso, mdy, dmy, ymd8`);
  }
  if (o.map) {
    const m: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(o.map)) m[k] = parseColumnRef(v);
    out.map = m;
  }
  return out;
}

/** A load's accounting as every command's JSON reports it. */
export interface InputAccounting {
  /** Data records read (header excluded). */
  rows_in: number;
  /** Records that became rows. */
  accepted: number;
  /** Records quarantined; `rows_in = accepted + quarantined`. */
  quarantined: number;
  /** Quarantined records per reason code. */
  reasons: Record<string, number>;
  /** Encoding the file was read in (named even when `"auto"` chose it). */
  encoding: string;
}

/** What {@link checkInput} found. */
export interface InputCheck {
  /** The accounting for the command's JSON. */
  input: InputAccounting;
  /** One line for stderr when more than 5% of the rows were quarantined (null otherwise). */
  warning: string | null;
}

/** A load report's fields {@link checkInput} reads (`LoadReport` has them all). */
export interface InputReportLike {
  file?: string;
  rows_in: number;
  accepted: number;
  quarantined: number;
  reasons: Record<string, number>;
  encoding: string;
}

/**
 * A hint per quarantine reason, for the one-line error when most rows were quarantined.
 *
 * @example
 * quarantineHint("invalid_utf8", "utf-8");   // "the file is probably not UTF-8: try --encoding latin1 (or windows-1252)"
 */
export function quarantineHint(reason: string, encoding: string): string {
  switch (reason) {
    case "invalid_utf8": return `the file is probably not UTF-8: try --encoding latin1 (or windows-1252)${encoding === "utf-8" ? "" : `, not ${encoding}`}`;
    case "ragged_row": return "the field counts do not match the header: check --delimiter (tab, whitespace, ';'…) or --no-header";
    case "invalid_date": return "dates do not match: give --date-format (e.g. %d-%b-%y, %Y%m%d, %m/%d/%Y %H:%M)";
    case "missing_required": return "required columns are empty: check --map (e.g. --map customer_id=#2) and --no-header";
    case "invalid_number": case "non_finite_number": return "numbers do not parse: check --map and --delimiter (decimal commas need a ';' delimiter)";
    case "unbalanced_quote": case "unterminated_quote": return "stray double quotes merge lines: fix the quoting in the file";
    case "field_too_large": return "a field or line is huge: check --delimiter and the line ends";
    case "future_date": return "dates lie in the future: check --date-format (day/month order) and the clock";
    default: return "see the quarantine examples (quality --quarantine <file> writes them all)";
  }
}

/**
 * The input accounting of a load, with the rules every command applies:
 * more than 5% quarantined → a warning line (for stderr); more than 50% → a
 * CustlabError `E_QUARANTINE` naming the top reason and a hint (e.g.
 * `--encoding latin1`), unless `allowQuarantine`.
 *
 * @example
 * const { report } = await loadTransactions("orders.csv", { format: "online-retail" });
 * const { input, warning } = checkInput(report);   // throws when most rows were quarantined
 * input.rows_in === input.accepted + input.quarantined;   // true
 */
export function checkInput(report: InputReportLike, options: { allowQuarantine?: boolean; what?: string } = {}): InputCheck {
  const input: InputAccounting = { rows_in: report.rows_in, accepted: report.accepted, quarantined: report.quarantined, reasons: { ...report.reasons }, encoding: report.encoding };
  if (report.rows_in === 0 || report.quarantined === 0) return { input, warning: null };
  const share = report.quarantined / report.rows_in;
  const top = Object.entries(report.reasons).sort((a, b) => b[1] - a[1])[0] ?? ["unknown", report.quarantined];
  const pct = (100 * share).toFixed(1);
  const what = options.what ?? (report.file ? report.file : "the input");
  if (share > 0.5 && !options.allowQuarantine) {
    throw new CustlabError("E_QUARANTINE", `${report.quarantined} of ${report.rows_in} rows (${pct}%) were quarantined, most as ${top[0]} (${top[1]}); ${quarantineHint(top[0], report.encoding)}; --allow-quarantine runs anyway`, { file: report.file });
  }
  if (share > 0.05) {
    return { input, warning: `warning: ${report.quarantined} of ${report.rows_in} rows of ${what} (${pct}%) were quarantined (${Object.entries(report.reasons).map(([r, c]) => `${r} ${c}`).join(", ")}); ${quarantineHint(top[0], report.encoding)}` };
  }
  return { input, warning: null };
}
