export * from "./types";
export { Table, cell } from "./table";
export { toHTML, escapeHTML, formatNumber } from "./format-html";
export type { HTMLOptions } from "./format-html";
export { toMarkdown } from "./format-markdown";
export type { MarkdownOptions } from "./format-markdown";
export { toCSV, csvField } from "./format-csv";
export type { CSVOptions } from "./format-csv";
