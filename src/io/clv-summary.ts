/**
 * Reading published customer summaries (the `cdnow-summary` format): CSV with
 * a header `ID,frequency,recency,T[,monetary_value]` or `ID,x,t_x,T[,zbar]`
 * (Fader & Hardie's CDNOW files as shipped with lifetimes).
 */
import * as fs from "fs";
import { CustlabError } from "../util/errors";
import { loadTable, readHeader, sniffDelimiter } from "./adapters";
import { normalizeReadingOptions } from "./reading";
import type { ReadingOptions } from "./reading";
import type { LoadReport } from "./reader";

/** Time unit for frequency/recency/T: "day", "week" (7 days) or "month" (365.25/12 days). */
export type CLVTimeUnit = "day" | "week" | "month";

/**
 * A customer history summary, one entry per customer, numbers in typed arrays.
 * This is what the transaction models ({@link BetaGeoModel},
 * {@link ParetoNBDModel}) and the spend model ({@link GammaGammaModel}) fit.
 */
export interface CLVSummary {
  /** Customer ids (sorted, string order, when built from transactions). */
  customerId: string[];
  /** Repeat purchases: number of purchase periods after the first. */
  frequency: Float64Array;
  /** Time from the first to the last purchase, in `unit`s (0 when frequency is 0). */
  recency: Float64Array;
  /** Age: time from the first purchase to the observation end, in `unit`s. */
  T: Float64Array;
  /** Mean value of the repeat purchases (the first purchase excluded); 0 when frequency is 0. */
  monetary: Float64Array;
  /** Total spend in the window, first purchase included (the "historic CLV"); NaN when unknown. */
  totalSpend: Float64Array;
  /** Time of the first purchase, epoch ms UTC (NaN when unknown, e.g. read from a summary file). */
  firstPurchase: Float64Array;
  /** Time unit of recency and T. */
  unit: CLVTimeUnit;
  /** Observation (or calibration) end, epoch ms UTC; NaN when unknown. */
  observationEnd: number;
  /** Holdout purchases (purchase periods after the calibration end), when built by {@link calibrationAndHoldout}. */
  frequencyHoldout?: Float64Array;
  /** Mean holdout purchase value (0 when none). */
  monetaryHoldout?: Float64Array;
  /** Holdout length in `unit`s. */
  durationHoldout?: number;
  /** End of the holdout period, epoch ms UTC. */
  holdoutEnd?: number;
}

const ALIASES: Record<string, string[]> = {
  id: ["id", "customer_id", "cust", "customerid"],
  frequency: ["frequency", "x"],
  recency: ["recency", "t_x"],
  T: ["t", "T"],
  monetary: ["monetary_value", "monetary", "zbar", "m"],
};

/**
 * Read a customer summary CSV. Columns are found by name (case-insensitive):
 * id (`ID`/`customer_id`), frequency (`frequency`/`x`), recency
 * (`recency`/`t_x`), age (`T`), optional mean repeat spend
 * (`monetary_value`/`zbar`). Every number is checked; a bad cell is a
 * CustlabError naming file, line and column.
 *
 * @param file - path to the CSV
 * @param unit - time unit of the file (default "week", as in the CDNOW files)
 * @returns a {@link CLVSummary} (totalSpend and firstPurchase are NaN)
 * @example
 * const s = readCLVSummaryCSV("../shared/datasets/cdnow/cdnow_customers_summary.csv");
 * s.customerId.length; // 2357
 */
export function readCLVSummaryCSV(file: string, unit: CLVTimeUnit = "week"): CLVSummary {
  const text = fs.readFileSync(file, "utf8");
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "").replace(/^\uFEFF/, "").split(",").map((h) => h.trim().replace(/^"|"$/g, ""));
  const find = (key: string): number => {
    const names = ALIASES[key];
    return header.findIndex((h) => names.includes(key === "T" ? h : h.toLowerCase()) || (key === "T" && h === "T"));
  };
  const iId = find("id"), iF = find("frequency"), iR = find("recency"), iT = find("T"), iM = find("monetary");
  for (const [name, i] of [["frequency (or x)", iF], ["recency (or t_x)", iR], ["T", iT]] as const) {
    if (i < 0) throw new CustlabError("E_MISSING_COLUMN", `summary CSV needs a ${name} column (header: ${header.join(",")})`, { file, line: 1, column: name });
  }
  const ids: string[] = [], f: number[] = [], r: number[] = [], T: number[] = [], m: number[] = [];
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li];
    if (!line.trim()) continue;
    const cells = line.split(",");
    const num = (i: number, col: string): number => {
      const v = Number(cells[i]);
      if (cells[i] === undefined || cells[i].trim() === "" || !Number.isFinite(v)) throw new CustlabError("E_PARSE", `not a number: "${cells[i] ?? ""}"`, { file, line: li + 1, column: col });
      return v;
    };
    ids.push(iId >= 0 ? cells[iId].trim() : String(li));
    f.push(num(iF, header[iF])); r.push(num(iR, header[iR])); T.push(num(iT, header[iT]));
    m.push(iM >= 0 ? num(iM, header[iM]) : NaN);
  }
  if (!ids.length) throw new CustlabError("E_EMPTY", "summary CSV has no rows", { file });
  const n = ids.length;
  return {
    customerId: ids, frequency: Float64Array.from(f), recency: Float64Array.from(r), T: Float64Array.from(T),
    monetary: Float64Array.from(m), totalSpend: new Float64Array(n).fill(NaN), firstPurchase: new Float64Array(n).fill(NaN),
    unit, observationEnd: NaN,
  };
}

