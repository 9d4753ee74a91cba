import { CustlabError } from "../util/errors";
import { ProgressCallback } from "../util/progress";
import { createRng } from "../util/random";
import { Table } from "../table";
import { Baskets, numBaskets, subsetBaskets } from "../rules/baskets";
import { ItemHistory, ItemRecommender } from "./types";

/** One held-out customer of a leave-last-basket-out split. */
export interface HeldOutCustomer {
  /** Customer id. */
  customer: string;
  /** Items bought before the last basket, with the number of baskets each was in. */
  history: ItemHistory;
  /** Items of the last basket (minus history items when `excludeSeen`). */
  target: Int32Array;
}

/** Options for {@link leaveLastBasketOut}. */
export interface LeaveLastOutOptions {
  /** Customers need at least this many baskets to be held out (default 2). */
  minBaskets?: number;
  /** Targets are only items new to the customer (default true: the cross-sell question "what will they buy that they never bought?"). Customers whose last basket holds only repeat items are then skipped. */
  excludeSeen?: boolean;
  /** Hold out at most this many customers, drawn with `seed` (default: all). */
  maxCustomers?: number;
  /** Seed for the customer sample (default 42). */
  seed?: number;
}

/** Result of {@link leaveLastBasketOut}. */
export interface LeaveLastOutSplit {
  /** Training baskets: everything except the held-out customers' last baskets. */
  train: Baskets;
  /** The held-out customers. */
  test: HeldOutCustomer[];
  /** Customers with too few baskets, and those skipped because their last basket had no new item. */
  skipped: { tooFewBaskets: number; noNewItems: number };
}

/**
 * Leave-last-basket-out split: for every customer with ≥ minBaskets baskets
 * (customer ids and times are needed, as built by `basketsFromTransactions`),
 * the last basket in time is held out as the target and the earlier ones form
 * the history; all other baskets (other customers' included) train.
 *
 * @example
 * const { train, test } = leaveLastBasketOut(baskets, { minBaskets: 2 });
 */
export function leaveLastBasketOut(b: Baskets, o: LeaveLastOutOptions = {}): LeaveLastOutSplit {
  if (!b.customerIds) throw new CustlabError("E_OPTION", "leaveLastBasketOut needs baskets with customer ids (use basketsFromTransactions)");
  const minBaskets = o.minBaskets ?? 2;
  const excludeSeen = o.excludeSeen ?? true;
  const n = numBaskets(b);
  const ts = b.timestamps;
  const byCust = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const c = b.customerIds[i];
    if (!c) continue;
    let l = byCust.get(c);
    if (!l) { l = []; byCust.set(c, l); }
    l.push(i);
  }
  let customers = [...byCust.keys()];
  let tooFew = 0, noNew = 0;
  customers = customers.filter((c) => { const ok = byCust.get(c)!.length >= minBaskets; if (!ok) tooFew++; return ok; });
  customers.sort();
  if (o.maxCustomers !== undefined && customers.length > o.maxCustomers) {
    createRng(o.seed ?? 42).shuffle(customers);
    customers = customers.slice(0, o.maxCustomers).sort();
  }
  const heldOut = new Uint8Array(n);
  const test: HeldOutCustomer[] = [];
  for (const c of customers) {
    const l = byCust.get(c)!.slice();
    if (ts) l.sort((x, y) => (ts[x] - ts[y]) || x - y);
    const last = l[l.length - 1];
    const hist = new Map<number, number>();
    for (const i of l.slice(0, -1)) for (let k = b.offsets[i]; k < b.offsets[i + 1]; k++) hist.set(b.items[k], (hist.get(b.items[k]) ?? 0) + 1);
    const target: number[] = [];
    for (let k = b.offsets[last]; k < b.offsets[last + 1]; k++) if (!excludeSeen || !hist.has(b.items[k])) target.push(b.items[k]);
    if (target.length === 0) { noNew++; continue; }
    heldOut[last] = 1;
    const items = Int32Array.from(hist.keys());
    test.push({ customer: c, history: { items, weights: Float64Array.from(items, (i) => hist.get(i)!) }, target: Int32Array.from(target) });
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!heldOut[i]) keep.push(i);
  return { train: subsetBaskets(b, keep), test, skipped: { tooFewBaskets: tooFew, noNewItems: noNew } };
}

/** Options for {@link evaluateRecommenders}. */
export interface EvaluateRecommendersOptions extends LeaveLastOutOptions {
  /** Cut-off k for hit-rate@k and NDCG@k (default 10). */
  k?: number;
  /** Progress over recommenders × customers (stage "recommend-eval"). */
  onProgress?: ProgressCallback;
}

