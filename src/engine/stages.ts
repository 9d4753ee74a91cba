/**
 * custlab's relational stages, each written once with the dialect builder
 * (`./dialect`) and rendered for DuckDB or ClickHouse. Every query here returns
 * customer-level (or smaller) results; the row-level work stays in the engine.
 *
 * Rows live in a table with the canonical transaction columns
 * (`TRANSACTION_COLUMNS`, with `timestamp` as epoch ms in a double) plus
 * `_line` (the source line). The memory engine (`features/`, `clean/`) is the
 * reference these queries are tested against.
 * @module
 */
import { and, col, fn, iff, num, str, x } from "./dialect";
import type { Dialect, Expr, Select, Source } from "./dialect";
import { DAY_MS } from "../util/numeric";

/** Canonical columns an engine's order table holds, in order, with their SQL kind. */
export const ENGINE_COLUMNS: readonly [name: string, kind: "text" | "double"][] = [
  ["customer_id", "text"], ["order_id", "text"], ["timestamp", "double"], ["product_id", "text"], ["product_name", "text"],
  ["category", "text"], ["quantity", "double"], ["unit_price", "double"], ["country", "text"], ["channel", "text"], ["_line", "double"],
];
/** The canonical columns without `_line` (what exact duplicates compare). */
export const CANONICAL_ENGINE_COLUMNS = ENGINE_COLUMNS.filter(([n]) => n !== "_line").map(([n]) => n);

const c = col;
/** A customer id is present. */
const hasCustomer: Expr = x`${"customer_id"} <> ''`;
/** An order id starting with "C" (Online Retail cancellations; custlab's purchase rule). */
const cOrder: Expr = fn("startsWith", c("order_id"), str("C"));
/** A purchase line: quantity > 0, unit_price > 0, order id not starting with "C" (as `isPurchase` in features/). */
export const isPurchaseLine: Expr = and(x`${"quantity"} > 0`, x`${"unit_price"} > 0`, x`NOT ${cOrder}`);
const lineValue: Expr = x`${"quantity"} * ${"unit_price"}`;
/** Σ e of a double in any order: the dialect's order-independent sum where it has one (`Dialect.stableSum`), else `sum`. */
const plainSum = (e: Expr): Expr => (d) => (d.stableSum ? d.stableSum(e(d)) : `sum(${e(d)})`);
/** Σ e added in source-line order when `ordered` (see `Dialect.orderedSum`), else {@link plainSum}. */
const byLine = (e: Expr, ordered = true): Expr => (d) => (ordered ? d.orderedSum(e(d), [d.ident("_line")]) : plainSum(e)(d));
/**
 * Σ e over {@link orderGrainQuery} rows, added in the order of their first source line (`fl`,
 * unique per grain row): the same input gives bit-identical sums whatever the engine's threads.
 * Where the dialect has list sums (DuckDB), the group's values are one list sorted by `fl` and
 * summed left to right: the same additions in the same order as `sum(e ORDER BY fl)`, at about a
 * third of its CPU (DuckDB's ORDER BY aggregate keeps a sort state per group; 20× Online Retail,
 * one cutoff's customer features: 4.1–5.4 → 1.8–2.3 CPU s, identical rows).
 */
const byFirstLine = (e: Expr): Expr => (d) =>
  d.orderedList && d.listSum ? d.listSum(d.orderedList([["v", e(d)]], [d.ident("fl")]), (f) => f("v")) : d.orderedSum(e(d), [d.ident("fl")]);

/**
 * Exact duplicate lines removed (custlab's clean rule: every canonical column
 * equal); the first line's number is kept.
 */
export function dedupeQuery(from: Source): Select {
  return {
    select: [...CANONICAL_ENGINE_COLUMNS.map((n) => [n, c(n)] as [string, Expr]), ["_line", x`min(${"_line"})`]],
    from,
    groupBy: CANONICAL_ENGINE_COLUMNS.map((n) => c(n)),
  };
}

