import type { Table } from "./table";
import { cell } from "./table";

/** Options for {@link Table.toHTML}. */
export interface HTMLOptions {
  /** Maximum rows shown (default 100); a footer says how many were left out. */
  limit?: number;
  /** Add click-to-sort headers with a small inline script (default false). */
  sortable?: boolean;
  /** Digits after the decimal point for non-integers (default 4 significant). */
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

let sortScriptId = 0;

/**
 * Render a table as HTML.
 *
 * @example
 * ```ts
 * import { Table, toHTML } from "custlab";
 * const t = new Table({ sku: ["A", "B"], price: Float64Array.from([9.5, 12]) });
 * const html = toHTML(t, { limit: 10, caption: "Prices" }); // same as t.toHTML({...})
 * ```
 */
export function toHTML(t: Table, o: HTMLOptions = {}): string {
  const limit = o.limit ?? 100;
  const names = t.columnNames();
  const kinds = t.kinds();
  const n = Math.min(limit, t.numRows);
  const id = `custlab-table-${++sortScriptId}`;
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const tds = names.map((name) => {
      const v = cell(t.get(name), kinds[name], i);
      const f = o.format?.[name];
      const text = f ? f(v) : v === null ? "" : typeof v === "number" ? formatNumber(v, o.digits) : v;
      const num = typeof v === "number";
      return `<td style="text-align:${num ? "right" : "left"}"${num ? ` data-v="${v}"` : ""}>${escapeHTML(text)}</td>`;
    });
    rows.push(`<tr>${tds.join("")}</tr>`);
  }
  const head = names.map((h) => `<th style="text-align:left;cursor:${o.sortable ? "pointer" : "default"}">${escapeHTML(h)}</th>`).join("");
  const more = t.numRows > n ? `<tfoot><tr><td colspan="${names.length}">… ${t.numRows - n} more rows (${t.numRows} in all)</td></tr></tfoot>` : "";
  const caption = o.caption ? `<caption>${escapeHTML(o.caption)}</caption>` : "";
  const sort = o.sortable
    ? `<script>(function(){var t=document.getElementById(${JSON.stringify(id)});if(!t)return;var ths=t.tHead.rows[0].cells;for(let c=0;c<ths.length;c++){let asc=true;ths[c].onclick=function(){var b=t.tBodies[0],r=Array.from(b.rows);r.sort(function(x,y){var a=x.cells[c],z=y.cells[c];var va=a.dataset.v!==undefined?+a.dataset.v:a.textContent,vz=z.dataset.v!==undefined?+z.dataset.v:z.textContent;return (va<vz?-1:va>vz?1:0)*(asc?1:-1)});asc=!asc;r.forEach(function(x){b.appendChild(x)})}}})();</script>`
    : "";
  return `<table id="${id}" class="custlab-table">${caption}<thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody>${more}</table>${sort}`;
}
