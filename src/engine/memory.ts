import { Table } from "../table";
import { CustlabError } from "../util/errors";
import { DAY_MS } from "../util/numeric";
import { loadTransactions } from "../io/adapters";
import type { LoadReport } from "../io/reader";
import { cleanTransactions, purchases } from "../clean/transactions";
import type { CleanReport } from "../clean/transactions";
import { customerFeatures } from "../features/customer";
import type { CustomerFeaturesOptions } from "../features/customer";
import { churnLabels } from "../features/labels";
import type { ChurnLabelOptions } from "../features/labels";
import { customerRFM } from "../features/rfm";
import { basketsFromPairs } from "./baskets";
import type { Baskets } from "../rules/baskets";
import type { BasketCounts, EngineLoadOptions, EngineQuality, EngineRFMOptions, OrdersEngine } from "./types";

/**
 * The in-memory engine: custlab's own loaders, cleaning and feature code on
 * typed arrays in this process. It is the reference the SQL engines are
 * tested against, and the right choice for small data.
 *
 * @example
 * const eng = new MemoryEngine();
 * await eng.loadFile("datasets/demo/transactions.csv", { format: "custlab" });
 * const rfm = await eng.rfm();
 */
export class MemoryEngine implements OrdersEngine {
  readonly name = "memory" as const;
  private raw?: Table;
  private cleaned?: Table;
  private report?: CleanReport;
  private rows?: Table;

  /**
   * Start from a load that was already cleaned (`cleanTransactions(raw)`), without
   * cleaning it again (the report's quality stage hands its tables over).
   */
  static fromCleaned(raw: Table, cleaned: Table, report: CleanReport): MemoryEngine {
    const e = new MemoryEngine();
    e.raw = raw;
    e.cleaned = cleaned;
    e.report = report;
    const dup = cleaned.num("is_duplicate");
    e.rows = raw.filter((i) => !dup[i]);
    return e;
  }

  /** Start from a transactions Table already in memory (the canonical columns). */
  static fromTable(table: Table): MemoryEngine {
    const e = new MemoryEngine();
    e.setTable(table);
    return e;
  }

  describe(): string { return "memory"; }

  private setTable(t: Table): void {
    this.raw = t;
    const { table, report } = cleanTransactions(t, { outlierMethod: "none" });
    this.cleaned = table;
    this.report = report;
    const dup = table.num("is_duplicate");
    this.rows = t.filter((i) => !dup[i]);
  }

  private need(): Table {
    if (!this.rows) throw new CustlabError("E_ENGINE", "memory engine: no orders loaded (loadFile first)");
    return this.rows;
  }

  async loadFile(file: string, options: EngineLoadOptions = {}): Promise<LoadReport> {
    const res = await loadTransactions(file, { ...(options.read ?? {}), format: options.format, mapping: options.mapping, quarantineFile: options.quarantineFile, now: options.now, onProgress: options.onProgress });
    this.setTable(res.table);
    return res.report;
  }

  async useTable(name: string): Promise<void> {
    throw new CustlabError("E_ENGINE", `the memory engine has no tables to name ("${name}"): give a file, or use --engine duckdb / clickhouse://… with --table`);
  }

  async quality(): Promise<EngineQuality> {
    this.need();
    const r = this.report!;
    return {
      rows: r.rows, customers: r.customers, orders: r.orders, duplicate_row: r.flags.duplicate_row.count, cancellation: r.flags.cancellation.count,
      missing_customer_id: r.flags.missing_customer_id.count, zero_price: r.flags.zero_price.count, non_positive_quantity: r.flags.non_positive_quantity.count,
      purchase_rows: r.purchase_rows, date_min: r.date_min, date_max: r.date_max,
    };
  }

  async rfm(options: EngineRFMOptions = {}): Promise<Table> {
    this.need();
    const { before, ...rfmOptions } = options;
    if (before !== undefined && Number.isNaN(before)) throw new CustlabError("E_OPTION", `rfm: option before must be an epoch-ms number, got ${before}`);
    let p = purchases(this.cleaned!);
    if (before !== undefined) { const ts = p.num("timestamp"); p = p.filter((i) => ts[i] < before); }
    return customerRFM(p, rfmOptions);
  }

