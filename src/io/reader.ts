/**
 * The streaming typed reader every adapter uses: bytes → records
 * ({@link CsvTokenizer}) → typed columns, or quarantine with file, line,
 * column and a reason code. `rows_in = accepted + quarantined` is checked at
 * the end of every load.
 * @module
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { Table } from "../table";
import type { ColumnData, ColumnKind } from "../table";
import type { IngestReason } from "./reasons";
import { CsvTokenizer, CsvRecord, FIELD_ESCAPED, FIELD_NON_ASCII, REC_FIELD_TOO_LARGE, REC_UNTERMINATED, isValidUTF8, unquoteField } from "./csv";
import { ByteParser, DateFormat, PARSE_EMPTY, PARSE_INVALID, PARSE_NON_FINITE, PARSE_OK, ZoneConverter } from "./parse";
import { ByteInterner } from "./intern";
import { acquireReadWorker } from "./read-pool";
import { Utf8Transcoder, resolveEncoding } from "./encoding";
import type { ResolvedEncoding } from "./encoding";
import { normalizeReadingOptions, parseColumnRef } from "./reading";
import type { ReadingOptions } from "./reading";
import { canonicalCodes, TextCodes } from "../table/codes";
import { csvField } from "../table/format-csv";
import { AtomicFileWriter, checkOutputs, writeFileAtomic } from "../util/output";
import { DAY_MS } from "../util/numeric";

/** One row that did not make it into the table, and why. */
export interface QuarantineRow {
  /** File the row came from. */
  file: string;
  /** Physical (1-based) line the row starts on. */
  line: number;
  /** Column (header name) the problem is in; "" for whole-row problems (ragged, empty line). */
  column: string;
  /** Reason code (see `INGEST_REASONS`). */
  reason: IngestReason;
  /** Short human detail, e.g. `"9 fields, header has 8"` or the offending value. */
  detail: string;
  /** The raw record text (truncated to 2,000 characters). */
  raw: string;
}

/** What a load did: counts, reasons and the first quarantined rows. */
export interface LoadReport {
  /** File read. */
  file: string;
  /** Adapter / format name. */
  format: string;
  /** Data records seen (header excluded; blank lines included). */
  rows_in: number;
  /** Records that became table rows. */
  accepted: number;
  /** Records quarantined; `rows_in = accepted + quarantined`. */
  quarantined: number;
  /** Quarantine count per reason code. */
  reasons: Record<string, number>;
  /** The first `keepQuarantine` quarantined rows (all of them go to `quarantine_file` when asked). */
  quarantine: QuarantineRow[];
  /** Where all quarantined rows were written, if asked. */
  quarantine_file?: string;
  /** Header names as read (or `col1..colN` without a header). */
  columns: string[];
  /** Text encoding the file was read in ("utf-8", "latin1", "windows-1252", "utf-16le"…; chosen by `"auto"` when asked). */
  encoding: string;
  /** Records spanning more than one physical line (quoted line breaks or a stray quote): how many, and the first 100 `[first, last]` line spans. */
  multiline_records?: { count: number; spans: [number, number][] };
  /** Kind inferred (or forced) per column, by `loadTable`. */
  column_kinds?: Record<string, "number" | "date" | "text">;
  /** Mostly numeric columns typed text because of a few cells, by `loadTable`. */
  type_warnings?: { column: string; numeric_share: number; bad_cells: number; examples: string[] }[];
  /**
   * Physical lines: `data = record_lines + blank_lines` (the lines of every
   * non-blank record plus the blank lines), `total = header + data`.
   */
  physical_lines?: { total: number; header: number; data: number; record_lines: number; blank_lines: number };
  /** Time zone wall-clock times without a zone were read in. */
  time_zone: string;
  /** The "now" future dates are checked against (epoch ms). */
  now: number;
  /** Bytes read. */
  bytes: number;
  /** Wall time of the load in ms. */
  elapsed_ms: number;
  /** Notes about assumptions made (time zone, id normalisation...). */
  notes: string[];
}

/** How one output column is read. */
export interface ColumnSpec {
  /** Output column name. */
  name: string;
  /** Header name (matched exactly, then case-insensitively) or 0-based field index; absent → constant column. */
  source?: string | number;
  /** "text" (string[]), "number" (Float64Array) or "date" (epoch ms UTC, Float64Array). */
  type: "text" | "number" | "date";
  /** Empty value → quarantined as `missing_required` (default false: "" / NaN). */
  required?: boolean;
  /** Intern repeated text values (default true; turn off for long unique text). */
  intern?: boolean;
  /** Trim spaces/tabs around text (default false: text kept as is). */
  trim?: boolean;
  /** Text ids written as floats ("17850.0") lose the ".0" (default false). */
  stripFloatSuffix?: boolean;
  /** Remove stray U+FEFF characters inside text (default false). */
  removeBOM?: boolean;
  /** Value of a constant column (default "" for text, NaN otherwise). */
  constant?: string | number;
  /** Date format (default "auto"). */
  dateFormat?: DateFormat;
  /** Values below zero are quarantined with this reason (e.g. "negative_price"). */
  negativeReason?: IngestReason;
  /** When the header lacks `source`, use the constant instead of failing (default false). */
  optional?: boolean;
}

/**
 * Options shared by every loader: the {@link ReadingOptions} (map, header,
 * delimiter, date format, encoding) plus limits, quarantine output and threads.
 */
