import * as fs from "fs";
import { CustlabError } from "../util/errors";
import { Table } from "../table";
import { isNumeric } from "../table/types";
import { CLEAN_FLAG_BITS } from "../clean/transactions";
import { isoDay } from "../util/numeric";

/**
 * A set of baskets (transactions) in compressed sparse row form: basket `b`
 * holds the item ids `items[offsets[b] .. offsets[b+1])`, sorted ascending and
 * unique. Item ids index `itemNames`. Optional per-basket metadata (basket id,
 * customer, time) is kept when the baskets come from a transaction table, so
 * recommendations can be evaluated per customer.
 *
 * @example
 * const b = basketsFromLists([["milk", "bread"], ["milk"]]);
 * b.offsets;        // Int32Array [0, 2, 3]
 * basketItemNames(b, 0); // ["bread", "milk"] (ids sorted; names follow ids)
 */
export interface Baskets {
  /** Basket boundaries, length = number of baskets + 1. */
  offsets: Int32Array;
  /** Item ids of all baskets, concatenated. */
  items: Int32Array;
  /** Item label per item id (unique). */
  itemNames: string[];
  /** Basket id per basket (order id, `customer|day`, or line number), when known. */
  basketIds?: string[];
  /** Customer id per basket ("" when unknown), when built from transactions. */
  customerIds?: string[];
  /** Basket time (epoch ms, earliest line of the basket), when built from transactions. */
  timestamps?: Float64Array;
  /** Where the baskets came from (file name or description). */
  source?: string;
}

/**
 * Number of baskets.
 *
 * @example
 * ```ts
 * import { basketsFromLists, numBaskets } from "custlab";
 * const b = basketsFromLists([["milk", "bread"], ["milk"], ["eggs", "bread"]]);
 * numBaskets(b); // 3
 * ```
 */
export function numBaskets(b: Baskets): number {
  return b.offsets.length - 1;
}

/**
 * Item ids of basket `i` (a view, not a copy).
 *
 * @example
 * basketItems(b, 0); // Int32Array of item ids in basket 0
 */
export function basketItems(b: Baskets, i: number): Int32Array {
  return b.items.subarray(b.offsets[i], b.offsets[i + 1]);
}

/**
 * Item names of basket `i`.
 *
 * @example
 * basketItemNames(parseBaskets("milk,bread"), 0); // ["milk", "bread"]
 */
export function basketItemNames(b: Baskets, i: number): string[] {
  return Array.from(basketItems(b, i), (id) => b.itemNames[id]);
}

/**
 * Summary numbers of a basket set: baskets, distinct items, mean and max basket size, empty baskets.
 *
 * @example
 * basketStats(loadBasketFile("groceries.csv")).maxSize; // 32
 */
export function basketStats(b: Baskets): { baskets: number; items: number; meanSize: number; maxSize: number; empty: number } {
  const n = numBaskets(b);
  let max = 0, empty = 0;
  for (let i = 0; i < n; i++) {
    const s = b.offsets[i + 1] - b.offsets[i];
    if (s > max) max = s;
    if (s === 0) empty++;
  }
  return { baskets: n, items: b.itemNames.length, meanSize: n ? b.items.length / n : 0, maxSize: max, empty };
}

/** Builds CSR baskets incrementally, encoding item labels to integer ids. */
class BasketBuilder {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  private items = new Int32Array(1024);
  private n = 0;
  private readonly offsets: number[] = [0];
  private readonly scratch: number[] = [];

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) { id = this.names.length; this.ids.set(name, id); this.names.push(name); }
    return id;
  }

  /** Add one basket from item ids (duplicates removed, sorted). */
  add(ids: ArrayLike<number>): void {
    const s = this.scratch;
    s.length = 0;
    for (let i = 0; i < ids.length; i++) s.push(ids[i]);
    s.sort((a, b) => a - b);
    for (let i = 0; i < s.length; i++) {
      if (i > 0 && s[i] === s[i - 1]) continue;
      if (this.n === this.items.length) { const g = new Int32Array(this.items.length * 2); g.set(this.items); this.items = g; }
      this.items[this.n++] = s[i];
    }
    this.offsets.push(this.n);
  }

  build(extra: Partial<Baskets> = {}): Baskets {
    return { offsets: Int32Array.from(this.offsets), items: this.items.slice(0, this.n), itemNames: this.names, ...extra };
  }
}

