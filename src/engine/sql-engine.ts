import { Table } from "../table";
import { CustlabError } from "../util/errors";
import type { LoadReport } from "../io/reader";
import type { CustomerFeaturesOptions } from "../features/customer";
import { churnLabelTable } from "../features/labels";
import type { ChurnLabelOptions } from "../features/labels";

import type { Dialect, Select, Source } from "./dialect";
import { basketCountsQuery, dedupeQuery, salesLinesQuery, ENGINE_COLUMNS, featureLinesGrainQuery, featureLinesQuery, featureOrdersQuery, firstCountQuery, firstPurchaseQuery, labelQuery, modeQuery, orderGrainQuery, productNamesQuery, purchaseDaysQuery, purchaseRowsQuery, purchaseTotalsQuery, qualityQuery, rfmQuery } from "./stages";
import { basketsFromLists } from "./baskets";
import { and, col, fn, num, render, x } from "./dialect";
import type { Baskets } from "../rules/baskets";
import type { BasketCounts, EngineLoadOptions, EngineName, EngineQuality, EngineRFMOptions, OrdersEngine } from "./types";
import { DAY_MS } from "../util/numeric";

/** Columns of a result, by name (numbers as JS numbers, text as strings). */
export type ResultColumns = Record<string, unknown[]>;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const toNum = (v: unknown): number => (v === null || v === undefined ? NaN : typeof v === "number" ? v : Number(v as string | bigint));

/**
 * What the SQL engines share: the stages of `./stages` rendered in the
 * engine's dialect, and the customer-level finishing in TypeScript (recency
 * from the maximum, feature formulas, label classes) — so DuckDB and
 * ClickHouse give the memory engine's tables.
 * @internal
 */
export abstract class SqlEngine implements OrdersEngine {
  abstract readonly name: EngineName;
  abstract readonly dialect: Dialect;
  /** Accepted rows (with duplicates). */
  protected allRows?: Source;
  /** Rows without exact duplicates (what the stages read). */
  protected rows?: Source;
  /** Duplicates known at load time (else counted by a query). */
  protected duplicates?: number;
  /** Column of `allRows` holding each row's multiplicity (its rows are then distinct). */
  protected weight?: string;
  /** Sums in custlab's order (bit-identical to memory) where the dialect can; engines switch it off for large inputs. */
  ordered = true;
  /**
   * The rows are one table in source-line order and {@link SqlEngine.serial} runs a query on one
   * thread (DuckDB's load table): a plain sum there adds each group's values in line order, the
   * memory engine's order, without a sorted list per group. Engines set it per load. @internal
   */
  protected serialSumsInLineOrder = false;
  /** The order grain tables of the current rows (see {@link SqlEngine.grain}). */
  private grainOf?: { rows: Source; orders: Source; products: Source; categories: Source };

  /**
   * Store a query's result as a table named `name` (replacing one of that name) and return it as
   * a source, or undefined where the engine does not (then stages read the rows each time).
   */
  protected async materialize(_name: string, _q: Select): Promise<Source | undefined> { return undefined; }

  /**
   * Run `f` with the engine's aggregates on one thread where the engine can (DuckDB), so plain sums
   * add a group's rows in table order: the same result from run to run. Default: just run it.
   */
  protected async serial<T>(f: () => Promise<T>): Promise<T> { return f(); }

  /**
   * For large inputs (sums not in custlab's order), the customer-order grain of the rows
   * (`orderGrainQuery`) and the first purchase of each (customer, product) and (customer,
   * category), materialised once per load: features, labels and RFM at any number of cutoffs then
   * read tables about as large as the orders, not the lines. Undefined for ordered inputs and
   * for engines that do not materialise.
   */
  protected async grain(): Promise<{ orders: Source; products: Source; categories: Source } | undefined> {
    if (this.ordered) return undefined;
    await this.prepare();
    const rows = this.need();
    if (this.grainOf?.rows === rows) return this.grainOf;
    const orders = await this.serial(() => this.materialize("custlab_grain_orders", orderGrainQuery(rows)));
    if (!orders) return undefined;
    const products = (await this.materialize("custlab_grain_products", firstPurchaseQuery(rows, "product_id")))!;
    const categories = (await this.materialize("custlab_grain_categories", firstPurchaseQuery(rows, "category")))!;
    this.grainOf = { rows, orders, products, categories };
    return this.grainOf;
  }

  abstract describe(): string;
  abstract loadFile(file: string, options?: EngineLoadOptions): Promise<LoadReport>;
  abstract useTable(name: string): Promise<void>;
  abstract close(): Promise<void>;
  /** Run one query and return its columns. */
  abstract query(sql: string): Promise<ResultColumns>;