/**
 * Per customer over purchase lines (customer id, no "C" order, quantity > 0,
 * price > 0): first and last purchase time, distinct orders, Σ quantity × price
 * (added in source-line order when `ordered`, so bit-identical to custlab's and the same from run
 * to run; a plain sum otherwise, equal within rounding). Over the {@link orderGrainQuery} table
 * (`grain`) the orders' sums are added in the order of their first line (deterministic).
 * Recency is finished in TypeScript (it needs the maximum over customers).
 */
export function rfmQuery(from: Source, before?: number, grain = false, ordered = true): Select {
  // grain: `from` is the orderGrainQuery table (purchase rows have purchase lines; their value is p_value).
  // Ordered line sums: where the dialect has list sums, each customer's values are one list sorted by line, summed outside.
  const viaList = (d: Dialect) => !grain && ordered && d.orderedList !== undefined && d.listSum !== undefined;
  const inner: Select = {
    select: [
      ["customer_id", c("customer_id")],
      ["first_ts", x`min(${"timestamp"})`],
      ["last_ts", x`max(${"timestamp"})`],
      ["frequency", fn("countDistinct", c("order_id"))],
      ["monetary", grain ? byFirstLine(c("p_value")) : (d) => (viaList(d) ? "NULL" : byLine(lineValue, ordered)(d))],
      ["ls", (d) => (viaList(d) ? d.orderedList!([["v", lineValue(d)]], [d.ident("_line")]) : "NULL")],
    ],
    from,
    where: [...(grain ? [x`${"p_lines"} > 0`] : [hasCustomer, isPurchaseLine]), ...(before !== undefined ? [x`${"timestamp"} < ${num(before)}`] : [])],
    groupBy: [c("customer_id")],
  };
  return {
    select: [
      ...["customer_id", "first_ts", "last_ts", "frequency"].map((n) => [n, c(n)] as [string, Expr]),
      ["monetary", (d) => (viaList(d) ? d.listSum!(d.ident("ls"), (f) => f("v")) : d.ident("monetary"))],
    ],
    from: inner,
  };
}

/** A purchase line's flag (1/0), value and units, and a return line's |quantity|: what {@link orderGrainQuery} sums. */
const returnLine: Expr = and(x`NOT (${isPurchaseLine})`, x`(${"quantity"} < 0 OR ${cOrder})`);

/**
 * The customer-order grain, for large inputs: the lines with a customer grouped by (customer,
 * order, timestamp, country, channel), with their purchase lines, value and units, returned units
 * and line count. Every per-cutoff customer stage (features, labels, RFM) can read this table
 * instead of the lines, so each cutoff costs a pass over orders, not over lines. Engines build it
 * on one thread over the lines in table order (its plain sums are then the same from run to run),
 * and sums over it add its rows in the order of their first line (`fl`), so results are
 * bit-identical from run to run; they equal the line-level sums
 * of the memory engine within rounding (sums of partial sums), so engines use it only for large
 * inputs (`ordered` off).
 */
export function orderGrainQuery(from: Source): Select {
  // Plain sums: engines build this table on one thread over the lines in source order (deterministic; see
  // `SqlEngine.serial`); a sorted list per group or an ORDER BY aggregate runs out of memory at 50× Online Retail.
  const pIf = (e: Expr): Expr => plainSum(iff(isPurchaseLine, e, num(0)));
  return {
    select: [
      ...["customer_id", "order_id", "timestamp", "country", "channel"].map((n) => [n, c(n)] as [string, Expr]),
      ["p_lines", pIf(num(1))],
      ["p_value", pIf(lineValue)],
      ["p_units", pIf(c("quantity"))],
      ["returned", plainSum(iff(returnLine, fn("abs", c("quantity")), num(0)))],
      ["lines", x`count(*)`],
      ["fl", x`min(${"_line"})`],
    ],
    from,
    where: [hasCustomer],
    groupBy: ["customer_id", "order_id", "timestamp", "country", "channel"].map((n) => c(n)),
  };
}

