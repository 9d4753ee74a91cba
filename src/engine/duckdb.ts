import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Table, isNumeric } from "../table";
import type { ColumnData } from "../table";
import { CustlabError } from "../util/errors";
import { loadTransactions, readHeader, sniffDelimiter } from "../io/adapters";
import type { ColumnMapping, TransactionFormat } from "../io/adapters";
import { writeQuarantine, decodeField } from "../io/reader";
import { CsvTokenizer } from "../io/csv";
import type { LoadReport, QuarantineRow } from "../io/reader";
import type { IngestReason } from "../io/reasons";
import { DUCKDB, render, x } from "./dialect";
import type { Expr, Select } from "./dialect";
import { CANONICAL_ENGINE_COLUMNS, ENGINE_COLUMNS, dedupeQuery, validatedRowsQuery } from "./stages";
import type { ValidateColumn } from "./stages";
import { SqlEngine } from "./sql-engine";
import type { ResultColumns } from "./sql-engine";
import type { EngineLoadOptions } from "./types";
import { DAY_MS } from "../util/numeric";

/* eslint-disable @typescript-eslint/no-explicit-any */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type DuckMod = any; // @duckdb/node-api, kept out of the public declarations
let duckMod: DuckMod | undefined;
/** `@duckdb/node-api`, loaded on first use (a one-line error where its native part is missing). @internal */
export function duckdbModule(): DuckMod {
  if (!duckMod) {
    try { duckMod = require("@duckdb/node-api") as DuckMod; } catch (e) {
      throw new CustlabError("E_ENGINE", `the duckdb engine needs @duckdb/node-api with its native part (${(e as Error).message.split("\n")[0]})`);
    }
  }
  return duckMod;
}

/** Options of {@link DuckDBEngine}. */
export interface DuckDBEngineOptions {
  /** DuckDB `memory_limit` (default "2GB"); past it DuckDB spills to `tempDirectory`. */
  memoryLimit?: string;
  /** Threads (default: DuckDB's, the core count). */
  threads?: number;
  /** Where spilled data goes (default a folder under the OS temp folder, removed on close). */
  tempDirectory?: string;
  /** Database file (default in memory; spilled pages still go to `tempDirectory`). */
  database?: string;
  /**
   * Inputs with at most this many accepted rows get sums in custlab's order (tables bit-identical
   * to the memory engine's); larger ones are computed from the materialised order grain, whose sums
   * of per-order sums are deterministic (the same from run to run) and equal to the memory engine's
   * within rounding for labels and RFM (default 2,000,000).
   */
  exactRowsLimit?: number;
  /**
   * Tests only: duplicate candidates by `_h` modulo this number instead of the full 64-bit hash,
   * so that many distinct rows share a "hash" (the exact comparison must keep them apart).
   * @internal
   */
  hashModulo?: number;
  /**
   * Dictionary codes for the load table's repeated text columns (see `dictionaryCode`): `false`
   * (the default) never; `"auto"` only when the table takes more than half of `memory_limit`;
   * `true` always (tests). Off by default because, measured on a quiet machine (50× Online Retail
   * under 2GB), the coding cost more than it saved: quality 79.7 → 107.1 CPU s, features 25.6 →
   * 23.1, churn 21.2 → 21.6 (README, engines).
   * @internal
   */
  codeText?: boolean | "auto";
}

/** Bytes in a DuckDB size setting as `current_setting` prints it ("1.8 GiB", "381.4 MiB", "2.0 GB"). */
function settingBytes(v: string): number {
  const m = /^([\d.]+)\s*([KMGTP]?i?B|bytes?)$/i.exec(v.trim());
  if (!m) return Infinity;
  const unit = m[2].toUpperCase(), pow = "BKMGTP".indexOf(unit[0] === "B" ? "B" : unit[0]);
  return Number(m[1]) * (unit.includes("I") ? 1024 : 1000) ** Math.max(0, pow);
}

const REJECT_REASONS: Record<string, IngestReason> = {
  "MISSING COLUMNS": "ragged_row",
  "TOO MANY COLUMNS": "ragged_row",
  "UNQUOTED VALUE": "unterminated_quote",
  "INVALID STATE": "unterminated_quote",
  "LINE SIZE OVER MAXIMUM": "field_too_large",
  "INVALID UNICODE": "invalid_utf8",
  "INVALID ENCODING": "invalid_utf8",
};

/** The most distinct values a load column is dictionary-coded with (ENUM codes of 1–4 bytes; the dictionary lives outside DuckDB's buffer pool). */
const DICTIONARY_MAX = 1_000_000;

/** How a known format maps onto the validation columns, or null when only the memory loader reads it. @internal */
export function csvPlan(file: string, format: string, mapping: ColumnMapping | undefined, header: string[]): { columns: ValidateColumn[]; delimiter: string } | null {
  const find = (name: string | number | undefined) => {
    if (typeof name !== "string") return undefined;
    return header.find((h) => h === name) ?? header.find((h) => h.toLowerCase() === name.toLowerCase());
  };
  const need = (name: string) => {
    const h = find(name);
    if (h === undefined) throw new CustlabError("E_MISSING_COLUMN", `missing column "${name}" (header has: ${header.join(", ")})`, { file, line: 1, column: name });
    return h;
  };
  if (format === "online-retail") {
    return {
      delimiter: ",",
      columns: [
        { name: "customer_id", source: find("CustomerID"), type: "text", trim: true, stripFloatSuffix: true },
        { name: "order_id", source: need("InvoiceNo"), type: "text", required: true, trim: true },
        { name: "timestamp", source: need("InvoiceDate"), type: "date", required: true },
        { name: "product_id", source: find("StockCode"), type: "text", trim: true },
        { name: "product_name", source: find("Description"), type: "text" },
        { name: "quantity", source: need("Quantity"), type: "double", required: true, typed: true },
        { name: "unit_price", source: need("UnitPrice"), type: "double", required: true, typed: true, negativeReason: "negative_price" },
        { name: "country", source: find("Country"), type: "text" },
      ],
    };
  }
  if (format === "custlab") {
    return {
      delimiter: ",",
      columns: [
        { name: "customer_id", source: find("customer_id"), type: "text" },
        { name: "order_id", source: need("order_id"), type: "text", required: true },
        { name: "timestamp", source: need("timestamp"), type: "date", required: true },
        { name: "product_id", source: find("product_id"), type: "text" },
        { name: "product_name", source: find("product_name"), type: "text" },
        { name: "category", source: find("category"), type: "text" },
        { name: "quantity", source: need("quantity"), type: "double", required: true, typed: true },
        { name: "unit_price", source: need("unit_price"), type: "double", required: true, typed: true, negativeReason: "negative_price" },
        { name: "country", source: find("country"), type: "text" },
        { name: "channel", source: find("channel"), type: "text" },
      ],
    };
  }
  if (format === "generic" && mapping?.columns) {
    const m = mapping;
    if (m.header === false || m.decimalComma || (m.timeZone && m.timeZone !== "UTC") || (m.dateFormat && m.dateFormat !== "auto") || m.columns.amount !== undefined) return null;
    if (Object.values(m.columns).some((v) => typeof v !== "string")) return null;
    const src = (k: string) => (m.columns[k] === undefined ? undefined : need(m.columns[k] as string));
    return {
      delimiter: m.delimiter ?? sniffDelimiter(file),
      columns: [
        { name: "customer_id", source: src("customer_id"), type: "text", trim: true },
        { name: "order_id", source: src("order_id"), type: "text", required: true, trim: true },
        { name: "timestamp", source: src("timestamp"), type: "date", required: true },
        { name: "product_id", source: src("product_id"), type: "text", trim: true },
        { name: "product_name", source: src("product_name"), type: "text" },
        { name: "category", source: src("category"), type: "text" },
        { name: "quantity", source: src("quantity"), type: "double", typed: true, constant: 1 },
        { name: "unit_price", source: src("unit_price"), type: "double", required: true, typed: true, negativeReason: "negative_price" },
        { name: "country", source: src("country"), type: "text" },
        { name: "channel", source: src("channel"), type: "text" },
      ].filter((c) => c.source !== undefined || c.name === "quantity") as ValidateColumn[],
    };
  }
  return null;
}

