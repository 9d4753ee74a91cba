import { Table, escapeHTML, isNumeric } from "../table";
import type { ColumnKind } from "../table";
import type { Figure } from "../plot";
import { figureToHTML, categoryLabels } from "../plot";
import type { LoadReport } from "../io/reader";
import { INGEST_REASONS } from "../io/reasons";
import type { CleanReport } from "../clean/transactions";
import { DAY_MS } from "../util/numeric";


/** Quality of one column. */
export interface ColumnQuality {
  /** Column name. */
  name: string;
  /** Logical kind. */
  kind: ColumnKind;
  /** Missing cells ("" for text, NaN for numbers and dates). */
  missing: number;
  /** 1 − missing / rows. */
  completeness: number;
  /** Present cells breaking the column's validity rule. */
  invalid: number;
  /** Share of present cells that are valid (1 when there are none). */
  validity: number;
  /** The validity rule applied, in words. */
  rule: string;
  /** Distinct present values. */
  distinct: number;
  /** Smallest / largest present value (numbers and dates; dates as epoch ms). */
  min: number;
  max: number;
}

/** One consistency check. */
export interface ConsistencyCheck {
  /** Short name, e.g. "one customer per order". */
  name: string;
  /** What is checked. */
  description: string;
  /** Entities (orders, products, rows) breaking it. */
  failing: number;
  /** Entities checked. */
  checked: number;
  /** Whether nothing failed. */
  passed: boolean;
  /** A few failing keys. */
  examples: string[];
}

/** Timeliness of the date column. */
export interface Timeliness {
  /** Date column used ("" when the table has none). */
  column: string;
  /** Earliest / latest date (epoch ms, NaN when none). */
  date_min: number;
  date_max: number;
  /** Days from the latest date to `now` (the data's age). */
  age_days: number;
  /** Reference time (epoch ms). */
  now: number;
  /** Rows per calendar month (UTC), in order, including empty months inside the range. */
  rows_per_month: { month: string; rows: number }[];
  /** Months inside the range with no rows. */
  empty_months: string[];
  /** Rows dated after `now`. */
  future_rows: number;
}

/** The data-quality report: completeness, validity, consistency, timeliness, per column and per table. */
export interface QualityReport {
  /** Source file / format when known. */
  file: string;
  format: string;
  /** Rows read (accepted + quarantined) and what happened to them. */
  rows_in: number;
  accepted: number;
  quarantined: number;
  /** Quarantine reasons → count. */
  reasons: Record<string, number>;
  /** Per-table scores in [0, 1]. */
  table: {
    /** Share of present cells over the checked columns (columns empty in every row — absent from the source — are left out). */
    completeness: number;
    /** Share of input rows accepted × share of present cells that are valid. */
    validity: number;
    /** Share of consistency checks passed. */
    consistency: number;
    /** 1 when the latest date is within `freshDays` of now, decaying linearly to 0 at 10 × freshDays. */
    timeliness: number;
  };
  /** Per-column details (the `_line` and cleaning columns are skipped). */
  columns: ColumnQuality[];
  /** Consistency checks (transactions: one customer and one time per order, one name per product, cancellation signs). */
  consistency: ConsistencyCheck[];
  /** Date coverage. */
  timeliness: Timeliness;
  /** Cleaning flag counts when a clean report was given. */
  cleaning?: Record<string, number>;
}

/** Options of {@link qualityReport}. */
export interface QualityOptions {
  /** The loader's report (rows_in, quarantine reasons). */
  load?: LoadReport;
  /** The cleaner's report (flag counts). */
  clean?: CleanReport;
  /** Reference time (default: `load.now`, else `Date.now()`). */
  now?: number;
  /** Date column for timeliness (default "timestamp", else the first date column). */
  dateColumn?: string;
  /** Data younger than this many days counts as fully timely (default 30). */
  freshDays?: number;
}

const SKIP = new Set(["_line", "flags", "cancel_of", "returned_qty", "is_duplicate", "is_cancellation", "is_missing_customer", "is_zero_price", "is_non_positive_quantity", "is_outlier"]);

/**
 * Measure a table's data quality: completeness, validity, consistency and
 * timeliness per column and per table. Works on any {@link Table}; canonical
 * transactions get extra validity rules (quantity ≠ 0, unit_price ≥ 0) and
 * consistency checks.
 *
 * @example
 * const { table, report: load } = await loadTransactions(file, { format: "online-retail" });
 * const q = qualityReport(table, { load, clean: cleanTransactions(table).report });
 * q.table.completeness;   // e.g. 0.97
 */