  /** SQL text of a stage in this engine's dialect. */
  sqlOf(q: Select): string { return render(q, this.dialect); }

  /** @internal */
  need(): Source {
    if (!this.rows) throw new CustlabError("E_ENGINE", `${this.name} engine: no orders loaded (give a file, or --table <name>)`);
    return this.rows;
  }

  protected async run(q: Select): Promise<ResultColumns> { return this.query(this.sqlOf(q)); }

  /**
   * Called before a stage that issues several queries over the rows: an engine
   * that keeps its rows as a lazy query (validated, de-duplicated) materialises
   * them here once. A single-query stage (RFM) reads the lazy query directly.
   */
  async prepare(): Promise<void> { /* rows are a table already */ }

  /** The quality counts of the current rows (stages ask for them several times: data end, CLV's observation end). */
  private qualityOf?: { rows: Source; q: EngineQuality };

  async quality(): Promise<EngineQuality> {
    await this.prepare();
    const rows = this.need();
    if (this.qualityOf?.rows === rows) return { ...this.qualityOf.q };
    const q = await this.countQuality(rows);
    this.qualityOf = { rows, q };
    return { ...q };
  }

  private async countQuality(rows: Source): Promise<EngineQuality> {
    const [q, p] = await Promise.all([this.run(qualityQuery(this.allRows!, this.weight)), this.run(purchaseRowsQuery(rows))]);
    let dup = this.duplicates;
    if (this.weight) dup = toNum(q.rows[0]) - toNum(q.distinct_rows[0]);
    else if (dup === undefined) {
      const d = await this.run({ select: [["n", () => "count(*)"]], from: rows });
      dup = toNum(q.rows[0]) - toNum(d.n[0]);
    }
    const g = (k: string) => toNum(q[k][0]);
    return {
      rows: g("rows"), customers: g("customers"), orders: g("orders"), duplicate_row: dup, cancellation: g("cancellation"),
      missing_customer_id: g("missing_customer_id"), zero_price: g("zero_price"), non_positive_quantity: g("non_positive_quantity"),
      purchase_rows: toNum(p.rows[0]), date_min: g("date_min"), date_max: g("date_max"),
    };
  }