export interface ReadOptions extends ReadingOptions {
  /** Largest field in bytes (default 1 MiB); larger → `field_too_large`. */
  maxFieldBytes?: number;
  /** Largest record in bytes (default 16 MiB); larger → `field_too_large` (the record is skipped without being held in memory). */
  maxRecordBytes?: number;
  /** @internal Set by the loaders once the encoding is resolved: transcode to UTF-8 from this encoding. */
  transcode?: "windows-1252" | "utf-16le" | "utf-16be";
  /** Zone of wall-clock times without an explicit zone: "UTC" (default), "+01:00", or an IANA name. */
  timeZone?: string;
  /** Reference "now" for `future_date` (epoch ms, default `Date.now()`). */
  now?: number;
  /** Allowed clock skew for future dates in ms (default one day). */
  futureSkewMs?: number;
  /** Write every quarantined row to this CSV file (file,line,column,reason,detail,raw). */
  quarantineFile?: string;
  /** How many quarantined rows to keep in the report (default 1000). */
  keepQuarantine?: number;
  /** Progress callback (stage "load", done/total in bytes). */
  onProgress?: ProgressCallback;
  /** Numbers use a decimal comma ("3,5"), as in many European exports (default false; use with delimiter ";"). */
  decimalComma?: boolean;
  /** Chunk size for reading (default 4 MiB). */
  chunkBytes?: number;
  /** "stream" (default) or "sync" (see {@link RecordStreamOptions.reader}). */
  reader?: "sync" | "stream";
  /**
   * Threads for large files (default: the available CPUs, at most 4; 1 reads on
   * this thread only). Not used with `quarantineFile` (rows are written in file order).
   */
  threads?: number;
  /** Files at least this large (bytes) are read on {@link ReadOptions.threads} threads (default 16 MiB). */
  parallelMinBytes?: number;
}

/** Result of every loader: the table and the report. */
export interface LoadResult {
  /** Accepted rows as a typed table (with a `_line` Int32Array column: each row's source line). */
  table: Table;
  /** Counts, reasons, quarantine. */
  report: LoadReport;
}

const TYPE_TEXT = 0, TYPE_NUMBER = 1, TYPE_DATE = 2;

/** Receives quarantined rows; keeps the first N and writes all to a file when asked. */
export class QuarantineSink {
  /** Count per reason. */
  readonly reasons: Record<string, number> = {};
  /** Kept rows. */
  readonly rows: QuarantineRow[] = [];
  /** Total quarantined. */
  count = 0;
  private out: AtomicFileWriter | null = null;
  private readonly decoder = new TextDecoder("utf-8");

  /**
   * `outFile`, when given, is checked before anything is read: it may not be
   * the input `file` itself, and its folder must be writable. It is written
   * to a temporary file and renamed into place by {@link QuarantineSink.close}.
   */
  constructor(readonly file: string, private readonly keep: number, readonly outFile?: string) {
    if (outFile) {
      checkOutputs({ inputs: [file], files: { "the quarantine file": outFile } });
      this.out = new AtomicFileWriter(outFile, "the quarantine file");
      this.out.write(QUARANTINE_HEADER);
    }
  }

  /** Quarantine a record of `buf` bytes [s, e). */
  add(line: number, column: string, reason: IngestReason, detail: string, buf: Uint8Array, s: number, e: number): void {
    this.count++;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
    if (this.rows.length >= this.keep && !this.out) return;
    const raw = this.decoder.decode(buf.subarray(s, Math.min(e, s + 8000))).slice(0, 2000);
    const row: QuarantineRow = { file: this.file, line, column, reason, detail, raw };
    if (this.rows.length < this.keep) this.rows.push(row);
    if (this.out) this.out.write(quarantineLine(row));
  }

  /** Flush the quarantine file and rename it into place. */
  async close(): Promise<void> {
    const out = this.out;
    if (!out) return;
    this.out = null;
    out.commit();
  }
}

const QUARANTINE_HEADER = "file,line,column,reason,detail,raw\n";

function quarantineLine(r: QuarantineRow): string {
  return `${csvField(r.file)},${r.line},${csvField(r.column)},${csvField(r.reason)},${csvField(r.detail)},${csvField(r.raw)}\n`;
}

/**
 * Write quarantined rows to a CSV file with columns
 * `file,line,column,reason,detail,raw`.
 *
 * @example
 * const { report } = await loadTransactions("orders.csv", { format: "custlab" });
 * writeQuarantine("quarantine.csv", report.quarantine);
 */
export function writeQuarantine(file: string, rows: QuarantineRow[]): void {
  writeFileAtomic(file, QUARANTINE_HEADER + rows.map(quarantineLine).join(""), "the quarantine file");
}

/** Low-level: stream a file's records to a callback (header included as the first record when there is one). */
export interface RecordStreamOptions {
  /** Delimiter (see {@link ReadOptions.delimiter}). */
  delimiter?: string;
  /** Largest field in bytes. */
  maxFieldBytes?: number;
  /** Chunk size (default 4 MiB). */
  chunkBytes?: number;
  /**
   * How chunks are read: "stream" (default: `fs.createReadStream`, other async work runs between
   * chunks) or "sync" (`fs.readSync` chunk by chunk — still one chunk in memory at a time, without
   * a thread-pool round trip per chunk).
   */
  reader?: "sync" | "stream";
  /** Progress callback (bytes). */
  onProgress?: ProgressCallback;
  /** First byte to read (default 0; a record boundary: used to read a file in parts). */
  start?: number;
  /** Byte to stop before (default: end of file). Before the end of the file the last incomplete record is not flushed but counted in `pending`. */
  end?: number;
  /** Largest record in bytes (default 16 MiB; see {@link CsvTokenizerOptions.maxRecordBytes}). */
  maxRecordBytes?: number;
  /** Transcode the bytes to UTF-8 from this encoding before tokenizing (see {@link resolveEncoding}). */
  transcode?: "windows-1252" | "utf-16le" | "utf-16be";
}

/** What {@link streamRecords} read. */
export interface RecordStreamResult {
  /** Bytes read. */
  bytes: number;
  /** Records passed to the callback. */
  records: number;
  /** Bytes of an incomplete record left at `end` (always 0 when reading to the end of the file). */
  pending: number;
  /** Physical line (counted from the first byte read, 1-based) the next record would start on. */
  nextLine: number;
}

