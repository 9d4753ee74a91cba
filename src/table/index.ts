/**
 * The immutable columnar `Table` (typed arrays for numbers) and its HTML, Markdown and CSV output.
 * @module
 */
export { isNumeric, kindOf } from "./types";
export type { NumericColumn, StringColumn, ColumnData, ColumnKind, TableView } from "./types";
export { cell } from "./types";
export { Table } from "./table";
export { textCodes, peekTextCodes, registerTextCodes, canonicalCodes, decodeText, isTextCodes } from "./codes";
export type { TextCodes } from "./codes";
export { toHTML, escapeHTML, formatNumber, formatTableNumber, isIdColumnName, dateCellFormatter } from "./format-html";
export type { HTMLOptions } from "./format-html";
export { toMarkdown } from "./format-markdown";
export type { MarkdownOptions } from "./format-markdown";
export { toCSV, csvField, neutraliseFormula } from "./format-csv";
export type { CSVOptions } from "./format-csv";
export { tableToMatrix } from "./matrix";