/** The first `max` values of field `j` in the first 1 MiB of a delimited file (header skipped). */
function headValues(file: string, delimiter: string, j: number, max: number): string[] {
  if (j < 0) return [];
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(1 << 20);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const out: string[] = [];
    let cut = false;
    const tok = new CsvTokenizer((r) => { if (r.line > 1 && out.length <= max && j < r.n) out.push(decodeField(r, j, "utf8-or-latin1", null) ?? ""); }, { delimiter });
    // In 64 KiB pieces until max + 1 values are seen (the last one read may be cut: dropped unless the file ended).
    for (let at = 0; at < n && out.length <= max; at += 1 << 16) tok.push(buf.subarray(at, Math.min(n, at + (1 << 16))));
    if (out.length <= max) { if (n < buf.length) tok.end(); else cut = true; }
    const vals = out.length > max || cut ? out.slice(0, out.length - 1) : out;
    return vals.filter((v) => v.trim() !== "");
  } finally { fs.closeSync(fd); }
}

/** A blank line of a delimited file: its physical line and the number of non-blank data records before it. */
export interface BlankLine { line: number; records: number }

/**
 * Lines in a file (line feeds, plus one for a last line without one) and its blank lines as
 * custlab's reader finds them ({@link CsvTokenizer}: a record with no field — a line feed, or a
 * carriage return and a line feed, at a record's start; line breaks in quoted fields excluded; the
 * first record is the header), in one streaming pass that only looks at line feeds and quotes:
 * a quote opens a field only as its first byte (after the delimiter, or at a record's start), and
 * inside one `""` is a quote, as in the tokenizer. `blanks` is undefined where that pass cannot
 * decide it the tokenizer's way: a record over 8 MiB (the tokenizer cuts records past 16 MiB and
 * skips to their end), or the whitespace delimiter with a line that looks blank — then
 * {@link blankLines} tokenises the file. `chunk`: bytes read at a time (tests use tiny ones).
 *
 * @example
 * // a,b / 1,"x<LF><LF>y" / (blank) / 2,z: the blank line inside the quotes is part of a record.
 * // scanLines(file, ",") → { lines: 6, blanks: [{ line: 5, records: 1 }] }
 * @internal
 */
export function scanLines(file: string, delimiter: string, chunk = 1 << 23): { lines: number; blanks?: BlankLine[] } {
  const LF = 10, CR = 13, Q = 34, LONG = 8 << 20;
  const ws = delimiter === "whitespace";
  const D = ws ? -1 : delimiter.charCodeAt(0);
  const blanks: BlankLine[] = [];
  // lf: line feeds so far; recs: records ended so far (header and blank ones included); recStart:
  // absolute offset of the current record's first byte; prev: the byte before this chunk.
  let lf = 0, recs = 0, recStart = 0, base = 0, prev = LF, bomEnd = -1;
  let inQ = false, qPending = false, long = false;
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(Math.max(chunk, 3));
    // A UTF-8 byte-order mark (the tokenizer skips it: a quote right after it opens the header's first field).
    if (fs.readSync(fd, buf, 0, 3, 0) === 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) bomEnd = 3;
    let got: number;
    while ((got = fs.readSync(fd, buf, 0, chunk, null)) > 0) {
      const b = got === buf.length ? buf : buf.subarray(0, got);
      let p = 0;
      if (qPending) { qPending = false; if (b[0] === Q) p = 1; else inQ = false; }
      while (p < got) {
        const q = ws ? -1 : b.indexOf(Q, p);
        const stop = q < 0 ? got : q;
        let i = b.indexOf(LF, p);
        while (i >= 0 && i < stop) {
          if (!inQ) {
            const abs = base + i, len = abs - recStart;
            if (recs > 0 && (len === 0 || (len === 1 && (i > 0 ? b[i - 1] : prev) === CR))) blanks.push({ line: lf + 1, records: recs - 1 - blanks.length });
            if (len > LONG) long = true;
            recs++;
            recStart = abs + 1;
          }
          lf++;
          i = b.indexOf(LF, i + 1);
        }
        if (q < 0) break;
        if (inQ) {
          if (q + 1 >= got) { qPending = true; break; }
          if (b[q + 1] === Q) { p = q + 2; continue; }
          inQ = false;
        } else {
          const abs = base + q;
          if (abs === recStart || abs === bomEnd || (q > 0 ? b[q - 1] : prev) === D) inQ = true;
        }
        p = q + 1;
      }
      prev = b[got - 1];
      base += got;
    }
  } finally { fs.closeSync(fd); }
  if (base - recStart > LONG) long = true;
  const lines = base === 0 || prev === LF ? lf : lf + 1;
  return { lines, blanks: long || (ws && blanks.length > 0) ? undefined : blanks };
}

/**
 * The blank lines of a delimited file as custlab's reader finds them (its tokenizer: a record with
 * no field, quoted line breaks excluded): each one's physical line and the number of non-blank
 * data records before it, from the tokenizer itself: what {@link scanLines} falls back to.
 *
 * @example
 * // blankLines(file, ",") on "a,b\n1,2\n\n3,4\n" → [{ line: 3, records: 1 }]
 * @internal
 */