/**
 * Stream a file through the tokenizer. Throws one CustlabError for a missing
 * file, an empty file, or an encoding it cannot read (UTF-16/32, binary).
 * @example
 * let records = 0;
 * const r = await streamRecords("orders.csv", () => { records++; });
 * r.nextLine; // physical line after the last record
 */
export async function streamRecords(file: string, onRecord: (r: CsvRecord) => void, options: RecordStreamOptions = {}): Promise<RecordStreamResult> {
  let size: number;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new CustlabError("E_FILE", `is a directory, expected a CSV/TSV file`, { file });
    size = st.size;
  } catch (e) {
    if (e instanceof CustlabError) throw e;
    throw new CustlabError("E_FILE", `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  }
  if (size === 0) throw new CustlabError("E_EMPTY_FILE", "the file is empty (0 bytes): expected a header line and data rows", { file });
  const from = options.start ?? 0, to = Math.min(options.end ?? size, size);
  const toEnd = to >= size;
  let records = 0;
  const tok = new CsvTokenizer((r) => { records++; onRecord(r); }, { delimiter: options.delimiter, maxFieldBytes: options.maxFieldBytes, maxRecordBytes: options.maxRecordBytes, skipBOM: from === 0 });
  const chunkBytes = options.chunkBytes ?? 4 << 20;
  const trans = options.transcode ? new Utf8Transcoder(options.transcode) : null;
  let first = true;
  let lastProgress = 0, raw = 0;
  const feed = (chunk: Buffer) => {
    if (first && !(trans && options.transcode !== "windows-1252")) checkEncoding(chunk, file);
    first = false;
    raw += chunk.length;
    tok.push(trans ? trans.push(chunk) : chunk);
    if (options.onProgress && raw - lastProgress >= 8 << 20) {
      lastProgress = raw;
      options.onProgress({ stage: "load", done: from + raw, total: size });
    }
  };
  const finish = () => {
    if (!toEnd) return;
    if (trans) tok.push(trans.end());
    tok.end();
  };
  if ((options.reader ?? "stream") === "stream") {
    const stream = fs.createReadStream(file, { highWaterMark: chunkBytes, start: from, end: to - 1 });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) feed(chunk);
      finish();
    } finally {
      stream.destroy();
    }
  } else {
    // Chunked synchronous reads: the same streaming (one chunk in memory at a time) without a
    // thread-pool round trip per chunk, which dominates wall time on a busy machine.
    let fd: number;
    try { fd = fs.openSync(file, "r"); } catch (e) { throw new CustlabError("E_FILE", `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file }); }
    try {
      let pos = from;
      while (pos < to) {
        const want = Math.min(chunkBytes, to - pos);
        const buf = Buffer.allocUnsafe(want);
        const got = fs.readSync(fd, buf, 0, want, pos);
        if (got === 0) break;
        pos += got;
        feed(got < want ? buf.subarray(0, got) : buf);
      }
      finish();
    } finally {
      fs.closeSync(fd);
    }
  }
  options.onProgress?.({ stage: "load", done: from + raw, total: size });
  return { bytes: raw, records, pending: tok.pendingBytes, nextLine: tok.nextLine };
}

function checkEncoding(chunk: Buffer, file: string): void {
  if (chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
    throw new CustlabError("E_ENCODING", "unreadable encoding: the file is UTF-16 (byte-order mark FF FE / FE FF); read it with --encoding utf-16 or auto (encoding option \"utf-16\")", { file });
  }
  const n = Math.min(chunk.length, 4096);
  for (let i = 0; i < n; i++) {
    if (chunk[i] === 0) throw new CustlabError("E_ENCODING", `unreadable encoding: NUL byte at offset ${i} (UTF-16/UTF-32 or a binary file, not CSV text); for UTF-16 use --encoding utf-16 or auto`, { file });
  }
}

/** Decode one field of a record to text honouring the encoding; returns null when the bytes are invalid UTF-8 and the encoding is strict. */
export function decodeField(rec: CsvRecord, fi: number, encoding: string, interner: ByteInterner | null): string | null {
  const s = rec.starts[fi], e = rec.ends[fi], fl = rec.flags[fi];
  let utf8 = false;
  if (fl & FIELD_NON_ASCII) {
    if (encoding === "latin1") utf8 = false;
    else if (isValidUTF8(rec.buf, s, e)) utf8 = true;
    else if (encoding === "utf8-or-latin1") utf8 = false;
    else return null;
  }
  if (fl & FIELD_ESCAPED) return unquoteField(rec.buf.toString(utf8 ? "utf8" : "latin1", s, e));
  if (interner) return interner.get(rec.buf, s, e, utf8);
  return rec.buf.toString(utf8 ? "utf8" : "latin1", s, e);
}

/**
 * Read a delimited file into typed columns following `specs`. Rows that do
 * not fit go to quarantine; see {@link LoadReport}.
 *
 * Files of {@link ReadOptions.parallelMinBytes} or more are read in parts on
 * worker threads ({@link ReadOptions.threads}): the parts are split at line
 * ends and joined in file order, so the table, the line numbers and the report
 * are exactly those of a single-threaded read (where a split falls inside a
 * quoted multi-line field, the file is read again on one thread).
 *
 * @param file - path of the CSV/TSV file
 * @param specs - one {@link ColumnSpec} per output column
 * @param format - name recorded in the report
 * @param options - see {@link ReadOptions}
 * @example
 * const { table, report } = await readColumns("x.csv", [
 *   { name: "id", source: "Id", type: "text", required: true },
 *   { name: "amount", source: "Amount", type: "number" },
 * ], "generic");
 */
