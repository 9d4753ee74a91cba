// One quarantine definition on both engines (issue 19): blank lines (custlab's reader quarantines
// each as empty_line; DuckDB's reader skips them), bytes that are not UTF-8, ragged rows whose
// extra field also breaks a number (DuckDB reports the cast and the field count: the field count
// wins, as in custlab's reader), blank lines inside quoted fields (not blank lines), CRLF and LF
// line ends. Planted truth: the quarantined lines are listed by hand; the memory engine and the
// duckdb engine must both give them, and the same rows in / accepted / quarantined.
import { describe, it, expect, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MemoryEngine, DuckDBEngine } from "../src/engine";
import type { EngineLoadOptions, OrdersEngine } from "../src/engine";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-engine-blank-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse("2026-01-01T00:00:00Z");

/** The planted file with line end `eol`; physical lines in the comments. */
function planted(eol: string): Buffer {
  const l = (s: string) => Buffer.from(s + eol);
  return Buffer.concat([
    l("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"), // 1
    l(""), // 2 blank, right after the header
    l("536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom"), // 3
    l(`536365,71053,"WHITE METAL${eol}${eol}LANTERN",6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom`), // 4-6: a blank line inside quotes is data
    l(""), l(""), // 7, 8 blank
    l("536366,22633,HAND WARMER,6,2010-12-01 08:28:00,-1.85,17850.0,United Kingdom"), // 9 negative_price
    l("536366,22633,HAND, WARMER,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom"), // 10 ragged (9 fields: "WARMER" lands in Quantity)
    l("536367,84879,BIRD ORNAMENT,6,2010-12-01 08:34:00"), // 11 ragged (5 fields)
    l(""), // 12 blank
    Buffer.concat([Buffer.from("536368,22960,JAM "), Buffer.from([0xc3, 0x28, 0xff]), l(" SET,6,2010-12-01 08:34:00,1.5,13047.0,United Kingdom")]), // 13 invalid_utf8
    l("   "), // 14 spaces only: one field (ragged, as custlab's reader says)
    l(`536369,21756,"BATH${eol}BLOCK",x,2010-12-01 08:35:00,5.95,13047.0,United Kingdom`), // 15-16 invalid_number over two lines
    l("536370,22728,ALARM CLOCK PINK,24,2010-12-01 08:45:00,3.75,12583.0,France"), // 17
    l(""), // 18 blank, the last line
  ]);
}
const BAD: [number, string, string][] = [
  [2, "", "empty_line"], [7, "", "empty_line"], [8, "", "empty_line"], [9, "UnitPrice", "negative_price"], [10, "", "ragged_row"],
  [11, "UnitPrice", "ragged_row"], [12, "", "empty_line"], [13, "Description", "invalid_utf8"], [14, "StockCode", "ragged_row"],
  [15, "Quantity", "invalid_number"], [18, "", "empty_line"],
];
const triples = (r: { quarantine: { line: number; column: string; reason: string }[] }) => r.quarantine.map((q) => [q.line, q.column, q.reason]);

async function both(file: string, options: EngineLoadOptions): Promise<Awaited<ReturnType<OrdersEngine["loadFile"]>>[]> {
  const m = new MemoryEngine(), d = await DuckDBEngine.open({ memoryLimit: "512MB", threads: 2 });
  try { return [await m.loadFile(file, options), await d.loadFile(file, options)]; } finally { await m.close(); await d.close(); }
}

describe("blank lines, invalid UTF-8 and ragged rows: one quarantine on memory and duckdb", () => {
  for (const [name, eol] of [["LF", "\n"], ["CRLF", "\r\n"]] as const) {
    it(`${name}: the planted lines, reasons and columns on both engines; rows_in = accepted + quarantined`, async () => {
      const file = path.join(dir, `planted-${name}.csv`);
      fs.writeFileSync(file, planted(eol));
      const [rm, rd] = await both(file, { format: "online-retail", now: NOW });
      expect(triples(rm)).toEqual(BAD);
      expect(triples(rd)).toEqual(BAD);
      expect([rm.rows_in, rm.accepted, rm.quarantined]).toEqual([14, 3, 11]);
      expect([rd.rows_in, rd.accepted, rd.quarantined]).toEqual([14, 3, 11]);
      expect(rd.reasons).toEqual(rm.reasons);
      expect(rd.reasons.empty_line).toBe(5);
      // A reader reject's text is the record's, without the line ends around it.
      expect(rd.quarantine.find((q) => q.line === 11)!.raw).toBe("536367,84879,BIRD ORNAMENT,6,2010-12-01 08:34:00");
    }, 60_000);
  }

  it("a blank line inside a quoted field is data, not a blank line", async () => {
    const file = path.join(dir, "quoted-blank.csv");
    fs.writeFileSync(file, 'order_id,customer_id,timestamp,product_id,product_name,quantity,unit_price\no1,c1,2024-01-02T10:00:00Z,p1,"two\n\nparas",1,2\no2,c1,2024-01-03T10:00:00Z,p1,x,1,-2\n');
    const [rm, rd] = await both(file, { format: "custlab", now: NOW });
    expect(triples(rm)).toEqual([[5, "unit_price", "negative_price"]]);
    expect(triples(rd)).toEqual(triples(rm));
    expect([rd.rows_in, rd.accepted, rd.quarantined]).toEqual([2, 1, 1]);
  }, 60_000);

  it("the demo shop: the 27 planted quarantine rows (3 blank lines, 1 invalid UTF-8, 4 ragged) on both engines", async () => {
    const [rm, rd] = await both(path.resolve(__dirname, "../datasets/demo/transactions.csv"), { format: "custlab" });
    expect(rm.quarantined).toBe(27);
    expect(triples(rd)).toEqual(triples(rm));
    expect([rd.rows_in, rd.accepted, rd.quarantined]).toEqual([rm.rows_in, rm.accepted, rm.quarantined]);
    expect(rd.reasons).toEqual(rm.reasons);
    expect(rd.reasons).toMatchObject({ empty_line: 3, invalid_utf8: 1, ragged_row: 4 });
  }, 60_000);
});