  async rfm(options: EngineRFMOptions = {}): Promise<Table> {
    if (options.asOf !== undefined && !Number.isFinite(options.asOf)) throw new CustlabError("E_OPTION", `customerRFM: option asOf must be a finite epoch-ms number, got ${options.asOf}`);
    if (options.before !== undefined && Number.isNaN(options.before)) throw new CustlabError("E_OPTION", `rfm: option before must be an epoch-ms number, got ${options.before}`);
    const g = await this.grain();
    // Ordered sums: a plain sum on one thread where it adds in line order (half the CPU of a
    // sorted list per customer at 1×: 89 vs 194 ms), else the dialect's ordered form.
    const r = g ? await this.run(rfmQuery(g.orders, options.before, true))
      : this.ordered && this.serialSumsInLineOrder ? await this.serial(() => this.run(rfmQuery(this.need(), options.before, false, false)))
        : await this.run(rfmQuery(this.need(), options.before, false, this.ordered));
    const ids = r.customer_id as string[];
    const m = ids.length;
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => cmp(ids[a], ids[b]));
    const last = Float64Array.from(order, (k) => toNum(r.last_ts[k]));
    let maxTs = -Infinity;
    for (let i = 0; i < m; i++) if (last[i] > maxTs) maxTs = last[i];
    const asOf = options.asOf ?? (m > 0 ? maxTs + DAY_MS : NaN);
    return new Table(
      {
        customer_id: order.map((k) => ids[k]),
        recency_days: Int32Array.from(last, (l) => Math.floor((asOf - l) / DAY_MS)),
        frequency: Int32Array.from(order, (k) => toNum(r.frequency[k])),
        monetary: Float64Array.from(order, (k) => toNum(r.monetary[k])),
        first_ts: Float64Array.from(order, (k) => toNum(r.first_ts[k])),
        last_ts: last,
      },
      { recency_days: "integer", frequency: "integer", monetary: "number", first_ts: "date", last_ts: "date" },
    );
  }

  async features(options: CustomerFeaturesOptions): Promise<Table> {
    const cutoff = options?.cutoff;
    if (typeof cutoff !== "number" || !Number.isFinite(cutoff)) throw new CustlabError("E_OPTION", `customerFeatures: option cutoff must be a finite epoch-ms number (e.g. Date.parse("2011-09-09")), got ${String(cutoff)}`);
    const windows = options.windows ?? [30, 90, 180, 365];
    const T = options.trendMonths ?? 12;
    await this.prepare();
    const src = this.need();
    const g = await this.grain();
    const [o, l, country, channel, products, categories] = await Promise.all(g
      ? [
        this.run(featureOrdersQuery(g.orders, { cutoff, windows, trendMonths: T, grain: true })),
        this.run(featureLinesGrainQuery(g.orders, cutoff)),
        this.run(modeQuery(g.orders, cutoff, "country", "lines")),
        this.run(modeQuery(g.orders, cutoff, "channel", "lines")),
        this.run(firstCountQuery(g.products, cutoff)),
        this.run(firstCountQuery(g.categories, cutoff)),
      ]
      : [
        this.run(featureOrdersQuery(src, { cutoff, windows, trendMonths: T, ordered: this.ordered })),
        this.run(featureLinesQuery(src, cutoff)),
        this.run(modeQuery(src, cutoff, "country")),
        this.run(modeQuery(src, cutoff, "channel")),
      ]);
    const ids = o.customer_id as string[];
    const m = ids.length;
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => cmp(ids[a], ids[b]));
    const index = (res: ResultColumns) => { const mp = new Map<string, number>(); (res.customer_id as string[]).forEach((c, i) => mp.set(c, i)); return mp; };
    const li = index(l), ci = index(country), hi = index(channel);
    const pi = products ? index(products) : undefined, gi = categories ? index(categories) : undefined;
    const f64 = () => new Float64Array(m);
    const recency = f64(), tenure = f64(), freq = new Int32Array(m), monetary = f64(), aov = f64(), iptMean = f64(), iptStd = f64();
    const wOrders = windows.map(() => new Int32Array(m)), wSpend = windows.map(() => f64());
    const trend = f64(), bUnits = f64(), bLines = f64(), nProd = new Int32Array(m), nCat = new Int32Array(m), retRate = f64(), weekend = f64(), q4 = f64();
    const countryOut: string[] = new Array(m), channelOut: string[] = new Array(m);
    const num = (res: ResultColumns, k: string, i: number) => toNum(res[k][i]);
    // Window and bin columns looked up once, not by a built name per customer.
    const oWin = windows.map((_, w) => o[`orders_w${w}`]), sWin = windows.map((_, w) => o[`spend_w${w}`]);
    const bins = Array.from({ length: T }, (_, b) => o[`bin${b}`]);
    for (let j = 0; j < m; j++) {
      const k = order[j], id = ids[k];
      const n = num(o, "n", k), first = num(o, "first_ts", k), last = num(o, "last_ts", k), spend = num(o, "spend", k);
      recency[j] = (cutoff - last) / DAY_MS;
      tenure[j] = (cutoff - first) / DAY_MS;
      freq[j] = n;
      monetary[j] = spend;
      aov[j] = spend / n;
      iptMean[j] = n >= 2 ? num(o, "gap_sum", k) / (n - 1) : NaN;
      iptStd[j] = n >= 3 ? Math.sqrt(num(o, "gap_ss", k) / (n - 1)) : NaN;
      for (let w = 0; w < windows.length; w++) { wOrders[w][j] = toNum(oWin[w][k]); wSpend[w][j] = toNum(sWin[w][k]); }
      // Spend trend: OLS slope of bin spend on x = −bin over bins 0..F, F = min(T − 1, first order's bin)
      // (the same arithmetic as customerFeatures, on the engine's per-bin sums).
      const firstBin = Math.min(T - 1, Math.floor((cutoff - first) / DAY_MS / 30));
      if (firstBin >= 1) {
        let sx = 0, sy = 0;
        const cnt = firstBin + 1;
        for (let b = 0; b <= firstBin; b++) { sx += -b; sy += toNum(bins[b][k]); }
        const mx = sx / cnt, my = sy / cnt;
        let sxy = 0, sxx = 0;
        for (let b = 0; b <= firstBin; b++) { const yb = toNum(bins[b][k]); sxy += (-b - mx) * (yb - my); sxx += (-b - mx) * (-b - mx); }
        trend[j] = sxx > 0 ? sxy / sxx : 0;
      }
      bUnits[j] = num(o, "units", k) / n;
      bLines[j] = num(o, "lines", k) / n;
      weekend[j] = num(o, "weekend", k) / n;
      q4[j] = num(o, "q4", k) / n;
      const a = li.get(id);
      if (a !== undefined) {
        if (pi && gi) {
          const p = pi.get(id), q = gi.get(id);
          nProd[j] = p === undefined ? 0 : num(products!, "n", p); nCat[j] = q === undefined ? 0 : num(categories!, "n", q);
        } else { nProd[j] = num(l, "products", a); nCat[j] = num(l, "categories", a); }
        const b = num(l, "bought", a), r = num(l, "returned", a), tot = b + r;
        retRate[j] = tot > 0 ? r / tot : 0;
      }
      const cc = ci.get(id), hh = hi.get(id);
      countryOut[j] = cc === undefined ? "" : String(country.mode[cc] ?? "");
      channelOut[j] = hh === undefined ? "" : String(channel.mode[hh] ?? "");
    }
    const cols: Record<string, Float64Array | Int32Array | string[]> = {
      customer_id: order.map((k) => ids[k]),
      recency_days: recency, tenure_days: tenure, frequency: freq, monetary, avg_order_value: aov,
      ipt_mean_days: iptMean, ipt_std_days: iptStd,
    };
    windows.forEach((w, j) => { cols[`orders_${w}d`] = wOrders[j]; cols[`spend_${w}d`] = wSpend[j]; });
    Object.assign(cols, {
      spend_trend: trend, basket_units: bUnits, basket_lines: bLines, distinct_products: nProd, distinct_categories: nCat,
      return_rate: retRate, weekend_share: weekend, q4_share: q4, country: countryOut, channel: channelOut,
    });
    return new Table(cols);
  }

  async labels(customers: string[] | Table, options: ChurnLabelOptions): Promise<Table> {
    const cutoff = options?.cutoff;
    if (typeof cutoff !== "number" || !Number.isFinite(cutoff)) throw new CustlabError("E_OPTION", `churnLabels: option cutoff must be a finite epoch-ms number, got ${String(cutoff)}`);
    const H = options.horizonDays ?? 90;
    if (!(H > 0)) throw new CustlabError("E_OPTION", `churnLabels: option horizonDays must be > 0, got ${H}`);
    const ids = Array.isArray(customers) ? customers : customers.str("customer_id");
    await this.prepare();
    const g = await this.grain();
    const r = await this.run(g ? labelQuery(g.orders, cutoff, H, false, true) : labelQuery(this.need(), cutoff, H, this.ordered));
    const at = new Map<string, number>();
    (r.customer_id as string[]).forEach((c, i) => at.set(c, i));
    const n = ids.length;
    const fo = new Int32Array(n), fs = new Float64Array(n), po = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = at.get(ids[k]);
      if (i === undefined) continue;
      fo[k] = toNum(r.future_orders[i]); fs[k] = toNum(r.future_spend[i]); po[k] = toNum(r.past_orders[i]);
    }
    return churnLabelTable(ids, fo, fs, po, options);
  }

  async purchaseDays(until: number): Promise<Table> {
    if (typeof until !== "number" || Number.isNaN(until)) throw new CustlabError("E_OPTION", `purchaseDays: until must be an epoch-ms number, got ${String(until)}`);
    await this.prepare();
    // Above exactRowsLimit: plain sums on one thread (deterministic), as an ordered aggregate over every line runs out of memory.
    const q = purchaseDaysQuery(this.need(), Number.isFinite(until) ? until : 8.64e15, this.ordered);
    const r = this.ordered ? await this.run(q) : await this.serial(() => this.run(q));
    const ids = (r.customer_id as unknown[]).map(String);
    // Sorted here in JavaScript's string order (the engine's collation may differ), stable by day.
    const order = Array.from(ids, (_, i) => i).sort((a, b) => cmp(ids[a], ids[b]) || toNum(r.day[a]) - toNum(r.day[b]));
    return new Table(
      { customer_id: order.map((i) => ids[i]), day: Float64Array.from(order, (i) => toNum(r.day[i])), value: Float64Array.from(order, (i) => toNum(r.value[i])) },
      { day: "date" },
    );
  }

  async basketItems(minSupport: number): Promise<Baskets> { return sqlBasketItems(this, minSupport); }

  async salesLines(before: number): Promise<Table> {
    if (typeof before !== "number" || Number.isNaN(before)) throw new CustlabError("E_OPTION", `salesLines: before must be an epoch-ms number, got ${String(before)}`);
    await this.prepare();
    const r = await this.run(salesLinesQuery(this.need(), Number.isFinite(before) ? before : 8.64e15));
    const cols: Record<string, string[] | Float64Array> = {};
    for (const [n, kind] of ENGINE_COLUMNS) {
      if (n === "_line") continue;
      cols[n] = kind === "text" ? (r[n] as unknown[]).map((v) => (v === null || v === undefined ? "" : String(v))) : Float64Array.from(r[n] as unknown[], toNum);
    }
    return new Table(cols, { timestamp: "date" });
  }

  async productNames(): Promise<Table> {
    await this.prepare();
    const r = await this.run(productNamesQuery(this.need()));
    const ids = (r.product_id as unknown[]).map(String);
    const order = Array.from(ids, (_, i) => i).sort((a, b) => cmp(ids[a], ids[b]));
    return new Table({ product_id: order.map((i) => ids[i]), product_name: order.map((i) => String(r.first_name[i])) });
  }

  async purchaseTotals(): Promise<Table> {
    await this.prepare();
    const r = await this.run(purchaseTotalsQuery(this.need()));
    const ids = (r.customer_id as unknown[]).map(String), cty = (r.country as unknown[]).map(String), cat = (r.category as unknown[]).map(String);
    const order = Array.from(ids, (_, i) => i).sort((a, b) => cmp(ids[a], ids[b]) || cmp(cty[a], cty[b]) || cmp(cat[a], cat[b]));
    return new Table({ customer_id: order.map((i) => ids[i]), country: order.map((i) => cty[i]), category: order.map((i) => cat[i]), revenue: Float64Array.from(order, (i) => toNum(r.revenue[i])) });
  }

  async basketCounts(): Promise<BasketCounts> {
    await this.prepare();
    const src = this.need();
    const [items, b] = await Promise.all([
      this.run(basketCountsQuery(src)),
      this.run({ select: [["n", (d) => d.countDistinct(d.ident("order_id"))]], from: src, where: [(d) => `${d.ident("product_id")} <> ''`] }),
    ]);
    const ids = items.product_id as string[];
    const order = Array.from(ids, (_, i) => i).sort((a, c) => cmp(ids[a], ids[c]));
    return { baskets: toNum(b.n[0]), items: new Table({ product_id: order.map((i) => ids[i]), baskets: Int32Array.from(order, (i) => toNum(items.baskets[i])) }) };
  }
}