export async function readColumns(file: string, specs: ColumnSpec[], format: string, options: ReadOptions = {}): Promise<LoadResult> {
  const t0 = Date.now();
  const norm = normalizeReadingOptions(options);
  const enc = resolveEncoding(file, norm.encoding ?? "utf-8");
  specs = applyReadingToSpecs(specs, norm, format);
  const threads = options.threads ?? defaultReadThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new CustlabError("E_OPTION", `option threads: expected a positive integer, got ${threads}`);
  const o: ReadOptions = { ...norm, map: undefined, encoding: enc.field, transcode: enc.transcode, now: options.now ?? Date.now() };
  let size = 0;
  try { size = fs.statSync(file).size; } catch { /* streamRecords reports it */ }
  const splittable = !enc.transcode || enc.transcode === "windows-1252";
  const nParts = splittable && threads > 1 && !o.quarantineFile && size >= (o.parallelMinBytes ?? 16 << 20) ? Math.min(threads, Math.max(1, Math.floor(size / (1 << 20)))) : 1;
  if (nParts > 1) {
    const res = await readInParts(file, specs, format, o, size, nParts);
    if (res) return assemble(file, format, specs, o, res, t0, enc);
  }
  const part = await parsePart(file, specs, format, o, { start: 0 });
  return assemble(file, format, specs, o, [part], t0, enc);
}

/**
 * Apply `map` (canonical column → source) and `dateFormat` to a format's
 * column specs; a CustlabError for a mapped name the format does not have.
 * @internal
 */
export function applyReadingToSpecs(specs: ColumnSpec[], o: ReadingOptions, format: string): ColumnSpec[] {
  if (!o.map && !o.dateFormat) return specs;
  const names = new Set(specs.map((s) => s.name));
  if (o.map) {
    for (const k of Object.keys(o.map)) {
      if (!names.has(k)) throw new CustlabError("E_OPTION", `--map ${k}=…: "${k}" is not a column of format "${format}" (columns: ${specs.map((s) => s.name).filter((n) => !n.startsWith("_")).join(", ")})`);
    }
  }
  return specs.map((sp) => {
    let out = sp;
    if (o.map && o.map[sp.name] !== undefined) out = { ...out, source: parseColumnRef(o.map[sp.name]), optional: false };
    if (o.dateFormat && sp.type === "date") out = { ...out, dateFormat: o.dateFormat };
    return out;
  });
}

/** Default threads for large files: the available CPUs, at most 4. */
export function defaultReadThreads(): number {
  const n = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, n));
}

/** One byte range of a file read into raw columns (internal to {@link readColumns}; exported for the worker). */
export interface PartResult {
  rowsIn: number;
  accepted: number;
  header: string[] | null;
  codes: (Int32Array | null)[];
  dicts: (string[] | null)[];
  text: (string[] | null)[];
  nums: (Float64Array | null)[];
  lines: Int32Array;
  quarantine: QuarantineRow[];
  quarantined: number;
  reasons: Record<string, number>;
  bytes: number;
  pending: number;
  nextLine: number;
  /** Records spanning more than one line, and their first spans. */
  multiCount: number;
  multiSpans: [number, number][];
  /** Lines of the non-blank records; blank lines; the last line a record ended on. */
  recordLines: number;
  blankLines: number;
  lastLine: number;
}

/** Which bytes a part reads; `header` given = the part starts after the header (mid-file). */
export interface PartPlan {
  start: number;
  end?: number;
  header?: string[] | null;
  onHeader?: (names: string[]) => void;
}

/** Where the compiled worker script is (next to this file in dist/, or dist/ beside src/); null when absent. */
function readWorkerPath(): string | null {
  for (const c of [path.join(__dirname, "read-worker.js"), path.join(__dirname, "..", "..", "dist", "io", "read-worker.js")]) {
    if (fs.existsSync(c)) return c;
  }
  return null;
}

