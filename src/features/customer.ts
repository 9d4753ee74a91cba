import { Table } from "../table";
import { CustlabError } from "../util/errors";
import { DAY_MS } from "../util/numeric";

/** Milliseconds in one day. */
export { DAY_MS };
/** Length of the "month" bins used by the trend feature and {@link monthlySequences}: 30 days. */
export const MONTH_DAYS = 30;

/** Options for {@link customerFeatures}. */
export interface CustomerFeaturesOptions {
  /** Cutoff time (epoch ms UTC). Only rows with `timestamp < cutoff` are read. Required. */
  cutoff: number;
  /** Trailing windows in days for `orders_{w}d` / `spend_{w}d` (default [30, 90, 180, 365]). */
  windows?: number[];
  /** Number of 30-day bins before the cutoff the spend trend is fitted on (default 12). */
  trendMonths?: number;
}

function need(tx: Table, cols: string[], fn: string): void {
  for (const c of cols) if (!tx.has(c)) throw new CustlabError("E_MISSING_COLUMN", `${fn}: transactions need column "${c}" (have: ${tx.columnNames().join(", ")})`, { column: c });
}

function checkTime(v: unknown, name: string, fn: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new CustlabError("E_OPTION", `${fn}: option ${name} must be a finite epoch-ms number (e.g. Date.parse("2011-09-09")), got ${String(v)}`);
  return v;
}

/** True for a purchase line: quantity > 0, unit_price > 0 and an order id not starting with "C". @internal */
export function isPurchase(q: number, p: number, order: string): boolean {
  return q > 0 && p > 0 && order.charCodeAt(0) !== 67;
}

/** Orders of one customer, before a cutoff, grouped from lines. @internal */
export interface CustomerOrders {
  customers: string[];
  /** Per customer: order start offsets into the order arrays (length customers + 1). */
  offsets: Int32Array;
  /** Order time (first line), value, units, lines — orders sorted by time within a customer. */
  ts: Float64Array;
  value: Float64Array;
  units: Float64Array;
  lines: Int32Array;
}

/**
 * Group purchase lines with `tsLo <= timestamp < tsHi` into orders per
 * customer. Customers are sorted by id (string order); orders by time.
 * @internal
 */
export function groupOrders(tx: Table, tsLo: number, tsHi: number, keepRow?: (i: number) => void): CustomerOrders {
  const cust = tx.str("customer_id"), ord = tx.str("order_id"), ts = tx.num("timestamp"), q = tx.num("quantity"), p = tx.num("unit_price");
  const custCode = new Map<string, number>();
  const names: string[] = [];
  const orderCode = new Map<string, number>();
  const oCust: number[] = [], oTs: number[] = [], oVal: number[] = [], oUnits: number[] = [], oLines: number[] = [];
  for (let i = 0; i < tx.numRows; i++) {
    const t = ts[i];
    if (!(t >= tsLo && t < tsHi)) continue;
    const c = cust[i];
    if (c === "" || c === undefined) continue;
    keepRow?.(i);
    if (!isPurchase(q[i], p[i], ord[i])) continue;
    let k = custCode.get(c);
    if (k === undefined) { k = names.length; custCode.set(c, k); names.push(c); }
    const key = c + "\u0001" + ord[i];
    let o = orderCode.get(key);
    if (o === undefined) { o = oTs.length; orderCode.set(key, o); oCust.push(k); oTs.push(t); oVal.push(0); oUnits.push(0); oLines.push(0); }
    oVal[o] += q[i] * p[i];
    oUnits[o] += q[i];
    oLines[o]++;
    if (t < oTs[o]) oTs[o] = t;
  }
  const m = names.length;
  const custOrder = Array.from({ length: m }, (_, i) => i).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  const rank = new Int32Array(m);
  custOrder.forEach((k, r) => (rank[k] = r));
  const nO = oTs.length;
  const idx = Array.from({ length: nO }, (_, i) => i).sort((a, b) => rank[oCust[a]] - rank[oCust[b]] || oTs[a] - oTs[b] || a - b);
  const offsets = new Int32Array(m + 1);
  for (let o = 0; o < nO; o++) offsets[rank[oCust[o]] + 1]++;
  for (let r = 0; r < m; r++) offsets[r + 1] += offsets[r];
  return {
    customers: custOrder.map((k) => names[k]),
    offsets,
    ts: Float64Array.from(idx, (o) => oTs[o]),
    value: Float64Array.from(idx, (o) => oVal[o]),
    units: Float64Array.from(idx, (o) => oUnits[o]),
    lines: Int32Array.from(idx, (o) => oLines[o]),
  };
}