/** Per (customer, non-empty `column` value) over purchase lines: the first line's time (distinct products or categories before a cutoff count these pairs). */
export function firstPurchaseQuery(from: Source, column: string): Select {
  return {
    select: [["customer_id", c("customer_id")], ["v", c(column)], ["first_ts", x`min(${"timestamp"})`]],
    from,
    where: [hasCustomer, isPurchaseLine, x`${column} <> ''`],
    groupBy: [c("customer_id"), c(column)],
  };
}

/** Per customer: the pairs of {@link firstPurchaseQuery} first seen before the cutoff (distinct products or categories bought). */
export function firstCountQuery(pairs: Source, cutoff: number): Select {
  return { select: [["customer_id", c("customer_id")], ["n", x`count(*)`]], from: pairs, where: [x`${"first_ts"} < ${num(cutoff)}`], groupBy: [c("customer_id")] };
}

/** {@link featureLinesQuery}'s bought and returned units over the {@link orderGrainQuery} table (distinct products and categories come from {@link firstCountQuery}). */
export function featureLinesGrainQuery(grain: Source, cutoff: number): Select {
  return {
    select: [["customer_id", c("customer_id")], ["bought", byFirstLine(c("p_units"))], ["returned", byFirstLine(c("returned"))]],
    from: grain,
    where: [x`${"timestamp"} < ${num(cutoff)}`],
    groupBy: [c("customer_id")],
  };
}

/** Options of the feature stages (as `CustomerFeaturesOptions`). */
export interface FeatureStageOptions {
  cutoff: number;
  windows: number[];
  trendMonths: number;
  /**
   * Add sums in custlab's order (orders by time, lines by source line) so results are
   * bit-identical to the memory engine (default true). Ordered aggregates buffer their
   * input in memory; engines turn this off for large inputs (plain sums, equal within rounding).
   */
  ordered?: boolean;
  /** `from` is the {@link orderGrainQuery} table (its orders' sums are added in the order of their first line; `ordered` still orders the per-customer sums by order time). */
  grain?: boolean;
}

/** Purchase orders before the cutoff from the {@link orderGrainQuery} table (as {@link ordersBeforeQuery} with plain sums). */
export function ordersBeforeGrainQuery(grain: Source, cutoff: number): Select {
  return {
    select: [
      ["customer_id", c("customer_id")], ["order_id", c("order_id")], ["ots", x`min(${"timestamp"})`], ["fl", x`min(${"fl"})`],
      ["value", byFirstLine(c("p_value"))], ["units", byFirstLine(c("p_units"))], ["nlines", x`sum(${"p_lines"})`],
    ],
    from: grain,
    where: [x`${"p_lines"} > 0`, x`${"timestamp"} < ${num(cutoff)}`],
    groupBy: [c("customer_id"), c("order_id")],
  };
}

/** Purchase orders before the cutoff: one row per (customer, order) with its time (first line), value, units, lines and first line number. */
export function ordersBeforeQuery(from: Source, cutoff: number, ordered = true): Select {
  // Where the dialect has list sums, the lines of an order are sorted once (column "lines") and both sums read that list.
  const viaList = (d: Dialect) => ordered && d.orderedList !== undefined && d.listSum !== undefined;
  const sum = (e: Expr): Expr => (d) => (viaList(d) ? "NULL" : byLine(e, ordered)(d));
  const perOrder: Select = {
    select: [
      ["customer_id", c("customer_id")],
      ["order_id", c("order_id")],
      ["ots", x`min(${"timestamp"})`],
      ["fl", x`min(${"_line"})`],
      ["value", sum(lineValue)],
      ["units", sum(c("quantity"))],
      ["nlines", x`count(*)`],
      ["lines", (d) => (viaList(d) ? d.orderedList!([["quantity", d.ident("quantity")], ["unit_price", d.ident("unit_price")]], [d.ident("_line")]) : "NULL")],
    ],
    from,
    where: [hasCustomer, isPurchaseLine, x`${"timestamp"} < ${num(cutoff)}`],
    groupBy: [c("customer_id"), c("order_id")],
  };
  const fromList = (name: string, e: Expr): Expr => (d) => (viaList(d) ? d.listSum!(d.ident("lines"), (field) => e({ ...d, ident: field })) : d.ident(name));
  return {
    select: [
      ...["customer_id", "order_id", "ots", "fl"].map((n) => [n, c(n)] as [string, Expr]),
      ["value", fromList("value", lineValue)], ["units", fromList("units", c("quantity"))], ["nlines", c("nlines")],
    ],
    from: perOrder,
  };
}