/** Byte offsets just after the first line end at or after each of `n - 1` even cuts; null when a cut finds no line end. */
function splitPoints(file: string, size: number, n: number, firstExtra: number): number[] | null {
  const fd = fs.openSync(file, "r");
  try {
    const out: number[] = [];
    const win = Buffer.allocUnsafe(1 << 16);
    for (let p = 1; p < n; p++) {
      // The first part is read by the calling thread, which starts at once; cold workers
      // boot and compile first, so then it takes a slightly larger share (firstExtra).
      let pos = Math.max(Math.floor((size * (p + firstExtra)) / n), out.length ? out[out.length - 1] : 1);
      let cut = -1;
      while (cut < 0 && pos < size) {
        const got = fs.readSync(fd, win, 0, win.length, pos);
        if (got <= 0) break;
        const i = win.subarray(0, got).indexOf(10);
        if (i >= 0) cut = pos + i + 1;
        else pos += got;
      }
      if (cut < 0 || cut >= size) return null;
      out.push(cut);
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Read the file in `n` parts: this thread reads the first (and the header),
 * worker threads the others. Returns null when the parts cannot be trusted
 * (a split inside a quoted field, a worker failure): the caller then reads
 * the file on one thread, which also reports any error in file order.
 */
async function readInParts(file: string, specs: ColumnSpec[], format: string, o: ReadOptions, size: number, n: number): Promise<PartResult[] | null> {
  const script = readWorkerPath();
  if (!script) return null;
  // Warm pooled workers parse as fast as this thread: even parts. Cold ones compile first:
  // this thread takes a larger first part.
  const workers = Array.from({ length: n - 1 }, () => acquireReadWorker(script));
  const cuts = splitPoints(file, size, n, workers.every((w) => w.warm) ? 0 : 0.1);
  const results: Promise<PartResult | null>[] = [];
  if (!cuts) { for (const w of workers) w.release(); return null; }
  const bounds = [0, ...cuts, size];
  const { onProgress: _p, ...plain } = o;
  let started = false;
  const start = (names: string[]) => {
    started = true;
    const header = (o.header ?? true) ? names : null;
    workers.forEach((w, i) => {
      const job = { file, specs, format, options: plain, plan: { start: bounds[i + 1], end: bounds[i + 2], header } };
      results.push(w.run(job).then((m) => {
        const r = m as { ok: boolean; part?: PartResult } | null;
        return r && r.ok ? r.part! : null;
      }));
    });
  };
  let first: PartResult;
  try {
    first = await parsePart(file, specs, format, o, { start: 0, end: bounds[1], onHeader: start });
  } finally {
    if (!started) for (const w of workers) w.release(); // hand unused workers back
  }
  const rest = await Promise.all(results);
  if (first.pending > 0 || results.length === 0) return null;
  const parts = [first];
  for (let w = 0; w < rest.length; w++) {
    const r = rest[w];
    if (!r || (w < rest.length - 1 && r.pending > 0)) return null;
    parts.push(r);
  }
  return parts;
}

/**
 * The header record's names (BOM removed, trimmed). Throws a CustlabError
 * naming the file and line for a blank first line or a header that is not valid UTF-8.
 * @internal
 */
export function headerNames(rec: CsvRecord, encoding: string, file: string): string[] {
  if (rec.n === 0) throw new CustlabError("E_EMPTY_FILE", "the first line is blank: expected a header line", { file, line: rec.line });
  const names: string[] = [];
  for (let i = 0; i < rec.n; i++) {
    const v = decodeField(rec, i, encoding, null);
    if (v === null) throw new CustlabError("E_ENCODING", `unreadable encoding: the header is not valid UTF-8 (use --encoding latin1, windows-1252 or auto for Windows/Latin-1 files)`, { file, line: rec.line, column: String(i + 1) });
    names.push(v.replace(/\uFEFF/g, "").trim());
  }
  return names;
}

/** Why a record goes to quarantine (the column named, the reason, its detail; rawEnd cuts the raw text kept). */
interface Rejection { column: string; reason: IngestReason; detail: string; rawEnd?: number }

/** Read one byte range into raw columns (the whole file when `plan.start` is 0 and `end` absent). */
export async function parsePart(file: string, specs: ColumnSpec[], format: string, options: ReadOptions, plan: PartPlan): Promise<PartResult> {
  const encoding = options.encoding ?? "utf8";
  const hasHeader = options.header ?? true;
  const zone = new ZoneConverter(options.timeZone ?? "UTC");
  const now = options.now ?? Date.now();
  const futureLimit = now + (options.futureSkewMs ?? DAY_MS);
  const sink = new QuarantineSink(file, options.keepQuarantine ?? 1000, options.quarantineFile);
  const parser = new ByteParser();
  const decimalComma = options.decimalComma ?? false;
  const m = specs.length;

  // Resolved per-column plan (filled once the header is known).
  const src = new Int32Array(m).fill(-1);
  const types = new Uint8Array(m);
  const required = new Uint8Array(m);
  const interners: (ByteInterner | null)[] = [];
  const dateFormats: DateFormat[] = [];
  const trimArr = new Uint8Array(m), stripArr = new Uint8Array(m), bomArr = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const sp = specs[j];
    trimArr[j] = sp.trim ? 1 : 0; stripArr[j] = sp.stripFloatSuffix ? 1 : 0; bomArr[j] = sp.removeBOM ? 1 : 0;
    types[j] = sp.type === "text" ? TYPE_TEXT : sp.type === "number" ? TYPE_NUMBER : TYPE_DATE;
    required[j] = sp.required ? 1 : 0;
    interners.push(sp.type === "text" && sp.intern !== false ? new ByteInterner() : null);
    dateFormats.push(sp.dateFormat ?? "auto");
  }
  let header: string[] | null = null;
  let nFields = -1;

  // Column storage.
  // Capacity from the file size (≈ 64 bytes per row) so typed columns rarely grow.
  let cap = 1024;
  try { cap = Math.max(1024, Math.min(1 << 26, Math.ceil((Math.min(plan.end ?? Infinity, fs.statSync(file).size) - plan.start) / 64))); } catch { /* streamRecords reports it */ }
  const text: (string[] | null)[] = specs.map((s) => (s.type === "text" && s.intern === false ? [] : null));
  let codeCols: (Int32Array | null)[] = specs.map((s) => (s.type === "text" && s.intern !== false ? new Int32Array(cap) : null));
  let nums: (Float64Array | null)[] = specs.map((s) => (s.type !== "text" ? new Float64Array(cap) : null));
  let lines = new Int32Array(cap);
  let accepted = 0;
  let rowsIn = 0;
  const colName = (j: number) => (header && src[j] >= 0 ? header[src[j]] : specs[j].name);

  const resolveHeader = (names: string[]) => {
    header = names;
    nFields = names.length;
    const missing: string[] = [];
    for (let j = 0; j < m; j++) {
      const s = specs[j].source;
      if (s === undefined) continue;
      if (typeof s === "number") {
        if (s >= nFields && hasHeader) missing.push(`#${s + 1}`);
        src[j] = s;
        continue;
      }
      let k = names.indexOf(s);
      if (k < 0) k = names.findIndex((h) => h.trim().toLowerCase() === s.trim().toLowerCase());
      if (k < 0 && !specs[j].optional) missing.push(`"${s}"`);
      src[j] = k;
    }
    if (missing.length) {
      throw new CustlabError("E_MISSING_COLUMN", `missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} for format "${format}" (header has: ${names.map((h) => JSON.stringify(h)).join(", ")})`, { file, line: 1 });
    }
    plan.onHeader?.(names);
  };
  if (plan.header) resolveHeader(plan.header);

  const grow = () => {
    cap = Math.ceil(cap * 1.6);
    nums = nums.map((c) => { if (!c) return null; const n = new Float64Array(cap); n.set(c); return n; });
    codeCols = codeCols.map((c) => { if (!c) return null; const n = new Int32Array(cap); n.set(c); return n; });
    const l = new Int32Array(cap); l.set(lines); lines = l;
  };

  const tally = new LineTally();
  const maxFieldBytes = options.maxFieldBytes ?? 1 << 20;

  // Why a record is refused: the column it names, the reason and the detail (the one place rows go to quarantine).
  const reject = (column: string, reason: IngestReason, detail: string, rawEnd?: number): Rejection => ({ column, reason, detail, rawEnd });
  const quarantine = (rec: CsvRecord, r: Rejection): void => sink.add(rec.line, r.column, r.reason, r.detail, rec.buf, rec.start, r.rawEnd ?? rec.end);

  /** Record-level problems (blank line, quote never closed, field over the limit, wrong field count). */
  const recordProblem = (rec: CsvRecord, span: number): Rejection | null => {
    if (rec.error === REC_UNTERMINATED) return reject(header![rec.errorField] ?? "", "unterminated_quote", "quote opened here is never closed");
    if (rec.error === REC_FIELD_TOO_LARGE) {
      return reject(header![rec.errorField] ?? String(rec.errorField + 1), "field_too_large", `${rec.ends[rec.errorField] - rec.starts[rec.errorField]} bytes > limit ${maxFieldBytes}`, Math.min(rec.end, rec.start + 2000));
    }
    if (hasHeader && rec.n !== nFields) {
      if (span > 2) return reject("", "unbalanced_quote", `record runs over lines ${rec.line}-${rec.endLine} (a stray quote?) and has ${rec.n} field${rec.n === 1 ? "" : "s"}, header has ${nFields}`);
      return reject(rec.n > nFields ? "" : header![rec.n] ?? "", "ragged_row", `${rec.n} field${rec.n === 1 ? "" : "s"}, header has ${nFields}`);
    }
    return null;
  };

  /** Column j of the row from field fi when it is text; a refusal or null. */
  const textField = (rec: CsvRecord, j: number, fi: number, row: number): Rejection | null => {
    const buf = rec.buf, fl = rec.flags[fi];
    const it = interners[j];
    if (it !== null && (fl & FIELD_ESCAPED) === 0) {
      // Fast path: byte-level trim / ".0" strip, then intern to a code (no strings made).
      let s = rec.starts[fi], e = rec.ends[fi];
      if (trimArr[j]) {
        while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
        while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 9)) e--;
      }
      if (stripArr[j] && e - s > 2 && buf[e - 1] === 48 && buf[e - 2] === 46) e -= 2;
      let utf8 = false;
      if (fl & FIELD_NON_ASCII) {
        if (encoding === "latin1") utf8 = false;
        else if (isValidUTF8(buf, s, e)) utf8 = true;
        else if (encoding === "utf8-or-latin1") utf8 = false;
        else return reject(colName(j), "invalid_utf8", "bytes are not valid UTF-8");
      }
      let code = it.code(buf, s, e, utf8);
      if (bomArr[j] && code !== 0) {
        const str = it.strings[code];
        if (str.indexOf("\uFEFF") >= 0) code = it.codeOfString(str.replace(/\uFEFF/g, ""));
      }
      if (code === 0 && required[j]) return reject(colName(j), "missing_required", "empty");
      codeCols[j]![row] = code;
      return null;
    }
    let v = decodeField(rec, fi, encoding, null);
    if (v === null) return reject(colName(j), "invalid_utf8", "bytes are not valid UTF-8");
    if (trimArr[j]) v = v.trim();
    if (stripArr[j] && v.length > 2 && v.charCodeAt(v.length - 1) === 48 && v.charCodeAt(v.length - 2) === 46) v = v.slice(0, -2);
    if (bomArr[j] && v.indexOf("\uFEFF") >= 0) v = v.replace(/\uFEFF/g, "");
    if (v === "" && required[j]) return reject(colName(j), "missing_required", "empty");
    if (it !== null) codeCols[j]![row] = it.codeOfString(v);
    else text[j]![row] = v;
    return null;
  };

  /** Column j of the row from field fi when it is a number or a date; a refusal or null. */
  const numericField = (rec: CsvRecord, j: number, fi: number, row: number): Rejection | null => {
    let s = rec.starts[fi], e = rec.ends[fi];
    let b: Uint8Array = rec.buf;
    if (rec.flags[fi] & FIELD_ESCAPED) {
      const str = unquoteField(rec.buf.toString("latin1", s, e));
      b = Buffer.from(str, "latin1"); s = 0; e = b.length;
    }
    let v: number;
    if (types[j] === TYPE_NUMBER) {
      if (decimalComma) {
        // "3,5" → 3.5 (thousands separators "." are not accepted: "1.234,5" is invalid).
        const str = Buffer.from(b.buffer, b.byteOffset + s, e - s).toString("latin1");
        if (str.indexOf(".") >= 0) { v = NaN; parser.status = str.trim() === "" ? PARSE_EMPTY : PARSE_INVALID; }
        else { const bb = Buffer.from(str.replace(",", "."), "latin1"); v = parser.number(bb, 0, bb.length); }
      } else v = parser.number(b, s, e);
      const st = parser.status;
      if (st === PARSE_EMPTY) { if (required[j]) return reject(colName(j), "missing_required", "empty"); }
      else if (st === PARSE_NON_FINITE) return reject(colName(j), "non_finite_number", fieldText(b, s, e));
      else if (st !== PARSE_OK) return reject(colName(j), "invalid_number", fieldText(b, s, e));
      else if (v < 0 && specs[j].negativeReason) return reject(colName(j), specs[j].negativeReason!, fieldText(b, s, e));
    } else {
      v = parser.date(b, s, e, dateFormats[j]);
      const st = parser.status;
      if (st === PARSE_OK) {
        if (!parser.hasZone && !zone.isUTC) v = zone.toUTC(v);
        if (v > futureLimit) return reject(colName(j), "future_date", fieldText(b, s, e));
      } else if (st === PARSE_EMPTY) { if (required[j]) return reject(colName(j), "missing_required", "empty"); }
      else if (st === PARSE_INVALID) return reject(colName(j), "invalid_date", fieldText(b, s, e));
    }
    nums[j]![row] = v;
    return null;
  };

  const onRecord = (rec: CsvRecord) => {
    tally.seen(rec);
    if (header === null && hasHeader) {
      const names = headerNames(rec, encoding, file);
      resolveHeader(names);
      return;
    }
    if (header === null) resolveHeader(Array.from({ length: Math.max(rec.n, ...Array.from(specs, (s) => (typeof s.source === "number" ? s.source + 1 : 0))) }, (_, i) => `col${i + 1}`));
    rowsIn++;
    if (rec.n === 0) { tally.blankLines++; quarantine(rec, reject("", "empty_line", "blank line")); return; }
    const bad = recordProblem(rec, tally.record(rec));
    if (bad) { quarantine(rec, bad); return; }
    if (accepted === cap) grow();
    const row = accepted;
    for (let j = 0; j < m; j++) {
      const fi = src[j];
      if (fi < 0) continue; // constant column, filled at the end
      let r: Rejection | null = null;
      if (fi >= rec.n) {
        if (required[j]) r = reject(colName(j), "missing_required", "field absent");
        else if (types[j] === TYPE_TEXT) { if (codeCols[j]) codeCols[j]![row] = 0; else text[j]![row] = ""; }
        else nums[j]![row] = NaN;
      } else r = types[j] === TYPE_TEXT ? textField(rec, j, fi, row) : numericField(rec, j, fi, row);
      if (r) { quarantine(rec, r); return; }
    }
    lines[row] = rec.line;
    accepted++;
  };

  let streamed: RecordStreamResult;
  try {
    streamed = await streamRecords(file, onRecord, { delimiter: options.delimiter, maxFieldBytes: options.maxFieldBytes, maxRecordBytes: options.maxRecordBytes, transcode: options.transcode, chunkBytes: options.chunkBytes, reader: options.reader, onProgress: options.onProgress, start: plan.start, end: plan.end });
  } finally {
    await sink.close();
  }
  if (header === null && plan.start === 0) {
    if (hasHeader) throw new CustlabError("E_EMPTY_FILE", "the file has no header line (only a byte-order mark or nothing readable)", { file });
    resolveHeader(Array.from(specs, (_, i) => `col${i + 1}`));
  }
  if (accepted + sink.count !== rowsIn) {
    throw new CustlabError("E_INTERNAL", `row accounting broken: rows_in ${rowsIn} != accepted ${accepted} + quarantined ${sink.count}`, { file });
  }
  // Constant columns: the source index stays -1 (filled in assemble).
  return {
    rowsIn, accepted, header: header as string[] | null,
    codes: codeCols.map((c) => (c ? c.slice(0, accepted) : null)),
    dicts: interners.map((it) => (it ? it.strings : null)),
    text: text.map((a) => { if (!a) return null; a.length = accepted; return a; }),
    nums: nums.map((c) => (c ? c.slice(0, accepted) : null)),
    lines: lines.slice(0, accepted),
    quarantine: sink.rows, quarantined: sink.count, reasons: { ...sink.reasons },
    bytes: streamed.bytes, pending: streamed.pending, nextLine: streamed.nextLine,
    multiCount: tally.multiCount, multiSpans: tally.multiSpans, recordLines: tally.recordLines, blankLines: tally.blankLines, lastLine: tally.lastLine,
  };
}

