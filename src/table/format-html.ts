import { cell, type TableView } from "./types";
import { DAY_MS } from "../util/numeric";

/** Options for {@link Table.toHTML}. */
export interface HTMLOptions {
  /** Maximum rows shown (default 100); a footer says how many were left out. */
  limit?: number;
  /** Add click-to-sort headers with a small inline script (default false). */
  sortable?: boolean;
  /**
   * Digits after the decimal point for non-integers: `{ digits: 2 }` shows
   * 1473.52 as "1,473.52" and 0.5 as "0.50" (a non-zero value that would show
   * as 0 keeps 2 significant digits). Default: 4 significant digits.
   * Integers are shown whole either way; id columns (see {@link isIdColumnName})
   * without separators; dates as "1997-10-12", with the time only when the
   * column has one.
   */
  digits?: number;
  /** Caption above the table. */
  caption?: string;
  /** Column formatters by name. */
  format?: Record<string, (v: string | number | null) => string>;
}

/**
 * Escape text for HTML.
 *
 * @example
 * ```ts
 * import { escapeHTML } from "custlab";
 * escapeHTML(`<b>"Tom & Jerry"</b>`); // "&lt;b&gt;&quot;Tom &amp; Jerry&quot;&lt;/b&gt;"
 * ```
 */
export function escapeHTML(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

/**
 * Format a number for people: integers as is, others to `digits` significant digits.
 *
 * @example
 * ```ts
 * import { formatNumber } from "custlab";
 * formatNumber(3.14159); // "3.142"
 * formatNumber(12345);   // "12,345"
 * formatNumber(NaN);     // ""
 * ```
 */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "" : v > 0 ? "∞" : "-∞";
  if (Number.isInteger(v)) return Math.abs(v) >= 1e4 ? v.toLocaleString("en-US") : String(v);
  const a = Math.abs(v);
  if (a >= 1e4) return Math.round(v).toLocaleString("en-US");
  return Number(v.toPrecision(digits)).toString();
}

/**
 * Whether a column's numbers are identifiers (customer_id, CustomerID, InvoiceNo,
 * order_code, StockCode, id): tables show them as they are, without thousands
 * separators or rounding.
 *
 * @example
 * ```ts
 * import { isIdColumnName } from "custlab";
 * isIdColumnName("CustomerID"); // true
 * isIdColumnName("customer_id"); // true
 * isIdColumnName("orders");      // false
 * ```
 */
export function isIdColumnName(name: string): boolean {
  return /(^|[_\s.-])(id|ids|no|nr|code|key)$/i.test(name) || /[a-z0-9](Id|ID|No|Nr|Code|Key)$/.test(name);
}

/**
 * A number for a table cell: integers whole (thousands separators from 10,000),
 * other numbers to `digits` decimals when given (else 4 significant digits).
 *
 * @example
 * ```ts
 * import { formatTableNumber } from "custlab";
 * formatTableNumber(1473.52, 2);  // "1473.52"
 * formatTableNumber(12345.678, 1); // "12,345.7"
 * formatTableNumber(0.00012, 3);  // "0.00012" (not "0.000")
 * formatTableNumber(50001, 2, true); // "50001" (an id)
 * ```
 */
export function formatTableNumber(v: number, digits?: number, id = false): string {
  if (!Number.isFinite(v)) return formatNumber(v);
  if (id) return String(v);
  if (digits === undefined || Number.isInteger(v)) return formatNumber(v);
  const d = Math.max(0, Math.min(20, Math.floor(digits)));
  if (v !== 0 && Math.abs(v) < 0.5 * 10 ** -d) return Number(v.toPrecision(2)).toString();
  return v.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d, useGrouping: Math.abs(v) >= 1e4 });
}

/**
 * Epoch-ms dates for a table: "1997-10-12", or "1997-10-12 14:05" (seconds
 * when any value has them) when any value in `values` has a time of day (UTC).
 * Returns one formatter for the whole column so the rows line up.
 *
 * @example
 * ```ts
 * import { dateCellFormatter } from "custlab";
 * dateCellFormatter([Date.UTC(1997, 9, 12)])(Date.UTC(1997, 9, 12)); // "1997-10-12"
 * dateCellFormatter([Date.UTC(2011, 0, 4, 10, 1)])(Date.UTC(2011, 0, 4, 10, 1)); // "2011-01-04 10:01"
 * ```
 */
