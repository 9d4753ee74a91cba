import * as fs from "fs";
import { checkOutputs } from "../../util/output";
import { parseArgs, printJSON, strOpt } from "../args";
import { CustlabError } from "../../util/errors";
import { loadTransactions, loadReviews, loadTable, TRANSACTION_FORMATS, REVIEW_FORMATS } from "../../io/adapters";
import type { ColumnMapping, TransactionFormat, ReviewFormat } from "../../io/adapters";
import type { LoadResult } from "../../io/reader";
import { cleanTransactions } from "../../clean/transactions";
import type { CleanReport } from "../../clean/transactions";
import { qualityReport } from "../../quality/report";
import { backendInfo } from "../../backend";
import { parseDateOption } from "../../io/parse";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { ENGINE_OPTION_SPEC, ENGINE_OPTION_USAGE, openEngineOrders } from "../engine-options";

export const usage = `custlab quality <file> --format <adapter> [--quarantine <out.csv>] [--mapping <json|file>] [--json]

Load a file through an adapter, clean it and print a data-quality summary:
rows_in, accepted, quarantined (rows_in = accepted + quarantined), reasons,
customers, orders, cancellations, date range, cleaning counts and quality
scores. Exit 0 when the file could be read; 1 with one line otherwise.

Formats: ${TRANSACTION_FORMATS.join(", ")} (transactions); ${REVIEW_FORMATS.filter((f) => f !== "custlab" && f !== "generic").join(", ")},
custlab-reviews (reviews); table (any CSV/TSV, typed automatically).

Options:
  --format <name>       adapter (default custlab)
  --quarantine <file>   write every quarantined row (file,line,column,reason,detail,raw)
  --mapping <json>      column mapping for --format generic (JSON text or a .json file),
                        e.g. '{"columns":{"customer_id":"Cust","timestamp":"Date","unit_price":"Price"}}'
  --time-zone <zone>    zone of times without one (default UTC; e.g. Europe/London)
  --now <iso date>      reference time for future-date checks (default: now)
  --init-backend        start the tfjs training backend and report its name
                        (default: not started; quality needs no tfjs, so "backend"
                        reads "not initialised")
${ENGINE_OPTION_USAGE}
                        (transactions only; a SQL engine reports the counts, cleaning
                        flags and date range, computed where the data lives)
  --json                one JSON object on stdout
${READING_USAGE}`;

