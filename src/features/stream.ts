import { Table } from "../table";
import { CustlabError } from "../util/errors";
import { DAY_MS, MONTH_DAYS, isPurchase, spendTrendSlope, modeOf, allocFeatureColumns, featureTable } from "./customer";

/** One transaction line of an event stream (the canonical columns of a transactions table). */
export interface TransactionEvent {
  customer_id: string;
  order_id: string;
  /** Epoch ms UTC. */
  timestamp: number;
  quantity: number;
  unit_price: number;
  product_id?: string;
  category?: string;
  country?: string;
  channel?: string;
}

/** Options for {@link CustomerFeatureStream}: the same windows as `customerFeatures`. */
export interface CustomerFeatureStreamOptions {
  /** Trailing windows in days for `orders_{w}d` / `spend_{w}d` (default [30, 90, 180, 365]). */
  windows?: number[];
  /** Number of 30-day bins of the spend trend (default 12). */
  trendMonths?: number;
}

/** Per-customer running state: O(1) numbers plus the orders still inside the longest window. */
interface CustState {
  id: string;
  nOrders: number;
  firstTs: number;
  lastTs: number;
  /** Sum of closed orders' values / units / lines, added in time order (as the batch sums them). */
  spendClosed: number;
  unitsClosed: number;
  linesClosed: number;
  /** Running sum of gaps between consecutive orders (days) and Welford's M2 of the gaps. */
  gapSum: number;
  gapMean: number;
  gapM2: number;
  weekend: number;
  q4: number;
  boughtUnits: number;
  returnedUnits: number;
  products: Set<string>;
  cats: Set<string>;
  country?: Map<string, number>;
  channel?: Map<string, number>;
  /** Orders inside the kept window, oldest first (head index = `head`). */
  oTs: number[];
  oVal: number[];
  oUnits: number[];
  oLines: number[];
  oId: string[];
  head: number;
}

const bump = (m: Map<string, number> | undefined, v: string | undefined): Map<string, number> | undefined => {
  if (v === undefined || v === "") return m;
  const mp = m ?? new Map<string, number>();
  mp.set(v, (mp.get(v) ?? 0) + 1);
  return mp;
};


/**
 * Incremental customer features over an event stream: push transaction lines
 * in time order ({@link CustomerFeatureStream.push}, O(1) amortised work per
 * line) and read the feature table at any cutoff at or after the last line
 * ({@link CustomerFeatureStream.features}). The table has the columns, row
 * order and values of `customerFeatures(tx, { cutoff })` over the same lines
 * (every column bit-identical except `ipt_std_days`, kept with Welford's
 * running variance: equal to ~1e-12 relative). Memory: a few numbers per
 * customer, the customer's distinct products, and the orders inside the
 * longest window (max(windows, 30 × trendMonths) days).
 * @example
 * const fs = new CustomerFeatureStream();
 * fs.push({ customer_id: "c1", order_id: "o1", timestamp: Date.parse("2011-01-05"), quantity: 2, unit_price: 3.5 });
 * fs.features(Date.parse("2011-02-01")).num("recency_days")[0]; // 27
 */
export class CustomerFeatureStream {
  /** Lines pushed so far. */
  events = 0;
  private readonly windows: number[];
  private readonly trendMonths: number;
  private readonly keepDays: number;
  private readonly byId = new Map<string, CustState>();
  private clock = -Infinity;
  private hasCountry = false;
  private hasChannel = false;

  constructor(options: CustomerFeatureStreamOptions = {}) {
    this.windows = options.windows ?? [30, 90, 180, 365];
    this.trendMonths = options.trendMonths ?? 12;
    if (!this.windows.every((w) => w > 0) || !(Number.isInteger(this.trendMonths) && this.trendMonths >= 1)) throw new CustlabError("E_OPTION", `CustomerFeatureStream: windows must be > 0 days and trendMonths an integer ≥ 1`);
    this.keepDays = Math.max(...this.windows, this.trendMonths * MONTH_DAYS) + 1;
  }

  /** Time of the latest line pushed (epoch ms; -Infinity before the first). */
  get time(): number { return this.clock; }

  /** Customers seen so far (with a purchase or only returns). */
  get customers(): number { return this.byId.size; }

