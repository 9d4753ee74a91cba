/**
 * Streaming loaders and adapters onto the canonical tables, with quarantine.
 * @module
 */
export * from "./schema";
export * from "./reasons";
export { CsvTokenizer, unquoteField, isValidUTF8, FIELD_QUOTED, FIELD_ESCAPED, FIELD_NON_ASCII, REC_UNTERMINATED, REC_FIELD_TOO_LARGE } from "./csv";
export type { CsvRecord, CsvTokenizerOptions } from "./csv";
export { ByteParser, ZoneConverter, daysFromCivil, compileDateFormat, parseDateOption, PARSE_OK, PARSE_EMPTY, PARSE_INVALID, PARSE_NON_FINITE } from "./parse";
export type { DateFormat, DatePart } from "./parse";
export { ByteInterner, textCodes, peekTextCodes, registerTextCodes } from "./intern";
export type { TextCodes } from "./intern";
export { closeReadWorkers } from "./read-pool";
export { readColumns, streamRecords, writeQuarantine, decodeField, QuarantineSink } from "./reader";
export type { QuarantineRow, LoadReport, ColumnSpec, ReadOptions, LoadResult, RecordStreamOptions } from "./reader";
export { loadTransactions, loadReviews, loadTable, readHeader, sniffDelimiter, TRANSACTION_FORMATS, REVIEW_FORMATS, MISSING_TOKENS } from "./adapters";
export type { TransactionFormat, ReviewFormat, ColumnMapping, LoadTransactionsOptions, LoadReviewsOptions, LoadTableOptions, TypeWarning } from "./adapters";
export * from "./text-columns";
export { INPUT_ENCODINGS, normalizeEncoding, resolveEncoding, Utf8Transcoder } from "./encoding";
export type { InputEncoding, ResolvedEncoding } from "./encoding";
export { parseColumnRef, normalizeDelimiter, normalizeReadingOptions, checkInput, quarantineHint } from "./reading";
export type { ReadingOptions, InputAccounting, InputCheck, InputReportLike } from "./reading";
export { readBasketLines } from "./basket-lines";
export type { BasketLinesOptions } from "./basket-lines";