export function blankLines(file: string, delimiter: string): BlankLine[] {
  const out: BlankLine[] = [];
  let records = 0;
  const tok = new CsvTokenizer((r) => {
    if (r.line === 1) return; // the header
    if (r.n === 0) out.push({ line: r.line, records }); else records++;
  }, { delimiter });
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(1 << 22);
    let got: number;
    while ((got = fs.readSync(fd, buf, 0, buf.length, null)) > 0) tok.push(Buffer.from(buf.subarray(0, got)));
    tok.end();
  } finally { fs.closeSync(fd); }
  return out;
}

const sqlStr = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The embedded relational engine (`@duckdb/node-api`): orders are read and
 * validated by DuckDB (its CSV rejects — `store_rejects` — give line, column
 * and error, mapped onto custlab's quarantine reasons; the value rules run as
 * the validation stage), exact duplicates are removed in a table, and every
 * stage runs as SQL. Works past the machine's memory: DuckDB spills to disk
 * under `memory_limit`.
 *
 * @example
 * const eng = await DuckDBEngine.open({ memoryLimit: "2GB" });
 * const report = await eng.loadFile("../shared/datasets/online-retail/online_retail.csv", { format: "online-retail" });
 * const f = await eng.features({ cutoff: Date.parse("2011-09-09") });
 * await eng.close();
 */
export class DuckDBEngine extends SqlEngine {
  readonly name = "duckdb" as const;
  readonly dialect = DUCKDB;
  private instance: any;
  private con: any;
  private tempDir?: string;
  private ownTemp = false;
  private options: DuckDBEngineOptions;
  private tableSeq = 0;

  private constructor(options: DuckDBEngineOptions) { super(); this.options = options; }

