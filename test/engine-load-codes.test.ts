// The duckdb engine's load table stores text columns with few distinct values as dictionary codes
// (ENUMs; src/engine/duckdb.ts dictionaryCode; forced here with codeText, by default only past half of
// memory_limit) and leaves out the columns the source lacks: the
// stages read the codes back as text, so the quality figures, RFM and customer features equal the
// memory engine's (planted truth: quarantined rows whose coded columns hold values no accepted row
// has, exact duplicates, a nearly unique column that stays text).
import { describe, it, expect, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MemoryEngine, DuckDBEngine } from "../src/engine";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-engine-codes-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse("2026-01-01T00:00:00Z");

function retail(): { text: string; bad: [number, string][] } {
  const lines = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"];
  const bad: [number, string][] = [];
  const products = ["85123A", "71053", "22633", "POST"], countries = ["United Kingdom", "France", "EIRE"];
  for (let i = 0; i < 1200; i++) {
    const order = `${536000 + (i % 100)}`, cust = i % 37 === 0 ? "" : `${12000 + (i % 23)}.0`;
    const day = 1 + (i % 28), month = 1 + (i % 11);
    const row = `${i % 53 === 0 ? "C" : ""}${order},${products[i % 4]},ITEM ${i},${1 + (i % 7)},2011-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")} 10:${String(i % 60).padStart(2, "0")}:00,${(1 + (i % 13) * 0.37).toFixed(2)},${cust},${countries[i % 3]}`;
    lines.push(row);
    if (i % 97 === 5) lines.push(row); // an exact duplicate
    if (i % 211 === 7) {
      // Quarantined rows holding a country, product and customer no accepted row has.
      lines.push(`${order},ZZZ${i},BAD ${i},3,2011-02-02 10:00:00,-1.5,99${i}.0,Atlantis ${i}`);
      bad.push([lines.length, "negative_price"]);
    }
  }
  return { text: lines.join("\n") + "\n", bad };
}

describe("duckdb load table: dictionary-coded text and no constant columns", () => {
  it("coded columns read back as the text: quality, RFM and features equal the memory engine's; quarantine unchanged", async () => {
    const file = path.join(dir, "retail.csv");
    const { text, bad } = retail();
    fs.writeFileSync(file, text);
    const m = new MemoryEngine(), d = await DuckDBEngine.open({ memoryLimit: "512MB", threads: 2, codeText: true });
    try {
      const [rm, rd] = [await m.loadFile(file, { format: "online-retail", now: NOW }), await d.loadFile(file, { format: "online-retail", now: NOW })];
      expect(rd.quarantine.map((q) => [q.line, q.reason])).toEqual(bad);
      expect(rm.quarantine.map((q) => [q.line, q.reason])).toEqual(bad);
      for (const k of ["rows_in", "accepted", "quarantined"] as const) expect(rd[k]).toBe(rm[k]);
      // What the table stores: codes for the repeated text, text for the nearly unique description,
      // no category or channel (Online Retail has neither).
      const cols = await d.query("SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_name LIKE 'orders_%_staging' ORDER BY ordinal_position");
      const types = Object.fromEntries((cols.c as string[]).map((c, i) => [c, String(cols.t[i])]));
      for (const c of ["customer_id", "order_id", "product_id", "country"]) expect(types[c], JSON.stringify(types)).toMatch(/^ENUM/);
      expect(types.product_name).toBe("VARCHAR");
      expect(types.category).toBeUndefined();
      expect(types.channel).toBeUndefined();
      // Every row keeps its physical line (row ids survive the rewrite): the line's text holds its description.
      const lines = text.split("\n");
      const rows = await d.query(`SELECT _line AS l, product_name AS p, order_id AS o FROM ${d.allRowsTable()} ORDER BY _line`);
      expect(rows.l.length).toBe(rm.accepted - 13);
      (rows.l as unknown[]).forEach((l, i) => expect(lines[Number(l) - 1].split(",").slice(0, 3)).toEqual([String(rows.o[i]), expect.any(String), String(rows.p[i])]));
      const [qm, qd] = [await m.quality(), await d.quality()];
      expect(qd).toEqual(qm);
      expect(qd.duplicate_row).toBe(13);
      const [fm, fd] = [await m.rfm(), await d.rfm()];
      expect(fd.columnNames()).toEqual(fm.columnNames());
      for (const c of fd.columnNames()) expect(c === "customer_id" ? fd.str(c) : Array.from(fd.num(c))).toEqual(c === "customer_id" ? fm.str(c) : Array.from(fm.num(c)));
      const cutoff = Date.parse("2011-08-01T00:00:00Z");
      const [xm, xd] = [await m.features({ cutoff }), await d.features({ cutoff })];
      expect(xd.numRows).toBe(xm.numRows);
      expect(xd.numRows).toBeGreaterThan(15);
      for (const c of xm.columnNames()) {
        const a = xm.get(c), b = xd.get(c);
        expect(Array.from(b as ArrayLike<unknown>), c).toEqual(Array.from(a as ArrayLike<unknown>));
      }
    } finally { await m.close(); await d.close(); }
  }, 60_000);
});

describe("duckdb load table: no codes by default, \"auto\" codes only past half of memory_limit", () => {
  it("a small table stays text by default, with codeText false and with \"auto\"", async () => {
    const file = path.join(dir, "retail-small.csv");
    fs.writeFileSync(file, retail().text);
    for (const opts of [{}, { codeText: false }, { codeText: "auto" as const }]) {
      const d = await DuckDBEngine.open({ memoryLimit: "512MB", threads: 2, ...opts });
      try {
        await d.loadFile(file, { format: "online-retail", now: NOW });
        const cols = await d.query("SELECT data_type AS t FROM information_schema.columns WHERE table_name LIKE 'orders_%_staging'");
        expect((cols.t as string[]).filter((t) => /^ENUM/.test(String(t)))).toEqual([]);
      } finally { await d.close(); }
    }
  }, 60_000);
});
