/**
 * Canonical tables. Every loader (adapter) maps its source onto one of these,
 * and every capability (features, segments, rules, text, CLV) reads only these
 * column names. Text columns use "" for missing; numeric columns NaN; dates are
 * epoch milliseconds (UTC) in Float64Array with column kind "date".
 */

/** Canonical transaction columns (one row per order line). */
export const TRANSACTION_COLUMNS = {
  /** Customer id; "" when unknown (kept for basket work, excluded from customer features). */
  customer_id: "string",
  /** Order / invoice id. Online Retail cancellations start with "C". */
  order_id: "string",
  /** Order time, epoch ms UTC. */
  timestamp: "date",
  product_id: "string",
  product_name: "string",
  category: "string",
  /** Units; negative for returns/cancellations. */
  quantity: "number",
  /** Price per unit. */
  unit_price: "number",
  country: "string",
  /** Sales channel ("web", "app", "store"...); "" when unknown. */
  channel: "string",
} as const;

/** Canonical review columns (one row per review). */
export const REVIEW_COLUMNS = {
  review_id: "string",
  product_id: "string",
  customer_id: "string",
  timestamp: "date",
  /** Star rating (NaN when absent). */
  rating: "number",
  title: "string",
  text: "string",
  /** "en" or "zh". */
  language: "string",
  /** Product category / department, "" when unknown. */
  category: "string",
  /** A given sentiment label (1 positive, 0 negative), NaN when absent. */
  label: "number",
} as const;

/** Names of the canonical transaction columns. */
export type TransactionColumn = keyof typeof TRANSACTION_COLUMNS;
/** Names of the canonical review columns. */
export type ReviewColumn = keyof typeof REVIEW_COLUMNS;

/**
 * The canonical CSV format (`--format custlab`), which the demo generator
 * writes and `Table.toCSV` reproduces: a header with the canonical names,
 * ISO-8601 timestamps with an explicit zone (e.g. `2011-01-04T10:00:00Z`).
 */
export const CANONICAL_FORMAT = "custlab";