export function qualityReport(table: Table, options: QualityOptions = {}): QualityReport {
  const load = options.load;
  const now = options.now ?? load?.now ?? Date.now();
  const n = table.numRows;
  const columns: ColumnQuality[] = [];
  for (const name of table.columnNames()) {
    if (SKIP.has(name)) continue;
    const c = table.get(name);
    const kind = table.kind(name);
    let missing = 0, invalid = 0, min = Infinity, max = -Infinity;
    let rule = "any present value";
    const distinct = new Set<string | number>();
    if (isNumeric(c)) {
      const isDate = kind === "date";
      rule = isDate ? "a real date not after now" : name === "unit_price" ? "finite and ≥ 0" : name === "quantity" ? "finite and ≠ 0" : "finite";
      for (let i = 0; i < n; i++) {
        const v = c[i];
        if (Number.isNaN(v)) { missing++; continue; }
        distinct.add(v);
        let ok = Number.isFinite(v);
        if (isDate && v > now) ok = false;
        if (name === "unit_price" && v < 0) ok = false;
        if (name === "quantity" && v === 0) ok = false;
        if (!ok) { invalid++; continue; }
        if (v < min) min = v;
        if (v > max) max = v;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = c[i];
        if (v === "") missing++;
        else distinct.add(v);
      }
    }
    const present = n - missing;
    columns.push({
      name, kind, missing, completeness: n ? present / n : 1, invalid, validity: present ? (present - invalid) / present : 1, rule,
      distinct: distinct.size, min: Number.isFinite(min) ? min : NaN, max: Number.isFinite(max) ? max : NaN,
    });
  }
  // Columns that are empty in every row are canonical columns the source does not have
  // (e.g. category/channel for Online Retail): listed per column, left out of the table scores.
  const scored = columns.filter((c) => n === 0 || c.missing < n);
  const cells = scored.length * n;
  const presentCells = scored.reduce((s, c) => s + (n - c.missing), 0);
  const invalidCells = scored.reduce((s, c) => s + c.invalid, 0);
  const rowsIn = load?.rows_in ?? n;
  const accepted = load?.accepted ?? n;

  const consistency = consistencyChecks(table);
  const timeliness = timelinessOf(table, now, options.dateColumn);
  const fresh = options.freshDays ?? 30;
  const age = timeliness.age_days;
  const timelyScore = Number.isNaN(age) ? NaN : age <= fresh ? 1 : Math.max(0, 1 - (age - fresh) / (9 * fresh));

  const cleaning = options.clean ? Object.fromEntries(Object.entries(options.clean.flags).map(([k, v]) => [k, v.count])) : undefined;
  return {
    file: load?.file ?? "", format: load?.format ?? "",
    rows_in: rowsIn, accepted, quarantined: load?.quarantined ?? 0, reasons: { ...(load?.reasons ?? {}) },
    table: {
      completeness: cells ? presentCells / cells : 1,
      validity: (rowsIn ? accepted / rowsIn : 1) * (presentCells ? (presentCells - invalidCells) / presentCells : 1),
      consistency: consistency.length ? consistency.filter((c) => c.passed).length / consistency.length : 1,
      timeliness: timelyScore,
    },
    columns, consistency, timeliness, cleaning,
  };
}

function consistencyChecks(t: Table): ConsistencyCheck[] {
  const out: ConsistencyCheck[] = [];
  const n = t.numRows;
  const has = (...c: string[]) => c.every((x) => t.has(x));
  const perKey = (keyCol: string, valCol: string, name: string, description: string, skipEmpty: boolean) => {
    const keys = t.str(keyCol);
    const vc = t.get(valCol);
    const first = new Map<string, string | number>();
    const bad = new Set<string>();
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (k === "") continue;
      const v = vc[i];
      if (skipEmpty && (v === "" || (typeof v === "number" && Number.isNaN(v)))) continue;
      const f = first.get(k);
      if (f === undefined) first.set(k, v);
      else if (f !== v && !bad.has(k)) bad.add(k);
    }
    out.push({ name, description, failing: bad.size, checked: first.size, passed: bad.size === 0, examples: [...bad].slice(0, 5) });
  };
  if (has("order_id", "customer_id")) perKey("order_id", "customer_id", "one customer per order", "all lines of an order carry the same customer id (empty ids ignored)", true);
  if (has("order_id", "timestamp")) perKey("order_id", "timestamp", "one time per order", "all lines of an order carry the same timestamp", true);
  if (has("product_id", "product_name")) perKey("product_id", "product_name", "one name per product", "a product id always carries the same product name (empty names ignored)", true);
  if (has("order_id", "quantity")) {
    const o = t.str("order_id"), q = t.num("quantity");
    let bad = 0, checked = 0;
    const ex: string[] = [];
    for (let i = 0; i < n; i++) {
      if (o[i].charCodeAt(0) !== 67) continue;
      checked++;
      if (!(q[i] < 0)) { bad++; if (ex.length < 5) ex.push(o[i]); }
    }
    if (checked) out.push({ name: "cancellations are negative", description: "lines of 'C' invoices have negative quantity", failing: bad, checked, passed: bad === 0, examples: ex });
  }
  return out;
}