/**
 * Order-level aggregates per customer at a cutoff: orders, first/last order
 * time, spend, units, lines, trailing-window orders and spend, weekend and Q4
 * orders, spend per 30-day bin (for the trend) and the inter-purchase gap
 * moments. Sums run in custlab's order (orders by time, then first line)
 * where the dialect can, so DuckDB's results are bit-identical to the memory engine's.
 */
export function featureOrdersQuery(from: Source, o: FeatureStageOptions): Select {
  const age: Expr = x`(${num(o.cutoff)} - ${"ots"}) / ${num(DAY_MS)}`;
  const bin: Expr = fn("floor", x`${age} / ${num(30)}`);
  const ordered = o.ordered ?? true;
  // Ordered sums: where the dialect has list sums, one sorted list of (ots, value, units) per customer
  // (column "orders") and each sum over it in the outer query; else one ordered aggregate per sum.
  const viaList = (d: Dialect) => ordered && d.orderedList !== undefined && d.listSum !== undefined;
  const sums: [string, Expr][] = [];
  const seq = (e: Expr, name: string): Expr => {
    sums.push([name, e]);
    return (d) => (viaList(d) ? "NULL" : ordered ? d.orderedSum(e(d), [d.ident("ots"), d.ident("fl")]) : plainSum(e)(d));
  };
  const sel: [string, Expr][] = [
    ["customer_id", c("customer_id")],
    ["n", x`count(*)`],
    ["first_ts", x`min(${"ots"})`],
    ["last_ts", x`max(${"ots"})`],
    ["spend", seq(c("value"), "spend")],
    ["units", seq(c("units"), "units")],
    ["lines", x`sum(${"nlines"})`],
    ["weekend", x`sum(${fn("isWeekend", c("ots"))})`],
    ["q4", x`sum(${iff(x`${fn("month", c("ots"))} >= 10`, num(1), num(0))})`],
    ["ots_list", fn("sortedList", c("ots"))],
  ];
  o.windows.forEach((w, j) => {
    sel.push([`orders_w${j}`, x`sum(${iff(x`${age} <= ${num(w)}`, num(1), num(0))})`]);
    sel.push([`spend_w${j}`, seq(iff(x`${age} <= ${num(w)}`, c("value"), num(0)), `spend_w${j}`)]);
  });
  for (let j = 0; j < o.trendMonths; j++) sel.push([`bin${j}`, seq(iff(x`${bin} = ${num(j)}`, c("value"), num(0)), `bin${j}`)]);
  const fields = ["ots", "value", "units"];
  sel.push(["orders", (d) => (viaList(d) ? d.orderedList!(fields.map((f) => [f, d.ident(f)]), [d.ident("ots"), d.ident("fl")]) : "NULL")]);
  const sumOf = new Map(sums);
  // An element expression: the sum's expression with its columns read from the list element.
  const outer = (name: string): Expr => (d) => {
    const e = sumOf.get(name);
    if (!e || !viaList(d)) return d.ident(name);
    return d.listSum!(d.ident("orders"), (field) => e({ ...d, ident: field }));
  };
  const perCustomer: Select = { select: sel, from: o.grain ? ordersBeforeGrainQuery(from, o.cutoff) : ordersBeforeQuery(from, o.cutoff, ordered), groupBy: [c("customer_id")] };
  return {
    select: [
      ...sel.filter(([n]) => n !== "ots_list" && n !== "orders").map(([n]) => [n, outer(n)] as [string, Expr]),
      ["gap_sum", fn("gapSum", c("ots_list"), num(DAY_MS))],
      ["gap_ss", fn("gapSS", c("ots_list"), num(DAY_MS))],
    ],
    from: perCustomer,
  };
}