/**
 * Baskets from plain lists of item labels (one array per basket). Duplicate
 * items inside a basket are counted once.
 *
 * @example
 * const b = basketsFromLists([["milk", "bread"], ["beer", "milk"]]);
 * numBaskets(b); // 2
 */
export function basketsFromLists(lists: ReadonlyArray<ReadonlyArray<string>>): Baskets {
  const bb = new BasketBuilder();
  for (const l of lists) bb.add(l.map((x) => bb.id(x)));
  return bb.build({ basketIds: lists.map((_, i) => String(i + 1)) });
}

/** Options for {@link parseBaskets} and {@link loadBasketFile}. */
export interface BasketParseOptions {
  /** Item separator (default ","). */
  separator?: string;
  /** Trim spaces around item labels (default true; arules keeps e.g. "cream cheese " with its trailing space). */
  trim?: boolean;
  /** Skip the first line as a header (default false: basket files have none). */
  header?: boolean;
  /** Keep blank lines as empty baskets (default false: they are skipped). Empty baskets still count in support denominators. */
  keepEmpty?: boolean;
  /** File name used in error messages. */
  file?: string;
}

/** Split one basket line on the separator, honouring simple "double-quoted" fields (no embedded newlines). */
function splitLine(line: string, sep: string, file: string | undefined, lineNo: number): string[] {
  if (line.indexOf('"') < 0) return line.split(sep);
  const out: string[] = [];
  let cur = "", i = 0, quoted = false;
  while (i < line.length) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') { cur += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      cur += ch; i++; continue;
    }
    if (ch === '"' && cur.trim() === "") { quoted = true; cur = ""; i++; continue; }
    if (line.startsWith(sep, i)) { out.push(cur); cur = ""; i += sep.length; continue; }
    cur += ch; i++;
  }
  if (quoted) throw new CustlabError("E_PARSE", "unterminated quoted item", { file, line: lineNo });
  out.push(cur);
  return out;
}

/**
 * Parse basket text: one basket per line, items separated by `separator`
 * (the `basket` format, e.g. the arules Groceries file). Empty items (",,")
 * are ignored; duplicate items in a line count once.
 *
 * @example
 * const b = parseBaskets("milk,bread\nbeer,milk\n");
 * b.itemNames; // ["milk", "bread", "beer"]
 */
export function parseBaskets(text: string, o: BasketParseOptions = {}): Baskets {
  const sep = o.separator ?? ",";
  const trim = o.trim ?? true;
  if (sep === "") throw new CustlabError("E_OPTION", "option separator: must not be empty");
  const bb = new BasketBuilder();
  const ids: number[] = [];
  const basketIds: string[] = [];
  let start = 0, lineNo = 0;
  if (text.charCodeAt(0) === 0xfeff) start = 1;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (start === text.length) break;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (lineNo === 1 && o.header) continue;
    ids.length = 0;
    if (line.trim() !== "") {
      for (let f of splitLine(line, sep, o.file, lineNo)) {
        if (trim) f = f.trim();
        if (f === "") continue;
        ids.push(bb.id(f));
      }
    } else if (!o.keepEmpty) continue;
    bb.add(ids);
    basketIds.push(String(lineNo));
  }
  const b = bb.build({ basketIds, source: o.file });
  if (numBaskets(b) === 0) throw new CustlabError("E_EMPTY_FILE", "no baskets found (expected one basket per line, items separated by \"" + sep + "\")", { file: o.file });
  return b;
}

/**
 * Load a basket file (one basket per line, items comma-separated, no header),
 * e.g. `groceries.csv`.
 *
 * @example
 * const b = loadBasketFile("../shared/datasets/groceries/groceries.csv");
 * numBaskets(b); // 9835
 */
export function loadBasketFile(file: string, o: BasketParseOptions = {}): Baskets {
  let text: string;
  try { text = fs.readFileSync(file, "utf8"); }
  catch (e) { throw new CustlabError("E_FILE", `cannot read basket file: ${(e as Error).message}`, { file }); }
  return parseBaskets(text, { ...o, file: o.file ?? file });
}

