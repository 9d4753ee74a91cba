import { Table } from "../table";
import type { ColumnData } from "../table";
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { CLEAN_FLAGS } from "../io/reasons";
import type { CleanFlag } from "../io/reasons";

/** Bit of each cleaning flag in the `flags` bitmask column (in `CLEAN_FLAGS` order). */
export const CLEAN_FLAG_BITS: Record<CleanFlag, number> = {
  duplicate_row: 1,
  cancellation: 2,
  missing_customer_id: 4,
  zero_price: 8,
  non_positive_quantity: 16,
  outlier: 32,
};

/** Per-flag column names added by {@link cleanTransactions}. */
export const CLEAN_FLAG_COLUMNS: Record<CleanFlag, string> = {
  duplicate_row: "is_duplicate",
  cancellation: "is_cancellation",
  missing_customer_id: "is_missing_customer",
  zero_price: "is_zero_price",
  non_positive_quantity: "is_non_positive_quantity",
  outlier: "is_outlier",
};

/** Outlier methods (all on the log of the line amount quantity × unit_price of purchase lines). */
export type OutlierMethod = "iqr-log-amount" | "mad-log-amount" | "none";

/** Options of {@link cleanTransactions}. */
export interface CleanOptions {
  /** Invoice prefix marking cancellations (default "C", as in Online Retail). */
  cancellationPrefix?: string;
  /**
   * Treat negative-quantity lines with a positive price as returns/cancellations
   * even without the prefix (default true). Negative quantities at price 0 are
   * stock adjustments: flagged `non_positive_quantity` instead.
   */
  negativeQuantityIsReturn?: boolean;
  /**
   * Outlier method (default "iqr-log-amount"): Tukey fences Q1 − k·IQR, Q3 + k·IQR on
   * ln(quantity × unit_price) of purchase lines. "mad-log-amount": robust z
   * = 0.6745·(x − median)/MAD > k (Iglewicz & Hoaglin). "none": no outlier flags.
   */
  outlierMethod?: OutlierMethod;
  /** Fence multiplier / z threshold (default 3 for IQR, 3.5 for MAD). */
  outlierK?: number;
  /** How many example source lines to keep per flag (default 5). */
  examples?: number;
  /** Progress callback (stage "clean"). */
  onProgress?: ProgressCallback;
}

/** Count and example lines of one flag. */
export interface FlagCount {
  /** Rows flagged. */
  count: number;
  /** What the flag means (from `CLEAN_FLAGS`). */
  description: string;
  /** Source lines (`_line`, or row index + 1 when absent) of the first flagged rows. */
  example_lines: number[];
}

/** How cancellations were matched to the purchases they reverse. */
export interface CancellationMatching {
  /** Cancellation / return lines. */
  lines: number;
  /** Matched to an earlier purchase of the same customer, product and price with exactly |quantity| units. */
  matched_exact: number;
  /** Matched to an earlier purchase of the same customer, product and price with more units (partial return). */
  matched_partial: number;
  /** No earlier matching purchase (bought before the data starts, price changed, or quantity split). */
  unmatched: number;
  /** Unmatched because the line has no customer id. */
  unmatched_no_customer: number;
  /** The matching rule, in words. */
  rule: string;
}

/** What cleaning found. */
export interface CleanReport {
  /** Rows in (all kept; flags only mark). */
  rows: number;
  /** Rows with no flag at all. */
  clean_rows: number;
  /** Rows {@link purchases} keeps (customer id, no cancellation/duplicate, quantity > 0, price > 0). */
  purchase_rows: number;
  /** Per flag: count, description, example lines. */
  flags: Record<CleanFlag, FlagCount>;
  /** Cancellation matching. */
  cancellations: CancellationMatching;
  /** Outlier method and its fences on ln(amount). */
  outliers: { method: OutlierMethod; k: number; lower: number; upper: number; center: number; amount_lower: number; amount_upper: number };
  /** Distinct non-empty customer ids. */
  customers: number;
  /** Distinct order ids. */
  orders: number;
  /** Earliest / latest timestamp (epoch ms; NaN when none). */
  date_min: number;
  date_max: number;
}

