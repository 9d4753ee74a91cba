import type { Table } from "../table";
import type { LoadReport } from "../io/reader";
import type { ColumnMapping, TransactionFormat, LoadTransactionsOptions } from "../io/adapters";
import type { CustomerFeaturesOptions } from "../features/customer";
import type { ChurnLabelOptions } from "../features/labels";
import type { CustomerRFMOptions } from "../features/rfm";
import type { ProgressCallback } from "../util/progress";
import type { Baskets } from "../rules/baskets";

/** Engine names. */
export type EngineName = "memory" | "duckdb" | "clickhouse";

/** Options of {@link OrdersEngine.loadFile}. */
export interface EngineLoadOptions {
  /** Transaction format (as `loadTransactions`; default "custlab", or "generic" with a mapping). */
  format?: TransactionFormat;
  /** Column mapping for `format: "generic"`. */
  mapping?: ColumnMapping;
  /** Write every quarantined row here (file,line,column,reason,detail,raw). */
  quarantineFile?: string;
  /** Reference time for `future_date` (epoch ms; default now). */
  now?: number;
  /** Progress (stage "load"). */
  onProgress?: ProgressCallback;
  /**
   * Reading options of custlab's loaders (`--map`, `--no-header`, `--delimiter`, `--date-format`,
   * `--encoding`, time zone). Files that need any of them are read by custlab's loader (the same
   * quarantine) and then bulk-loaded into a SQL engine.
   */
  read?: Omit<LoadTransactionsOptions, "format" | "mapping" | "quarantineFile" | "now" | "onProgress">;
}

/** The quality aggregates every engine computes (names as custlab's cleaning report). */
export interface EngineQuality {
  /** Accepted rows. */
  rows: number;
  /** Distinct non-empty customer ids. */
  customers: number;
  /** Distinct order ids. */
  orders: number;
  /** Exact duplicate rows beyond the first. */
  duplicate_row: number;
  /** Cancellation / return lines ("C" order, or negative quantity at a positive price). */
  cancellation: number;
  /** Rows without a customer id. */
  missing_customer_id: number;
  /** Rows with unit price 0. */
  zero_price: number;
  /** Rows with quantity ≤ 0 that are not cancellations. */
  non_positive_quantity: number;
  /** Rows usable for customer features (no duplicate, customer, no "C" order, quantity and price > 0). */
  purchase_rows: number;
  /** Earliest and latest timestamp (epoch ms). */
  date_min: number;
  date_max: number;
}

/** Options of {@link OrdersEngine.rfm}: those of `customerRFM`, plus a time bound. */
export interface EngineRFMOptions extends CustomerRFMOptions {
  /** Only purchase lines with timestamp < before (epoch ms): RFM as it was at a past date. */
  before?: number;
}

/** Baskets and per-product basket counts. */
export interface BasketCounts {
  /** Distinct orders with at least one product. */
  baskets: number;
  /** `product_id`, `baskets` (orders containing it), sorted by product id. */
  items: Table;
}

/**
 * Where custlab's relational stages run: the same calls on every engine, only
 * customer-level tables come back. Open one with {@link openEngine}.
 */
export interface OrdersEngine {
  /** "memory", "duckdb" or "clickhouse". */
  readonly name: EngineName;
  /** Engine in words for JSON and reports, e.g. `duckdb (memory_limit 2GB)`. */
  describe(): string;
  /** Load and validate a transactions file into the engine (quarantine as custlab's loaders). */
  loadFile(file: string, options?: EngineLoadOptions): Promise<LoadReport>;
  /** Use a table that already holds canonical transaction columns (server engines). */
  useTable(name: string): Promise<void>;
  /** Quality aggregates over the accepted rows. */
  quality(): Promise<EngineQuality>;
  /** RFM per customer over purchases without duplicates (as `customerRFM(purchases(cleaned))`); `before` keeps earlier lines only. */
  rfm(options?: EngineRFMOptions): Promise<Table>;
  /** Customer features at a cutoff over rows without duplicates (as `customerFeatures`). */
  features(options: CustomerFeaturesOptions): Promise<Table>;
  /** Churn labels for the given customers (as `churnLabels`). */
  labels(customers: string[] | Table, options: ChurnLabelOptions): Promise<Table>;
  /**
   * Purchase days up to `until` (epoch ms, inclusive): `customer_id`, `day` (the UTC day's
   * start, epoch ms) and `value` (Σ quantity × unit_price of the day's purchase lines: a
   * customer, quantity > 0, price ≥ 0, no "C" order), sorted by customer and day, over rows
   * without duplicates. The buy-till-you-die summary (`clvSummaryFromEngine`) starts from it.
   */
  purchaseDays(until: number): Promise<Table>;
  /**
   * Basket item labels: `product_id`, `product_name` (the first non-empty name in
   * source-line order over basket lines), sorted by product id; products without a
   * name are left out (as `basketsFromTransactions` labels its items).
   */
  productNames(): Promise<Table>;
  /**
   * Σ quantity × unit_price of purchase lines (a customer, quantity and price > 0,
   * no "C" order) per `customer_id`, `country`, `category` (column `revenue`), over
   * rows without duplicates: what segment personas rank top countries and categories by.
   */
  purchaseTotals(): Promise<Table>;
  /** Baskets and per-product basket counts over rows without duplicates. */
  basketCounts(): Promise<BasketCounts>;
  /**
   * Baskets (orders) for association rules, items with basket support below
   * `minSupport` left out in the engine (they cannot be in a frequent itemset;
   * the basket count keeps every order). Lines with quantity ≤ 0 or a "C" order
   * are not basket items (as `basketsFromTransactions`).
   */
  basketItems(minSupport: number): Promise<Baskets>;
  /**
   * The sales lines before `before` (epoch ms): rows without duplicates whose quantity is
   * > 0 and whose order id does not start with "C" (what next-best actions read: the
   * purchases their BG/NBD value is fitted on and the baskets their bundles come from;
   * returns are left in the engine), with the canonical transaction columns, in source-line
   * order.
   */
  salesLines(before: number): Promise<Table>;
  /** Release the engine (connections, temporary files). */
  close(): Promise<void>;
}