  /** Start an engine (an in-process DuckDB database). */
  static async open(options: DuckDBEngineOptions = {}): Promise<DuckDBEngine> {
    const e = new DuckDBEngine(options);
    const duck = duckdbModule();
    e.tempDir = options.tempDirectory;
    if (!e.tempDir) { e.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-duckdb-")); e.ownTemp = true; }
    const cfg: Record<string, string> = { memory_limit: options.memoryLimit ?? "2GB", temp_directory: e.tempDir, preserve_insertion_order: "true" };
    if (options.threads) cfg.threads = String(options.threads);
    e.instance = await duck.DuckDBInstance.create(options.database ?? ":memory:", cfg);
    e.con = await e.instance.connect();
    await e.exec("SET TimeZone = 'UTC'");
    return e;
  }

  describe(): string {
    return `duckdb (memory_limit ${this.options.memoryLimit ?? "2GB"}${this.options.threads ? `, ${this.options.threads} threads` : ""})`;
  }

  /** Run SQL and return the result's columns (JS values). */
  async query(sql: string): Promise<ResultColumns> {
    try {
      return await readResultColumns(await this.con.run(sql));
    } catch (e) {
      throw new CustlabError("E_ENGINE", `duckdb: ${(e as Error).message.split("\n")[0]}`);
    }
  }

  /** Run SQL for its effect. */
  async exec(sql: string): Promise<void> {
    try { await this.con.run(sql); } catch (e) { throw new CustlabError("E_ENGINE", `duckdb: ${(e as Error).message.split("\n")[0]}`); }
  }

  /** Run SQL and return a custlab {@link Table} (numbers as Float64Array, text as strings). */
  async queryTable(sql: string): Promise<Table> {
    let r: any;
    try { r = await this.con.runAndReadAll(sql); } catch (e) { throw new CustlabError("E_ENGINE", `duckdb: ${(e as Error).message.split("\n")[0]}`); }
    return resultToTable(r);
  }

  /** Tables of the current load (dropped when another load or table replaces it). */
  private loadTables: string[] = [];
  /** ENUM types of the current load's dictionary-coded columns (dropped after its tables). */
  private loadTypes: string[] = [];
  /** FROM-able source of the distinct accepted rows with their multiplicity `_n` (see {@link DuckDBEngine.allRowsTable}). */
  private distinctRows?: string;

  private async dropLoadTables(): Promise<void> {
    this.serialSumsInLineOrder = false;
    for (const t of this.loadTables.splice(0)) await this.exec(`DROP TABLE IF EXISTS ${DUCKDB.ident(t)}`);
    for (const t of this.loadTypes.splice(0)) await this.exec(`DROP TYPE IF EXISTS ${DUCKDB.ident(t)}`);
    this.distinctRows = undefined;
  }

  /**
   * `threads` is a database-wide setting, shared by this engine's forks (which inherit this
   * object): one counter for all of them, so the thread count is restored only when the last
   * overlapping serial section ends (a section ending early must not let another run in parallel).
   */
  private readonly serialSections: { open: number; settings: Promise<void> } = { open: 0, settings: Promise.resolve() };

  protected override async serial<T>(f: () => Promise<T>): Promise<T> {
    const s = this.serialSections;
    // The SET and RESET statements run one after another in the order the sections open and close
    // (they may come from different connections), and every section waits for its SET.
    const setting = (sql: string) => (s.settings = s.settings.catch(() => undefined).then(() => this.exec(sql)));
    if (s.open++ === 0) setting("SET threads = 1");
    try {
      await s.settings;
      return await f();
    } finally {
      if (--s.open === 0) await setting(this.options.threads ? `SET threads = ${this.options.threads}` : "RESET threads");
    }
  }

  protected override async materialize(name: string, q: Select): Promise<string> {
    await this.exec(`CREATE OR REPLACE TABLE ${DUCKDB.ident(name)} AS ${render(q, DUCKDB)}`);
    return name;
  }

  /**
   * The distinct accepted rows of the last load, each with its multiplicity `_n` and its first
   * line `_line`: a table name or a parenthesised query, to put after FROM. @internal
   */
  allRowsTable(): string {
    if (this.distinctRows) return this.distinctRows;
    if (typeof this.allRows !== "string") throw new CustlabError("E_ENGINE", "duckdb engine: no orders loaded");
    return this.allRows;
  }

  async useTable(name: string): Promise<void> {
    await this.dropLoadTables();
    const t = await this.query(`SELECT table_type AS t FROM information_schema.tables WHERE table_name = ${sqlStr(name)}`);
    if (t.t.length === 0) throw new CustlabError("E_ENGINE", `duckdb: no table "${name}"`);
    this.allRows = name;
    this.weight = undefined;
    this.rows = dedupeQuery(name);
    this.duplicates = undefined;
    const n = await this.query(`SELECT count(*) AS n FROM ${DUCKDB.ident(name)}`);
    this.ordered = Number(n.n[0]) <= (this.options.exactRowsLimit ?? 2_000_000);
    // A base table (row ids; the table itself is never written): exact duplicates found the load's way —
    // a hash of each row's canonical values, and only rows whose hash repeats compared value by value
    // (a window over those few; a hash collision between different rows keeps both) — once, into a
    // table of the later copies' row ids; the stages then read the table without them, not a GROUP BY
    // over every column in each query. The copy kept is the one with the first `_line`, as dedupeQuery's min.
    if (String(t.t[0]) !== "BASE TABLE") return;
    const dup = `custlab_use_dup_${++this.tableSeq}`;
    this.loadTables.push(dup);
    const cols = CANONICAL_ENGINE_COLUMNS.map((c) => DUCKDB.ident(c)).join(", ");
    const d = await this.duplicateCopies(DUCKDB.ident(name), `hash(${cols})`, CANONICAL_ENGINE_COLUMNS, `"_line", rowid`, dup, Number(n.n[0]));
    this.duplicates = d;
    this.rows = {
      select: [...CANONICAL_ENGINE_COLUMNS, "_line"].map((c) => [c, x`${c}`] as [string, ReturnType<typeof x>]),
      from: name,
      where: d > 0 ? [() => `rowid NOT IN (SELECT r FROM ${dup})`] : [],
    };
  }

  /** Copy a custlab Table into a DuckDB table (numbers as DOUBLE, text as VARCHAR). */
  async registerTable(name: string, table: Table): Promise<void> {
    const duck = duckdbModule();
    const names = table.columnNames();
    const isNum = names.map((n) => isNumeric(table.get(n)));
    await this.exec(`CREATE OR REPLACE TABLE ${DUCKDB.ident(name)} (${names.map((n, j) => `${DUCKDB.ident(n)} ${isNum[j] ? "DOUBLE" : "VARCHAR"}`).join(", ")})`);
    const app = await this.con.createAppender(name);
    const cols = names.map((n) => table.get(n));
    const types = isNum.map((b) => (b ? duck.DOUBLE : duck.VARCHAR));
    const N = table.numRows, CH = 2048;
    for (let s = 0; s < N; s += CH) {
      const e = Math.min(N, s + CH);
      const chunk = duck.DuckDBDataChunk.create(types, e - s);
      chunk.setColumns(cols.map((c, j) => {
        const out = new Array(e - s);
        if (isNum[j]) { const a = c as ArrayLike<number>; for (let i = s; i < e; i++) { const v = a[i]; out[i - s] = Number.isNaN(v) ? null : v; } }
        else { const a = c as string[]; for (let i = s; i < e; i++) out[i - s] = a[i]; }
        return out;
      }));
      app.appendDataChunk(chunk);
    }
    app.flushSync();
    app.closeSync();
  }

  async loadFile(file: string, options: EngineLoadOptions = {}): Promise<LoadReport> {
    const t0 = Date.now();
    if (!fs.existsSync(file)) throw new CustlabError("E_FILE", "no such file", { file });
    const format = (options.format ?? (options.mapping ? "generic" : "custlab")) as TransactionFormat;
    const seq = ++this.tableSeq;
    await this.dropLoadTables();
    const all = `orders_all_${seq}`, dedup = `orders_${seq}`;
    let report: LoadReport;
    if (/\.parquet$/i.test(file)) report = await this.loadStaged(file, `read_parquet(${sqlStr(file)})`, null, format, options, all);
    else {
      const delimiter0 = format === "generic" ? options.mapping?.delimiter ?? sniffDelimiter(file) : ",";
      const rd = (options.read ?? {}) as Record<string, unknown>;
      const plainRead = Object.entries(rd).every(([k, v]) => v === undefined || (k === "encoding" && (v === "auto" || v === "utf8")) || (k === "allowQuarantine") || (k === "timeZone" && v === "UTC"));
      const header = !plainRead || format === "cdnow" || format === "groceries" ? [] : await readHeader(file, delimiter0);
      const plan = header.length ? csvPlan(file, format, options.mapping, header) : null;
      if (plan) {
        // Timestamps the reader can type itself (ISO without a zone in the first 1,000 values): parsed
        // while reading, a value that does not parse is a reject (invalid_date, with line and column).
        const ts = plan.columns.find((c) => c.name === "timestamp");
        if (ts?.source) {
          const vals = headValues(file, plan.delimiter, header.indexOf(ts.source), 1000);
          if (vals.length > 0 && vals.every((v) => /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d{1,6})?)?$/.test(v))) ts.typed = true;
        }
        const typed = new Map(plan.columns.filter((c) => c.typed && c.source).map((c) => [c.source!, c.type === "date" ? "TIMESTAMP" : "DOUBLE"]));
        const colSpec = header.map((h) => `${sqlStr(h)}: '${typed.get(h) ?? "VARCHAR"}'`).join(", ");
        const read = `read_csv(${sqlStr(file)}, header = true, auto_detect = false, columns = {${colSpec}}, delim = ${sqlStr(plan.delimiter)}, quote = '"', escape = '"', store_rejects = true, rejects_table = 'rej_${seq}', rejects_scan = 'rejscan_${seq}')`;
        report = await this.loadStaged(file, read, plan, format, options, dedup, header.map((h) => [h, typed.get(h) ?? "VARCHAR"]));
      } else {
        // Formats only custlab's loader reads (cdnow, groceries, positional or zoned mappings):
        // validated by that loader, then bulk-appended.
        const res = await loadTransactions(file, { ...(options.read ?? {}), format, mapping: options.mapping, quarantineFile: options.quarantineFile, now: options.now });
        const t = res.table;
        await this.registerTable(all, new Table(Object.fromEntries(ENGINE_COLUMNS.map(([n]) => [n, t.get(n)])) as Record<string, ColumnData>));
        const d = dedupeQuery(all);
        d.select.push(["_n", () => "count(*)"]);
        await this.exec(`CREATE OR REPLACE TABLE ${dedup} AS ${render(d, DUCKDB)}`);
        await this.exec(`DROP TABLE ${all}`);
        this.loadTables.push(dedup);
        this.allRows = dedup;
        this.weight = "_n";
        this.rows = dedup;
        this.duplicates = undefined;
        report = res.report;
        report.notes.push("validated by custlab's loader, then bulk-loaded into DuckDB");
      }
    }
    this.ordered = report.accepted <= (this.options.exactRowsLimit ?? 2_000_000);
    if (!this.ordered) report.notes.push(`more than ${this.options.exactRowsLimit ?? 2_000_000} rows: computed from the order grain (deterministic; labels and RFM equal to the memory engine within rounding, not bitwise)`);
    report.elapsed_ms = Date.now() - t0;
    options.onProgress?.({ stage: "load", done: 1, total: 1, message: `${report.accepted} rows in duckdb` });
    return report;
  }

  /**
   * Read and validate a source in ONE pass into the load's table `<out>_staging`: the canonical
   * columns the source has (those it lacks are constants, put back by the row query) plus `_q`, a
   * list of reason, column, detail and the row's text (NULL on accepted rows; computed for rejected
   * rows only), and `_h`, a 64-bit hash of the canonical values. Rejected
   * rows are then read back by it (a scan of one mostly-NULL column). Exact duplicates are found
   * without grouping the rows by every column: only rows whose hash occurs twice are compared
   * column by column (equal hashes of different rows stay distinct), and the later copies'
   * row ids go to `<out>_dup`. The rows every stage reads are the staging table's accepted rows
   * minus those (no second copy of the table).
   */
  private async loadStaged(file: string, read: string, plan: { columns: ValidateColumn[]; delimiter: string } | null, format: string, options: EngineLoadOptions, out: string, types?: [string, string][]): Promise<LoadReport> {
    const staging = `${out}_staging`;
    const csv = plan !== null;
    if (!types) {
      const cols = await this.query(`DESCRIBE SELECT * FROM ${read}`);
      types = (cols.column_name as string[]).map((h, i) => [h, String(cols.column_type[i])]);
    }
    const header = types.map(([h]) => h);
    let source: Select;
    if (!plan) {
      // Parquet: canonical column names; everything validated from text.
      const has = new Set(header);
      const pick = (n: string) => (has.has(n) ? n : undefined);
      for (const r of ["order_id", "timestamp", "quantity", "unit_price"]) if (!has.has(r)) throw new CustlabError("E_MISSING_COLUMN", `missing column "${r}" (have: ${header.join(", ")})`, { file, column: r });
      plan = {
        delimiter: ",",
        columns: [
          { name: "customer_id", source: pick("customer_id"), type: "text" }, { name: "order_id", source: "order_id", type: "text", required: true },
          { name: "timestamp", source: "timestamp", type: "date", required: true }, { name: "product_id", source: pick("product_id"), type: "text" },
          { name: "product_name", source: pick("product_name"), type: "text" }, { name: "category", source: pick("category"), type: "text" },
          { name: "quantity", source: "quantity", type: "double", required: true }, { name: "unit_price", source: "unit_price", type: "double", required: true, negativeReason: "negative_price" },
          { name: "country", source: pick("country"), type: "text" }, { name: "channel", source: pick("channel"), type: "text" },
        ],
      };
      source = { select: header.map((h) => [h, x`CAST(${h} AS VARCHAR)`] as [string, ReturnType<typeof x>]), from: { sql: read } };
    } else source = { select: header.map((h) => [h, x`${h}`] as [string, ReturnType<typeof x>]), from: { sql: read } };
    const now = options.now ?? Date.now();
    const delim = sqlStr(plan.delimiter);
    const rawText = (kept: ((d: typeof DUCKDB) => string)[]) => (d: typeof DUCKDB) => `concat_ws(${delim}, ${kept.map((k) => `coalesce(CAST(${k(d)} AS VARCHAR), '')`).join(", ")})`;
    // The quarantine fields in one list column `_q` (NULL on accepted rows; one CASE per row): a
    // NULL list stores its validity and offset only, a NULL struct every child's NULL as well.
    const pack = (fields: [string, (d: typeof DUCKDB) => string][]) => (d: typeof DUCKDB) => `[${fields.map(([, e]) => e(d)).join(", ")}]`;
    const v = validatedRowsQuery(source, plan.columns, now + DAY_MS, csv ? header : [], csv ? rawText : undefined, pack);
    // The canonical columns that vary (the others are constants): what exact duplicates compare.
    const varying = CANONICAL_ENGINE_COLUMNS.filter((n) => plan!.columns.some((c) => c.name === n && c.source));
    v.select.push(["_h", (d) => `hash(${varying.map((n) => v.select.find(([a]) => a === n)![1](d)).join(", ")})`]);
    // The canonical columns the source lacks are constants ('' or a number): not stored (16 bytes a
    // row each in DuckDB's uncompressed in-memory table) but put back by the stages' row query.
    const constants = new Map(v.select.filter(([n]) => CANONICAL_ENGINE_COLUMNS.includes(n) && !varying.includes(n)));
    v.select = v.select.filter(([n]) => !constants.has(n));
    // Records are stored in the reader's order (preserve_insertion_order), so rowid is the record number.
    // (Its result is the number of rows stored: the records DuckDB's reader accepted.)
    const create = this.query(`CREATE OR REPLACE TABLE ${staging} AS ${render(v, DUCKDB)}`);
    // Physical lines: DuckDB counts records; records with a quoted line break shift the lines after
    // them. Counted here while DuckDB reads (the JavaScript thread is idle meanwhile).
    // Blank lines: DuckDB's reader skips them; custlab's quarantines each (empty_line), so they are
    // found in the same pass (custlab's tokenizer only where that pass cannot decide) and counted the same way.
    const phys = csv ? scanLines(file, plan.delimiter) : { lines: 0, blanks: [] };
    const lines = phys.lines;
    const blanks = phys.blanks ?? blankLines(file, plan.delimiter);
    const total = { n: (await create).Count };
    const first = csv ? 2 : 1;
    const bad = await this.query(`SELECT rowid AS ord, _q[1] AS _reason, _q[2] AS _column, _q[3] AS _detail, _q[4] AS raw FROM ${staging} WHERE _q IS NOT NULL ORDER BY ord`);
    // Structural problems DuckDB's reader rejected (line = record number; none for Parquet).
    let rej: ResultColumns = { line: [], column_name: [], error_type: [], csv_line: [], error_message: [] };
    const seq = out.replace(/^orders_/, "");
    // One error per record, as custlab's reader reports it: a record-level problem (field count,
    // quotes, size) before a field's value (a CAST or an encoding error), then the first column.
    const pick = `(CASE WHEN error_type IN ('CAST', 'INVALID ENCODING', 'INVALID UNICODE') THEN 1 ELSE 0 END, column_idx)`;
    if (csv) rej = await this.query(`SELECT line, arg_min(column_name, ${pick}) AS column_name, arg_min(error_type, ${pick}) AS error_type, arg_min(csv_line, ${pick}) AS csv_line, arg_min(error_message, ${pick}) AS error_message FROM rej_${seq} GROUP BY line ORDER BY line`);
    // Line breaks inside text fields, looked up only when some row is quarantined and the file has
    // more lines than header + records: from the stored text columns when every text field is one
    // (trim and the float-suffix rule keep line breaks), else from a second read of the file.
    const textCols = types.filter(([, t]) => t === "VARCHAR").map(([h]) => h);
    const needLines = csv && textCols.length > 0 && (bad.ord.length > 0 || rej.line.length > 0) && lines !== 1 + Number(total.n[0]) + rej.line.length + blanks.length;
    const nlOf = (cols: string[]) => cols.map((h) => `length(coalesce(${DUCKDB.ident(h)}, '')) - length(replace(coalesce(${DUCKDB.ident(h)}, ''), chr(10), ''))`).join(" + ");
    let nl: ResultColumns = { ord: [], nl: [] };
    if (needLines) {
      const stored = plan.columns.filter((c) => c.source && c.type === "text");
      if (textCols.every((h) => stored.some((c) => c.source === h))) {
        nl = await this.query(`SELECT rowid AS ord, ${nlOf(stored.map((c) => c.name))} AS nl FROM ${staging} WHERE ${stored.map((c) => `contains(${DUCKDB.ident(c.name)}, chr(10))`).join(" OR ")} ORDER BY ord`);
      } else {
        const reread = read.replace(/rejects_table = '[^']*', rejects_scan = '[^']*'/, `rejects_table = 'nlrej_${seq}', rejects_scan = 'nlrejscan_${seq}'`);
        // Every typed column is read too, so the reader rejects the same records (rowids align with the load's).
        const typedCols = types.filter(([, t]) => t !== "VARCHAR").map(([h]) => DUCKDB.ident(h));
        await this.exec(`CREATE OR REPLACE TEMP TABLE nl_${seq} AS SELECT ${nlOf(textCols)} AS nl${typedCols.map((h, i) => `, ${h} AS _t${i}`).join("")} FROM ${reread}`);
        nl = await this.query(`SELECT rowid AS ord, nl FROM nl_${seq} WHERE nl > 0 ORDER BY ord`);
        await this.exec(`DROP TABLE nl_${seq}`);
      }
    }
    const nlOrd = (nl.ord as unknown[]).map(Number), nlCnt = (nl.nl as unknown[]).map(Number);
    const nlBefore = (ord: number) => { let sum = 0; for (let i = 0; i < nlOrd.length && nlOrd[i] < ord; i++) sum += nlCnt[i]; return sum; };
    // DuckDB's reject lines count the blank lines it skipped: taken out here (record numbers, 2 = the first
    // record), and every record's line gets the blank lines before it back at the end (blankBefore).
    const blankOuter = blanks.map((b, k) => 2 + b.records + k);
    const rejLines = (rej.line as unknown[]).map((l) => { const L = Number(l); let k = 0; while (k < blankOuter.length && blankOuter[k] < L) k++; return L - k; });
    const blankBefore = (recLine: number) => { let k = 0; while (k < blanks.length && blanks[k].records <= recLine - 2) k++; return k; };
    const recordOf = (ord: number) => { let r = 2 + ord, k = 0; while (k < rejLines.length && rejLines[k] <= r) { k++; r = 2 + ord + k; } return r; };
    const acceptedBefore = (recLine: number) => { let k = 0; while (k < rejLines.length && rejLines[k] < recLine) k++; return recLine - 2 - k; };
    // Line breaks inside the reader's rejected records (their text) shift the lines after them too.
    // (In a CRLF file DuckDB's csv_line starts with the line feed before it, after a blank line with more: not the record's.)
    const rejText = (rej.csv_line as unknown[]).map((t) => String(t ?? "").replace(/^[\r\n]+|[\r\n]+$/g, ""));
    const rejNl = rejText.map((t) => t.split("\n").length - 1);
    const rejNlBefore = (recLine: number) => { let sum = 0; for (let k = 0; k < rejLines.length && rejLines[k] < recLine; k++) sum += rejNl[k]; return sum; };
    const q: QuarantineRow[] = [];
    const reasons: Record<string, number> = {};
    const add = (r: QuarantineRow) => { q.push(r); reasons[r.reason] = (reasons[r.reason] ?? 0) + 1; };
    for (let i = 0; i < rejLines.length; i++) {
      const et = String(rej.error_type[i]);
      const colName = rej.column_name[i] === null ? "" : String(rej.column_name[i]);
      const colPlan = plan.columns.find((c) => c.source === colName);
      const reason: IngestReason = et === "CAST" ? (colPlan?.type === "date" ? "invalid_date" : "invalid_number") : REJECT_REASONS[et] ?? "ragged_row";
      add({ file, line: rejLines[i] + nlBefore(acceptedBefore(rejLines[i])) + rejNlBefore(rejLines[i]) + blankBefore(rejLines[i]), column: et === "CAST" || et === "MISSING COLUMNS" || reason === "invalid_utf8" ? colName : "", reason, detail: String(rej.error_message[i]).slice(0, 200), raw: rejText[i].slice(0, 2000) });
    }
    for (let i = 0; i < bad.ord.length; i++) {
      const ord = Number(bad.ord[i]);
      const rec = csv ? recordOf(ord) : 0;
      add({ file, line: csv ? rec + nlBefore(ord) + rejNlBefore(rec) + blankBefore(rec) : ord + first, column: String(bad._column[i]), reason: String(bad._reason[i]) as IngestReason, detail: String(bad._detail[i] ?? ""), raw: String(bad.raw[i] ?? "").slice(0, 2000) });
    }
    for (const b of blanks) add({ file, line: b.line, column: "", reason: "empty_line", detail: "blank line", raw: "" });
    q.sort((a, b) => a.line - b.line);
    const accepted = Number(total.n[0]) - bad.ord.length;
    await this.dedupe(staging, `${out}_dup`, varying, first, accepted, bad.ord.length, constants);
    if (options.quarantineFile) writeQuarantine(options.quarantineFile, q);
    const st = fs.statSync(file);
    return {
      file, format, rows_in: accepted + q.length, accepted, quarantined: q.length, reasons, quarantine: q.slice(0, 1000),
      quarantine_file: options.quarantineFile, columns: plan.columns.filter((c) => c.source).map((c) => c.source!), encoding: "utf-8", time_zone: "UTC", now,
      bytes: st.size, elapsed_ms: 0,
      notes: [
        `read and validated by DuckDB (${csv ? "CSV rejects with line and column, then the validation stage" : "Parquet, then the validation stage"}); dates without a zone are UTC`,
        ...(format === "online-retail" ? ["CustomerID float strings (\"17850.0\") normalised to \"17850\"; negative UnitPrice rows quarantined as negative_price"] : []),
        ...(blanks.length ? [`${blanks.length} blank line${blanks.length === 1 ? "" : "s"} quarantined as empty_line (as custlab's reader does)`] : []),
      ],
    };
  }

  /**
   * Exact duplicates of the accepted rows of `staging` (every canonical column equal): candidates
   * are rows whose hash `_h` occurs more than once (found in hash partitions of at most ~8M rows,
   * so the hash table stays small at any size), compared exactly by a window over their values;
   * every copy after the first (by row id) goes to `dup` with the row id it repeats. Then the
   * engine's rows are the accepted rows not in `dup`, in source order, `_line` the first copy's line.
   */
  private async dedupe(staging: string, dup: string, varying: string[], first: number, accepted: number, rejected: number, constants: Map<string, Expr>): Promise<void> {
    this.loadTables.push(staging, dup);
    // The quarantined rows leave the table (their fields were read back) and so does `_q`: the
    // table keeps the canonical columns only (DuckDB's in-memory tables are not compressed, so
    // every byte per row counts once the table outgrows memory_limit). Row ids do not move.
    // Coded first, while no row is deleted (the table is rewritten; its row ids must stay the record numbers).
    const coded = await this.dictionaryCode(staging, varying, accepted + rejected);
    if (rejected > 0) await this.exec(`DELETE FROM ${staging} WHERE _q IS NOT NULL`);
    await this.exec(`ALTER TABLE ${staging} DROP COLUMN _q`);
    const n = await this.duplicateCopies(staging, "_h", varying, "rowid", dup, accepted);
    if (n > 0) await this.exec(`DELETE FROM ${staging} WHERE rowid IN (SELECT r FROM ${dup})`);
    await this.exec(`ALTER TABLE ${staging} DROP COLUMN _h`);
    const rows: Select = { select: ENGINE_COLUMNS.map(([c]) => [c, c === "_line" ? () => `rowid + ${first}` : constants.get(c) ?? (coded.has(c) ? x`CAST(${c} AS VARCHAR)` : x`${c}`)] as [string, Expr]), from: staging };
    this.rows = rows;
    this.serialSumsInLineOrder = true;
    this.duplicates = n;
    // The accepted rows as the distinct rows with their multiplicity `_n` (quality counts weigh by it).
    this.distinctRows = n === 0
      ? `(SELECT u.*, CAST(1 AS DOUBLE) AS _n FROM (${render(rows, DUCKDB)}) AS u)`
      : `(SELECT u.*, CAST(1 + coalesce(m.n, 0) AS DOUBLE) AS _n FROM (${render(rows, DUCKDB)}) AS u LEFT JOIN (SELECT keep + ${first} AS l, count(*) AS n FROM ${dup} GROUP BY keep) AS m ON u._line = m.l)`;
    this.allRows = { sql: this.distinctRows };
    this.weight = "_n";
  }

  /**
   * Exact duplicates of `src`'s rows over `cols`, found without grouping every row by every column:
   * the hashes (`hash`, a 64-bit row hash expression; `hashModulo` narrows it in tests) that occur
   * more than once, found in parts of ≤ 8M rows, and then only the rows with such a hash compared
   * value by value (a window over those few; a hash collision between different rows keeps both).
   * Writes `dup` — `r`, the row id of every copy after the first in `order`, and `keep`, the first
   * copy's row id — and returns how many there are. Used by the load and by `useTable`.
   */
  private async duplicateCopies(src: string, hash: string, cols: string[], order: string, dup: string, rows: number): Promise<number> {
    const cand = `${dup}_cand`;
    const h = this.options.hashModulo ? `(${hash} % ${Math.floor(this.options.hashModulo)})` : hash;
    await this.exec(`CREATE OR REPLACE TEMP TABLE ${cand} (h UBIGINT)`);
    const parts = Math.max(1, Math.ceil(rows / 8_000_000));
    for (let p = 0; p < parts; p++) {
      await this.exec(`INSERT INTO ${cand} SELECT ${h} FROM ${src}${parts > 1 ? ` WHERE ${h} % ${parts} = ${p}` : ""} GROUP BY 1 HAVING count(*) > 1`);
    }
    const w = `PARTITION BY ${cols.map((n) => DUCKDB.ident(n)).join(", ")} ORDER BY ${order}`;
    await this.exec(`CREATE OR REPLACE TABLE ${dup} AS SELECT r, keep FROM (SELECT rowid AS r, first_value(rowid) OVER (${w}) AS keep, row_number() OVER (${w}) AS k FROM ${src} WHERE ${h} IN (SELECT h FROM ${cand})) WHERE k > 1`);
    await this.exec(`DROP TABLE ${cand}`);
    return Number((await this.query(`SELECT count(*) AS n FROM ${dup}`)).n[0]);
  }

  /**
   * With `codeText` (`true`; `"auto"`: when the load table takes more than half of `memory_limit`), dictionary codes
   * for the text columns of `staging` with few distinct values (at most
   * {@link DICTIONARY_MAX} and one per 8 rows by DuckDB's approximate count: product ids and names,
   * countries, customers; order ids up to ~40× Online Retail): each becomes an ENUM of its sorted
   * distinct values, 1–4 bytes a row instead of 16 plus the text in DuckDB's uncompressed in-memory table (so the table fits `memory_limit` longer,
   * and scans past it read fewer spilled blocks). The stages read them back as VARCHAR (a lookup per
   * value), so every comparison, grouping and order is the text's. The dictionaries hold the values
   * of every row the table stores, quarantined rows included. Returns the columns coded.
   */
  private async dictionaryCode(staging: string, varying: string[], rows: number): Promise<Set<string>> {
    const text = varying.filter((n) => ENGINE_COLUMNS.some(([c, k]) => c === n && k === "text"));
    const coded = new Set<string>();
    if (!text.length || rows < 1 || !this.options.codeText) return coded;
    if (this.options.codeText === "auto") {
      const m = await this.query("SELECT sum(memory_usage_bytes + temporary_storage_bytes) FILTER (WHERE tag = 'IN_MEMORY_TABLE') AS t, current_setting('memory_limit') AS lim FROM duckdb_memory()");
      if (Number(m.t[0]) * 2 <= settingBytes(String(m.lim[0]))) return coded;
    }
    const approx = await this.query(`SELECT ${text.map((n, i) => `approx_count_distinct(${DUCKDB.ident(n)}) AS d${i}`).join(", ")} FROM ${staging}`);
    const types = new Map<string, string>();
    for (let i = 0; i < text.length; i++) {
      const d = Number(approx[`d${i}`][0]);
      if (d > DICTIONARY_MAX || d * 8 > rows) continue;
      const n = text[i], type = `${staging}_${n}_codes`;
      await this.exec(`DROP TYPE IF EXISTS ${DUCKDB.ident(type)}`);
      await this.exec(`CREATE TYPE ${DUCKDB.ident(type)} AS ENUM (SELECT DISTINCT ${DUCKDB.ident(n)} FROM ${staging} WHERE ${DUCKDB.ident(n)} IS NOT NULL ORDER BY 1)`);
      this.loadTypes.push(type);
      types.set(n, type);
      coded.add(n);
    }
    if (!types.size) return coded;
    // One rewrite of the table for every coded column (an ALTER TYPE per column rewrites it each
    // time). Nothing is deleted yet and insertion order is kept, so the row ids stay the record numbers.
    const cols = await this.query(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = ${sqlStr(staging)} ORDER BY ordinal_position`);
    // `_q` (the rejected rows' fields, already read back) shrinks to a flag: what the deletes use.
    const list = (cols.c as string[]).map((c) => (types.has(c) ? `CAST(${DUCKDB.ident(c)} AS ${DUCKDB.ident(types.get(c)!)}) AS ${DUCKDB.ident(c)}` : c === "_q" ? "(CASE WHEN _q IS NOT NULL THEN true END) AS _q" : DUCKDB.ident(c))).join(", ");
    await this.exec(`CREATE TABLE ${staging}_coded AS SELECT ${list} FROM ${staging}`);
    await this.exec(`DROP TABLE ${staging}`);
    await this.exec(`ALTER TABLE ${staging}_coded RENAME TO ${staging}`);
    return coded;
  }

  /** Write a query's result (or a table) to Parquet or CSV through DuckDB's COPY. */
  async copyTo(sqlOrTable: string, file: string, options: { quote?: string[] } = {}): Promise<void> {
    // `quote`: CSV columns always quoted (a reader that trims unquoted fields keeps their spaces).
    const fmt = /\.parquet$/i.test(file) ? "FORMAT PARQUET" : `FORMAT CSV, HEADER${options.quote?.length ? `, FORCE_QUOTE (${options.quote.map((c) => DUCKDB.ident(c)).join(", ")})` : ""}`;
    const src = /^\s*select\b/i.test(sqlOrTable) ? `(${sqlOrTable})` : DUCKDB.ident(sqlOrTable);
    await this.exec(`COPY ${src} TO ${sqlStr(file)} (${fmt})`);
  }

  /**
   * This engine on a new connection to the same database: its own query queue over the loaded
   * tables, so that its queries run on DuckDB's threads beside this connection's (the report starts
   * later sections' queries on forks while JavaScript fits models). Its state is this engine's;
   * release it with {@link DuckDBEngine.closeFork}, never `close` (that closes the database). @internal
   */
  async fork(): Promise<DuckDBEngine> {
    const f = Object.create(this) as DuckDBEngine;
    f.con = await this.instance.connect();
    return f;
  }

  /** Close a {@link DuckDBEngine.fork}'s connection (the database stays open). @internal */
  closeFork(): void {
    if (Object.getPrototypeOf(this) instanceof DuckDBEngine) try { this.con?.closeSync?.(); } catch { /* closed */ }
  }

  async close(): Promise<void> {
    try { this.con?.closeSync?.(); } catch { /* closed */ }
    try { this.instance?.closeSync?.(); } catch { /* closed */ }
    this.con = this.instance = undefined;
    if (this.ownTemp && this.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}

/**
 * A result's columns as JS values, read column by column from each chunk's vectors: numbers
 * (integers of any width, DOUBLE, FLOAT and DECIMAL — the latter scaled as DuckDB's own
 * decimal-to-double cast, checked in test/engine-read.test.ts) come out as JS numbers, VARCHAR as
 * strings, NULL as null, and every other type through the package's JS converter. Per value this
 * is one vector read, not a boxed value and a converter dispatch (a 67k × 31 customer table:
 * 0.29–0.85 s against 0.85–1.45 s through the converter, three rounds under load 6). @internal
 */
export async function readResultColumns(result: any): Promise<ResultColumns> {
  const T = duckdbModule().DuckDBTypeId;
  const names: string[] = result.deduplicatedColumnNames();
  const n = names.length;
  const ids: number[] = Array.from({ length: n }, (_, j) => result.columnTypeId(j));
  const chunks: any[] = await result.fetchAllChunks();
  let total = 0;
  for (const chunk of chunks) total += chunk.rowCount;
  const converter = duckdbModule().JSDuckDBValueConverter;
  const out: ResultColumns = {};
  for (let j = 0; j < n; j++) {
    const col: unknown[] = new Array(total), id = ids[j];
    let at = 0;
    for (const chunk of chunks) {
      const rows: number = chunk.rowCount, vec = chunk.getColumnVector(j);
      if (id === T.DOUBLE || id === T.FLOAT || id === T.INTEGER || id === T.SMALLINT || id === T.TINYINT || id === T.UINTEGER || id === T.USMALLINT || id === T.UTINYINT || id === T.VARCHAR || id === T.BOOLEAN) {
        for (let i = 0; i < rows; i++) col[at++] = vec.getItem(i);
      } else if (id === T.BIGINT || id === T.HUGEINT || id === T.UBIGINT || id === T.UHUGEINT) {
        for (let i = 0; i < rows; i++) { const v = vec.getItem(i); col[at++] = v === null ? null : Number(v); }
      } else if (id === T.DECIMAL) {
        const scale = 10 ** vec.type.scale;
        for (let i = 0; i < rows; i++) {
          const v = vec.getScaledValue(i);
          // exact integers below 2^53, one division (DuckDB's cast); beyond, DuckDB's own conversion
          col[at++] = v === null ? null : v > -9007199254740992n && v < 9007199254740992n ? Number(v) / scale : vec.getItem(i).toDouble();
        }
      } else {
        for (let i = 0; i < rows; i++) { const v = vec.getItem(i); col[at++] = v === null ? null : converter(v, vec.type, converter); }
      }
    }
    out[names[j]] = col;
  }
  return out;
}

/** A DuckDB result as a custlab Table: numeric columns → Float64Array (NULL → NaN), text → strings (NULL → ""), timestamps → epoch ms. @internal */
export function resultToTable(r: any): Table {
  const names: string[] = r.columnNames();
  const types = r.columnTypes() as { typeId: number; toString(): string }[];
  const cols = r.getColumnsJS() as unknown[][];
  const out: Record<string, ColumnData> = {};
  const kinds: Record<string, "date" | "integer" | "number"> = {};
  names.forEach((n, j) => {
    const t = String(types[j]);
    const v = cols[j];
    if (/^(DOUBLE|FLOAT|DECIMAL|INTEGER|BIGINT|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|BOOLEAN)/.test(t)) {
      out[n] = Float64Array.from(v, (a) => (a === null || a === undefined ? NaN : Number(a as number)));
      if (/INT|BOOLEAN/.test(t)) kinds[n] = "integer";
    } else if (/^(TIMESTAMP|DATE)/.test(t)) {
      out[n] = Float64Array.from(v, (a) => (a instanceof Date ? a.getTime() : a === null ? NaN : Number(a)));
      kinds[n] = "date";
    } else out[n] = v.map((a) => (a === null || a === undefined ? "" : String(a)));
  });
  return new Table(out, kinds);
}
