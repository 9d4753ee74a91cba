// The duckdb engine's one-pass load (issue 19) keeps the memory loader's promises on planted bad
// lines: the same rows in / accepted / quarantined, the same reasons, columns and physical lines
// (records with quoted line breaks before them, reader rejects among them, a mapped file whose
// unmapped column holds line breaks), exact duplicates removed after id normalisation, and the
// same RFM and quality figures. Planted truth: the quarantined lines are listed by hand.
import { describe, it, expect, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MemoryEngine, DuckDBEngine } from "../src/engine";
import type { OrdersEngine, EngineLoadOptions } from "../src/engine";
import { writeParquet } from "../src/engine";
import { Table } from "../src/table";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-engine-load-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse("2026-01-01T00:00:00Z");

// Online Retail layout. Physical lines in the comments.
const RETAIL = [
  "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country", // 1
  "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom", // 2
  '536365,71053,"WHITE METAL\nLANTERN",6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom', // 3-4
  "536366,22633,HAND WARMER,6,2010-12-01 08:28:00,-1.85,17850.0,United Kingdom", // 5 negative_price
  ",22632,HAND WARMER RED,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom", // 6 missing_required
  "   ,22632,HAND WARMER RED,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom", // 7 missing_required (blank after trim)
  "536367,84879,BIRD ORNAMENT,abc,2010-12-01 08:34:00,1.69,13047.0,United Kingdom", // 8 invalid_number (reader reject)
  "536367,22745,POPPY'S PLAYHOUSE,6,2010-13-45 08:34:00,2.10,13047.0,United Kingdom", // 9 invalid_date (reader reject)
  "536368,22960,JAM MAKING SET,6,2010-12-01 08:34:00", // 10 ragged_row (missing columns)
  "536368,22913,RED COAT RACK,3,2010-12-01 08:34:00,4.95,13047.0,United Kingdom,extra", // 11 ragged_row (too many)
  " 536369 , 21756 ,BATH BUILDING BLOCK,3,2010-12-01 08:35:00,5.95, 13047.0 ,United Kingdom", // 12 padded ids
  "536369,21756,BATH BUILDING BLOCK,3,2010-12-01 08:35:00,5.95,13047.0,United Kingdom", // 13 duplicate of 12 once normalised
  "536369,21756,BATH BUILDING BLOCK,3,2010-12-01 08:35:00,5.95,13047.0,United Kingdom", // 14 duplicate
  '536370,22728,"ALARM CLOCK, PINK",24,2099-12-01 08:45:00,3.75,12583.0,France', // 15 future_date
  "C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom", // 16 cancellation
  "536370,22727,ALARM CLOCK RED,24,2010-12-01 08:45:00,3.75,12583.0,France", // 17
  '536371,22086,"PAPER CHAIN ""KIT""",80,2010-12-01 09:00:00,2.55,13748.0,United Kingdom', // 18
  "536372,22632,HAND WARMER,6,2010-12-01 09:01:00,1.85,,United Kingdom", // 19 no customer
  '536373,82494L,"WOODEN\nFRAME\nANTIQUE",6,2010-12-01 09:02:00,2.55,17850.0,United Kingdom', // 20-22
  "536373,82482,WOODEN PICTURE,6,2010-12-01 09:02:00,-0.5,17850.0,United Kingdom", // 23 negative_price
  "536374,21258,RETROSPOT,32,2010-12-01 09:09:00,inf,15100.0,United Kingdom", // 24 non_finite_number
  '536375,21259,"BROKEN\nQTY",abc,2010-12-01 09:10:00,1.0,15100.0,United Kingdom', // 25-26 invalid_number (reader reject over two lines)
  "536376,21260,AFTER IT,1,2010-12-01 09:11:00,-1.0,15100.0,United Kingdom", // 27 negative_price
].join("\n") + "\n";
const RETAIL_BAD: [number, string, string][] = [
  [5, "UnitPrice", "negative_price"], [6, "InvoiceNo", "missing_required"], [7, "InvoiceNo", "missing_required"],
  [8, "Quantity", "invalid_number"], [9, "InvoiceDate", "invalid_date"], [10, "UnitPrice", "ragged_row"], [11, "", "ragged_row"],
  [15, "InvoiceDate", "future_date"], [23, "UnitPrice", "negative_price"], [24, "UnitPrice", "non_finite_number"],
  [25, "Quantity", "invalid_number"], [27, "UnitPrice", "negative_price"],
];