/**
 * Load a customer summary CSV through the io layer's typed {@link loadTable}
 * (streaming reader, column typing, quarantine): the same columns as
 * {@link readCLVSummaryCSV}. A summary with bad rows is an error — the first
 * quarantined row is reported with its file, line and column — because a
 * silently shortened summary would bias every parameter.
 *
 * @param file - path to the CSV
 * @param unit - time unit of the file (default "week")
 * @returns a {@link CLVSummary}
 * @example
 * const s = await loadCLVSummary("../shared/datasets/cdnow/cdnow_customers_summary_with_transactions.csv");
 * s.monetary[0]; // 22.35
 */
export async function loadCLVSummary(file: string, unit: CLVTimeUnit = "week", options: ReadingOptions = {}): Promise<CLVSummary> {
  return (await readCLVSummary(file, unit, options)).summary;
}

/**
 * {@link loadCLVSummary} with the load report (rows_in, accepted, quarantined,
 * reasons, encoding) and the shared reading options (delimiter, encoding,
 * header, map: e.g. `{ frequency: "#2", recency: "#3", T: "#4" }`).
 *
 * @example
 * const { summary, report } = await readCLVSummary("../shared/datasets/cdnow/cdnow_customers_summary.csv", "week", { encoding: "auto" });
 * report.rows_in === summary.customerId.length + report.quarantined;   // true
 */
export async function readCLVSummary(file: string, unit: CLVTimeUnit = "week", options: ReadingOptions = {}): Promise<{ summary: CLVSummary; report: LoadReport }> {
  const o = normalizeReadingOptions(options);
  // Force the numeric columns to numbers so a bad cell is quarantined with its line and column.
  const delimiter = o.delimiter ?? sniffDelimiter(file);
  const header = (await readHeader(file, delimiter, o.header ?? true, o.encoding)).map((h, i) => {
    for (const [to, from] of Object.entries(o.map ?? {})) if (from === i || (typeof from === "string" && from.toLowerCase() === h.toLowerCase())) return to;
    return h;
  });
  const types: Record<string, "number"> = {};
  for (const key of ["frequency", "recency", "T", "monetary"]) {
    const h = header.find((c) => (key === "T" ? c === "T" || c === "t" : ALIASES[key].includes(c.toLowerCase())));
    if (h) types[h] = "number";
  }
  const { table, report } = await loadTable(file, { ...o, delimiter, types });
  const bad = report.quarantine.find((q) => q.reason !== "empty_line");
  if (bad) throw new CustlabError("E_PARSE", `summary row rejected (${bad.reason}${bad.detail ? `: ${bad.detail}` : ""}); ${report.quarantined} row(s) quarantined`, { file, line: bad.line, column: bad.column });
  const names = table.columnNames();
  const find = (key: string) => names.find((h) => (key === "T" ? h === "T" || h === "t" : ALIASES[key].includes(h.toLowerCase())));
  const col = (key: string, label: string, required: boolean): Float64Array | null => {
    const name = find(key);
    if (!name) {
      if (required) throw new CustlabError("E_MISSING_COLUMN", `summary CSV needs a ${label} column (header: ${report.columns.join(",")})`, { file, line: 1, column: label });
      return null;
    }
    if (table.kind(name) !== "number" && table.kind(name) !== "integer") throw new CustlabError("E_COLUMN_TYPE", `column ${name} must be numeric`, { file, column: name });
    return Float64Array.from(table.num(name));
  };
  const f = col("frequency", "frequency (or x)", true)!, r = col("recency", "recency (or t_x)", true)!, T = col("T", "T", true)!;
  const m = col("monetary", "monetary_value (or zbar)", false);
  const n = table.numRows;
  if (!n) throw new CustlabError("E_EMPTY", "summary CSV has no rows", { file });
  const idName = find("id");
  const ids = idName ? (table.kind(idName) === "string" ? [...table.str(idName)] : Array.from(table.num(idName), (v) => String(v))) : Array.from({ length: n }, (_, i) => String(i + 1));
  const summary: CLVSummary = {
    customerId: ids, frequency: f, recency: r, T, monetary: m ?? new Float64Array(n).fill(NaN),
    totalSpend: new Float64Array(n).fill(NaN), firstPurchase: new Float64Array(n).fill(NaN), unit, observationEnd: NaN,
  };
  return { summary, report };
}