/** Lines that are basket items: a product, quantity > 0, no "C" order. */
const basketLine = and(x`${"product_id"} <> ''`, x`${"quantity"} > 0`, x`NOT ${fn("startsWith", col("order_id"), (d) => d.str("C"))}`);

/** @internal */
export async function sqlBasketItems(e: SqlEngine, minSupport: number): Promise<Baskets> {
  if (!(minSupport >= 0 && minSupport <= 1)) throw new CustlabError("E_OPTION", `basketItems: minSupport must be in [0, 1], got ${minSupport}`);
  await e.prepare();
  const src = e.need();
  const nb = await e.query(e.sqlOf({ select: [["n", fn("countDistinct", col("order_id"))]], from: src, where: [basketLine] }));
  const N = toNum(nb.n[0]);
  const minCount = Math.ceil(minSupport * N - 1e-9);
  const counted: Select = { select: [["product_id", col("product_id")], ["cnt", fn("countDistinct", col("order_id"))]], from: src, where: [basketLine], groupBy: [col("product_id")] };
  // The frequent items (few) come back by name; the baskets come back as one sorted list of item
  // codes (positions in that list) per order, not one string pair per line.
  const frequent = await e.query(e.sqlOf({ select: [["product_id", col("product_id")]], from: counted, where: [x`${"cnt"} >= ${num(minCount)}`], orderBy: [col("product_id")] }));
  const names = (frequent.product_id as unknown[]).map(String);
  if (!names.length) return basketsFromLists([], [], [], N, `${e.name} engine`);
  const literal = (d: Dialect) => names.map((n) => d.str(n)).join(", ");
  const coded: Select = {
    select: [["order_id", col("order_id")], ["code", (d) => d.listPosition(literal(d), d.ident("product_id"))]],
    from: src,
    where: [basketLine, (d) => `${d.ident("product_id")} IN (${literal(d)})`],
    groupBy: [col("order_id"), col("product_id")],
  };
  const lists = await e.query(e.sqlOf({ select: [["order_id", col("order_id")], ["items", fn("sortedList", col("code"))]], from: coded, groupBy: [col("order_id")], orderBy: [col("order_id")] }));
  return basketsFromLists((lists.order_id as unknown[]).map(String), lists.items as ArrayLike<number>[], names, N, `${e.name} engine`);
}

/** A dedupe subquery over a table (for tables the engine did not load itself). @internal */
export function dedupedSource(table: string): Source { return dedupeQuery(table); }