// A mapped (generic) file with ';', an unmapped text column holding line breaks, and a reader reject
// whose record spans three lines.
const GENERIC = [
  "cust;order;when;sku;qty;price;note", // 1
  'a1;o1;2011-01-02 10:00:00;p1;2;3.5;"first\nnote"', // 2-3
  "a1;o1;2011-01-02 10:00:00;p2;1;-2;plain", // 4 negative_price
  'a2;o2;2011-01-03 11:00:00;p1;x;3.5;"two\nline\nnote"', // 5-7 invalid_number (reader reject)
  "a2;o3;2011-01-04 11:00:00;p3;1;4;ok", // 8
  ";o4;2011-01-05 11:00:00;p3;1;4;no customer", // 9
  "a3;o5;2011-01-06 12:00:00;p1;1;5", // 10 ragged_row (missing "note")
  "a3;o6;2011-01-07 12:00:00;p1;1;-5;neg", // 11 negative_price
].join("\n") + "\n";
const GENERIC_MAPPING = { delimiter: ";", columns: { customer_id: "cust", order_id: "order", timestamp: "when", product_id: "sku", quantity: "qty", unit_price: "price" } };
const GENERIC_BAD: [number, string, string][] = [[4, "price", "negative_price"], [5, "qty", "invalid_number"], [10, "note", "ragged_row"], [11, "price", "negative_price"]];

async function loadBoth(file: string, options: EngineLoadOptions): Promise<{ m: OrdersEngine; d: OrdersEngine; rm: Awaited<ReturnType<OrdersEngine["loadFile"]>>; rd: Awaited<ReturnType<OrdersEngine["loadFile"]>> }> {
  const m = new MemoryEngine(), d = await DuckDBEngine.open({ memoryLimit: "512MB", threads: 2 });
  const rm = await m.loadFile(file, options), rd = await d.loadFile(file, options);
  return { m, d, rm, rd };
}
const triples = (r: { quarantine: { line: number; column: string; reason: string }[] }) => r.quarantine.map((q) => [q.line, q.column, q.reason]);