const iso = (v: number) => (Number.isFinite(v) ? new Date(v).toISOString() : null);

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", quarantine: "string", mapping: "string", json: "boolean", "time-zone": "string",
    now: "string", "init-backend": "boolean", ...READING_SPEC, ...ENGINE_OPTION_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  const engineName = strOpt(options, "engine");
  if ((engineName && engineName !== "memory") || options.table) return runOnEngine(file, options);
  if (!file) throw new CustlabError("E_USAGE", "custlab quality: give a file (custlab quality <file> --format <adapter>)");
  const m = strOpt(options, "mapping");
  checkOutputs({ inputs: [file, m && fs.existsSync(m) ? m : undefined], files: { "--quarantine": strOpt(options, "quarantine") } });
  const format = strOpt(options, "format", reading.map ? "transactions" : "custlab")!;
  let mapping: ColumnMapping | undefined;
  if (m) {
    const text = fs.existsSync(m) ? fs.readFileSync(m, "utf8") : m;
    try { mapping = JSON.parse(text) as ColumnMapping; } catch (e) { throw new CustlabError("E_USAGE", `--mapping: not valid JSON (${(e as Error).message})`); }
  }
  let now: number | undefined;
  const nowOpt = strOpt(options, "now");
  if (nowOpt) { now = parseDateOption(nowOpt, "now"); }
  const common = { ...reading, quarantineFile: strOpt(options, "quarantine"), timeZone: strOpt(options, "time-zone"), now, mapping };

  const t0 = Date.now();
  let res: LoadResult;
  let kind: "transactions" | "reviews" | "table";
  if ((TRANSACTION_FORMATS as readonly string[]).includes(format)) {
    kind = "transactions";
    res = await loadTransactions(file, { ...common, format: format as TransactionFormat });
  } else if (format === "custlab-reviews" || (REVIEW_FORMATS as readonly string[]).includes(format)) {
    kind = "reviews";
    res = await loadReviews(file, { ...common, format: (format === "custlab-reviews" ? "custlab" : format) as ReviewFormat });
  } else if (format === "table") {
    kind = "table";
    res = await loadTable(file, common);
  } else {
    throw new CustlabError("E_USAGE", `--format: unknown format "${format}" (known: ${[...TRANSACTION_FORMATS, ...REVIEW_FORMATS.filter((f) => f !== "custlab" && f !== "generic"), "custlab-reviews", "table"].join(", ")}; reviews through a mapping: loadReviews in code)`);
  }
  const { table, report } = res;
  const input = reportInput(report, reading);
  let clean: CleanReport | undefined;
  if (kind === "transactions" && format !== "groceries") clean = cleanTransactions(table).report;
  const q = qualityReport(table, { load: report, clean });
  let backend = backendInfo()?.name ?? "not initialised";
  if (options["init-backend"]) {
    const { initBackend } = await import("../../backend");
    backend = (await initBackend()).name;
  }
  const distinct = (c: string) => (table.has(c) ? new Set(table.str(c).filter((v) => v !== "")).size : 0);
  const out = {
    file, format, kind, input,
    rows_in: report.rows_in, accepted: report.accepted, quarantined: report.quarantined,
    quarantined_pct: report.rows_in ? +((100 * report.quarantined) / report.rows_in).toFixed(4) : 0,
    reasons: report.reasons,
    rows: table.numRows,
    customers: clean ? clean.customers : distinct("customer_id"),
    orders: clean ? clean.orders : distinct("order_id"),
    cancellations: clean ? clean.flags.cancellation.count : 0,
    date_min: iso(q.timeliness.date_min), date_max: iso(q.timeliness.date_max),
    engine: "memory", backend,
    cleaning: clean ? Object.fromEntries(Object.entries(clean.flags).map(([k, v]) => [k, v.count])) : undefined,
    cancellation_matching: clean?.cancellations,
    outliers: clean ? { method: clean.outliers.method, k: clean.outliers.k, amount_lower: clean.outliers.amount_lower, amount_upper: clean.outliers.amount_upper } : undefined,
    purchase_rows: clean?.purchase_rows,
    quality: q.table,
    consistency: q.consistency.map((c) => ({ name: c.name, failing: c.failing, checked: c.checked })),
    time_zone: report.time_zone, encoding: report.encoding,
    physical_lines: report.physical_lines ?? null,
    multiline_records: report.multiline_records ?? null,
    quarantine_file: report.quarantine_file ?? null,
    quarantine_examples: report.quarantine.slice(0, 5).map((r) => ({ line: r.line, column: r.column, reason: r.reason, detail: r.detail })),
    notes: report.notes,
    elapsed_ms: Date.now() - t0,
  };
  if (options.json) { printJSON(out); return 0; }
  const lines = [
    `${file} (${format}): ${out.rows_in} rows in, ${out.accepted} accepted, ${out.quarantined} quarantined (${out.quarantined_pct}%)`,
    `reasons: ${Object.entries(out.reasons).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}`,
    `customers ${out.customers}, orders ${out.orders}, cancellations ${out.cancellations}, dates ${out.date_min ?? "–"} .. ${out.date_max ?? "–"}`,
    out.cleaning ? `cleaning: ${Object.entries(out.cleaning).map(([k, v]) => `${k} ${v}`).join(", ")}` : "",
    `quality: completeness ${(100 * q.table.completeness).toFixed(2)}%, validity ${(100 * q.table.validity).toFixed(2)}%, consistency ${(100 * q.table.consistency).toFixed(0)}%`,
    `backend: ${backend}`,
    report.multiline_records?.count ? `records over several lines: ${report.multiline_records.count} (lines ${report.multiline_records.spans.slice(0, 10).map(([a, b]) => `${a}-${b}`).join(", ")}${report.multiline_records.count > 10 ? ", …" : ""})` : "",
    report.physical_lines ? `physical lines: ${report.physical_lines.total} = ${report.physical_lines.header} header + ${report.physical_lines.record_lines} in records + ${report.physical_lines.blank_lines} blank` : "",
    report.quarantine_file ? `quarantined rows written to ${report.quarantine_file}` : "",
  ].filter(Boolean);
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}

