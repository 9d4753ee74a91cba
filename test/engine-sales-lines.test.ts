// Next-best actions on a SQL engine (issue 19): the engine hands back only the sales lines (rows
// without duplicates, quantity > 0, no "C" order; returns stay in the engine), the memory engine's
// row for row. (The actions computed from them equal the memory report's: report-engine.test.ts,
// slow tier, byte-identical actions.csv.)
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as path from "path";
import { MemoryEngine, DuckDBEngine } from "../src/engine";

const TX = path.resolve(__dirname, "../datasets/demo/transactions.csv");
const DAY = 86_400_000;
let mem: MemoryEngine, duck: DuckDBEngine, asOf: number;

beforeAll(async () => {
  mem = new MemoryEngine();
  await mem.loadFile(TX, { format: "custlab" });
  asOf = Math.floor((await mem.quality()).date_max / DAY) * DAY + DAY;
  duck = await DuckDBEngine.open({ memoryLimit: "512MB", threads: 2 });
  await duck.loadFile(TX, { format: "custlab" });
}, 120_000);
afterAll(async () => { await mem?.close(); await duck?.close(); });

describe("salesLines: what next-best actions read, from any engine", () => {
  it("duckdb's sales lines are the memory engine's, row for row (source-line order), and leave out returns", async () => {
    const [m, d] = [await mem.salesLines(asOf), await duck.salesLines(asOf)];
    expect(d.numRows).toBe(m.numRows);
    expect(m.numRows).toBeGreaterThan(40_000);
    for (const c of ["customer_id", "order_id", "product_id", "product_name", "category", "country", "channel"]) expect(d.str(c), c).toEqual(m.str(c));
    for (const c of ["timestamp", "quantity", "unit_price"]) expect(Array.from(d.num(c)), c).toEqual(Array.from(m.num(c)));
    const q = d.num("quantity"), o = d.str("order_id");
    let returns = 0;
    for (let i = 0; i < d.numRows; i++) if (!(q[i] > 0) || o[i].startsWith("C")) returns++;
    expect(returns).toBe(0);
    // A cutoff leaves out later lines.
    const half = asOf - 180 * DAY;
    const early = await duck.salesLines(half);
    expect(early.numRows).toBeLessThan(d.numRows);
    expect(early.num("timestamp").reduce((a, b) => Math.max(a, b), -Infinity)).toBeLessThan(half);
  });
});
