/**
 * Reading the text columns a text command needs from a raw CSV (e.g. the
 * clothing reviews' "Review Text", "Title", "Rating"; the Chinese reviews'
 * "review", "label") as strings, on io's streaming tokenizer: one chunk in
 * memory at a time, RFC 4180 quoting (delimiters, doubled quotes and newlines
 * inside quotes), LF and CRLF line ends, a UTF-8 byte-order mark skipped.
 *
 * Nothing is lost: every data record is either accepted or quarantined with
 * file, line, column and a reason code (`ragged_row`, `invalid_utf8`,
 * `empty_line`, `unterminated_quote`, `field_too_large`), and
 * `rows_in = accepted + quarantined` is checked at the end.
 * @module
 */
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { CsvRecord, REC_FIELD_TOO_LARGE, REC_UNTERMINATED } from "./csv";
import { LoadReport, QuarantineSink, decodeField, headerNames, streamRecords } from "./reader";
import { normalizeReadingOptions, parseColumnRef } from "./reading";
import type { ReadingOptions } from "./reading";
import { resolveEncoding } from "./encoding";

/**
 * Options of {@link readTextColumns}: the shared {@link ReadingOptions}
 * (`delimiter` default ","; `encoding` default "utf-8": a requested field that
 * is not valid UTF-8 quarantines its row as `invalid_utf8`; `header: false`
 * names columns `col1..colN`, and names may be positions `"#3"`; `map` and
 * `dateFormat` do not apply: the caller names the columns) plus the below.
 */
export interface TextColumnsOptions extends ReadingOptions {
  /**
   * Remove U+FEFF (stray byte-order marks) and U+200B (zero-width spaces)
   * inside values, which spreadsheet exports scatter through review text
   * (default true).
   */
  stripZeroWidth?: boolean;
  /** Largest field in bytes (default 1 MiB); larger → the row is quarantined as `field_too_large`. */
  maxFieldBytes?: number;
  /** Largest record in bytes (default 16 MiB); larger → `field_too_large`. */
  maxRecordBytes?: number;
  /** How many quarantined rows to keep in the report (default 1000). */
  keepQuarantine?: number;
  /** Write every quarantined row to this CSV file (file,line,column,reason,detail,raw). */
  quarantineFile?: string;
  /** Progress callback (stage "load", done/total in bytes). */
  onProgress?: ProgressCallback;
}

/** The requested columns of a CSV as strings, the accepted row count, each row's source line and the load report. */
export interface TextColumns {
  /** Column name → value per accepted row ("" for an empty field). */
  columns: Record<string, string[]>;
  /** Accepted data rows (`report.accepted`). */
  rows: number;
  /** 1-based physical line each accepted row starts on (the header is line 1). */
  lines: Int32Array;
  /** All header names (byte-order marks removed, trimmed). */
  header: string[];
  /** Counts (`rows_in = accepted + quarantined`), reasons and the first quarantined rows with file and line. */
  report: LoadReport;
}

const ZERO_WIDTH = /[\uFEFF\u200B]/g;

/**
 * Read named columns of a CSV file as strings. Every data record is accepted
 * or quarantined (a different field count than the header → `ragged_row`;
 * bytes in a requested field that are not UTF-8 → `invalid_utf8`; a blank
 * line → `empty_line`; see `INGEST_REASONS`), so
 * `report.rows_in = report.accepted + report.quarantined`.
 *
 * Throws a CustlabError with code `E_FILE` (no such file), `E_EMPTY_FILE`
 * (nothing but a byte-order mark or blank first line), `E_ENCODING`
 * (UTF-16 / binary, or a header that is not UTF-8) or `E_MISSING_COLUMN`
 * (naming the column and listing the columns present).
 *
 * @example
 * const d = await readTextColumns("reviews.csv", ["Review Text", "Rating"]);
 * d.columns["Rating"][0];          // "4"
 * d.lines[0];                      // 2 (the first data row's line)
 * d.report.quarantined;            // rows with a wrong field count or bad bytes
 */