/** The numeric columns of {@link customerFeatures}, allocated for m customers. @internal */
export interface FeatureColumns {
  recency: Float64Array; tenure: Float64Array; freq: Int32Array; monetary: Float64Array; aov: Float64Array; iptMean: Float64Array; iptStd: Float64Array;
  wOrders: Int32Array[]; wSpend: Float64Array[]; trend: Float64Array; bUnits: Float64Array; bLines: Float64Array; nProd: Int32Array; nCat: Int32Array;
  retRate: Float64Array; weekend: Float64Array; q4: Float64Array;
}

/** Zeroed {@link FeatureColumns} for m customers and the given number of windows. @internal */
export function allocFeatureColumns(m: number, nWindows: number): FeatureColumns {
  const f64 = () => new Float64Array(m);
  return {
    recency: f64(), tenure: f64(), freq: new Int32Array(m), monetary: f64(), aov: f64(), iptMean: f64(), iptStd: f64(),
    wOrders: Array.from({ length: nWindows }, () => new Int32Array(m)), wSpend: Array.from({ length: nWindows }, f64),
    trend: f64(), bUnits: f64(), bLines: f64(), nProd: new Int32Array(m), nCat: new Int32Array(m), retRate: f64(), weekend: f64(), q4: f64(),
  };
}

/** The customer feature table from its columns, in {@link customerFeatures}' column order. @internal */
export function featureTable(ids: string[], F: FeatureColumns, windows: number[], country: string[], channel: string[]): Table {
  const cols: Record<string, Float64Array | Int32Array | string[]> = {
    customer_id: ids,
    recency_days: F.recency, tenure_days: F.tenure, frequency: F.freq, monetary: F.monetary, avg_order_value: F.aov,
    ipt_mean_days: F.iptMean, ipt_std_days: F.iptStd,
  };
  windows.forEach((w, j) => { cols[`orders_${w}d`] = F.wOrders[j]; cols[`spend_${w}d`] = F.wSpend[j]; });
  Object.assign(cols, {
    spend_trend: F.trend, basket_units: F.bUnits, basket_lines: F.bLines, distinct_products: F.nProd, distinct_categories: F.nCat,
    return_rate: F.retRate, weekend_share: F.weekend, q4_share: F.q4, country, channel,
  });
  return new Table(cols);
}

/** OLS slope of spend per 30-day bin against −bin over bins 0..firstBin (the `spend_trend` feature). @internal */
export function spendTrendSlope(bins: Float64Array, firstBin: number): number {
  // x = −bin (months relative to the cutoff), y = spend in the bin
  let sx = 0, sy = 0;
  const cnt = firstBin + 1;
  for (let j = 0; j <= firstBin; j++) { sx += -j; sy += bins[j]; }
  const mx = sx / cnt, my = sy / cnt;
  let sxy = 0, sxx = 0;
  for (let j = 0; j <= firstBin; j++) { sxy += (-j - mx) * (bins[j] - my); sxx += (-j - mx) * (-j - mx); }
  return sxx > 0 ? sxy / sxx : 0;
}

/** The most frequent value (ties → alphabetical first; "" when none). @internal */
export function modeOf(counts: Map<string, number> | undefined): string {
  if (!counts) return "";
  let best = "", bc = 0;
  for (const [v, c] of counts) if (c > bc || (c === bc && v < best)) { best = v; bc = c; }
  return best;
}

