// The order grain (issue 19, scale): above exactRowsLimit the SQL engines materialise the
// customer-order grain once per load and compute features, labels and RFM at every cutoff from
// it. The memory engine is the oracle: exactRowsLimit 0 forces the grain path on small inputs,
// and every customer table must equal the memory engine's within 1e-9 relative (plain sums of
// partial sums), at cutoffs across the data. Planted rows cover what the grain must get right:
// an order whose lines straddle the cutoff (different timestamps), return-only orders, lines
// without a country or channel, a product bought before and after the cutoff, ties for the mode.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MemoryEngine, DuckDBEngine } from "../src/engine";
import type { OrdersEngine } from "../src/engine";
import type { Table } from "../src/table";

const DEMO = path.resolve(__dirname, "../datasets/demo/transactions.csv");

function expectSame(a: Table, b: Table, what: string): void {
  expect(b.columnNames(), what).toEqual(a.columnNames());
  expect(b.numRows, what).toBe(a.numRows);
  let worst = 0, text = 0;
  for (const c of a.columnNames()) {
    const x = a.get(c), y = b.get(c);
    for (let i = 0; i < a.numRows; i++) {
      if (typeof x[i] === "string") { if (x[i] !== y[i]) text++; continue; }
      const u = x[i] as number, v = y[i] as number;
      if (Number.isNaN(u) && Number.isNaN(v)) continue;
      const r = u === v ? 0 : Math.abs(u - v) / Math.max(Math.abs(u), Math.abs(v));
      if (!(r <= worst)) worst = r;
    }
  }
  expect(text, what).toBe(0);
  expect(worst, what).toBeLessThan(1e-9);
}

async function compareAt(mem: OrdersEngine, duck: OrdersEngine, cutoffs: number[]): Promise<void> {
  for (const cutoff of cutoffs) {
    const fm = await mem.features({ cutoff }), fd = await duck.features({ cutoff });
    expectSame(fm, fd, `features at ${new Date(cutoff).toISOString()}`);
    for (const H of [30, 90]) expectSame(await mem.labels(fm, { cutoff, horizonDays: H }), await duck.labels(fd, { cutoff, horizonDays: H }), `labels (${H} d) at ${new Date(cutoff).toISOString()}`);
    expectSame(await mem.rfm({ asOf: cutoff, before: cutoff }), await duck.rfm({ asOf: cutoff, before: cutoff }), `rfm before ${new Date(cutoff).toISOString()}`);
  }
  expectSame(await mem.rfm(), await duck.rfm(), "rfm");
}

describe("duckdb's order grain (exactRowsLimit 0) gives the memory engine's customer tables", () => {
  const engines: OrdersEngine[] = [];
  afterAll(async () => { for (const e of engines) await e.close(); });

  it("on the demo shop (categories and channels) at cutoffs across its two years", async () => {
    const mem = new MemoryEngine(), duck = await DuckDBEngine.open({ exactRowsLimit: 0 });
    engines.push(mem, duck);
    await mem.loadFile(DEMO, { format: "custlab" });
    await duck.loadFile(DEMO, { format: "custlab" });
    expect(duck.ordered).toBe(false);
    await compareAt(mem, duck, ["2023-03-01", "2023-09-15", "2024-06-30"].map((d) => Date.parse(`${d}T00:00:00Z`)));
  }, 120_000);

  let planted = "";
  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-grain-"));
    planted = path.join(dir, "orders.csv");
    const rows = [
      "customer_id,order_id,timestamp,product_id,product_name,category,quantity,unit_price,country,channel",
      // c1: order o1 straddles the 2024-02-01 cutoff (lines at two times); a return-only order; a product bought twice
      "c1,o1,2024-01-31T23:00:00Z,P1,A,Cat1,2,10.5,UK,web",
      "c1,o1,2024-02-01T01:00:00Z,P2,B,Cat2,1,3.25,UK,web",
      "c1,C9,2024-01-20T10:00:00Z,P1,A,Cat1,-1,10.5,UK,web",
      "c1,o2,2024-01-05T10:00:00Z,P1,A,Cat1,3,10.5,,app",
      "c1,o3,2024-03-05T10:00:00Z,P3,C,,4,1.1,France,",
      // c2: mode ties (one UK line, one France line: France first alphabetically), zero-price and negative-quantity lines
      "c2,o4,2023-12-01T10:00:00Z,P1,A,Cat1,1,2,UK,store",
      "c2,o5,2023-12-02T10:00:00Z,P2,B,Cat2,1,2,France,web",
      "c2,o5,2023-12-02T10:00:00Z,P3,C,Cat3,1,0,France,web",
      "c2,o6,2024-01-10T10:00:00Z,P2,B,Cat2,-2,2,France,web",
      "c2,o7,2024-04-01T10:00:00Z,P4,D,Cat1,5,7.75,France,web",
      // c3: only after the cutoff; c4: no purchase at all
      "c3,o8,2024-02-15T10:00:00Z,P1,A,Cat1,1,9,Spain,app",
      "c4,o9,2024-01-15T10:00:00Z,P1,A,Cat1,-1,9,Spain,app",
      // lines without a customer (left out of customer tables)
      ",o10,2024-01-15T10:00:00Z,P1,A,Cat1,1,9,Spain,app",
    ];
    fs.writeFileSync(planted, rows.join("\n") + "\n");
  });

  it("on planted orders: an order across the cutoff, returns, empty countries and channels, mode ties", async () => {
    const mem = new MemoryEngine(), duck = await DuckDBEngine.open({ exactRowsLimit: 0 });
    engines.push(mem, duck);
    await mem.loadFile(planted, { format: "custlab" });
    await duck.loadFile(planted, { format: "custlab" });
    await compareAt(mem, duck, ["2024-01-06", "2024-02-01", "2024-02-01T00:30", "2024-03-01", "2024-05-01"].map((d) => Date.parse(d.length > 10 ? `${d}:00Z` : `${d}T00:00:00Z`)));
    // The order across the cutoff counts once, with only its line before the cutoff.
    const f = await duck.features({ cutoff: Date.parse("2024-02-01T00:00:00Z") });
    const i = f.str("customer_id").indexOf("c1");
    expect(f.num("frequency")[i]).toBe(2);
    expect(f.num("monetary")[i]).toBeCloseTo(2 * 10.5 + 3 * 10.5, 12);
    expect(f.num("distinct_products")[i]).toBe(1);
  }, 60_000);
});