/** Line-level aggregates per customer before the cutoff: bought and returned units, distinct products and categories. */
export function featureLinesQuery(from: Source, cutoff: number): Select {
  return {
    select: [
      ["customer_id", c("customer_id")],
      ["bought", plainSum(iff(isPurchaseLine, c("quantity"), num(0)))],
      ["returned", plainSum(iff(returnLine, fn("abs", c("quantity")), num(0)))],
      ["products", fn("countDistinct", x`(CASE WHEN ${isPurchaseLine} AND ${"product_id"} <> '' THEN ${"product_id"} END)`)],
      ["categories", fn("countDistinct", x`(CASE WHEN ${isPurchaseLine} AND ${"category"} <> '' THEN ${"category"} END)`)],
    ],
    from,
    where: [hasCustomer, x`${"timestamp"} < ${num(cutoff)}`],
    groupBy: [c("customer_id")],
  };
}

/**
 * Most frequent non-empty value of `column` on a customer's lines before the cutoff (ties:
 * alphabetically first). `lines`: the column holding each row's line count when `from` is the
 * {@link orderGrainQuery} table.
 */
export function modeQuery(from: Source, cutoff: number, column: string, lines?: string): Select {
  const counts: Select = {
    select: [["customer_id", c("customer_id")], ["v", c(column)], ["cnt", lines ? x`sum(${lines})` : x`count(*)`]],
    from,
    where: [hasCustomer, x`${"timestamp"} < ${num(cutoff)}`, x`${column} <> ''`],
    groupBy: [c("customer_id"), c(column)],
  };
  return { select: [["customer_id", c("customer_id")], ["mode", fn("argMin2", c("v"), x`-${"cnt"}`, c("v"))]], from: counts, groupBy: [c("customer_id")] };
}

/**
 * Per customer: orders and spend in (cutoff, cutoff + H days], and orders in
 * [cutoff − H days, cutoff), over purchase lines (the label rule finishes in TypeScript).
 */
export function labelQuery(from: Source, cutoff: number, horizonDays: number, ordered = true, grain = false): Select {
  const end = cutoff + horizonDays * DAY_MS, start = cutoff - horizonDays * DAY_MS;
  // Over the order grain table (grain): purchase rows are those with purchase lines, their value is p_value.
  const value: Expr = grain ? c("p_value") : lineValue;
  const fut: Expr = x`(${"timestamp"} > ${num(cutoff)} AND ${"timestamp"} <= ${num(end)})`;
  const past: Expr = x`(${"timestamp"} >= ${num(start)} AND ${"timestamp"} < ${num(cutoff)})`;
  return {
    select: [
      ["customer_id", c("customer_id")],
      ["future_orders", fn("countDistinct", x`(CASE WHEN ${fut} THEN ${"order_id"} END)`)],
      ["future_spend", grain ? byFirstLine(iff(fut, value, num(0))) : byLine(iff(fut, value, num(0)), ordered)],
      ["past_orders", fn("countDistinct", x`(CASE WHEN ${past} THEN ${"order_id"} END)`)],
    ],
    from,
    where: [...(grain ? [x`${"p_lines"} > 0`] : [hasCustomer, isPurchaseLine]), x`(${fut} OR ${past})`],
    groupBy: [c("customer_id")],
  };
}

/** The canonical columns of rows with quantity > 0, no "C" order and a time before `before`, in source-line order (see `OrdersEngine.salesLines`). */
export function salesLinesQuery(from: Source, before: number): Select {
  return {
    select: CANONICAL_ENGINE_COLUMNS.map((n) => [n, c(n)] as [string, Expr]),
    from,
    where: [x`${"quantity"} > 0`, x`NOT ${cOrder}`, x`${"timestamp"} < ${num(before)}`],
    orderBy: [c("_line")],
  };
}

/**
 * Purchase days per customer up to `until` (epoch ms, inclusive), the input of the
 * buy-till-you-die summary: lines with a customer, quantity > 0 (or none), a price that is
 * not negative and no "C" order, merged per (customer, UTC day) with value Σ quantity × price
 * (added in source-line order when `ordered`), sorted by customer and day. `day` is the
 * day's start in epoch ms.
 */
