import type { TableView } from "./types";
import { tableCellText } from "./format-html";

/** Options for {@link Table.toMarkdown}. */
export interface MarkdownOptions {
  /** Maximum rows shown (default 50). */
  limit?: number;
  /** Digits after the decimal point for non-integers (default 4 significant); ids, integers and dates as in {@link HTMLOptions.digits}. */
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
export function toMarkdown(t: TableView, o: MarkdownOptions = {}): string {
  const names = t.columnNames();
  const kinds = t.kinds();
  const n = Math.min(o.limit ?? 50, t.numRows);
  const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const show = tableCellText(t, n, o.digits);
  const lines = [`| ${names.map(esc).join(" | ")} |`, `| ${names.map((nm) => (kinds[nm] === "string" ? "---" : "---:")).join(" | ")} |`];
  for (let i = 0; i < n; i++) {
    lines.push(`| ${names.map((nm) => esc(show(nm, i))).join(" | ")} |`);
  }
  if (t.numRows > n) lines.push(`\n… ${t.numRows - n} more rows (${t.numRows} in all)`);
  return lines.join("\n");
}