/** Options for {@link basketsFromTransactions}. */
export interface TransactionBasketOptions {
  /** What makes one basket: "order" (default; one basket per `order_id`) or "customer-day" (one per customer and UTC calendar day; rows without customer are dropped). */
  by?: "order" | "customer-day";
  /** Column that identifies an item (default "product_id"; falls back to `labelColumn` when the id is empty). */
  itemColumn?: string;
  /** Column used as the item label (default "product_name"; the item id when empty). Labels are made unique by appending " [id]" when two ids share one. */
  labelColumn?: string;
  /** Drop returns and cancellations: rows with quantity ≤ 0 and orders whose id starts with "C" (default true). */
  dropReturns?: boolean;
  /** Drop baskets left with fewer items than this (default 1). */
  minItems?: number;
  /**
   * Keep only items for which this returns true (called with the item key and label), e.g. to drop
   * non-product lines such as postage. Default: keep all.
   * @example basketsFromTransactions(t, { keepItem: (id) => /^\d{5}[A-Za-z]*$/.test(id) }) // Online Retail product codes only
   */
  keepItem?: (id: string, label: string) => boolean;
  /** On a table cleaned by `cleanTransactions` (it has a `flags` column), drop rows flagged as duplicate, cancellation or non-positive quantity (default true). Rows without customer id are kept: they are still baskets. */
  dropFlagged?: boolean;
}

/**
 * Baskets from a canonical transactions table (src/io/schema.ts columns:
 * order_id, customer_id, timestamp, product_id, product_name, quantity...).
 * Per-basket customer ids and times are kept for leave-last-basket-out
 * evaluation. Baskets are ordered by time (then id).
 *
 * @example
 * const { table: tx } = await loadTransactions("datasets/demo/transactions.csv", { format: "custlab" });
 * const b = basketsFromTransactions(tx, { by: "order" });
 */
export function basketsFromTransactions(t: Table, o: TransactionBasketOptions = {}): Baskets {
  const by = o.by ?? "order";
  if (by !== "order" && by !== "customer-day") throw new CustlabError("E_OPTION", `option by: expected "order" or "customer-day", got "${by}"`);
  const itemCol = t.str(o.itemColumn ?? "product_id");
  const labelName = o.labelColumn ?? "product_name";
  const labelCol = t.has(labelName) ? t.str(labelName) : itemCol;
  const dropReturns = o.dropReturns ?? true;
  const minItems = o.minItems ?? 1;
  const n = t.numRows;
  const orders = t.has("order_id") ? t.str("order_id") : null;
  const customers = t.has("customer_id") ? t.str("customer_id") : null;
  const times = t.has("timestamp") ? t.num("timestamp") : null;
  const qty = t.has("quantity") ? t.num("quantity") : null;
  const flags = (o.dropFlagged ?? true) && t.has("flags") ? t.num("flags") : null;
  const badFlags = CLEAN_FLAG_BITS.duplicate_row | CLEAN_FLAG_BITS.cancellation | CLEAN_FLAG_BITS.non_positive_quantity;
  if (by === "order" && !orders) throw new CustlabError("E_MISSING_COLUMN", 'basketsFromTransactions by "order" needs an order_id column', { column: "order_id" });
  if (by === "customer-day" && (!customers || !times)) throw new CustlabError("E_MISSING_COLUMN", 'basketsFromTransactions by "customer-day" needs customer_id and timestamp columns', { column: !customers ? "customer_id" : "timestamp" });

  // item keys → ids, labels
  const itemIds = new Map<string, number>();
  const itemLabels: string[] = [];
  const itemKeys: string[] = [];
  const basketOf = new Map<string, number>();
  const bKey: string[] = [], bCust: string[] = [], bTime: number[] = [];
  const rowBasket = new Int32Array(n).fill(-1);
  const rowItem = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (flags && (flags[i] & badFlags) !== 0) continue;
    if (dropReturns) {
      if (qty && !(qty[i] > 0)) continue;
      if (orders && orders[i].startsWith("C")) continue;
    }
    const key = itemCol[i] !== "" ? itemCol[i] : labelCol[i];
    if (key === "") continue;
    if (o.keepItem && !o.keepItem(key, labelCol[i])) continue;
    let key2: string;
    if (by === "order") {
      key2 = orders![i];
      if (key2 === "") continue;
    } else {
      const c = customers![i];
      const ts = times![i];
      if (c === "" || Number.isNaN(ts)) continue;
      key2 = c + "|" + isoDay(ts);
    }
    let id = itemIds.get(key);
    if (id === undefined) { id = itemKeys.length; itemIds.set(key, id); itemKeys.push(key); itemLabels.push(""); }
    if (itemLabels[id] === "" && labelCol[i] !== "") itemLabels[id] = labelCol[i];
    let b = basketOf.get(key2);
    const ts = times ? times[i] : NaN;
    if (b === undefined) {
      b = bKey.length; basketOf.set(key2, b); bKey.push(key2);
      bCust.push(customers ? customers[i] : ""); bTime.push(ts);
    } else {
      if (bCust[b] === "" && customers && customers[i] !== "") bCust[b] = customers[i];
      if (!(bTime[b] <= ts)) { if (!Number.isNaN(ts)) bTime[b] = ts; }
    }
    rowBasket[i] = b;
    rowItem[i] = id;
  }
  uniqueItemLabels(itemKeys, itemLabels);

  // group rows by basket (counting sort)
  const nb = bKey.length;
  const cnt = new Int32Array(nb + 1);
  for (let i = 0; i < n; i++) if (rowBasket[i] >= 0) cnt[rowBasket[i] + 1]++;
  for (let b = 0; b < nb; b++) cnt[b + 1] += cnt[b];
  const pos = cnt.slice(0, nb);
  const flat = new Int32Array(cnt[nb]);
  for (let i = 0; i < n; i++) if (rowBasket[i] >= 0) flat[pos[rowBasket[i]]++] = rowItem[i];
  // order baskets by time then key
  const order = Array.from({ length: nb }, (_, i) => i);
  order.sort((a, b) => {
    const ta = bTime[a], tb = bTime[b];
    if (ta !== tb && !(Number.isNaN(ta) && Number.isNaN(tb))) {
      if (Number.isNaN(ta)) return 1;
      if (Number.isNaN(tb)) return -1;
      return ta - tb;
    }
    return bKey[a] < bKey[b] ? -1 : bKey[a] > bKey[b] ? 1 : 0;
  });
  const bb = new BasketBuilder();
  for (let id = 0; id < itemLabels.length; id++) bb.id(itemLabels[id]);
  const basketIds: string[] = [], customerIds: string[] = [], ts: number[] = [];
  for (const b of order) {
    const seg = flat.subarray(cnt[b], cnt[b + 1]);
    if (new Set(seg).size < minItems) continue;
    bb.add(seg);
    basketIds.push(bKey[b]); customerIds.push(bCust[b]); ts.push(bTime[b]);
  }
  return bb.build({ basketIds, customerIds, timestamps: Float64Array.from(ts) });
}