/** Result of {@link cleanTransactions}. */
export interface CleanResult {
  /**
   * The input rows with flag columns added: one Uint8Array per flag
   * (`is_duplicate`, `is_cancellation`, `is_missing_customer`, `is_zero_price`,
   * `is_non_positive_quantity`, `is_outlier`), `flags` (bitmask, see
   * {@link CLEAN_FLAG_BITS}), `cancel_of` (Int32Array: for a matched cancellation
   * the row index of the purchase it reverses, else -1) and `returned_qty`
   * (Float64Array: units of a purchase reversed by matched cancellations).
   */
  table: Table;
  /** Counts and matching statistics. */
  report: CleanReport;
}

/** k-th smallest (0-based) of a[lo..hi] by in-place quickselect (median-of-3 pivots); reorders `a`. */
function selectKth(a: Float64Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as pivot
    if (a[mid] < a[lo]) { const t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
    if (a[hi] < a[lo]) { const t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
    if (a[hi] < a[mid]) { const t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
    const pivot = a[mid];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Quantile p of `a` (no NaN) with linear interpolation between order statistics, like numpy's default; reorders `a`. */
function quantileSelect(a: Float64Array, p: number): number {
  const h = (a.length - 1) * p, lo = Math.floor(h);
  const vlo = selectKth(a, lo);
  if (h === lo) return vlo;
  // After selection everything right of lo is ≥ a[lo]: the next order statistic is their minimum.
  let vhi = Infinity;
  for (let i = lo + 1; i < a.length; i++) if (a[i] < vhi) vhi = a[i];
  return vlo + (h - lo) * (vhi - vlo);
}

/** Rows bucketed by a dense code (counting sort, stable): rows of code g are rows[start[g] .. start[g+1]). Code < 0 or mask 0 = left out. */
function bucketRows(codes: Int32Array, nCodes: number, mask: Uint8Array | null): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(nCodes + 1);
  const n = codes.length;
  for (let i = 0; i < n; i++) { const c = codes[i]; if (c >= 0 && (mask === null || mask[i])) start[c + 1]++; }
  for (let g = 0; g < nCodes; g++) start[g + 1] += start[g];
  const fill = start.slice(0, nCodes);
  const rows = new Int32Array(start[nCodes]);
  for (let i = 0; i < n; i++) { const c = codes[i]; if (c >= 0 && (mask === null || mask[i])) rows[fill[c]++] = i; }
  return { start, rows };
}

/**
 * Flag problems in canonical transactions without dropping rows:
 * exact duplicates, cancellations/returns (matched to the purchases they
 * reverse), missing customer ids, zero prices, non-positive quantities and
 * outliers (method named in the report).
 *
 * Duplicates compare every canonical column (all columns except `_line` and
 * earlier flag columns); the first occurrence is not flagged.
 *
 * Cancellation matching: for each cancellation line (order id with the prefix,
 * or negative quantity at a positive price) the latest earlier-or-same-time
 * unmatched purchase of the same customer, product and unit price with
 * exactly |quantity| units is matched; failing that, the latest earlier
 * purchase with enough units left (partial return).
 *
 * @example
 * const { table } = await loadTransactions(file, { format: "online-retail" });
 * const { table: flagged, report } = cleanTransactions(table);
 * report.flags.cancellation.count;   // 9288 on Online Retail
 * report.flags.duplicate_row.count;  // 5268 (pandas duplicated())
 */
export function cleanTransactions(tx: Table, options: CleanOptions = {}): CleanResult {
  for (const c of ["customer_id", "order_id", "timestamp", "product_id", "quantity", "unit_price"]) {
    if (!tx.has(c)) throw new CustlabError("E_MISSING_COLUMN", `cleanTransactions: transactions need column "${c}" (have: ${tx.columnNames().join(", ")})`, { column: c });
  }
  const n = tx.numRows;
  const prefix = options.cancellationPrefix ?? "C";
  const negIsReturn = options.negativeQuantityIsReturn ?? true;
  const method = options.outlierMethod ?? "iqr-log-amount";
  if (!["iqr-log-amount", "mad-log-amount", "none"].includes(method)) throw new CustlabError("E_OPTION", `option outlierMethod: expected "iqr-log-amount", "mad-log-amount" or "none", got "${method}"`);
  const k = options.outlierK ?? (method === "mad-log-amount" ? 3.5 : 3);
  const nEx = options.examples ?? 5;
  const ts = tx.num("timestamp"), qty = tx.num("quantity"), price = tx.num("unit_price");
  const lineCol = tx.has("_line") ? tx.num("_line") : null;
  const lineOf = (i: number) => (lineCol ? lineCol[i] : i + 1);
  const onProgress = options.onProgress;

  const isDup = new Uint8Array(n), isCancel = new Uint8Array(n), isMissing = new Uint8Array(n), isZero = new Uint8Array(n), isNonPos = new Uint8Array(n), isOut = new Uint8Array(n);

  // --- duplicates: hash on codes of order/product + numbers, verify all columns on collision.
  const skip = new Set(["_line", "flags", "cancel_of", "returned_qty", ...Object.values(CLEAN_FLAG_COLUMNS)]);
  // Text compares by dictionary code (equal strings ⇔ equal codes; no strings are made).
  const compareCols = tx.columnNames().filter((c) => !skip.has(c)).map((c) => (tx.kind(c) === "string" ? tx.codes(c).codes : tx.num(c)));
  // Dictionary codes (free when the columns come straight from a loader).
  const ordC = tx.codes("order_id"), prodC = tx.codes("product_id"), custC = tx.codes("customer_id");
  const ordCodes = ordC.codes, prodCodes = prodC.codes, custCodes = custC.codes;
  const sameRow = (a: number, b: number) => {
    for (const c of compareCols) {
      const x = c[a], y = c[b];
      if (x !== y && !(x !== x && y !== y)) return false;
    }
    return true;
  };
  // Equal rows share the order id: bucket rows by order (counting sort on the codes), then
  // compare a row only with earlier rows of the same order and product (short chains).
  const nOrdCodes = ordC.dict.length, nProdCodes = prodC.dict.length;
  const byOrder = bucketRows(ordCodes, nOrdCodes, null);
  const head = new Int32Array(nProdCodes), stamp = new Int32Array(nProdCodes).fill(-1), next = new Int32Array(n);
  for (let g = 0; g < nOrdCodes; g++) {
    for (let a = byOrder.start[g], end = byOrder.start[g + 1]; a < end; a++) {
      const i = byOrder.rows[a], pc = prodCodes[i];
      let j = stamp[pc] === g ? head[pc] : -1;
      let dup = false;
      while (j >= 0) { if (sameRow(i, j)) { dup = true; break; } j = next[j]; }
      if (dup) { isDup[i] = 1; continue; }
      next[i] = stamp[pc] === g ? head[pc] : -1;
      head[pc] = i; stamp[pc] = g;
    }
  }
  const pcArr = prodCodes;
  onProgress?.({ stage: "clean", done: 1, total: 4, message: "duplicates" });

  // --- simple flags.
  const ccArr = new Int32Array(n).fill(-1);
  const custUsed = new Uint8Array(custC.dict.length), ordUsed = new Uint8Array(ordC.dict.length);
  const ordIsCancel = new Int8Array(ordC.dict.length).fill(-1);
  const custEmpty = Uint8Array.from(custC.dict, (c) => (c === "" ? 1 : 0));
  let nCust = 0, nOrd = 0;
  let dmin = Infinity, dmax = -Infinity;
  for (let i = 0; i < n; i++) {
    const cc = custCodes[i];
    if (custEmpty[cc]) isMissing[i] = 1;
    else {
      ccArr[i] = cc;
      if (!custUsed[cc]) { custUsed[cc] = 1; nCust++; }
    }
    const q = qty[i], p = price[i];
    const oc = ordCodes[i];
    if (!ordUsed[oc]) { ordUsed[oc] = 1; nOrd++; }
    let prefixed = ordIsCancel[oc];
    if (prefixed < 0) { prefixed = ordIsCancel[oc] = prefix !== "" && ordC.dict[oc].startsWith(prefix) ? 1 : 0; }
    const cancel = prefixed === 1 || (negIsReturn && q < 0 && p > 0);
    if (cancel) isCancel[i] = 1;
    else if (q <= 0) isNonPos[i] = 1;
    if (p === 0) isZero[i] = 1;
    const t = ts[i];
    if (t < dmin) dmin = t;
    if (t > dmax) dmax = t;
  }

  // --- cancellation matching.
  const cancelOf = new Int32Array(n).fill(-1);
  const returned = new Float64Array(n);
  const cancelCust = new Uint8Array(custC.dict.length);
  const cancelRows: number[] = [];
  // (customer, product) pairs that some cancellation names: only their purchases can match.
  const nProd = prodC.dict.length;
  const cancelPairs = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (isCancel[i] && !isDup[i]) {
      cancelRows.push(i);
      if (ccArr[i] >= 0) { cancelCust[ccArr[i]] = 1; cancelPairs.add(ccArr[i] * nProd + prodCodes[i]); }
    }
  }
  // Candidate purchases bucketed by customer (counting sort); each cancellation scans its
  // customer's candidates for the same product and price at or before its time.
  const cand = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = ccArr[i];
    if (c >= 0 && cancelCust[c] && !isCancel[i] && !isDup[i] && qty[i] > 0 && cancelPairs.has(c * nProd + prodCodes[i])) cand[i] = 1;
  }
  const byCust = bucketRows(ccArr, custC.dict.length, cand);
  let matchedExact = 0, matchedPartial = 0, unmatchedNoCust = 0;
  cancelRows.sort((a, b) => ts[a] - ts[b] || a - b);
  // Later (time, row) wins among equal candidates, as "the latest earlier purchase".
  const later = (j: number, best: number) => best < 0 || ts[j] > ts[best] || (ts[j] === ts[best] && j > best);
  for (const i of cancelRows) {
    const c = ccArr[i];
    if (c < 0) { unmatchedNoCust++; continue; }
    const need = Math.abs(qty[i]);
    const pi = price[i], pc = pcArr[i], ti = ts[i];
    let exact = -1, partial = -1;
    for (let a = byCust.start[c], end = byCust.start[c + 1]; a < end; a++) {
      const j = byCust.rows[a];
      if (pcArr[j] !== pc || price[j] !== pi || ts[j] > ti) continue;
      if (returned[j] === 0 && qty[j] === need) { if (later(j, exact)) exact = j; }
      else if (qty[j] - returned[j] >= need && later(j, partial)) partial = j;
    }
    let best = -1;
    if (exact >= 0) { best = exact; matchedExact++; }
    else if (partial >= 0) { best = partial; matchedPartial++; }
    if (best >= 0) { cancelOf[i] = best; returned[best] += need; }
  }
  const cancelLines = cancelRows.length;
  // Duplicated cancellation lines are flagged both ways; they are not matched again.
  let cancelTotal = 0;
  for (let i = 0; i < n; i++) cancelTotal += isCancel[i];
  onProgress?.({ stage: "clean", done: 3, total: 4, message: "cancellations" });

  // --- outliers on ln(amount) of purchase lines.
  let nLogs = 0;
  const logRow = new Float64Array(n), logAll = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const q = qty[i], p = price[i];
    if (!isCancel[i] && q > 0 && p > 0) { const l = Math.log(q * p); logRow[i] = l; logAll[nLogs++] = l; }
    else logRow[i] = NaN;
  }
  const logs = logAll.subarray(0, nLogs);
  let lower = -Infinity, upper = Infinity, center = NaN;
  if (method !== "none" && logs.length >= 4) {
    // Quantiles by selection (linear interpolation between order statistics, numpy's default).
    const sorted = logs;
    const q = (p: number) => quantileSelect(sorted, p);
    if (method === "iqr-log-amount") {
      const q1 = q(0.25), q3 = q(0.75), iqr = q3 - q1;
      lower = q1 - k * iqr; upper = q3 + k * iqr; center = q(0.5);
    } else {
      const med = q(0.5);
      const dev = Float64Array.from(sorted, (v) => Math.abs(v - med));
      const mad = quantileSelect(dev, 0.5);
      const half = mad > 0 ? (k * mad) / 0.6745 : 0;
      lower = med - half; upper = med + half; center = med;
    }
    for (let i = 0; i < n; i++) {
      const l = logRow[i]; // NaN (not a purchase line) fails both tests
      if (l < lower || l > upper) isOut[i] = 1;
    }
  }

  // --- assemble.
  const flags = new Uint8Array(n);
  const all: [CleanFlag, Uint8Array][] = [["duplicate_row", isDup], ["cancellation", isCancel], ["missing_customer_id", isMissing], ["zero_price", isZero], ["non_positive_quantity", isNonPos], ["outlier", isOut]];
  const counts = {} as Record<CleanFlag, FlagCount>;
  const bD = CLEAN_FLAG_BITS.duplicate_row, bC = CLEAN_FLAG_BITS.cancellation, bM = CLEAN_FLAG_BITS.missing_customer_id;
  const bZ = CLEAN_FLAG_BITS.zero_price, bN = CLEAN_FLAG_BITS.non_positive_quantity, bO = CLEAN_FLAG_BITS.outlier;
  let clean = 0, usable = 0;
  for (let i = 0; i < n; i++) {
    const f = (isDup[i] ? bD : 0) | (isCancel[i] ? bC : 0) | (isMissing[i] ? bM : 0) | (isZero[i] ? bZ : 0) | (isNonPos[i] ? bN : 0) | (isOut[i] ? bO : 0);
    flags[i] = f;
    if (f === 0) clean++;
    if ((f & (bD | bC | bM)) === 0 && qty[i] > 0 && price[i] > 0) usable++;
  }
  const bits = all.map(([code]) => CLEAN_FLAG_BITS[code]);
  const cnt = new Float64Array(all.length), exs = all.map((): number[] => []);
  for (let i = 0; i < n; i++) {
    const f = flags[i];
    if (f === 0) continue;
    for (let k = 0; k < bits.length; k++) if (f & bits[k]) { cnt[k]++; if (exs[k].length < nEx) exs[k].push(lineOf(i)); }
  }
  all.forEach(([code], k) => { counts[code] = { count: cnt[k], description: CLEAN_FLAGS[code], example_lines: exs[k] }; });
  const added: Record<string, ColumnData> = { flags, cancel_of: cancelOf, returned_qty: returned };
  for (const [code, arr] of all) added[CLEAN_FLAG_COLUMNS[code]] = arr;
  const kinds: Record<string, "boolean" | "integer" | "number"> = { flags: "integer", cancel_of: "integer", returned_qty: "number" };
  for (const code of Object.keys(CLEAN_FLAG_COLUMNS) as CleanFlag[]) kinds[CLEAN_FLAG_COLUMNS[code]] = "boolean";
  const table = tx.assign(added, kinds);
  onProgress?.({ stage: "clean", done: 4, total: 4 });
  return {
    table,
    report: {
      rows: n, clean_rows: clean, purchase_rows: usable, flags: counts,
      cancellations: {
        lines: cancelTotal, matched_exact: matchedExact, matched_partial: matchedPartial, unmatched: cancelLines - matchedExact - matchedPartial, unmatched_no_customer: unmatchedNoCust,
        rule: `same customer, product and unit price; purchase at or before the cancellation; exact |quantity| first, else the latest purchase with enough units left${cancelTotal > cancelLines ? `; ${cancelTotal - cancelLines} duplicated cancellation line(s) not matched again` : ""}`,
      },
      outliers: { method, k, lower, upper, center, amount_lower: Math.exp(lower), amount_upper: Math.exp(upper) },
      customers: nCust, orders: nOrd,
      date_min: Number.isFinite(dmin) ? dmin : NaN, date_max: Number.isFinite(dmax) ? dmax : NaN,
    },
  };
}

