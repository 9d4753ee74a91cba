/**
 * SQL dialects and a small expression builder. Each relational stage of
 * custlab (`./stages`) is written once with these helpers; a {@link Dialect}
 * renders it for one engine. Portable SQL (arithmetic, comparisons, `CASE`,
 * `sum`/`min`/`max`/`count`) is written as text; everything engines spell
 * differently is a dialect function.
 * @module
 */

/** A SQL expression: rendered for a dialect when the query is built. */
export type Expr = (d: Dialect) => string;

/**
 * How one SQL engine spells the functions custlab's stages use. Add a dialect by
 * filling in this table (the README section "Engines" lists what Spark SQL, Trino
 * and BigQuery need for each entry).
 */
export interface Dialect {
  /** Engine name. */
  name: string;
  /** A quoted identifier. */
  ident(name: string): string;
  /** A string literal. */
  str(s: string): string;
  /** `x` starts with the literal prefix `p`. */
  startsWith(x: string, p: string): string;
  /** Distinct count of non-null values. */
  countDistinct(x: string): string;
  /** Value of `v` at the minimum of the tuple `(k1, k2)` (ties broken by k2). */
  argMin2(v: string, k1: string, k2: string): string;
  /**
   * Sum of `x` over a group, added in the order of `keys` where the engine can
   * (then the result is bit-identical to custlab's sequential sums); engines
   * without ordered aggregates sum in their own order (equal within rounding).
   */
  orderedSum(x: string, keys: string[]): string;
  /**
   * Optional: a sum of the double `x` over a group whose value does not depend on the order the
   * engine adds the rows in (its threads, shards, parts, insert order), for engines whose plain
   * `sum` is not deterministic. Stages use it where they would write `sum(x)`; without it, `sum(x)`.
   */
  stableSum?(x: string): string;
  /**
   * Optional, for engines whose ordered aggregates sort once per aggregate: the group's rows
   * as ONE list of structs (`fields`: name → expression) sorted by `keys`, and the sum, left
   * to right, of an element expression over such a list (`elem` reads a field through the
   * `ident` it is given). Many ordered sums over the same order then cost one sort.
   */
  orderedList?(fields: [name: string, expr: string][], keys: string[]): string;
  listSum?(list: string, elem: (ident: (name: string) => string) => string): string;
  /** Aggregate: the values of `x` in a group as a sorted list. */
  sortedList(x: string): string;
  /** 1-based position of `x` in the literal list `items` (rendered literals, comma-separated), as a 32-bit integer. */
  listPosition(items: string, x: string): string;
  /** Σ g of the gaps g = (consecutive differences of a sorted list) / `scale` (0 for < 2 values). */
  gapSum(list: string, scale: string): string;
  /** Σ (g − mean g)² of those gaps (0 for < 2 values). */
  gapSS(list: string, scale: string): string;

  /** 1 when epoch-ms `ms` falls on a Saturday or Sunday (UTC), else 0. */
  isWeekend(ms: string): string;
  /** Month 1..12 of epoch-ms `ms` (UTC). */
  month(ms: string): string;
  /** Largest integer ≤ x, as a double. */
  floor(x: string): string;
  /** `x` as a double, NULL when it does not parse. */
  tryDouble(x: string): string;
  /** Epoch ms (double) of the text timestamp `x` in UTC, NULL when it does not parse. */
  tryEpochMs(x: string): string;
  /** Epoch ms (double) of a typed timestamp `x` (UTC). */
  epochMs(x: string): string;
  /** 1 when the double `x` is NaN or ±Infinity. */
  nonFinite(x: string): string;
  /** `x` without leading/trailing spaces and tabs. */
  trim(x: string): string;
  /** `x` with one trailing ".0" removed (ids read as floats: "17850.0" → "17850"). */
  stripFloatSuffix(x: string): string;
  /** Text of `x` (NULL → ''). */
  text(x: string): string;
  /** Absolute value. */
  abs(x: string): string;
}