function timelinessOf(t: Table, now: number, dateColumn?: string): Timeliness {
  const col = dateColumn ?? (t.has("timestamp") ? "timestamp" : t.columnNames().find((c) => t.kind(c) === "date") ?? "");
  const empty: Timeliness = { column: col, date_min: NaN, date_max: NaN, age_days: NaN, now, rows_per_month: [], empty_months: [], future_rows: 0 };
  if (!col || !t.has(col)) return empty;
  const d = t.num(col);
  let min = Infinity, max = -Infinity, future = 0;
  const months = new Map<number, number>();
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (!Number.isFinite(v)) continue;
    if (v > now) future++;
    if (v < min) min = v;
    if (v > max) max = v;
    const dt = new Date(v);
    const key = dt.getUTCFullYear() * 12 + dt.getUTCMonth();
    months.set(key, (months.get(key) ?? 0) + 1);
  }
  if (!Number.isFinite(min)) return empty;
  const rows: { month: string; rows: number }[] = [];
  const emptyMonths: string[] = [];
  const k0 = Math.min(...months.keys()), k1 = Math.max(...months.keys());
  for (let k = k0; k <= k1; k++) {
    const label = `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
    const r = months.get(k) ?? 0;
    rows.push({ month: label, rows: r });
    if (r === 0) emptyMonths.push(label);
  }
  return { column: col, date_min: min, date_max: max, age_days: (now - max) / DAY_MS, now, rows_per_month: rows, empty_months: emptyMonths, future_rows: future };
}

/**
 * Figures for a quality report (plotly JSON): missingness per column,
 * quarantine reasons, rows per month (timeliness) and, when present,
 * cleaning flags.
 *
 * @example
 * for (const fig of qualityFigures(q)) showFigure(fig);
 */
export function qualityFigures(report: QualityReport): Figure[] {
  const figs: Figure[] = [];
  const cols = report.columns;
  figs.push({
    data: [{ type: "bar", x: cols.map((c) => c.name), y: cols.map((c) => 100 * (1 - c.completeness)), marker: { color: "#d64545" }, name: "missing %",
      customdata: cols.map((c) => `${c.missing.toLocaleString("en-US")} missing`), hovertemplate: "%{x}: %{y:.2f}% (%{customdata})<extra></extra>" }],
    layout: { title: { text: "Missing values per column (%)" }, yaxis: { title: { text: "% of rows" }, rangemode: "tozero" } },
  });
  // Horizontal bars, largest on top: the reason codes read as axis labels at full size; the count sits
  // just outside its bar and the plain-words description is in the hover.
  const reasons = Object.entries(report.reasons).sort((a, b) => a[1] - b[1]);
  const { labels: reasonLabels, margin } = categoryLabels(reasons.map((r) => r[0]));
  figs.push({
    data: [{ type: "bar", orientation: "h", y: reasonLabels, x: reasons.map((r) => r[1]), marker: { color: "#f0b429" },
      text: reasons.map((r) => r[1].toLocaleString("en-US")), textposition: "outside", cliponaxis: false,
      customdata: reasons.map((r) => (INGEST_REASONS as Record<string, string>)[r[0]] ?? r[0]), hovertemplate: "%{y}: %{x} rows<br>%{customdata}<extra></extra>" }],
    layout: { title: { text: `Quarantined rows by reason (${report.quarantined.toLocaleString("en-US")} of ${report.rows_in.toLocaleString("en-US")})` },
      xaxis: { title: { text: "rows" }, rangemode: "tozero" }, yaxis: { automargin: true }, margin: { l: margin, r: 60 }, height: Math.max(280, 140 + 32 * reasons.length),
      annotations: reasons.length ? [] : [{ text: "nothing quarantined", showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5 }] },
  });
  const m = report.timeliness.rows_per_month;
  figs.push({
    data: [{ type: "bar", x: m.map((r) => r.month), y: m.map((r) => r.rows), marker: { color: "#2186eb" }, name: "rows" }],
    layout: { title: { text: `Rows per month (${report.timeliness.column || "no date column"})` }, xaxis: { type: "category", automargin: true }, yaxis: { title: { text: "rows" } }, margin: { r: 50 } },
  });
  if (report.cleaning) {
    const f = Object.entries(report.cleaning);
    figs.push({
      data: [{ type: "bar", x: f.map((r) => r[0]), y: f.map((r) => r[1]), marker: { color: "#7b61ff" } }],
      layout: { title: { text: "Rows flagged by cleaning" }, yaxis: { title: { text: "rows" } } },
    });
  }
  return figs;
}

const fmtPct = (v: number) => (Number.isNaN(v) ? "–" : `${(100 * v).toFixed(2)}%`);
const fmtDate = (v: number) => (Number.isFinite(v) ? new Date(v).toISOString().replace(".000Z", "Z") : "–");

/**
 * An HTML section for a quality report: headline scores, per-column table,
 * consistency checks, quarantine reasons and the figures (expects the plotly
 * bundle on the page, as `renderPage` and the notebook helpers provide).
 *
 * @example
 * renderPage({ title: "Data quality", sections: [{ title: "Quality", html: qualityHTML(q) }] });
 */
export function qualityHTML(report: QualityReport, options: { figures?: boolean } = {}): string {
  const kpi = (label: string, value: string) => `<div class="kpi"><div class="v">${escapeHTML(value)}</div><div class="l">${escapeHTML(label)}</div></div>`;
  const t = report.timeliness;
  const parts: string[] = [];
  parts.push(`<div class="kpis">${[
    kpi("rows in", report.rows_in.toLocaleString("en-US")), kpi("accepted", report.accepted.toLocaleString("en-US")), kpi("quarantined", report.quarantined.toLocaleString("en-US")),
    kpi("completeness", fmtPct(report.table.completeness)), kpi("validity", fmtPct(report.table.validity)), kpi("consistency", fmtPct(report.table.consistency)), kpi("timeliness", fmtPct(report.table.timeliness)),
  ].join("")}</div>`);
  parts.push(`<p class="note">${escapeHTML(report.file || "table")}${report.format ? ` (${escapeHTML(report.format)})` : ""}; dates ${fmtDate(t.date_min)} to ${fmtDate(t.date_max)}; latest data ${Number.isNaN(t.age_days) ? "–" : t.age_days.toFixed(1)} days before ${fmtDate(t.now)}.</p>`);
  const colTable = new Table({
    column: report.columns.map((c) => c.name), kind: report.columns.map((c) => c.kind),
    missing: Float64Array.from(report.columns, (c) => c.missing), completeness: report.columns.map((c) => fmtPct(c.completeness)),
    invalid: Float64Array.from(report.columns, (c) => c.invalid), validity: report.columns.map((c) => fmtPct(c.validity)), rule: report.columns.map((c) => c.rule),
    distinct: Float64Array.from(report.columns, (c) => c.distinct),
  });
  parts.push(`<h3>Columns</h3>${colTable.toHTML()}`);
  if (report.consistency.length) {
    const ct = new Table({
      check: report.consistency.map((c) => c.name), passed: report.consistency.map((c) => (c.passed ? "yes" : "no")),
      failing: Float64Array.from(report.consistency, (c) => c.failing), checked: Float64Array.from(report.consistency, (c) => c.checked),
      examples: report.consistency.map((c) => c.examples.join(", ")), description: report.consistency.map((c) => c.description),
    });
    parts.push(`<h3>Consistency</h3>${ct.toHTML()}`);
  }
  const reasons = Object.entries(report.reasons);
  parts.push(`<h3>Quarantine</h3>${reasons.length ? new Table({ reason: reasons.map((r) => r[0]), rows: Float64Array.from(reasons, (r) => r[1]), meaning: reasons.map((r) => (INGEST_REASONS as Record<string, string>)[r[0]] ?? "") }).toHTML() : "<p>Nothing quarantined.</p>"}`);
  if (report.cleaning) {
    const f = Object.entries(report.cleaning);
    parts.push(`<h3>Cleaning flags</h3>${new Table({ flag: f.map((r) => r[0]), rows: Float64Array.from(f, (r) => r[1]) }).toHTML()}`);
  }
  if (options.figures ?? true) parts.push(qualityFigures(report).map((f) => figureToHTML(f, { height: 360 })).join("\n"));
  return parts.join("\n");
}