/** Join parts (in file order) into the table and report; line numbers of later parts are shifted to file lines. */
function assemble(file: string, format: string, specs: ColumnSpec[], o: ReadOptions, parts: PartResult[], t0: number, enc: ResolvedEncoding): LoadResult {
  const m = specs.length;
  const first = parts[0];
  const header = first.header;
  const srcOf = (j: number): number => {
    const s = specs[j].source;
    if (s === undefined || !header) return s === undefined ? -1 : typeof s === "number" ? s : -1;
    if (typeof s === "number") return s;
    let k = header.indexOf(s);
    if (k < 0) k = header.findIndex((h) => h.trim().toLowerCase() === s.trim().toLowerCase());
    return k;
  };
  // Line offset of each part: the first line of part p is line (offset[p] + 1) of the file.
  const offset = new Array<number>(parts.length).fill(0);
  for (let p = 1; p < parts.length; p++) offset[p] = offset[p - 1] + parts[p - 1].nextLine - 1;
  let accepted = 0, rowsIn = 0, quarantined = 0, bytes = 0;
  const reasons: Record<string, number> = {};
  const keep = o.keepQuarantine ?? 1000;
  const quarantine: QuarantineRow[] = [];
  let multiCount = 0, recordLines = 0, blankLines = 0, lastLine = 0;
  const multiSpans: [number, number][] = [];
  for (let p = 0; p < parts.length; p++) {
    const pt = parts[p];
    accepted += pt.accepted; rowsIn += pt.rowsIn; quarantined += pt.quarantined; bytes += pt.bytes;
    multiCount += pt.multiCount; recordLines += pt.recordLines; blankLines += pt.blankLines;
    if (pt.lastLine > 0) lastLine = pt.lastLine + offset[p];
    for (const sp of pt.multiSpans) if (multiSpans.length < 100) multiSpans.push([sp[0] + offset[p], sp[1] + offset[p]]);
    for (const [r, c] of Object.entries(pt.reasons)) reasons[r] = (reasons[r] ?? 0) + c;
    for (const q of pt.quarantine) if (quarantine.length < keep) quarantine.push(offset[p] ? { ...q, line: q.line + offset[p] } : q);
  }
  if (accepted + quarantined !== rowsIn) {
    throw new CustlabError("E_INTERNAL", `row accounting broken: rows_in ${rowsIn} != accepted ${accepted} + quarantined ${quarantined}`, { file });
  }
  const cols: Record<string, ColumnData | TextCodes> = {};
  const kinds: Record<string, ColumnKind> = {};
  for (let j = 0; j < m; j++) {
    const name = specs[j].name;
    const constant = specs[j].constant;
    const isConst = srcOf(j) < 0;
    if (specs[j].type === "text") {
      // Interned text stays dictionary-encoded in the table (strings are made only if asked for).
      if (isConst) cols[name] = { codes: new Int32Array(accepted), dict: [String(constant ?? "")] };
      else if (first.codes[j]) cols[name] = canonicalCodes(mergeCodes(parts.map((pt) => pt.codes[j]!), parts.map((pt) => pt.dicts[j]!), accepted));
      else {
        const a = first.text[j]!;
        for (let p = 1; p < parts.length; p++) for (const v of parts[p].text[j]!) a.push(v);
        cols[name] = a;
      }
      kinds[name] = "string";
    } else {
      if (isConst) cols[name] = new Float64Array(accepted).fill(typeof constant === "number" ? constant : NaN);
      else cols[name] = concatF64(parts.map((pt) => pt.nums[j]!), accepted);
      kinds[name] = specs[j].type === "date" ? "date" : "number";
    }
  }
  const lines = new Int32Array(accepted);
  for (let p = 0, at = 0; p < parts.length; p++) {
    const l = parts[p].lines, off = offset[p];
    if (off === 0) lines.set(l, at);
    else for (let i = 0; i < l.length; i++) lines[at + i] = l[i] + off;
    at += l.length;
  }
  cols._line = lines;
  kinds._line = "integer";
  const zone = new ZoneConverter(o.timeZone ?? "UTC");
  const report: LoadReport = {
    file, format, rows_in: rowsIn, accepted, quarantined, reasons, quarantine,
    quarantine_file: o.quarantineFile, columns: header ?? [], encoding: enc.name, time_zone: zone.zone, now: o.now ?? Date.now(), bytes, elapsed_ms: Date.now() - t0, notes: [],
    multiline_records: { count: multiCount, spans: multiSpans }, physical_lines: physicalLines((o.header ?? true) ? 1 : 0, recordLines, blankLines, lastLine),
  };
  if (enc.detected && enc.name !== "utf-8") report.notes.push(`encoding "${enc.name}" detected (the sampled lines are not UTF-8)`);
  return { table: new Table(cols, kinds), report };
}