  /**
   * Add one transaction line. Lines must come in time order: a line older than
   * the latest one is a CustlabError (E_ORDER). Lines without a customer id are
   * ignored, as `customerFeatures` ignores them.
   */
  push(e: TransactionEvent): void {
    const t = e.timestamp;
    if (typeof t !== "number" || !Number.isFinite(t)) throw new CustlabError("E_VALUE", `stream: event ${this.events + 1} has no valid timestamp`);
    if (t < this.clock) throw new CustlabError("E_ORDER", `stream: event ${this.events + 1} at ${new Date(t).toISOString()} is older than the previous one (${new Date(this.clock).toISOString()}): events must come in time order`);
    this.clock = t;
    this.events++;
    const c = e.customer_id;
    if (c === "" || c === undefined || c === null) return;
    let s = this.byId.get(c);
    if (!s) {
      s = {
        id: c, nOrders: 0, firstTs: NaN, lastTs: NaN, spendClosed: 0, unitsClosed: 0, linesClosed: 0, gapSum: 0, gapMean: 0, gapM2: 0,
        weekend: 0, q4: 0, boughtUnits: 0, returnedUnits: 0, products: new Set(), cats: new Set(), oTs: [], oVal: [], oUnits: [], oLines: [], oId: [], head: 0,
      };
      this.byId.set(c, s);
    }
    const q = e.quantity, p = e.unit_price, ord = e.order_id;
    if (e.country !== undefined) { this.hasCountry = true; s.country = bump(s.country, e.country); }
    if (e.channel !== undefined) { this.hasChannel = true; s.channel = bump(s.channel, e.channel); }
    if (!isPurchase(q, p, ord)) {
      if (q < 0 || ord.charCodeAt(0) === 67) s.returnedUnits += Math.abs(q);
      return;
    }
    s.boughtUnits += q;
    if (e.product_id) s.products.add(e.product_id);
    if (e.category) s.cats.add(e.category);
    // the line's order: the open (latest) order, an earlier kept one, or a new one
    const last = s.oId.length - 1;
    let o = last >= s.head && s.oId[last] === ord ? last : -1;
    if (o < 0) for (let j = last - 1; j >= s.head; j--) if (s.oId[j] === ord) { o = j; break; }
    if (o < 0) {
      if (s.nOrders > 0) {
        // close the previous order into the running sums, then record the gap
        s.spendClosed += s.oVal[last]; s.unitsClosed += s.oUnits[last]; s.linesClosed += s.oLines[last];
        const gap = (t - s.lastTs) / DAY_MS;
        s.gapSum += gap;
        const k = s.nOrders; // gaps so far, including this one
        const d = gap - s.gapMean;
        s.gapMean += d / k;
        s.gapM2 += d * (gap - s.gapMean);
      } else s.firstTs = t;
      s.nOrders++;
      s.lastTs = t;
      const d = new Date(t), wd = d.getUTCDay();
      if (wd === 0 || wd === 6) s.weekend++;
      if (d.getUTCMonth() >= 9) s.q4++;
      s.oTs.push(t); s.oVal.push(0); s.oUnits.push(0); s.oLines.push(0); s.oId.push(ord);
      o = s.oTs.length - 1;
      // forget orders older than the longest window (their totals are in the closed sums)
      const old = t - this.keepDays * DAY_MS;
      while (s.head < o && s.oTs[s.head] < old) s.head++;
      if (s.head > 64 && s.head * 2 > s.oTs.length) {
        for (const a of [s.oTs, s.oVal, s.oUnits, s.oLines] as number[][]) a.splice(0, s.head);
        s.oId.splice(0, s.head);
        o -= s.head; s.head = 0;
      }
    } else if (o !== last) {
      // a late line of an earlier, already closed order: its value joins the closed sums directly
      s.spendClosed += q * p; s.unitsClosed += q; s.linesClosed++;
    }
    s.oVal[o] += q * p; s.oUnits[o] += q; s.oLines[o]++;
  }