describe("duckdb load: one pass, the memory loader's quarantine, lines and duplicates", () => {
  it("Online Retail layout: reader rejects, validation rejects and quoted line breaks give the memory engine's lines, columns and reasons", async () => {
    const file = path.join(dir, "retail.csv");
    fs.writeFileSync(file, RETAIL);
    const { m, d, rm, rd } = await loadBoth(file, { format: "online-retail", now: NOW });
    try {
      expect(triples(rm)).toEqual(RETAIL_BAD);
      expect(triples(rd)).toEqual(RETAIL_BAD);
      for (const k of ["rows_in", "accepted", "quarantined"] as const) expect(rd[k]).toBe(rm[k]);
      expect(rd.rows_in).toBe(22);
      expect(rd.accepted + rd.quarantined).toBe(rd.rows_in);
      expect(rd.reasons).toEqual(rm.reasons);
      // The rejected row's text is kept (rebuilt from its fields for validation rejects).
      expect(rd.quarantine[0].raw).toMatch(/^536366,22633,HAND WARMER,6(\.0)?,2010-12-01 08:28:00,-1\.85,17850\.0,United Kingdom$/);
      const [qm, qd] = [await m.quality(), await d.quality()];
      expect(qd).toEqual(qm);
      expect(qd.duplicate_row).toBe(2); // lines 13 and 14 equal line 12 once ids are trimmed
      const [fm, fd] = [await m.rfm(), await d.rfm()];
      expect(fd.str("customer_id")).toEqual(["12583", "13047", "13748", "17850"]);
      expect(fd.str("customer_id")).toEqual(fm.str("customer_id"));
      expect(Array.from(fd.num("frequency"))).toEqual(Array.from(fm.num("frequency")));
      expect(Array.from(fd.num("recency_days"))).toEqual(Array.from(fm.num("recency_days")));
      Array.from(fm.num("monetary")).forEach((v, i) => expect(fd.num("monetary")[i]).toBeCloseTo(v, 9));
      expect(Array.from(fd.num("monetary"))[1]).toBeCloseTo(3 * 5.95, 9); // 13047: one distinct line
    } finally { await m.close(); await d.close(); }
  }, 60_000);

  it("a mapped file: line breaks in an unmapped column and inside a rejected record still give physical lines", async () => {
    const file = path.join(dir, "generic.csv");
    fs.writeFileSync(file, GENERIC);
    const { m, d, rm, rd } = await loadBoth(file, { format: "generic", mapping: GENERIC_MAPPING } as EngineLoadOptions);
    try {
      expect(triples(rm)).toEqual(GENERIC_BAD);
      expect(triples(rd)).toEqual(GENERIC_BAD);
      for (const k of ["rows_in", "accepted", "quarantined"] as const) expect(rd[k]).toBe(rm[k]);
      const [fm, fd] = [await m.rfm(), await d.rfm()];
      expect(fd.str("customer_id")).toEqual(["a1", "a2"]);
      expect(Array.from(fd.num("monetary"))).toEqual(Array.from(fm.num("monetary")));
      expect(await d.quality()).toEqual(await m.quality());
    } finally { await m.close(); await d.close(); }
  }, 60_000);

  it("Parquet: validated from text in the same pass, quarantined rows numbered by data row", async () => {
    const pq = path.join(dir, "orders.parquet");
    const t = new Table({
      customer_id: ["a1", "a1", "a2", "a2", "a2"], order_id: ["o1", "o1", "o2", "o2", ""],
      timestamp: ["2011-01-02 10:00:00", "2011-01-02 10:00:00", "2011-01-03 11:00:00", "2011-01-03 11:00:00", "2011-01-03 11:00:00"],
      product_id: ["p1", "p2", "p1", "p1", "p1"], quantity: Float64Array.from([2, 1, 1, 1, 1]), unit_price: Float64Array.from([3.5, -2, 3.5, 3.5, 3.5]),
    });
    await writeParquet(t, pq);
    const d = await DuckDBEngine.open({ memoryLimit: "512MB", threads: 2 });
    try {
      const r = await d.loadFile(pq, { format: "custlab", now: NOW });
      expect(triples(r)).toEqual([[2, "unit_price", "negative_price"], [5, "order_id", "missing_required"]]);
      expect([r.rows_in, r.accepted, r.quarantined]).toEqual([5, 3, 2]);
      const q = await d.quality();
      expect([q.rows, q.duplicate_row, q.customers, q.orders]).toEqual([3, 1, 2, 2]);
      const f = await d.rfm();
      expect(f.str("customer_id")).toEqual(["a1", "a2"]);
      expect(Array.from(f.num("monetary"))).toEqual([7, 3.5]);
    } finally { await d.close(); }
  }, 60_000);

  it("exact duplicates: rows that share a hash are compared value by value (hashes forced to collide), the same rows, counts and multiplicities", async () => {
    const file = path.join(dir, "retail-collide.csv");
    fs.writeFileSync(file, RETAIL);
    const m = new MemoryEngine();
    const plain = await DuckDBEngine.open({ memoryLimit: "512MB", threads: 2 });
    const collide = await DuckDBEngine.open({ memoryLimit: "512MB", threads: 2, hashModulo: 2 });
    try {
      await m.loadFile(file, { format: "online-retail", now: NOW });
      for (const d of [plain, collide]) {
        const r = await d.loadFile(file, { format: "online-retail", now: NOW });
        expect(triples(r)).toEqual(RETAIL_BAD);
        const q = await d.quality();
        expect(q).toEqual(await m.quality());
        expect(q.duplicate_row).toBe(2);
        const [fm, fd] = [await m.rfm(), await d.rfm()];
        expect(fd.str("customer_id")).toEqual(fm.str("customer_id"));
        Array.from(fm.num("monetary")).forEach((v, i) => expect(fd.num("monetary")[i]).toBeCloseTo(v, 9));
        // The distinct rows with their multiplicity, in source order (what ClickHouse bulk-loads):
        // lines 2, 3-4, 12 (= 13 = 14 once ids are trimmed), 16, 17, 18, 19, 20-22.
        const rows = await (d as DuckDBEngine).query(`SELECT _line, _n FROM ${(d as DuckDBEngine).allRowsTable()} ORDER BY _line`);
        expect(rows._n.map(Number)).toEqual([1, 1, 3, 1, 1, 1, 1, 1]);
      }
    } finally { await m.close(); await plain.close(); await collide.close(); }
  }, 60_000);

  it("no accepted row (every row quarantined, or a header only): the memory engine's zero counts and an empty RFM", async () => {
    const header = RETAIL.split("\n")[0];
    const cases = {
      allbad: [header, "536366,22633,HAND WARMER,6,2010-12-01 08:28:00,-1.85,17850.0,United Kingdom", "536366,22633,HAND WARMER,6,2010-12-01 08:28:00,-1.85,17850.0,United Kingdom"].join("\n") + "\n",
      header: header + "\n",
    };
    for (const [name, text] of Object.entries(cases)) {
      const file = path.join(dir, `${name}.csv`);
      fs.writeFileSync(file, text);
      const { m, d, rm, rd } = await loadBoth(file, { format: "online-retail", now: NOW });
      try {
        for (const k of ["rows_in", "accepted", "quarantined"] as const) expect(rd[k]).toBe(rm[k]);
        const q = await d.quality();
        expect(q).toEqual(await m.quality());
        expect([q.rows, q.duplicate_row, q.customers]).toEqual([0, 0, 0]);
        expect((await d.rfm()).numRows).toBe(0);
      } finally { await m.close(); await d.close(); }
    }
  }, 60_000);
});