export async function readTextColumns(file: string, names: string[], options: TextColumnsOptions = {}): Promise<TextColumns> {
  const t0 = Date.now();
  options = normalizeReadingOptions(options);
  const enc = resolveEncoding(file, options.encoding ?? "utf-8");
  const encoding = enc.field;
  const hasHeader = options.header ?? true;
  const strip = options.stripZeroWidth ?? true;
  const sink = new QuarantineSink(file, options.keepQuarantine ?? 1000, options.quarantineFile);
  const wanted = [...new Set(names)];
  const m = wanted.length;
  const values: string[][] = wanted.map(() => []);
  const idx = new Int32Array(m);
  let header: string[] | null = null;
  let nFields = 0;
  let lines = new Int32Array(1024);
  let accepted = 0, rowsIn = 0;

  const onRecord = (rec: CsvRecord) => {
    if (header === null) {
      const h = hasHeader ? headerNames(rec, encoding, file) : Array.from({ length: rec.n }, (_, i) => `col${i + 1}`);
      for (let k = 0; k < m; k++) {
        const ref = parseColumnRef(wanted[k]);
        let j = typeof ref === "number" ? (ref < h.length ? ref : -1) : h.indexOf(ref);
        if (j < 0 && typeof ref === "string") j = h.findIndex((x) => x.toLowerCase() === ref.trim().toLowerCase());
        if (j < 0) throw new CustlabError("E_MISSING_COLUMN", `no column "${wanted[k]}" (columns: ${h.map((x, i) => (hasHeader ? x : `#${i + 1}`)).join(", ")})`, { file, line: rec.line, column: wanted[k] });
        idx[k] = j;
      }
      header = h;
      nFields = h.length;
      if (hasHeader) return;
    }
    rowsIn++;
    const buf = rec.buf;
    if (rec.n === 0) { sink.add(rec.line, "", "empty_line", "blank line", buf, rec.start, rec.end); return; }
    const span = rec.endLine - rec.line + 1;
    if (rec.n !== nFields && span > 2) { sink.add(rec.line, "", "unbalanced_quote", `record runs over lines ${rec.line}-${rec.endLine} (a stray quote?) and has ${rec.n} fields, header has ${nFields}`, buf, rec.start, rec.end); return; }
    if (rec.error === REC_UNTERMINATED) { sink.add(rec.line, header[rec.errorField] ?? "", "unterminated_quote", "quote opened here is never closed", buf, rec.start, rec.end); return; }
    if (rec.error === REC_FIELD_TOO_LARGE) {
      sink.add(rec.line, header[rec.errorField] ?? String(rec.errorField + 1), "field_too_large", `${rec.ends[rec.errorField] - rec.starts[rec.errorField]} bytes > limit ${options.maxFieldBytes ?? 1 << 20}`, buf, rec.start, Math.min(rec.end, rec.start + 2000));
      return;
    }
    if (rec.n !== nFields) {
      sink.add(rec.line, rec.n > nFields ? "" : header[rec.n] ?? "", "ragged_row", `${rec.n} field${rec.n === 1 ? "" : "s"}, header has ${nFields}`, buf, rec.start, rec.end);
      return;
    }
    const row = new Array<string>(m);
    for (let k = 0; k < m; k++) {
      const v = decodeField(rec, idx[k], encoding, null);
      if (v === null) { sink.add(rec.line, wanted[k], "invalid_utf8", "bytes are not valid UTF-8", buf, rec.start, rec.end); return; }
      row[k] = strip && (v.indexOf("\uFEFF") >= 0 || v.indexOf("\u200B") >= 0) ? v.replace(ZERO_WIDTH, "") : v;
    }
    for (let k = 0; k < m; k++) values[k].push(row[k]);
    if (accepted === lines.length) { const l = new Int32Array(lines.length * 2); l.set(lines); lines = l; }
    lines[accepted++] = rec.line;
  };

  let bytes: number;
  try {
    bytes = (await streamRecords(file, onRecord, { delimiter: options.delimiter, maxFieldBytes: options.maxFieldBytes, maxRecordBytes: options.maxRecordBytes, transcode: enc.transcode, onProgress: options.onProgress })).bytes;
  } finally {
    await sink.close();
  }
  if (header === null) throw new CustlabError("E_EMPTY_FILE", "the file has no header line (only a byte-order mark or nothing readable)", { file });
  if (accepted + sink.count !== rowsIn) {
    throw new CustlabError("E_INTERNAL", `row accounting broken: rows_in ${rowsIn} != accepted ${accepted} + quarantined ${sink.count}`, { file });
  }
  const columns: Record<string, string[]> = {};
  for (let k = 0; k < m; k++) columns[wanted[k]] = values[k];
  const report: LoadReport = {
    file, format: "text-columns", rows_in: rowsIn, accepted, quarantined: sink.count, reasons: { ...sink.reasons }, quarantine: sink.rows,
    quarantine_file: options.quarantineFile, columns: header, encoding: enc.name, time_zone: "UTC", now: Date.now(), bytes, elapsed_ms: Date.now() - t0,
    notes: strip ? ["U+FEFF and U+200B removed inside values"] : [],
  };
  return { columns, rows: accepted, lines: lines.slice(0, accepted), header, report };
}