/**
 * One row per customer with at least one purchase before the cutoff, built
 * only from rows with `timestamp < cutoff` (a test plants rows after the
 * cutoff and checks every value is bitwise unchanged).
 *
 * Purchases are lines with quantity > 0, unit_price > 0 and an order id not
 * starting with "C"; returns are lines with quantity < 0 or a "C" order.
 * Lines without a customer id are ignored. An order's time is the time of its
 * first line (a few Online Retail invoices span two minutes). Columns (days
 * are fractional):
 *
 * | column | meaning |
 * |---|---|
 * | `customer_id` | id (rows sorted by it) |
 * | `recency_days` | days from the last purchase to the cutoff (days since last purchase) |
 * | `tenure_days` | days from the first purchase to the cutoff (days since first purchase) |
 * | `frequency` | distinct orders |
 * | `monetary` | total spend Σ quantity × unit_price |
 * | `avg_order_value` | monetary / frequency |
 * | `ipt_mean_days`, `ipt_std_days` | mean and population std of days between consecutive orders (NaN with fewer than 2 / 3 orders) |
 * | `orders_{w}d`, `spend_{w}d` | orders and spend in the trailing w days, for each window |
 * | `spend_trend` | OLS slope of spend per 30-day bin over the last `trendMonths` bins (from the first active bin on; 0 with one bin); > 0 = rising |
 * | `basket_units`, `basket_lines` | mean units and mean lines per order |
 * | `distinct_products`, `distinct_categories` | product and category diversity (0 when the column is absent) |
 * | `return_rate` | returned units / (purchased + returned units) |
 * | `weekend_share` | share of orders placed on Saturday or Sunday (UTC) |
 * | `q4_share` | share of orders in October–December |
 * | `country`, `channel` | most frequent value on the customer's lines (ties → alphabetical first; "" if absent) |
 *
 * @example
 * const { table } = await loadTransactions("datasets/demo/transactions.csv", { format: "custlab" });
 * const f = customerFeatures(table, { cutoff: Date.parse("2024-09-30T00:00:00Z") });
 * f.num("recency_days")[0];
 */
