/**
 * Streaming loaders and adapters onto the canonical tables, with quarantine.
 * @module
 */
export { TRANSACTION_COLUMNS, REVIEW_COLUMNS, CANONICAL_FORMAT } from "./schema";
export type { TransactionColumn, ReviewColumn } from "./schema";
export { INGEST_REASONS, CLEAN_FLAGS } from "./reasons";
export type { IngestReason, CleanFlag } from "./reasons";
export { compileDateFormat, parseDateOption } from "./parse";
export type { DateFormat, DatePart } from "./parse";
export { closeReadWorkers } from "./read-pool";
export { readColumns, writeQuarantine } from "./reader";
export type { QuarantineRow, LoadReport, ColumnSpec, ReadOptions, LoadResult } from "./reader";
export {
  loadTransactions, loadReviews, loadTable, readHeader, sniffDelimiter, TRANSACTION_FORMATS, REVIEW_FORMATS,
  MISSING_TOKENS,
} from "./adapters";
export type {
  TransactionFormat, ReviewFormat, ColumnMapping, LoadTransactionsOptions, LoadReviewsOptions, LoadTableOptions,
  TypeWarning,
} from "./adapters";
export { readTextColumns } from "./text-columns";
export type { TextColumnsOptions, TextColumns } from "./text-columns";
export { INPUT_ENCODINGS, normalizeEncoding, resolveEncoding, Utf8Transcoder } from "./encoding";
export type { InputEncoding, ResolvedEncoding } from "./encoding";
export { parseColumnRef, normalizeDelimiter, normalizeReadingOptions, checkInput, quarantineHint } from "./reading";
export type { ReadingOptions, InputAccounting, InputCheck, InputReportLike } from "./reading";
export { readBasketLines } from "./basket-lines";
export type { BasketLinesOptions } from "./basket-lines";
export { readCLVSummaryCSV, loadCLVSummary, readCLVSummary } from "./clv-summary";
export { readNumericCSV, parseNumericCSV } from "./matrix-csv";