/**
 * Rows usable for customer features: a customer id, not a cancellation or
 * return, not a duplicate, quantity > 0 and unit price > 0 (outliers are
 * kept; filter `is_outlier` yourself if you want them gone). Accepts a raw
 * or an already cleaned table (cleans it first when the flag columns are absent).
 *
 * @example
 * const rfm = customerRFM(purchases(cleanTransactions(table).table));
 */
export function purchases(tx: Table, options: CleanOptions = {}): Table {
  const t = tx.has("flags") && tx.has("is_duplicate") ? tx : cleanTransactions(tx, { ...options, outlierMethod: options.outlierMethod ?? "none" }).table;
  const flags = t.num("flags"), q = t.num("quantity"), p = t.num("unit_price");
  const drop = CLEAN_FLAG_BITS.duplicate_row | CLEAN_FLAG_BITS.cancellation | CLEAN_FLAG_BITS.missing_customer_id | CLEAN_FLAG_BITS.zero_price | CLEAN_FLAG_BITS.non_positive_quantity;
  let m = 0;
  const idx = new Int32Array(t.numRows);
  for (let i = 0; i < t.numRows; i++) if ((flags[i] & drop) === 0 && q[i] > 0 && p[i] > 0) idx[m++] = i;
  // Text columns move as dictionary codes (Table.take keeps them encoded).
  return t.take(idx.subarray(0, m));
}