/** quality on a SQL engine (duckdb, clickhouse): load/validate there, aggregate there. */
async function runOnEngine(file: string | undefined, options: Record<string, string | boolean | string[]>): Promise<number> {
  const t0 = Date.now();
  let now: number | undefined;
  const nowOpt = strOpt(options, "now");
  if (nowOpt) { now = parseDateOption(nowOpt, "now"); }
  const m = strOpt(options, "mapping");
  let mapping: ColumnMapping | undefined;
  if (m) { try { mapping = JSON.parse(fs.existsSync(m) ? fs.readFileSync(m, "utf8") : m) as ColumnMapping; } catch (e) { throw new CustlabError("E_USAGE", `--mapping: not valid JSON (${(e as Error).message})`); } }
  const reading = readingOptions(options);
  const { engine, report, source } = await openEngineOrders(options, file, { format: strOpt(options, "format", reading.map ? "transactions" : "custlab"), mapping, quarantineFile: strOpt(options, "quarantine"), now, read: reading });
  try {
    const q = await engine.quality();
    const out = {
      file: source, format: strOpt(options, "format", "custlab"), kind: "transactions", engine: engine.describe(),
      input: report ? reportInput(report, reading) : null,
      rows_in: report?.rows_in ?? q.rows, accepted: report?.accepted ?? q.rows, quarantined: report?.quarantined ?? 0,
      quarantined_pct: report && report.rows_in ? +((100 * report.quarantined) / report.rows_in).toFixed(4) : 0,
      reasons: report?.reasons ?? {}, rows: q.rows, customers: q.customers, orders: q.orders, cancellations: q.cancellation,
      date_min: iso(q.date_min), date_max: iso(q.date_max),
      cleaning: { duplicate_row: q.duplicate_row, cancellation: q.cancellation, missing_customer_id: q.missing_customer_id, zero_price: q.zero_price, non_positive_quantity: q.non_positive_quantity },
      purchase_rows: q.purchase_rows,
      quarantine_file: report?.quarantine_file ?? null,
      quarantine_examples: (report?.quarantine ?? []).slice(0, 5).map((r) => ({ line: r.line, column: r.column, reason: r.reason, detail: r.detail })),
      notes: [...(report?.notes ?? []), "completeness/validity scores, outliers and cancellation matching are computed by the memory engine only"],
      elapsed_ms: Date.now() - t0,
    };
    if (options.json) { printJSON(out); return 0; }
    process.stdout.write([
      `${out.file} (${out.format}, engine ${out.engine}): ${out.rows_in} rows in, ${out.accepted} accepted, ${out.quarantined} quarantined (${out.quarantined_pct}%)`,
      `reasons: ${Object.entries(out.reasons).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}`,
      `customers ${out.customers}, orders ${out.orders}, cancellations ${out.cancellations}, dates ${out.date_min ?? "–"} .. ${out.date_max ?? "–"}`,
      `cleaning: ${Object.entries(out.cleaning).map(([k, v]) => `${k} ${v}`).join(", ")}`,
    ].join("\n") + "\n");
    return 0;
  } finally {
    await engine.close();
  }
}