export function purchaseDaysQuery(from: Source, until: number, ordered = true): Select {
  const day: Expr = fn("floor", x`${"timestamp"} / ${num(DAY_MS)}`);
  const value: Expr = x`coalesce(${"quantity"}, 1) * ${"unit_price"}`;
  // Where the dialect has list sums, each day's values are one list sorted by line (a plain list
  // aggregate: it spills under a memory limit, unlike an ORDER BY aggregate over every line), summed outside.
  const viaList = (d: Dialect) => ordered && d.orderedList !== undefined && d.listSum !== undefined;
  const perDay: Select = {
    select: [
      ["customer_id", c("customer_id")],
      ["day", x`${day} * ${num(DAY_MS)}`],
      ["value", (d) => (viaList(d) ? "NULL" : byLine(value, ordered)(d))],
      ["ls", (d) => (viaList(d) ? d.orderedList!([["v", value(d)]], [d.ident("_line")]) : "NULL")],
    ],
    from,
    where: [hasCustomer, x`${"timestamp"} <= ${num(until)}`, x`(${"quantity"} > 0 OR ${"quantity"} IS NULL)`, x`(${"unit_price"} >= 0 OR ${"unit_price"} IS NULL)`, x`NOT ${cOrder}`],
    groupBy: [c("customer_id"), day],
  };
  return {
    select: [["customer_id", c("customer_id")], ["day", c("day")], ["value", (d) => (viaList(d) ? d.listSum!(d.ident("ls"), (f) => f("v")) : d.ident("value"))]],
    from: perDay,
    orderBy: [c("customer_id"), c("day")],
  };
}

/**
 * Quality aggregates over all accepted rows (one row): the counts custlab's
 * cleaning reports (cancellations, missing customers, zero prices,
 * non-positive quantities), distinct customers and orders, date range.
 * Duplicates come from the row count of {@link dedupeQuery}, or, when the rows
 * are distinct with a multiplicity column `weight`, from Σ weight − rows.
 */
export function qualityQuery(from: Source, weight?: string): Select {
  const cancel: Expr = x`(${cOrder} OR (${"quantity"} < 0 AND ${"unit_price"} > 0))`;
  const one: Expr = weight ? c(weight) : num(1);
  const iff = (cond: Expr, a: Expr, b: Expr): Expr => x`(CASE WHEN ${cond} THEN ${a === ONE ? one : a} ELSE ${b} END)`;
  return {
    select: [
      ["rows", weight ? x`coalesce(sum(${weight}), 0)` : x`count(*)`],
      ["distinct_rows", x`count(*)`],
      ["customers", fn("countDistinct", x`(CASE WHEN ${hasCustomer} THEN ${"customer_id"} END)`)],
      ["orders", fn("countDistinct", c("order_id"))],
      ["cancellation", x`coalesce(sum(${iff(cancel, ONE, num(0))}), 0)`],
      ["missing_customer_id", x`coalesce(sum(${iff(x`${"customer_id"} = ''`, ONE, num(0))}), 0)`],
      ["zero_price", x`coalesce(sum(${iff(x`${"unit_price"} = 0`, ONE, num(0))}), 0)`],
      ["non_positive_quantity", x`coalesce(sum(${iff(x`NOT ${cancel} AND ${"quantity"} <= 0`, ONE, num(0))}), 0)`],
      ["date_min", x`min(${"timestamp"})`],
      ["date_max", x`max(${"timestamp"})`],
    ],
    from,
  };
}

/** Marker for "one row" in {@link qualityQuery} (the row's weight when rows carry multiplicities). */
const ONE: Expr = num(1);

/** Purchase lines (customer, no "C" order, quantity > 0, price > 0) counted, for the quality summary. */
export function purchaseRowsQuery(from: Source): Select {
  return { select: [["rows", x`count(*)`]], from, where: [hasCustomer, isPurchaseLine] };
}

/** Baskets (distinct orders) and, per product, the baskets containing it: the counts association rules start from. */
export function basketCountsQuery(from: Source): Select {
  return {
    select: [["product_id", c("product_id")], ["baskets", fn("countDistinct", c("order_id"))]],
    from,
    where: [x`${"product_id"} <> ''`],
    groupBy: [c("product_id")],
  };
}

