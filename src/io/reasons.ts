/**
 * Why a row was quarantined at ingest (the row never reaches a table) or
 * flagged by cleaning (the row is in the table, marked, and excluded where
 * documented). Every quarantined row carries file, line, column and one of
 * these codes; `rows_in = accepted + quarantined` always holds.
 */
export const INGEST_REASONS = {
  ragged_row: "row has a different number of fields than the header",
  unterminated_quote: "a quoted field is not closed before the end of the file",
  unbalanced_quote: "a stray double quote merged more than two physical lines into one record, which then has a wrong field count",
  invalid_utf8: "bytes that are not valid UTF-8",
  empty_line: "blank line inside the data",
  missing_required: "a required field is empty",
  invalid_number: "a numeric field is not a number",
  non_finite_number: "a numeric field is NaN or Infinity",
  invalid_date: "a date field cannot be parsed",
  future_date: "a date later than the load time (plus the allowed clock skew)",
  negative_price: "unit price below zero",
  field_too_large: "a field is larger than the configured limit (default 1 MiB), or a record larger than 16 MiB (say a 100 MB single line)",
} as const;

/** Flags set by cleaning (rows stay, marked; counts and lines are reported). */
export const CLEAN_FLAGS = {
  duplicate_row: "an exact duplicate of an earlier row",
  cancellation: "a cancellation/return line (negative quantity or a 'C' invoice)",
  missing_customer_id: "no customer id: kept for basket work, excluded from customer features",
  zero_price: "unit price is zero (free item or adjustment): excluded from revenue",
  non_positive_quantity: "quantity is zero or negative without being a cancellation",
  outlier: "flagged as an outlier by the named method",
} as const;

/** An ingest quarantine reason code. */
export type IngestReason = keyof typeof INGEST_REASONS;
/** A cleaning flag code. */
export type CleanFlag = keyof typeof CLEAN_FLAGS;