  /**
   * The feature table at `cutoff` (≥ the latest line's time): one row per
   * customer with a purchase, sorted by id, columns as `customerFeatures`.
   */
  features(cutoff: number): Table {
    if (typeof cutoff !== "number" || !Number.isFinite(cutoff)) throw new CustlabError("E_OPTION", `stream features: cutoff must be a finite epoch-ms number, got ${String(cutoff)}`);
    if (cutoff <= this.clock) throw new CustlabError("E_OPTION", `stream features: cutoff ${new Date(cutoff).toISOString()} is not after the latest line (${new Date(this.clock).toISOString()}); read features before pushing lines at or after the cutoff`);
    const custs = [...this.byId.values()].filter((s) => s.nOrders > 0).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const m = custs.length, W = this.windows, TM = this.trendMonths;
    const F = allocFeatureColumns(m, W.length);
    const { recency, tenure, freq, monetary, aov, iptMean, iptStd, wOrders, wSpend, trend, bUnits, bLines, nProd, nCat, retRate, weekend, q4 } = F;
    const bins = new Float64Array(TM);
    for (let k = 0; k < m; k++) {
      const s = custs[k], n = s.nOrders, lastO = s.oTs.length - 1;
      const spend = s.spendClosed + s.oVal[lastO], units = s.unitsClosed + s.oUnits[lastO], lines = s.linesClosed + s.oLines[lastO];
      bins.fill(0);
      for (let o = s.head; o <= lastO; o++) {
        const t = s.oTs[o], age = (cutoff - t) / DAY_MS;
        for (let w = 0; w < W.length; w++) if (age <= W[w]) { wOrders[w][k]++; wSpend[w][k] += s.oVal[o]; }
        const bin = Math.floor(age / MONTH_DAYS);
        if (bin < TM) bins[bin] += s.oVal[o];
      }
      const firstBin = Math.min(TM - 1, Math.floor((cutoff - s.firstTs) / DAY_MS / MONTH_DAYS));
      if (firstBin >= 1) trend[k] = spendTrendSlope(bins, firstBin);
      recency[k] = (cutoff - s.lastTs) / DAY_MS;
      tenure[k] = (cutoff - s.firstTs) / DAY_MS;
      freq[k] = n;
      monetary[k] = spend;
      aov[k] = spend / n;
      iptMean[k] = n >= 2 ? s.gapSum / (n - 1) : NaN;
      iptStd[k] = n >= 3 ? Math.sqrt(s.gapM2 / (n - 1)) : NaN;
      bUnits[k] = units / n;
      bLines[k] = lines / n;
      nProd[k] = s.products.size;
      nCat[k] = s.cats.size;
      const tot = s.boughtUnits + s.returnedUnits;
      retRate[k] = tot > 0 ? s.returnedUnits / tot : 0;
      weekend[k] = s.weekend / n;
      q4[k] = s.q4 / n;
    }
    return featureTable(custs.map((s) => s.id), F, W,
      custs.map((s) => (this.hasCountry ? modeOf(s.country) : "")), custs.map((s) => (this.hasChannel ? modeOf(s.channel) : "")));
  }
}

/**
 * The lines of a transactions table as stream events, in time order (stable:
 * lines with equal times keep the table's order). Rows with an invalid
 * timestamp are skipped and counted in `skipped`.
 * @example
 * const fs = new CustomerFeatureStream();
 * for (const e of transactionEvents(tx).events) fs.push(e);
 */
export function transactionEvents(tx: Table): { events: TransactionEvent[]; skipped: number } {
  for (const c of ["customer_id", "order_id", "timestamp", "quantity", "unit_price"]) if (!tx.has(c)) throw new CustlabError("E_MISSING_COLUMN", `stream: transactions need column "${c}" (have: ${tx.columnNames().join(", ")})`, { column: c });
  const ts = tx.num("timestamp"), cust = tx.str("customer_id"), ord = tx.str("order_id"), q = tx.num("quantity"), p = tx.num("unit_price");
  const opt = (c: string) => (tx.has(c) ? tx.str(c) : undefined);
  const prod = opt("product_id"), cat = opt("category"), country = opt("country"), channel = opt("channel");
  const idx: number[] = [];
  let skipped = 0;
  for (let i = 0; i < tx.numRows; i++) if (Number.isFinite(ts[i])) idx.push(i); else skipped++;
  idx.sort((a, b) => ts[a] - ts[b] || a - b);
  const events = idx.map((i): TransactionEvent => {
    const e: TransactionEvent = { customer_id: cust[i], order_id: ord[i], timestamp: ts[i], quantity: q[i], unit_price: p[i] };
    if (prod) e.product_id = prod[i];
    if (cat) e.category = cat[i];
    if (country) e.country = country[i];
    if (channel) e.channel = channel[i];
    return e;
  });
  return { events, skipped };
}