/** How one canonical column is read from a text staging table (a raw CSV column). */
export interface ValidateColumn {
  /** Canonical name. */
  name: string;
  /** Staging (source) column, absent → constant "" / NaN / 1 (quantity). */
  source?: string;
  type: "text" | "double" | "date";
  required?: boolean;
  trim?: boolean;
  stripFloatSuffix?: boolean;
  /** Values below zero are quarantined with this reason. */
  negativeReason?: string;
  /** Constant value when `source` is absent. */
  constant?: number;
  /** The staging column already has the engine's double / timestamp type (the CSV reader parsed it and rejected what did not parse). */
  typed?: boolean;
}

/**
 * Validation of a source (every source column as text — or as a double /
 * timestamp the reader already parsed, `typed`) onto the canonical columns,
 * with custlab's quarantine reasons (`missing_required`, `invalid_number`,
 * `non_finite_number`, `invalid_date`, `future_date`, and a column's
 * `negativeReason`): the first failing check of a row, in column order, names
 * the reason, the (source) column and the offending text. The result has the
 * canonical columns (without `_line`) plus `_reason`, `_column`, `_detail` and
 * `_raw`, all NULL on accepted rows — or, with `pack` (which builds one value,
 * e.g. a struct, from named fields), those four in one column `_q`, one CASE
 * per row instead of four. One boolean test (does any check hold?) runs per
 * row; the reason's CASE and `raw` (an expression over the source columns
 * named in `keep`, e.g. the row's text) run on rejected rows only, so the
 * result can be stored as the load's one table and read back cheaply
 * (accepted rows: `_reason IS NULL`, or `_q IS NULL`).
 */
export function validatedRowsQuery(source: Source, cols: ValidateColumn[], nowLimit: number, keep: string[] = [], raw?: (kept: Expr[]) => Expr, pack?: (fields: [string, Expr][]) => Expr): Select {
  const { inner, checks, mapped, out } = validation(cols, nowLimit);
  const kept = keep.map((k, i) => [`_keep${i}`, c(k)] as [string, Expr]);
  const bad = c("_bad");
  const ifBad = (e: Expr): Expr => x`(CASE WHEN ${bad} THEN ${e} END)`;
  const caseOf = (pick: (ch: (typeof checks)[number]) => Expr): Expr => (d) =>
    checks.length ? `(CASE ${checks.map((ch) => `WHEN ${ch[0](d)} THEN ${pick(ch)(d)}`).join(" ")} END)` : "NULL";
  // A check that is NULL is not taken (as in CASE WHEN): a row is rejected when some check is TRUE.
  const failing: Expr = (d) => (checks.length ? `coalesce(${checks.map((ch) => `(${ch[0](d)})`).join(" OR ")}, false)` : "false");
  // Parsed values (inner), then the test once per row (mid), then the outputs.
  const mid: Select = { select: [...[...inner, ...kept].map(([n]) => [n, c(n)] as [string, Expr]), ["_bad", failing]], from: { select: [...inner, ...kept], from: source } };
  const fields: [string, Expr][] = [
    ["_reason", caseOf((ch) => str(ch[1]))], ["_column", caseOf((ch) => str(mapped[ch[2]].source!))], ["_detail", caseOf((ch) => fn("text", c(`r${ch[2]}`)))],
    ["_raw", raw ? raw(kept.map(([n]) => c(n))) : str("")],
  ];
  return { select: [...out, ...(pack ? [["_q", ifBad(pack(fields))] as [string, Expr]] : fields.map(([n, e]) => [n, ifBad(e)] as [string, Expr]))], from: mid };
}