/** Result of {@link evaluateRecommenders}. */
export interface RecommenderEvaluation {
  /**
   * One row per recommender: method, customers, hit_rate (share of customers
   * with ≥ 1 target item in the top k), ndcg (binary relevance, ideal DCG
   * over min(|target|, k) hits), precision, recall, coverage (share of
   * customers who got any recommendation), fit_seconds, rank_ms (per customer).
   */
  table: Table;
  /** k used. */
  k: number;
  /** Customers evaluated and skipped. */
  customers: number;
  skipped: { tooFewBaskets: number; noNewItems: number };
  /** Training baskets. */
  trainBaskets: number;
}

/**
 * Offline evaluation of recommenders by leave-last-basket-out: each
 * recommender is fit on the training baskets, then for every held-out
 * customer ranks k items from the customer's history (items already bought
 * excluded when `excludeSeen`, the default) and is scored on the held-out
 * basket with hit-rate@k and NDCG@k.
 *
 * @example
 * const ev = evaluateRecommenders(baskets, [new PopularityRecommender(), new RuleRecommender(), new ItemCFRecommender()]);
 * ev.table.toMarkdown();
 */
export function evaluateRecommenders(b: Baskets, recommenders: ItemRecommender[], o: EvaluateRecommendersOptions = {}): RecommenderEvaluation {
  const k = o.k ?? 10;
  const excludeSeen = o.excludeSeen ?? true;
  const split = leaveLastBasketOut(b, o);
  if (split.test.length === 0) throw new CustlabError("E_EMPTY", "no customer qualifies for leave-last-basket-out (need ≥ 2 baskets with a new item in the last one)");
  const nItems = b.itemNames.length;
  const idcg = new Float64Array(k + 1);
  for (let j = 1; j <= k; j++) idcg[j] = idcg[j - 1] + 1 / Math.log2(j + 1);
  const rows: Record<string, string | number>[] = [];
  const total = recommenders.length * split.test.length;
  let done = 0;
  const ex = new Uint8Array(nItems);
  const inTarget = new Uint8Array(nItems);
  for (const rec of recommenders) {
    const t0 = performance.now();
    rec.fit(split.train);
    const fitSec = (performance.now() - t0) / 1000;
    let hits = 0, ndcg = 0, prec = 0, recall = 0, covered = 0;
    const t1 = performance.now();
    for (const cust of split.test) {
      if (excludeSeen) for (const i of cust.history.items) ex[i] = 1;
      const r = rec.rank(cust.history, k, excludeSeen ? ex : undefined);
      if (excludeSeen) for (const i of cust.history.items) ex[i] = 0;
      for (const i of cust.target) inTarget[i] = 1;
      let dcg = 0, h = 0;
      for (let j = 0; j < r.items.length; j++) if (inTarget[r.items[j]]) { dcg += 1 / Math.log2(j + 2); h++; }
      for (const i of cust.target) inTarget[i] = 0;
      if (r.items.length > 0) covered++;
      if (h > 0) hits++;
      ndcg += dcg / idcg[Math.min(k, cust.target.length)];
      prec += h / k;
      recall += h / cust.target.length;
      if (o.onProgress && ++done % 500 === 0) o.onProgress({ stage: "recommend-eval", done, total, message: rec.name });
    }
    const m = split.test.length;
    rows.push({
      method: rec.name, customers: m, hit_rate: hits / m, ndcg: ndcg / m, precision: prec / m, recall: recall / m,
      coverage: covered / m, fit_seconds: fitSec, rank_ms: (performance.now() - t1) / m,
    });
  }
  o.onProgress?.({ stage: "recommend-eval", done: total, total });
  const table = Table.fromRows(rows, ["method", "customers", "hit_rate", "ndcg", "precision", "recall", "coverage", "fit_seconds", "rank_ms"])
    .rename({ hit_rate: `hit_rate_at_${k}`, ndcg: `ndcg_at_${k}`, precision: `precision_at_${k}`, recall: `recall_at_${k}` });
  return { table, k, customers: split.test.length, skipped: split.skipped, trainBaskets: numBaskets(split.train) };
}

/**
 * A customer's history (items with basket counts) from baskets with customer
 * ids — the input of `rank` for a known customer.
 *
 * @example
 * const h = customerHistory(baskets, "12347");
 * cf.rank(h, 10);
 */
export function customerHistory(b: Baskets, customer: string): ItemHistory {
  if (!b.customerIds) throw new CustlabError("E_OPTION", "customerHistory needs baskets with customer ids (use basketsFromTransactions)");
  const m = new Map<number, number>();
  for (let i = 0; i < numBaskets(b); i++) {
    if (b.customerIds[i] !== customer) continue;
    for (let k = b.offsets[i]; k < b.offsets[i + 1]; k++) m.set(b.items[k], (m.get(b.items[k]) ?? 0) + 1);
  }
  if (m.size === 0) throw new CustlabError("E_UNKNOWN_CUSTOMER", `no baskets for customer "${customer}"`);
  const items = Int32Array.from(m.keys());
  return { items, weights: Float64Array.from(items, (i) => m.get(i)!) };
}