const qBackslash = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
const qStd = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** DuckDB (embedded; custlab's out-of-core engine). */
export const DUCKDB: Dialect = {
  name: "duckdb",
  ident: (n) => `"${n.replace(/"/g, '""')}"`,
  str: qStd,
  startsWith: (x, p) => `starts_with(${x}, ${p})`,
  countDistinct: (x) => `count(DISTINCT ${x})`,
  argMin2: (v, k1, k2) => `arg_min(${v}, (${k1}, ${k2}))`,
  orderedSum: (x, keys) => `sum(${x} ORDER BY ${keys.join(", ")})`,
  // A plain (parallel hash) list aggregate, then each group's list sorted by its leading key fields:
  // much cheaper than an ORDER BY aggregate, which sorts the whole input.
  orderedList: (fields, keys) => `list_sort(list(struct_pack(${[...keys.map((k, i) => `"_k${i}" := ${k}`), ...fields.map(([n, e]) => `"${n}" := ${e}`)].join(", ")})))`,
  listSum: (l, elem) => `list_sum([${elem((n) => `_e."${n.replace(/"/g, '""')}"`)} for _e in ${l}])`,
  sortedList: (x) => `list(${x} ORDER BY ${x})`,
  listPosition: (items, x) => `list_position([${items}], ${x})`,
  gapSum: (l, s) => `coalesce(list_sum([(${l}[i + 1] - ${l}[i]) / ${s} for i in range(1, len(${l}))]), 0)`,
  gapSS: (l, s) => {
    const g = `[(${l}[i + 1] - ${l}[i]) / ${s} for i in range(1, len(${l}))]`;
    return `coalesce(list_sum([(v - list_sum(${g}) / len(${g})) * (v - list_sum(${g}) / len(${g})) for v in ${g}]), 0)`;
  },
  isWeekend: (ms) => `(CASE WHEN dayofweek(epoch_ms(CAST(${ms} AS BIGINT))) IN (0, 6) THEN 1 ELSE 0 END)`,
  month: (ms) => `month(epoch_ms(CAST(${ms} AS BIGINT)))`,
  floor: (x) => `floor(${x})`,
  tryDouble: (x) => `TRY_CAST(${x} AS DOUBLE)`,
  // ISO forms (with or without zone; the session time zone is UTC) first, then US month/day forms.
  tryEpochMs: (x) => `CAST(coalesce(epoch_ms(TRY_CAST(${x} AS TIMESTAMPTZ)), epoch_ms(try_strptime(${x}, ['%m/%d/%Y %H:%M', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y']))) AS DOUBLE)`,
  epochMs: (x) => `CAST(epoch_ms(${x}) AS DOUBLE)`,
  nonFinite: (x) => `(CASE WHEN isnan(${x}) OR isinf(${x}) THEN 1 ELSE 0 END)`,
  trim: (x) => `(CASE WHEN starts_with(${x}, ' ') OR ends_with(${x}, ' ') OR contains(${x}, chr(9)) THEN trim(${x}, ' ' || chr(9)) ELSE ${x} END)`,
  stripFloatSuffix: (x) => `(CASE WHEN length(${x}) > 2 AND ends_with(${x}, '.0') THEN left(${x}, length(${x}) - 2) ELSE ${x} END)`,
  text: (x) => `coalesce(CAST(${x} AS VARCHAR), '')`,
  abs: (x) => `abs(${x})`,
};