/**
 * Item labels made unique in place: an empty label becomes its key, and a label
 * shared by several keys gets " [key]" appended (the labels of
 * `basketsFromTransactions`). @internal
 */
function uniqueItemLabels(keys: string[], labels: string[]): string[] {
  const count = new Map<string, number>();
  for (let id = 0; id < keys.length; id++) { if (labels[id] === "") labels[id] = keys[id]; count.set(labels[id], (count.get(labels[id]) ?? 0) + 1); }
  for (let id = 0; id < keys.length; id++) if ((count.get(labels[id]) ?? 0) > 1 && labels[id] !== keys[id]) labels[id] = `${labels[id]} [${keys[id]}]`;
  return labels;
}

/**
 * Baskets whose items are product ids (an engine's `basketItems`) relabelled with
 * product names (`product_id`, `product_name` columns, e.g. an engine's
 * `productNames()`), the way `basketsFromTransactions` labels its items: the
 * name, or the id when there is none, with " [id]" where names repeat.
 *
 * @example
 * ```ts
 * import { basketsFromLists, labelBasketItems, Table } from "custlab";
 * const b = labelBasketItems(basketsFromLists([["85123A", "71053"]]), new Table({ product_id: ["85123A"], product_name: ["WHITE HANGING HEART"] }));
 * b.itemNames; // ["WHITE HANGING HEART", "71053"]
 * ```
 */
export function labelBasketItems(b: Baskets, names: Table): Baskets {
  // Repeated names are counted over every named product (as over every item of the transactions).
  const keys = names.str("product_id").slice(), labels = names.str("product_name").slice();
  const at = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) at.set(keys[i], i);
  for (const k of b.itemNames) if (!at.has(k)) { at.set(k, keys.length); keys.push(k); labels.push(""); }
  uniqueItemLabels(keys, labels);
  return { ...b, itemNames: b.itemNames.map((k) => labels[at.get(k)!]) };
}