  async productNames(): Promise<Table> {
    const t = this.need();
    const prod = t.str("product_id"), name = t.has("product_name") ? t.str("product_name") : null, q = t.num("quantity"), ord = t.str("order_id");
    const first = new Map<string, string>();
    if (name) for (let i = 0; i < t.numRows; i++) {
      if (prod[i] === "" || name[i] === "" || !(q[i] > 0) || ord[i].charCodeAt(0) === 67 /* C */ || first.has(prod[i])) continue;
      first.set(prod[i], name[i]);
    }
    const ids = [...first.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new Table({ product_id: ids, product_name: ids.map((p) => first.get(p)!) });
  }

  async purchaseTotals(): Promise<Table> {
    this.need();
    const p = purchases(this.cleaned!);
    const cust = p.str("customer_id"), q = p.num("quantity"), pr = p.num("unit_price");
    const cty = p.has("country") ? p.str("country") : null, cat = p.has("category") ? p.str("category") : null;
    const at = new Map<string, number>();
    const keys: [string, string, string][] = [], rev: number[] = [];
    for (let i = 0; i < p.numRows; i++) {
      const k3: [string, string, string] = [cust[i], cty ? cty[i] : "", cat ? cat[i] : ""];
      const key = k3.join("\u0000");
      const k = at.get(key);
      if (k === undefined) { at.set(key, keys.length); keys.push(k3); rev.push(q[i] * pr[i]); } else rev[k] += q[i] * pr[i];
    }
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const order = Array.from(keys.keys()).sort((a, b) => cmp(keys[a][0], keys[b][0]) || cmp(keys[a][1], keys[b][1]) || cmp(keys[a][2], keys[b][2]));
    return new Table({ customer_id: order.map((k) => keys[k][0]), country: order.map((k) => keys[k][1]), category: order.map((k) => keys[k][2]), revenue: Float64Array.from(order, (k) => rev[k]) });
  }

  async features(options: CustomerFeaturesOptions): Promise<Table> {
    return customerFeatures(this.need(), options);
  }

  async labels(customers: string[] | Table, options: ChurnLabelOptions): Promise<Table> {
    return churnLabels(this.need(), customers, options);
  }

  async basketCounts(): Promise<BasketCounts> {
    const t = this.need();
    const prod = t.codes("product_id"), ord = t.codes("order_id");
    const seen = new Set<number>(), baskets = new Set<number>();
    const counts = new Map<string, number>();
    const nOrd = ord.dict.length;
    for (let i = 0; i < t.numRows; i++) {
      const pc = prod.codes[i], p = prod.dict[pc];
      if (p === "") continue;
      const oc = ord.codes[i];
      baskets.add(oc);
      const key = pc * nOrd + oc;
      if (seen.has(key)) continue;
      seen.add(key);
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    const ids = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { baskets: baskets.size, items: new Table({ product_id: ids, baskets: Int32Array.from(ids, (p) => counts.get(p)!) }) };
  }

  async basketItems(minSupport: number): Promise<Baskets> {
    if (!(minSupport >= 0 && minSupport <= 1)) throw new CustlabError("E_OPTION", `basketItems: minSupport must be in [0, 1], got ${minSupport}`);
    const t = this.need();
    const ord = t.str("order_id"), prod = t.str("product_id"), q = t.num("quantity");
    const orders = new Set<string>();
    const pairs = new Map<string, Set<string>>();
    for (let i = 0; i < t.numRows; i++) {
      if (prod[i] === "" || !(q[i] > 0) || ord[i].startsWith("C")) continue;
      orders.add(ord[i]);
      let s = pairs.get(prod[i]);
      if (!s) { s = new Set(); pairs.set(prod[i], s); }
      s.add(ord[i]);
    }
    const N = orders.size, minCount = Math.ceil(minSupport * N - 1e-9);
    const rows: [string, string][] = [];
    for (const [p, s] of pairs) if (s.size >= minCount) for (const o of s) rows.push([o, p]);
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    rows.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
    return basketsFromPairs(rows.map((r) => r[0]), rows.map((r) => r[1]), N, "memory engine");
  }

  async salesLines(before: number): Promise<Table> {
    if (typeof before !== "number" || Number.isNaN(before)) throw new CustlabError("E_OPTION", `salesLines: before must be an epoch-ms number, got ${String(before)}`);
    const t = this.need();
    const ts = t.num("timestamp"), q = t.num("quantity"), ord = t.str("order_id");
    return t.filter((i) => q[i] > 0 && ts[i] < before && ord[i].charCodeAt(0) !== 67 /* C */);
  }

  async purchaseDays(until: number): Promise<Table> {
    if (typeof until !== "number" || Number.isNaN(until)) throw new CustlabError("E_OPTION", `purchaseDays: until must be an epoch-ms number, got ${String(until)}`);
    const t = this.need();
    const cust = t.codes("customer_id"), ts = t.num("timestamp"), q = t.num("quantity"), pr = t.num("unit_price"), ord = t.str("order_id");
    const keys: number[] = [], vals: number[] = [];
    const at = new Map<number, number>();
    for (let i = 0; i < t.numRows; i++) {
      const c = cust.codes[i];
      if (cust.dict[c] === "" || !(ts[i] <= until) || q[i] <= 0 || pr[i] < 0 || ord[i].charCodeAt(0) === 67 /* C */) continue;
      const day = Math.floor(ts[i] / DAY_MS);
      const key = c * 4e6 + (day + 2e6); // days within ±2e6 of 1970 (years −3500 … 7400)
      const v = (Number.isNaN(q[i]) ? 1 : q[i]) * pr[i];
      const k = at.get(key);
      if (k === undefined) { at.set(key, keys.length); keys.push(key); vals.push(v); } else vals[k] += v;
    }
    const idx = Array.from(keys.keys());
    const name = (k: number) => cust.dict[Math.floor(keys[k] / 4e6)];
    idx.sort((a, b) => { const na = name(a), nb = name(b); return na < nb ? -1 : na > nb ? 1 : keys[a] - keys[b]; });
    return new Table(
      { customer_id: idx.map(name), day: Float64Array.from(idx, (k) => ((keys[k] % 4e6) - 2e6) * DAY_MS), value: Float64Array.from(idx, (k) => vals[k]) },
      { day: "date" },
    );
  }

  /** The loaded rows without exact duplicates (the rows every stage reads). */
  table(): Table { return this.need(); }

  async close(): Promise<void> { this.raw = this.cleaned = this.rows = undefined; }
}
