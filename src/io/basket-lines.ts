/**
 * Reading basket files (one basket per line, items separated by a delimiter,
 * the arules Groceries layout) with the same encoding detection, quarantine
 * and accounting as the table readers.
 * @module
 */
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { CsvRecord, REC_FIELD_TOO_LARGE, REC_UNTERMINATED } from "./csv";
import { ByteInterner } from "./intern";
import { LineTally, LoadReport, QuarantineSink, decodeField, streamRecords } from "./reader";
import { normalizeReadingOptions } from "./reading";
import type { ReadingOptions } from "./reading";
import { resolveEncoding } from "./encoding";

/** Options of {@link readBasketLines}: the shared {@link ReadingOptions} (`delimiter` default ","; `header` default false; `encoding` default "utf-8") plus the below. */
export interface BasketLinesOptions extends ReadingOptions {
  /** Trim spaces around item labels (default true). */
  trim?: boolean;
  /** Largest item in bytes (default 1 MiB) → `field_too_large`. */
  maxFieldBytes?: number;
  /** Largest line in bytes (default 16 MiB; a 100 MB single line) → `field_too_large`, skipped without holding it in memory. */
  maxRecordBytes?: number;
  /** How many quarantined lines to keep in the report (default 1000). */
  keepQuarantine?: number;
  /** Write every quarantined line to this CSV file. */
  quarantineFile?: string;
  /** Progress callback (bytes). */
  onProgress?: ProgressCallback;
}

/**
 * Stream a basket file and hand each accepted basket (its non-empty item
 * labels, in file order, duplicates kept) and its line to `onBasket`. Every
 * line is accepted or quarantined: a blank line or one with no items →
 * `empty_line`; bytes that are not valid UTF-8 under a strict encoding →
 * `invalid_utf8` (`encoding: "auto"` detects Latin-1/Windows-1252 and UTF-16
 * first); a quote never closed → `unterminated_quote`; a quoted item running
 * over more than two lines → `unbalanced_quote`; an item over `maxFieldBytes`
 * or a line over `maxRecordBytes` → `field_too_large`.
 * `rows_in = accepted + quarantined` counts lines (baskets).
 *
 * @example
 * const lists: string[][] = [];
 * const report = await readBasketLines("groceries.csv", (items) => lists.push(items), { encoding: "auto" });
 * report.rows_in === report.accepted + report.quarantined;   // true
 */
export async function readBasketLines(file: string, onBasket: (items: string[], line: number) => void, options: BasketLinesOptions = {}): Promise<LoadReport> {
  const t0 = Date.now();
  const o = normalizeReadingOptions(options);
  if (o.delimiter === "whitespace") throw new CustlabError("E_OPTION", "baskets: --delimiter whitespace is not supported for basket files (items may hold spaces); use a character such as , ; | or tab");
  const enc = resolveEncoding(file, o.encoding ?? "utf-8");
  const encoding = enc.field;
  const trim = o.trim ?? true;
  const skipHeader = o.header === true;
  const sink = new QuarantineSink(file, o.keepQuarantine ?? 1000, o.quarantineFile);
  const interner = new ByteInterner();
  let rowsIn = 0, accepted = 0, seenHeader = false;
  const tally = new LineTally();
  const items: string[] = [];
  const onRecord = (rec: CsvRecord) => {
    tally.seen(rec);
    if (skipHeader && !seenHeader) { seenHeader = true; return; }
    rowsIn++;
    const buf = rec.buf;
    if (rec.n === 0) { tally.blankLines++; sink.add(rec.line, "", "empty_line", "blank line", buf, rec.start, rec.end); return; }
    const span = tally.record(rec);
    if (rec.error === REC_UNTERMINATED) { sink.add(rec.line, `item ${rec.errorField + 1}`, "unterminated_quote", "quote opened here is never closed", buf, rec.start, rec.end); return; }
    if (rec.error === REC_FIELD_TOO_LARGE) {
      sink.add(rec.line, `item ${rec.errorField + 1}`, "field_too_large", `${rec.ends[rec.errorField] - rec.starts[rec.errorField]} bytes > limit (item ${o.maxFieldBytes ?? 1 << 20}, line ${o.maxRecordBytes ?? 16 << 20})`, buf, rec.start, Math.min(rec.end, rec.start + 2000));
      return;
    }
    if (span > 2) { sink.add(rec.line, "", "unbalanced_quote", `basket runs over lines ${rec.line}-${rec.endLine} (a stray quote?)`, buf, rec.start, rec.end); return; }
    items.length = 0;
    for (let i = 0; i < rec.n; i++) {
      const v = decodeField(rec, i, encoding, interner);
      if (v === null) { sink.add(rec.line, `item ${i + 1}`, "invalid_utf8", "bytes are not valid UTF-8", buf, rec.start, rec.end); return; }
      const tv = trim ? v.trim() : v;
      if (tv !== "") items.push(tv);
    }
    if (items.length === 0) { sink.add(rec.line, "", "empty_line", "no items", buf, rec.start, rec.end); return; }
    onBasket(items.slice(), rec.line);
    accepted++;
  };
  let bytes = 0;
  try {
    bytes = (await streamRecords(file, onRecord, { delimiter: o.delimiter ?? ",", maxFieldBytes: o.maxFieldBytes, maxRecordBytes: o.maxRecordBytes, transcode: enc.transcode, onProgress: o.onProgress })).bytes;
  } finally {
    await sink.close();
  }
  if (accepted + sink.count !== rowsIn) throw new CustlabError("E_INTERNAL", `row accounting broken: ${rowsIn} != ${accepted} + ${sink.count}`, { file });
  return {
    file, format: "basket", rows_in: rowsIn, accepted, quarantined: sink.count, reasons: { ...sink.reasons }, quarantine: sink.rows,
    quarantine_file: o.quarantineFile, columns: [], encoding: enc.name, time_zone: "UTC", now: Date.now(), bytes, elapsed_ms: Date.now() - t0,
    notes: ["one basket per line; rows_in / accepted count baskets (lines)", ...(enc.detected && enc.name !== "utf-8" ? [`encoding "${enc.name}" detected (the sampled lines are not UTF-8)`] : [])],
    ...tally.fields(skipHeader ? 1 : 0),
  };
}