/** ClickHouse (18.16 and later: no window functions, no named subqueries, so none are used; ordered sums sort each group's values with their keys, then add them). */
export const CLICKHOUSE: Dialect = {
  name: "clickhouse",
  ident: (n) => "`" + n.replace(/`/g, "\\`") + "`",
  str: qBackslash,
  startsWith: (x, p) => `startsWith(${x}, ${p})`,
  countDistinct: (x) => `uniqExact(${x})`,
  argMin2: (v, k1, k2) => `argMin(${v}, tuple(${k1}, ${k2}))`,
  // The group's (value, keys) tuples sorted by the keys, then added left to right (arraySum is a plain loop).
  orderedSum: (x, keys) => `arraySum(arrayMap(t -> t.1, arraySort(t -> tuple(${keys.map((_, i) => `t.${i + 2}`).join(", ")}), groupArray(tuple(${x}, ${keys.join(", ")})))))`,
  // Fixed point, added as integers (associative, so any order of rows, threads, shards and parts gives the
  // same bits): each value split exactly into its integer part and two 30-bit fractions (x − trunc x is
  // exact), the three Int64 sums recombined in one fixed expression; bits below 2^-60 of each value are
  // dropped (≤ 2^-60 × rows absolute). Groups with a non-finite value or Σ|x| ≥ 4e18 (Int64 range) get the plain sum.
  stableSum: (x) => {
    const v = `(${x})`, f = `(${v} - toInt64(${v}))`, f30 = `(${f} * 1073741824.0)`, r = `(${f30} - toInt64(${f30}))`;
    return `if(sum(abs(${v})) < 4.0e18, toFloat64(sum(toInt64(${v}))) + (toFloat64(sum(toInt64(${f30}))) + toFloat64(sum(toInt64(${r} * 1073741824.0))) / 1073741824.0) / 1073741824.0, sum(${v}))`;
  },
  sortedList: (x) => `arraySort(groupArray(${x}))`,
  listPosition: (items, x) => `toInt32(indexOf([${items}], ${x}))`,
  gapSum: (l, s) => `arraySum(arrayMap(v -> v / ${s}, arrayPopFront(arrayDifference(${l}))))`,
  gapSS: (l, s) => {
    const g = `arrayMap(v -> v / ${s}, arrayPopFront(arrayDifference(${l})))`;
    return `if(length(${l}) < 2, 0, arraySum(arrayMap(v -> (v - arraySum(${g}) / length(${g})) * (v - arraySum(${g}) / length(${g})), ${g})))`;
  },
  isWeekend: (ms) => `(toDayOfWeek(toDateTime(intDiv(toInt64(${ms}), 1000), 'UTC')) >= 6)`,
  month: (ms) => `toMonth(toDateTime(intDiv(toInt64(${ms}), 1000), 'UTC'))`,
  floor: (x) => `floor(${x})`,
  tryDouble: (x) => `toFloat64OrNull(${x})`,
  tryEpochMs: (x) => `toFloat64(toUnixTimestamp(parseDateTimeBestEffortOrNull(${x}, 'UTC'))) * 1000`,
  epochMs: (x) => `toFloat64(toUnixTimestamp(${x})) * 1000`,
  nonFinite: (x) => `(isNaN(${x}) OR isInfinite(${x}))`,
  trim: (x) => `replaceRegexpAll(${x}, '^[ \\\\t]+|[ \\\\t]+$', '')`,
  stripFloatSuffix: (x) => `if(length(${x}) > 2 AND endsWith(${x}, '.0'), substring(${x}, 1, length(${x}) - 2), ${x})`,
  text: (x) => `ifNull(toString(${x}), '')`,
  abs: (x) => `abs(${x})`,
};

/** Every dialect custlab can render, by name. */
export const DIALECTS: Readonly<Record<string, Dialect>> = { duckdb: DUCKDB, clickhouse: CLICKHOUSE };

/** A portable SQL fragment with embedded expressions: x`sum(${a} * ${b})`. */
export function x(strings: TemplateStringsArray, ...parts: (Expr | string | number)[]): Expr {
  return (d) => {
    let s = strings[0];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      s += (typeof p === "function" ? p(d) : typeof p === "number" ? num(p)(d) : d.ident(p)) + strings[i + 1];
    }
    return s;
  };
}

/** A column reference. */
export const col = (name: string): Expr => (d) => d.ident(name);
/** A numeric literal rendered as a double (`86400000.0`; never integer division). */
export const num = (v: number): Expr => () => {
  if (!Number.isFinite(v)) throw new Error(`SQL literal must be finite, got ${v}`);
  const s = String(v);
  return /[.e]/.test(s) ? s : s + ".0";
};
/** A string literal. */
export const str = (s: string): Expr => (d) => d.str(s);
/** A dialect function applied to expressions, e.g. `fn("startsWith", col("order_id"), str("C"))`. */
export function fn<K extends { [P in keyof Dialect]-?: Dialect[P] extends (...a: string[]) => string ? P : never }[keyof Dialect]>(name: K, ...args: Expr[]): Expr {
  return (d) => ((d as unknown as Record<K, (...a: string[]) => string>)[name])(...args.map((a) => a(d)));
}
/** `CASE WHEN cond THEN a ELSE b END`. */
export const iff = (cond: Expr, a: Expr, b: Expr): Expr => x`(CASE WHEN ${cond} THEN ${a} ELSE ${b} END)`;
/** AND of conditions (TRUE when none). */
export const and = (...cs: Expr[]): Expr => (d) => (cs.length ? cs.map((c) => `(${c(d)})`).join(" AND ") : "1 = 1");

/** A source a query reads from: a table name, a nested query, or SQL text of a table function (e.g. DuckDB's `read_csv(…)`). */
export type Source = string | Select | { sql: string };

/** One SELECT: columns by alias, source, filters, grouping. Render with {@link render}. */
export interface Select {
  select: [alias: string, expr: Expr][];
  from: Source;
  where?: Expr[];
  groupBy?: Expr[];
  orderBy?: Expr[];
}

let aliasCounter = 0;
/**
 * SQL text of a {@link Select} in a dialect. Nested sources become subqueries
 * (no named subqueries: ClickHouse 18 has none).
 *
 * @example
 * render({ select: [["n", x`count(*)`]], from: "orders" }, DUCKDB); // 'SELECT count(*) AS "n" FROM "orders"'
 */
export function render(q: Select, d: Dialect): string {
  const cols = q.select.map(([a, e]) => `${e(d)} AS ${d.ident(a)}`).join(", ");
  const from = typeof q.from === "string" ? q.from.split(".").map((p) => d.ident(p)).join(".") : "sql" in q.from ? q.from.sql : `(${render(q.from, d)}) AS ${d.ident("s" + aliasCounter++)}`;
  let sql = `SELECT ${cols} FROM ${from}`;
  if (q.where && q.where.length) sql += ` WHERE ${and(...q.where)(d)}`;
  if (q.groupBy && q.groupBy.length) sql += ` GROUP BY ${q.groupBy.map((g) => g(d)).join(", ")}`;
  if (q.orderBy && q.orderBy.length) sql += ` ORDER BY ${q.orderBy.map((g) => g(d)).join(", ")}`;
  return sql;
}
