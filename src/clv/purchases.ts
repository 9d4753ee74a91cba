/** Internal: grouping of transaction lines into per-customer purchases (not re-exported). */
import { Table } from "../table";
import { CustlabError } from "../util/errors";

export interface Purchases {
  names: string[];
  /** per customer: sorted unique period indices and their values */
  periods: Float64Array[];
  values: Float64Array[];
}

/**
 * Group usable transaction lines into purchases per customer and period.
 * Usable lines: non-empty customer_id, finite timestamp, quantity > 0 (NaN
 * quantity counts as 1), order_id not starting with "C" (Online Retail
 * cancellations), finite unit_price ≥ 0 (NaN price: the purchase counts, its
 * value is NaN).
 */
export function groupPurchases(tx: Table, periodOf: (ms: number) => number, maxMs: number): Purchases {
  for (const c of ["customer_id", "timestamp"]) {
    if (!tx.has(c)) throw new CustlabError("E_MISSING_COLUMN", `CLV summary: transactions need column "${c}" (have: ${tx.columnNames().join(", ")})`, { column: c });
  }
  const cust = tx.str("customer_id");
  const ts = tx.num("timestamp");
  const qty = tx.has("quantity") ? tx.num("quantity") : null;
  const price = tx.has("unit_price") ? tx.num("unit_price") : null;
  const ord = tx.has("order_id") ? tx.str("order_id") : null;
  const code = new Map<string, number>();
  const names: string[] = [];
  const rowsC: number[] = [], rowsP: number[] = [], rowsV: number[] = [];
  for (let i = 0; i < tx.numRows; i++) {
    const c = cust[i];
    const t = ts[i];
    if (!c || !Number.isFinite(t) || t > maxMs) continue;
    const q = qty ? qty[i] : 1;
    if (q <= 0) continue;
    if (ord && ord[i].charCodeAt(0) === 67 /* C */) continue;
    const p = price ? price[i] : NaN;
    if (p < 0) continue;
    let k = code.get(c);
    if (k === undefined) { k = names.length; code.set(c, k); names.push(c); }
    rowsC.push(k); rowsP.push(periodOf(t)); rowsV.push((Number.isNaN(q) ? 1 : q) * p);
  }
  // Sort row indices by (customer, period) and merge.
  const idx = Array.from(rowsC.keys()).sort((a, b) => rowsC[a] - rowsC[b] || rowsP[a] - rowsP[b]);
  const periods: Float64Array[] = new Array(names.length);
  const values: Float64Array[] = new Array(names.length);
  let j = 0;
  while (j < idx.length) {
    const k = rowsC[idx[j]];
    const ps: number[] = [], vs: number[] = [];
    while (j < idx.length && rowsC[idx[j]] === k) {
      const p = rowsP[idx[j]];
      if (ps.length && ps[ps.length - 1] === p) vs[vs.length - 1] += rowsV[idx[j]];
      else { ps.push(p); vs.push(rowsV[idx[j]]); }
      j++;
    }
    periods[k] = Float64Array.from(ps);
    values[k] = Float64Array.from(vs);
  }
  return { names, periods, values };
}