export function dateCellFormatter(values: ArrayLike<number>): (ms: number) => string {
  let time = false, seconds = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const inDay = ((v % DAY_MS) + DAY_MS) % DAY_MS;
    if (inDay !== 0) time = true;
    if (inDay % 60_000 !== 0) seconds = true;
  }
  return (ms) => {
    if (!Number.isFinite(ms)) return "";
    const iso = new Date(ms).toISOString();
    return time ? `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)}` : iso.slice(0, 10);
  };
}

/** Per-column display text for the first `n` rows, shared by toHTML and toMarkdown. */
export function tableCellText(t: TableView, n: number, digits?: number): (name: string, i: number) => string {
  const kinds = t.kinds();
  const dateFmt = new Map<string, (ms: number) => string>();
  for (const name of t.columnNames()) {
    if (kinds[name] !== "date") continue;
    const c = t.get(name) as ArrayLike<number>;
    const shown = Array.from({ length: n }, (_, i) => c[i]);
    dateFmt.set(name, dateCellFormatter(shown));
  }
  const ids = new Set(t.columnNames().filter(isIdColumnName));
  return (name, i) => {
    const col = t.get(name);
    const df = dateFmt.get(name);
    if (df) return df((col as ArrayLike<number>)[i]);
    const v = cell(col, kinds[name], i);
    if (v === null) return "";
    return typeof v === "number" ? formatTableNumber(v, digits, ids.has(name)) : v;
  };
}

let sortScriptId = 0;

/**
 * Render a table as HTML, in a box that scrolls sideways when the table is wider than the page.
 *
 * @example
 * ```ts
 * import { Table, toHTML } from "custlab";
 * const t = new Table({ sku: ["A", "B"], price: Float64Array.from([9.5, 12]) });
 * const html = toHTML(t, { limit: 10, caption: "Prices" }); // same as t.toHTML({...})
 * ```
 */
export function toHTML(t: TableView, o: HTMLOptions = {}): string {
  const limit = o.limit ?? 100;
  const names = t.columnNames();
  const kinds = t.kinds();
  const n = Math.min(limit, t.numRows);
  const id = `custlab-table-${++sortScriptId}`;
  const show = tableCellText(t, n, o.digits);
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const tds = names.map((name) => {
      const v = cell(t.get(name), kinds[name], i);
      const f = o.format?.[name];
      const text = f ? f(v) : show(name, i);
      const num = typeof v === "number";
      return `<td style="text-align:${num ? "right" : "left"}"${num ? ` data-v="${v}"` : ""}>${escapeHTML(text)}</td>`;
    });
    rows.push(`<tr>${tds.join("")}</tr>`);
  }
  // Headers may break after "_" (frequency_<wbr>median), so a table of many columns still fits the page.
  const head = names.map((h) => `<th style="text-align:left;cursor:${o.sortable ? "pointer" : "default"}">${escapeHTML(h).replace(/_/g, "_<wbr>")}</th>`).join("");
  const more = t.numRows > n ? `<tfoot><tr><td colspan="${names.length}">… ${t.numRows - n} more rows (${t.numRows} in all)</td></tr></tfoot>` : "";
  const caption = o.caption ? `<caption>${escapeHTML(o.caption)}</caption>` : "";
  const sort = o.sortable
    ? `<script>(function(){var t=document.getElementById(${JSON.stringify(id)});if(!t)return;var ths=t.tHead.rows[0].cells;for(let c=0;c<ths.length;c++){let asc=true;ths[c].onclick=function(){var b=t.tBodies[0],r=Array.from(b.rows);r.sort(function(x,y){var a=x.cells[c],z=y.cells[c];var va=a.dataset.v!==undefined?+a.dataset.v:a.textContent,vz=z.dataset.v!==undefined?+z.dataset.v:z.textContent;return (va<vz?-1:va>vz?1:0)*(asc?1:-1)});asc=!asc;r.forEach(function(x){b.appendChild(x)})}}})();</script>`
    : "";
  // A table with more columns than the page is wide scrolls inside its own box; the page never scrolls sideways.
  return `<div class="custlab-table-wrap" style="overflow-x:auto;max-width:100%"><table id="${id}" class="custlab-table">${caption}<thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody>${more}</table></div>${sort}`;
}
