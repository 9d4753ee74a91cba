import type { Table } from "./table";
import { cell } from "./table";
import { formatNumber } from "./format-html";

/** Options for {@link Table.toMarkdown}. */
export interface MarkdownOptions {
  /** Maximum rows shown (default 50). */
  limit?: number;
  /** Significant digits for non-integers (default 4). */
  digits?: number;
}

/**
 * Render a table as a GitHub-flavoured Markdown table.
 *
 * @example
 * ```ts
 * import { Table, toMarkdown } from "custlab";
 * const t = new Table({ sku: ["A", "B"], price: Float64Array.from([9.5, 12]) });
 * toMarkdown(t);
 * // | sku | price |
 * // | --- | ---: |
 * // | A | 9.5 |
 * // | B | 12 |
 * ```
 */
export function toMarkdown(t: Table, o: MarkdownOptions = {}): string {
  const names = t.columnNames();
  const kinds = t.kinds();
  const n = Math.min(o.limit ?? 50, t.numRows);
  const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const lines = [`| ${names.map(esc).join(" | ")} |`, `| ${names.map((nm) => (kinds[nm] === "string" ? "---" : "---:")).join(" | ")} |`];
  for (let i = 0; i < n; i++) {
    lines.push(`| ${names.map((nm) => { const v = cell(t.get(nm), kinds[nm], i); return v === null ? "" : typeof v === "number" ? formatNumber(v, o.digits) : esc(v); }).join(" | ")} |`);
  }
  if (t.numRows > n) lines.push(`\n… ${t.numRows - n} more rows (${t.numRows} in all)`);
  return lines.join("\n");
}