/**
 * Physical-line accounting while reading: blank lines, the lines of non-blank
 * records, records spanning several lines and their first 100 spans.
 * @internal
 */
export class LineTally {
  multiCount = 0;
  recordLines = 0;
  blankLines = 0;
  lastLine = 0;
  readonly multiSpans: [number, number][] = [];
  /** Note the last line any record (header included) reached. */
  seen(rec: CsvRecord): void { if (rec.endLine > this.lastLine) this.lastLine = rec.endLine; }
  /** Count a non-blank record; returns its span in physical lines. */
  record(rec: CsvRecord): number {
    const span = rec.endLine - rec.line + 1;
    this.recordLines += span;
    if (span > 1) { this.multiCount++; if (this.multiSpans.length < 100) this.multiSpans.push([rec.line, rec.endLine]); }
    return span;
  }
  /** The report fields, given the header lines (0 or 1). */
  fields(header: number): Pick<LoadReport, "multiline_records" | "physical_lines"> {
    return { multiline_records: { count: this.multiCount, spans: this.multiSpans }, physical_lines: physicalLines(header, this.recordLines, this.blankLines, this.lastLine) };
  }
}

/** Physical-line accounting of a load (see {@link LoadReport.physical_lines}). */
function physicalLines(header: number, recordLines: number, blankLines: number, lastLine: number): NonNullable<LoadReport["physical_lines"]> {
  const total = Math.max(lastLine, header);
  return { total, header, data: total - header, record_lines: recordLines, blank_lines: blankLines };
}

