// The duckdb engine's RFM adds each customer's lines with a plain sum on ONE DuckDB thread over the
// load table, which is in line order: the memory engine's order, so monetary is bit-identical. This
// guards that assumption on a file where the order of addition shows in the last bits (values of
// very different magnitudes, many customers, duplicates and a rejected row in between), with the
// engine on two threads (the serial section must hold) and an RFM before a cutoff as well.
// Oracle: the same lines summed in line order here (the memory engine's order); the sums in another
// order (reversed) differ, so the test sees order.
// Without the one-thread section it fails (parallel partial sums: last bits differ). Slow tier
// (about 7.5 s on this 2-core machine at load 10): CUSTLAB_FAST=1 skips it.
import { describe, it, expect, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DuckDBEngine } from "../src/engine";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-rfm-order-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse("2026-01-01T00:00:00Z");

/** Per customer: Σ quantity × price in line order, and the distinct invoices (the planted truth). */
interface Truth { monetary: Map<string, number>; invoices: Map<string, Set<string>> }

/**
 * 130,000 Online Retail lines (two of DuckDB's 122,880-row groups, so two threads would split them),
 * 15,000 customers, prices from 0.001 to ~1e6 (seeded), an exact duplicate every 997 lines and one
 * negative price; the truth is summed here in line order, the duplicates and the bad row left out.
 */
function writeFile(cutoff: number): { file: string; all: Truth; before: Truth } {
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const lines = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"];
  const seen = new Set<string>();
  const all: Truth = { monetary: new Map(), invoices: new Map() }, before: Truth = { monetary: new Map(), invoices: new Map() };
  const add = (t: Truth, c: string, inv: string, v: number) => {
    t.monetary.set(c, (t.monetary.get(c) ?? 0) + v);
    if (!t.invoices.has(c)) t.invoices.set(c, new Set());
    t.invoices.get(c)!.add(inv);
  };
  for (let i = 0; i < 130_000; i++) {
    const c = String(10000 + Math.floor(rnd() * 15000)), inv = String(500000 + Math.floor(i / 3));
    const price = (rnd() ** 6 * 1e6 + 0.001).toFixed(3), qty = 1 + Math.floor(rnd() * 40);
    const day = 1 + Math.floor(rnd() * 28), ts = `2011-03-${String(day).padStart(2, "0")} 10:00:00`;
    const line = `${inv},P${Math.floor(rnd() * 500)},ITEM,${qty},${ts},${price},${c}.0,United Kingdom`;
    lines.push(line);
    if (i % 997 === 0) lines.push(line); // an exact duplicate
    if (i === 65_000) lines.push("599999,P1,ITEM,3,2011-03-02 10:00:00,-1.5,10001.0,United Kingdom"); // negative_price
    if (seen.has(line)) continue;
    seen.add(line);
    add(all, c, inv, qty * Number(price));
    if (Date.parse(ts.replace(" ", "T") + "Z") < cutoff) add(before, c, inv, qty * Number(price));
  }
  const file = path.join(dir, "orders.csv");
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return { file, all, before };
}

describe.skipIf(!!process.env.CUSTLAB_FAST)("duckdb RFM adds lines in line order (one thread over the load table; CUSTLAB_FAST=1 skips it)", () => {
  it("gives the line-order sums bit for bit, at every customer, with and without a cutoff", async () => {
    const cutoff = Date.parse("2011-03-15T00:00:00Z");
    const { file, all, before } = writeFile(cutoff);
    const d = await DuckDBEngine.open({ memoryLimit: "512MB", threads: 2 });
    try {
      const r = await d.loadFile(file, { format: "online-retail", now: NOW });
      expect([r.quarantined, r.quarantine[0].reason]).toEqual([1, "negative_price"]);
      for (const [opts, t] of [[{}, all], [{ asOf: cutoff, before: cutoff }, before]] as const) {
        const f = await d.rfm(opts);
        const ids = f.str("customer_id");
        expect(ids).toEqual([...t.monetary.keys()].sort());
        expect(Array.from(f.num("monetary"))).toEqual(ids.map((c) => t.monetary.get(c)));
        expect(Array.from(f.num("frequency"))).toEqual(ids.map((c) => t.invoices.get(c)!.size));
      }
      // The order shows: the same lines summed in reverse differ from the line-order sums somewhere.
      const rev = await d.query(`SELECT customer_id, list_sum(list_reverse(list(quantity * unit_price ORDER BY _line))) AS s FROM (${d.sqlOf({ select: [["customer_id", () => "customer_id"], ["quantity", () => "quantity"], ["unit_price", () => "unit_price"], ["_line", () => "_line"]], from: d.need() })}) WHERE customer_id <> '' AND quantity > 0 AND unit_price > 0 GROUP BY customer_id`);
      expect((rev.customer_id as string[]).filter((c, i) => rev.s[i] !== all.monetary.get(c)).length).toBeGreaterThan(10);
    } finally { await d.close(); }
  }, 60_000);
});