/** The parts of {@link validatedRowsQuery}: parsed values, ordered checks, canonical outputs. */
function validation(cols: ValidateColumn[], nowLimit: number) {
  // Inner: raw text r<j> and parsed value v<j> of every mapped column.
  const inner: [string, Expr][] = [];
  const mapped = cols.filter((v) => v.source);
  mapped.forEach((v, j) => {
    const s = c(v.source!);
    inner.push([`r${j}`, s]);
    if (v.type === "text") {
      let e: Expr = x`coalesce(${s}, '')`;
      if (v.trim) e = fn("trim", e);
      if (v.stripFloatSuffix) e = fn("stripFloatSuffix", e);
      inner.push([`v${j}`, e]);
    } else if (v.type === "double") inner.push([`v${j}`, v.typed ? s : fn("tryDouble", fn("trim", s))]);
    else inner.push([`v${j}`, v.typed ? fn("epochMs", s) : fn("tryEpochMs", fn("trim", s))]);
  });
  // Checks, in column order.
  const checks: [cond: Expr, reason: string, j: number][] = [];
  mapped.forEach((v, j) => {
    const r = c(`r${j}`), val = c(`v${j}`);
    if (v.type === "double" && v.typed) {
      if (v.required) checks.push([x`${r} IS NULL`, "missing_required", j]);
      checks.push([x`(${r} IS NOT NULL AND ${fn("nonFinite", r)} = 1)`, "non_finite_number", j]);
      if (v.negativeReason) checks.push([x`${r} < 0`, v.negativeReason, j]);
      return;
    }
    if (v.type === "date" && v.typed) {
      if (v.required) checks.push([x`${r} IS NULL`, "missing_required", j]);
      checks.push([x`${val} > ${num(nowLimit)}`, "future_date", j]);
      return;
    }
    // A text column's value is coalesce(raw, '') (trimmed when asked): empty ⇔ that value is ''.
    const empty: Expr = v.type === "text" && !v.stripFloatSuffix ? x`${val} = ''` : x`(${r} IS NULL OR ${fn("trim", r)} = '')`;
    if (v.required) checks.push([empty, "missing_required", j]);
    if (v.type === "double") {
      checks.push([x`(NOT ${empty} AND ${val} IS NULL)`, "invalid_number", j]);
      checks.push([x`(${val} IS NOT NULL AND ${fn("nonFinite", val)} = 1)`, "non_finite_number", j]);
      if (v.negativeReason) checks.push([x`${val} < 0`, v.negativeReason, j]);
    } else if (v.type === "date") {
      checks.push([x`(NOT ${empty} AND ${val} IS NULL)`, "invalid_date", j]);
      checks.push([x`${val} > ${num(nowLimit)}`, "future_date", j]);
    }
  });
  const out: [string, Expr][] = [];
  for (const [name, kind] of ENGINE_COLUMNS) {
    if (name === "_line") continue;
    const j = mapped.findIndex((v) => v.name === name);
    if (j < 0) {
      const v = cols.find((cc) => cc.name === name);
      out.push([name, kind === "text" ? str("") : num(v?.constant ?? (name === "quantity" ? 1 : 0))]);
    } else out.push([name, c(`v${j}`)]);
  }
  return { inner, checks, mapped, out };
}

/**
 * Each basket item's label: the first non-empty `product_name` (in source-line
 * order) over basket lines (a product, quantity > 0, no "C" order), as
 * `basketsFromTransactions` labels its items.
 */
export function productNamesQuery(from: Source): Select {
  return {
    // Named `first_name`: ClickHouse would read an alias equal to the column in WHERE.
    select: [["product_id", c("product_id")], ["first_name", fn("argMin2", c("product_name"), c("_line"), c("_line"))]],
    from,
    where: [x`${"product_id"} <> ''`, x`${"product_name"} <> ''`, x`${"quantity"} > 0`, x`NOT ${cOrder}`],
    groupBy: [c("product_id")],
  };
}

/**
 * Σ quantity × unit_price of the purchase lines (a customer, quantity and
 * price > 0, no "C" order) per customer, country and category: what segment personas rank
 * their top countries and categories by.
 */
export function purchaseTotalsQuery(from: Source): Select {
  return {
    select: [["customer_id", c("customer_id")], ["country", c("country")], ["category", c("category")], ["revenue", plainSum(lineValue)]],
    from,
    where: [hasCustomer, isPurchaseLine],
    groupBy: [c("customer_id"), c("country"), c("category")],
  };
}