/** Concatenate per-part dictionary codes onto one dictionary (the first part's, extended by first appearance). */
function mergeCodes(codes: Int32Array[], dicts: string[][], n: number): { codes: Int32Array; dict: string[] } {
  if (codes.length === 1) return { codes: codes[0], dict: dicts[0] };
  const dict = dicts[0].slice();
  const index = new Map<string, number>();
  for (let c = 0; c < dict.length; c++) if (!index.has(dict[c])) index.set(dict[c], c);
  const out = new Int32Array(n);
  out.set(codes[0], 0);
  let at = codes[0].length;
  for (let p = 1; p < codes.length; p++) {
    const d = dicts[p];
    const map = new Int32Array(d.length);
    for (let c = 0; c < d.length; c++) {
      let g = index.get(d[c]);
      if (g === undefined) { g = dict.length; dict.push(d[c]); index.set(d[c], g); }
      map[c] = g;
    }
    const cp = codes[p];
    for (let i = 0; i < cp.length; i++) out[at + i] = map[cp[i]];
    at += cp.length;
  }
  return { codes: out, dict };
}

function concatF64(arrays: Float64Array[], n: number): Float64Array {
  if (arrays.length === 1) return arrays[0];
  const out = new Float64Array(n);
  let at = 0;
  for (const a of arrays) { out.set(a, at); at += a.length; }
  return out;
}

function fieldText(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, Math.min(e - s, 200)).toString("utf8");
}