/** Options for {@link basketsFromOneHot}. */
export interface OneHotBasketOptions {
  /** Item columns (default: every numeric column). A text column here is an error. */
  columns?: string[];
}

/**
 * Baskets from a one-hot table (one row per basket, one numeric column per
 * item; a non-zero, non-NaN cell means the item is in the basket), as used by
 * mlxtend's `TransactionEncoder`.
 *
 * @example
 * const t = new Table({ milk: Uint8Array.from([1, 1]), beer: Uint8Array.from([0, 1]) });
 * basketsFromOneHot(t).items; // Int32Array [0, 0, 1]
 */
export function basketsFromOneHot(t: Table, o: OneHotBasketOptions = {}): Baskets {
  const names = o.columns ?? t.columnNames().filter((c) => isNumeric(t.get(c)) && t.kind(c) !== "date");
  if (names.length === 0) throw new CustlabError("E_OPTION", "basketsFromOneHot: the table has no numeric item columns");
  const cols = names.map((c) => {
    const col = t.get(c);
    if (!isNumeric(col)) throw new CustlabError("E_COLUMN_TYPE", `one-hot column "${c}" is text, expected 0/1 numbers`, { column: c });
    return col;
  });
  const bb = new BasketBuilder();
  for (const c of names) bb.id(c);
  const ids: number[] = [];
  for (let i = 0; i < t.numRows; i++) {
    ids.length = 0;
    for (let j = 0; j < cols.length; j++) { const v = cols[j][i]; if (v !== 0 && !Number.isNaN(v)) ids.push(j); }
    bb.add(ids);
  }
  return bb.build({ basketIds: Array.from({ length: t.numRows }, (_, i) => String(i + 1)) });
}

/**
 * The one-hot table of a basket set (one Uint8Array column per item), the
 * inverse of {@link basketsFromOneHot}. Memory is baskets × items bytes.
 *
 * @example
 * basketsToOneHot(basketsFromLists([["a", "b"], ["b"]])).num("a"); // Uint8Array [1, 0]
 */
export function basketsToOneHot(b: Baskets): Table {
  const n = numBaskets(b);
  const cols: Record<string, Uint8Array> = {};
  const arr = b.itemNames.map(() => new Uint8Array(n));
  for (let i = 0; i < n; i++) for (let k = b.offsets[i]; k < b.offsets[i + 1]; k++) arr[b.items[k]][i] = 1;
  b.itemNames.forEach((name, j) => { cols[name] = arr[j]; });
  return new Table(cols);
}

/**
 * The baskets at the given indices (in that order), sharing item ids and names
 * with the input; per-basket metadata is carried along.
 *
 * @example
 * const firstTen = subsetBaskets(b, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 */
export function subsetBaskets(b: Baskets, idx: ArrayLike<number>): Baskets {
  const n = idx.length;
  const offsets = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) offsets[j + 1] = offsets[j] + b.offsets[idx[j] + 1] - b.offsets[idx[j]];
  const items = new Int32Array(offsets[n]);
  for (let j = 0; j < n; j++) items.set(b.items.subarray(b.offsets[idx[j]], b.offsets[idx[j] + 1]), offsets[j]);
  const pick = <T>(a: ArrayLike<T> | undefined): T[] | undefined => (a ? Array.from({ length: n }, (_, j) => a[idx[j]]) : undefined);
  const ts = b.timestamps ? Float64Array.from({ length: n }, (_, j) => b.timestamps![idx[j]]) : undefined;
  return { offsets, items, itemNames: b.itemNames, basketIds: pick(b.basketIds), customerIds: pick(b.customerIds), timestamps: ts, source: b.source };
}

/**
 * Item id of a label, or -1 when the item is unknown. Builds (and caches) a name index on first use.
 *
 * @example
 * basketItemId(b, "whole milk"); // its id, or -1
 */
export function basketItemId(b: { itemNames: string[] }, name: string): number {
  let m = nameIndex.get(b.itemNames);
  if (!m) { m = new Map(b.itemNames.map((s, i) => [s, i])); nameIndex.set(b.itemNames, m); }
  return m.get(name) ?? -1;
}
const nameIndex = new WeakMap<string[], Map<string, number>>();