export function customerFeatures(tx: Table, options: CustomerFeaturesOptions): Table {
  need(tx, ["customer_id", "order_id", "timestamp", "quantity", "unit_price"], "customerFeatures");
  const cutoff = checkTime(options?.cutoff, "cutoff", "customerFeatures");
  const windows = options.windows ?? [30, 90, 180, 365];
  const trendMonths = options.trendMonths ?? 12;
  const cust = tx.str("customer_id"), ord = tx.str("order_id"), q = tx.num("quantity"), p = tx.num("unit_price");
  const prod = tx.has("product_id") ? tx.str("product_id") : null;
  const cat = tx.has("category") ? tx.str("category") : null;
  const country = tx.has("country") ? tx.str("country") : null;
  const channel = tx.has("channel") ? tx.str("channel") : null;

  // Lines before the cutoff with a customer (purchases and returns).
  const rows: number[] = [];
  const g = groupOrders(tx, -Infinity, cutoff, (i) => rows.push(i));
  const m = g.customers.length;
  const index = new Map(g.customers.map((c, k) => [c, k]));

  const products: Set<string>[] = Array.from({ length: m }, () => new Set());
  const cats: Set<string>[] = Array.from({ length: m }, () => new Set());
  const countryCnt: (Map<string, number> | undefined)[] = new Array(m);
  const channelCnt: (Map<string, number> | undefined)[] = new Array(m);
  const boughtUnits = new Float64Array(m), returnedUnits = new Float64Array(m);
  const bump = (arr: (Map<string, number> | undefined)[], k: number, v: string) => {
    if (v === "") return;
    let mp = arr[k];
    if (!mp) { mp = new Map(); arr[k] = mp; }
    mp.set(v, (mp.get(v) ?? 0) + 1);
  };
  for (const i of rows) {
    const k = index.get(cust[i]);
    if (k === undefined) continue; // only returns, no purchase before the cutoff
    if (isPurchase(q[i], p[i], ord[i])) {
      boughtUnits[k] += q[i];
      if (prod && prod[i] !== "") products[k].add(prod[i]);
      if (cat && cat[i] !== "") cats[k].add(cat[i]);
    } else if (q[i] < 0 || ord[i].charCodeAt(0) === 67) returnedUnits[k] += Math.abs(q[i]);
    if (country) bump(countryCnt, k, country[i]);
    if (channel) bump(channelCnt, k, channel[i]);
  }

  const F = allocFeatureColumns(m, windows.length);
  const { recency, tenure, freq, monetary, aov, iptMean, iptStd, wOrders, wSpend, trend, bUnits, bLines, nProd, nCat, retRate, weekend, q4 } = F;
  const bins = new Float64Array(trendMonths);
  for (let k = 0; k < m; k++) {
    const a = g.offsets[k], b = g.offsets[k + 1], n = b - a;
    let spend = 0, units = 0, lines = 0, we = 0, qq = 0;
    bins.fill(0);
    for (let o = a; o < b; o++) {
      const t = g.ts[o];
      spend += g.value[o]; units += g.units[o]; lines += g.lines[o];
      const d = new Date(t);
      const wd = d.getUTCDay();
      if (wd === 0 || wd === 6) we++;
      if (d.getUTCMonth() >= 9) qq++;
      const age = (cutoff - t) / DAY_MS;
      for (let w = 0; w < windows.length; w++) if (age <= windows[w]) { wOrders[w][k]++; wSpend[w][k] += g.value[o]; }
      const bin = Math.floor(age / MONTH_DAYS);
      if (bin < trendMonths) bins[bin] += g.value[o];
    }
    // first active bin: the oldest bin at or after the first purchase (capped at trendMonths-1)
    const firstAge = Math.floor((cutoff - g.ts[a]) / DAY_MS / MONTH_DAYS);
    const firstBin = Math.min(trendMonths - 1, firstAge);
    if (firstBin >= 1) trend[k] = spendTrendSlope(bins, firstBin);
    recency[k] = (cutoff - g.ts[b - 1]) / DAY_MS;
    tenure[k] = (cutoff - g.ts[a]) / DAY_MS;
    freq[k] = n;
    monetary[k] = spend;
    aov[k] = spend / n;
    if (n >= 2) {
      let s = 0;
      for (let o = a + 1; o < b; o++) s += (g.ts[o] - g.ts[o - 1]) / DAY_MS;
      const mean = s / (n - 1);
      iptMean[k] = mean;
      if (n >= 3) {
        let ss = 0;
        for (let o = a + 1; o < b; o++) { const dd = (g.ts[o] - g.ts[o - 1]) / DAY_MS - mean; ss += dd * dd; }
        iptStd[k] = Math.sqrt(ss / (n - 1));
      } else iptStd[k] = NaN;
    } else { iptMean[k] = NaN; iptStd[k] = NaN; }
    bUnits[k] = units / n;
    bLines[k] = lines / n;
    nProd[k] = products[k].size;
    nCat[k] = cats[k].size;
    const tot = boughtUnits[k] + returnedUnits[k];
    retRate[k] = tot > 0 ? returnedUnits[k] / tot : 0;
    weekend[k] = we / n;
    q4[k] = qq / n;
  }

  return featureTable(g.customers, F, windows, Array.from({ length: m }, (_, k) => modeOf(countryCnt[k])), Array.from({ length: m }, (_, k) => modeOf(channelCnt[k])));
}

/** Names of the numeric feature columns {@link customerFeatures} produces for the given windows.
 * @example customerFeatureNames([30, 90]); // ["recency_days", ..., "orders_30d", "spend_30d", "orders_90d", ...]
 */
export function customerFeatureNames(windows: number[] = [30, 90, 180, 365]): string[] {
  return [
    "recency_days", "tenure_days", "frequency", "monetary", "avg_order_value", "ipt_mean_days", "ipt_std_days",
    ...windows.flatMap((w) => [`orders_${w}d`, `spend_${w}d`]),
    "spend_trend", "basket_units", "basket_lines", "distinct_products", "distinct_categories", "return_rate", "weekend_share", "q4_share",
  ];
}
