import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadTransactions, loadTable, readColumns, writeQuarantine } from "../src/io";
import type { LoadResult, QuarantineRow } from "../src/io";
import { CustlabError } from "../src/util/errors";

// Every bad-input kind of issue 2, each with the exact reason and physical line.
const HEADER = "customer_id,order_id,timestamp,product_id,product_name,category,quantity,unit_price,country,channel";
const NOW = Date.parse("2024-06-01T00:00:00Z");
let dir: string;
const write = (name: string, content: string | Buffer) => { const f = path.join(dir, name); fs.writeFileSync(f, content); return f; };
const row = (o: Partial<Record<string, string>> = {}) => {
  const d: Record<string, string> = { customer_id: "c1", order_id: "o1", timestamp: "2024-03-05T14:22:00Z", product_id: "p1", product_name: "Mug", category: "kitchen", quantity: "2", unit_price: "3.5", country: "UK", channel: "web", ...o };
  return HEADER.split(",").map((k) => d[k]).join(",");
};
const load = (f: string, extra: object = {}) => loadTransactions(f, { format: "custlab", now: NOW, ...extra });
const only = (r: LoadResult): QuarantineRow => { expect(r.report.quarantine).toHaveLength(1); return r.report.quarantine[0]; };
const balanced = (r: LoadResult) => expect(r.report.accepted + r.report.quarantined).toBe(r.report.rows_in);

beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-io-")); });

describe("bad input: one reason and one line each", () => {
  it("ragged rows (too few and too many fields)", async () => {
    const f = write("ragged.csv", [HEADER, row(), "c2,o2,2024-03-05T10:00:00Z,p1,Mug,kitchen,1,2,UK", row({ order_id: "o3" }), row({ order_id: "o4" }) + ",extra"].join("\n") + "\n");
    const r = await load(f);
    balanced(r);
    expect(r.report).toMatchObject({ rows_in: 4, accepted: 2, quarantined: 2, reasons: { ragged_row: 2 } });
    expect(r.report.quarantine.map((q) => [q.line, q.reason, q.detail])).toEqual([[3, "ragged_row", "9 fields, header has 10"], [5, "ragged_row", "11 fields, header has 10"]]);
    expect(r.report.quarantine[0].column).toBe("channel"); // the first missing column
    expect(Array.from(r.table.num("_line"))).toEqual([2, 4]);
  });

  it("quoted commas, doubled quotes and newlines inside quotes keep physical line numbers", async () => {
    const f = write("quoted.csv", [HEADER, row({ product_name: '"Mug, large"' }), row({ product_name: '"Say ""hi"""' }), row({ product_name: '"two\nline\nname"' }), row({ quantity: "x" })].join("\n") + "\n");
    const r = await load(f);
    balanced(r);
    expect(r.table.str("product_name")).toEqual(["Mug, large", 'Say "hi"', "two\nline\nname"]);
    expect(Array.from(r.table.num("_line"))).toEqual([2, 3, 4]);
    // The record after the 3-line field starts on physical line 7.
    expect(only(r)).toMatchObject({ line: 7, column: "quantity", reason: "invalid_number", detail: "x" });
  });

  it("UTF-8 byte-order mark", async () => {
    const f = write("bom.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([HEADER, row(), row({ timestamp: "soon" })].join("\n") + "\n")]));
    const r = await load(f);
    expect(r.report.columns[0]).toBe("customer_id");
    expect(r.table.str("customer_id")).toEqual(["c1"]);
    expect(only(r)).toMatchObject({ line: 3, column: "timestamp", reason: "invalid_date" });
  });

  it("CRLF line ends", async () => {
    const f = write("crlf.csv", [HEADER, row(), row({ product_name: '"a\r\nb"' }), row({ unit_price: "-1" })].join("\r\n") + "\r\n");
    const r = await load(f);
    balanced(r);
    expect(r.table.str("channel")).toEqual(["web", "web"]); // no trailing \r
    expect(r.table.str("product_name")).toEqual(["Mug", "a\r\nb"]);
    expect(only(r)).toMatchObject({ line: 5, column: "unit_price", reason: "negative_price", detail: "-1" });
  });

  it("non-numeric numbers", async () => {
    const f = write("nonnum.csv", [HEADER, row(), row({ quantity: "two" }), row({ unit_price: "1,5" }) /* ragged: the comma splits */, row({ unit_price: '"1,5"' }), row({ unit_price: "3.5.1" })].join("\n") + "\n");
    const r = await load(f);
    balanced(r);
    expect(r.report.quarantine.map((q) => [q.line, q.reason, q.column])).toEqual([
      [3, "invalid_number", "quantity"], [4, "ragged_row", ""], [5, "invalid_number", "unit_price"], [6, "invalid_number", "unit_price"],
    ]);
  });

  it("NaN and Infinity", async () => {
    const f = write("nan.csv", [HEADER, row({ unit_price: "NaN" }), row({ quantity: "Infinity" }), row({ unit_price: "-inf" }), row({ unit_price: "1e400" }), row()].join("\n") + "\n");
    const r = await load(f);
    balanced(r);
    expect(r.report.reasons).toEqual({ non_finite_number: 4 });
    expect(r.report.quarantine.map((q) => [q.line, q.column])).toEqual([[2, "unit_price"], [3, "quantity"], [4, "unit_price"], [5, "unit_price"]]);
    expect(r.report.accepted).toBe(1);
  });

  it("unparseable and future dates", async () => {
    const f = write("dates.csv", [HEADER, row({ timestamp: "2024-13-05T00:00:00Z" }), row({ timestamp: "2024-02-30" }), row({ timestamp: "last tuesday" }), row({ timestamp: "2030-01-01T00:00:00Z" }), row({ timestamp: "2024-06-01T12:00:00Z" })].join("\n") + "\n");
    const r = await load(f);
    balanced(r);
    expect(r.report.quarantine.map((q) => [q.line, q.reason])).toEqual([[2, "invalid_date"], [3, "invalid_date"], [4, "invalid_date"], [5, "future_date"]]);
    // Within the default one-day skew: accepted.
    expect(r.table.num("timestamp")[0]).toBe(Date.parse("2024-06-01T12:00:00Z"));
  });

  it("empty lines inside and at the end", async () => {
    const f = write("empty-lines.csv", [HEADER, row(), "", row({ order_id: "o2" }), "", ""].join("\n"));
    const r = await load(f);
    balanced(r);
    expect(r.report).toMatchObject({ rows_in: 4, accepted: 2, quarantined: 2, reasons: { empty_line: 2 } });
    expect(r.report.quarantine.map((q) => q.line)).toEqual([3, 5]);
  });

  it("duplicate rows are accepted by the loader (cleaning flags them)", async () => {
    const f = write("dups.csv", [HEADER, row(), row(), row({ order_id: "o2" })].join("\n") + "\n");
    const r = await load(f);
    expect(r.report).toMatchObject({ rows_in: 3, accepted: 3, quarantined: 0 });
    const { cleanTransactions } = await import("../src/clean");
    const c = cleanTransactions(r.table);
    expect(Array.from(c.table.num("is_duplicate"))).toEqual([0, 1, 0]);
    expect(c.report.flags.duplicate_row).toMatchObject({ count: 1, example_lines: [3] });
  });

  it("negative prices are quarantined, zero prices flagged by cleaning", async () => {
    const f = write("prices.csv", [HEADER, row({ unit_price: "-0.5" }), row({ unit_price: "0" }), row({ unit_price: "0.00" })].join("\n") + "\n");
    const r = await load(f);
    balanced(r);
    expect(only(r)).toMatchObject({ line: 2, column: "unit_price", reason: "negative_price", detail: "-0.5" });
    const { cleanTransactions } = await import("../src/clean");
    expect(cleanTransactions(r.table).report.flags.zero_price).toMatchObject({ count: 2, example_lines: [3, 4] });
  });

  it("invalid UTF-8 (strict by default, latin1 fallback on request)", async () => {
    const [before, after] = row().split("Mug");
    // Line 3: product_name is "Caf" + the latin1 byte 0xE9 (not valid UTF-8).
    const fixed = Buffer.concat([Buffer.from(HEADER + "\n" + row({ product_name: "Café" }) + "\n" + before + "Caf"), Buffer.from([0xe9]), Buffer.from(after + "\n")]);
    const f = write("utf8.csv", fixed);
    const r = await load(f);
    balanced(r);
    expect(only(r)).toMatchObject({ line: 3, column: "product_name", reason: "invalid_utf8" });
    expect(r.table.str("product_name")).toEqual(["Café"]);
    const r2 = await load(f, { encoding: "utf8-or-latin1" });
    expect(r2.table.str("product_name")).toEqual(["Café", "Café"]);
    expect(r2.report.quarantined).toBe(0);
  });

  it("one 100 KB field is accepted; a field over the limit is quarantined", async () => {
    const big = "x".repeat(100_000);
    const f = write("big.csv", [HEADER, row({ product_name: big }), row({ product_name: `"${big}"` })].join("\n") + "\n");
    const r = await load(f, { chunkBytes: 4096 });
    balanced(r);
    expect(r.report.quarantined).toBe(0);
    expect(r.table.str("product_name").map((s) => s.length)).toEqual([100_000, 100_000]);
    const r2 = await load(f, { maxFieldBytes: 50_000 });
    expect(r2.report.quarantine.map((q) => [q.line, q.reason, q.column])).toEqual([[2, "field_too_large", "product_name"], [3, "field_too_large", "product_name"]]);
  });

  it("unterminated quote at the end of the file", async () => {
    const f = write("unterminated.csv", [HEADER, row(), row({ product_name: '"never closed' }), row()].join("\n") + "\n");
    const r = await load(f);
    balanced(r);
    expect(r.report).toMatchObject({ rows_in: 2, accepted: 1, quarantined: 1 });
    expect(only(r)).toMatchObject({ line: 3, reason: "unterminated_quote", column: "product_name" });
  });

  it("missing required field value", async () => {
    const f = write("missing.csv", [HEADER, row({ order_id: "" }), row({ customer_id: "" })].join("\n") + "\n");
    const r = await load(f);
    expect(only(r)).toMatchObject({ line: 2, column: "order_id", reason: "missing_required" });
    expect(r.table.str("customer_id")).toEqual([""]); // missing customer ids are kept
  });
});

describe("whole-file problems: one CustlabError naming the file", () => {
  it("empty file", async () => {
    const f = write("empty.csv", "");
    await expect(load(f)).rejects.toThrow(CustlabError);
    await expect(load(f)).rejects.toThrow(/empty\.csv: the file is empty/);
  });
  it("only a byte-order mark", async () => {
    const f = write("bom-only.csv", Buffer.from([0xef, 0xbb, 0xbf]));
    await expect(load(f)).rejects.toMatchObject({ code: "E_EMPTY_FILE" });
  });
  it("missing required column", async () => {
    const f = write("nocol.csv", "customer_id,order_id,timestamp,quantity\nc1,o1,2024-01-01,1\n");
    const err = await load(f).catch((e) => e);
    expect(err).toBeInstanceOf(CustlabError);
    expect(err.code).toBe("E_MISSING_COLUMN");
    expect(err.message).toContain("nocol.csv");
    expect(err.message).toContain('"product_id", "unit_price"');
  });
  it("UTF-16 file", async () => {
    const f = write("utf16.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER + "\n", "utf16le")]));
    await expect(load(f)).rejects.toMatchObject({ code: "E_ENCODING" });
    await expect(load(f)).rejects.toThrow(/utf16\.csv: unreadable encoding: the file is UTF-16/);
  });
  it("missing file", async () => {
    await expect(load(path.join(dir, "nope.csv"))).rejects.toMatchObject({ code: "E_FILE" });
  });
});

describe("streaming", () => {
  it("gives the same table and lines for any chunk size", async () => {
    const rows = [HEADER];
    for (let i = 0; i < 60; i++) rows.push(row({ order_id: `o${i}`, product_name: i % 7 === 0 ? `"multi\r\nline ""${i}"", with comma"` : `P${i}`, quantity: i % 11 === 0 ? "bad" : String(i + 1) }));
    const f = write("chunks.csv", "\uFEFF" + rows.join("\r\n") + "\r\n\r\n" + row({ order_id: "last" }));
    const ref = await load(f);
    balanced(ref);
    for (const [chunkBytes, reader] of [[1, "stream"], [2, "sync"], [3, "stream"], [7, "sync"], [64, "stream"], [1000, "sync"]] as const) {
      const r = await load(f, { chunkBytes, reader });
      expect(r.report.rows_in).toBe(ref.report.rows_in);
      expect(r.table.str("product_name")).toEqual(ref.table.str("product_name"));
      expect(Array.from(r.table.num("_line"))).toEqual(Array.from(ref.table.num("_line")));
      expect(r.report.quarantine.map((q) => [q.line, q.reason])).toEqual(ref.report.quarantine.map((q) => [q.line, q.reason]));
    }
    expect(ref.report.reasons).toEqual({ invalid_number: 6, empty_line: 1 });
    expect(ref.table.str("order_id").at(-1)).toBe("last"); // last record without a line end
  });

  it("writes every quarantined row to the quarantine file", async () => {
    const f = write("q.csv", [HEADER, row({ quantity: "x" }), row({ unit_price: "-2" }), row()].join("\n") + "\n");
    const qf = path.join(dir, "q-out.csv");
    const r = await load(f, { quarantineFile: qf, keepQuarantine: 1 });
    expect(r.report.quarantine).toHaveLength(1);
    const lines = fs.readFileSync(qf, "utf8").trim().split("\n");
    expect(lines[0]).toBe("file,line,column,reason,detail,raw");
    expect(lines.slice(1).map((l) => l.split(",").slice(1, 4).join(","))).toEqual(["2,quantity,invalid_number", "3,unit_price,negative_price"]);
    const qf2 = path.join(dir, "q-out2.csv");
    writeQuarantine(qf2, r.report.quarantine);
    expect(fs.readFileSync(qf2, "utf8").split("\n")[1]).toBe(lines[1]);
  });
});

describe("parsing", () => {
  it("reads numbers exactly like Number()", async () => {
    const vals: string[] = [];
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 2000; i++) vals.push((rnd() * 10 ** Math.floor(rnd() * 8 - 3)).toFixed(Math.floor(rnd() * 9)));
    vals.push("0.1", "-0.0", "+7", "1e3", "2.5E-3", ".5", "5.", "123456789012345678901234567890", "0.30000000000000004");
    const f = write("nums.csv", "x\n" + vals.join("\n") + "\n");
    const r = await readColumns(f, [{ name: "x", source: "x", type: "number" }], "t");
    const got = Array.from(r.table.num("x"));
    expect(got).toEqual(vals.map(Number));
  });

  it("dates: ISO with zones, US and compact formats, and an explicit time zone", async () => {
    const f = write("zones.csv", "t\n2024-03-05T14:22:00+02:00\n2024-03-05 14:22\n2024-03-05T14:22:00.250Z\n2011-07-01 12:00:00\n2011-01-01 12:00:00\n");
    const utc = await readColumns(f, [{ name: "t", source: "t", type: "date", dateFormat: "iso" }], "t");
    expect(Array.from(utc.table.num("t"), (v) => new Date(v).toISOString())).toEqual([
      "2024-03-05T12:22:00.000Z", "2024-03-05T14:22:00.000Z", "2024-03-05T14:22:00.250Z", "2011-07-01T12:00:00.000Z", "2011-01-01T12:00:00.000Z"]);
    const london = await readColumns(f, [{ name: "t", source: "t", type: "date", dateFormat: "iso" }], "t", { timeZone: "Europe/London" });
    // Explicit zones win; wall-clock times move by the London offset (BST in July, GMT in January).
    expect(Array.from(london.table.num("t"), (v) => new Date(v).toISOString())).toEqual([
      "2024-03-05T12:22:00.000Z", "2024-03-05T14:22:00.000Z", "2024-03-05T14:22:00.250Z", "2011-07-01T11:00:00.000Z", "2011-01-01T12:00:00.000Z"]);
    // Runs of the same day reuse the day number; times are still checked.
    const h = write("sameday.csv", "t\n2024-03-05 10:00\n2024-03-05 25:00\n2024-03-05 11:00:30\n2024-03-06 00:00\n2024-02-30 01:00\n");
    const sd = await readColumns(h, [{ name: "t", source: "t", type: "date", dateFormat: "iso" }], "t");
    expect(Array.from(sd.table.num("t"), (v) => new Date(v).toISOString())).toEqual(["2024-03-05T10:00:00.000Z", "2024-03-05T11:00:30.000Z", "2024-03-06T00:00:00.000Z"]);
    expect(sd.report.quarantine.map((q) => [q.line, q.reason])).toEqual([[3, "invalid_date"], [6, "invalid_date"]]);
    const g = write("us.csv", "t\n12/1/2010 8:26\n1/31/2011 17:05\n19970101\n");
    const us = await readColumns(g, [{ name: "t", source: "t", type: "date" }], "t");
    expect(Array.from(us.table.num("t"), (v) => new Date(v).toISOString())).toEqual(["2010-12-01T08:26:00.000Z", "2011-01-31T17:05:00.000Z", "1997-01-01T00:00:00.000Z"]);
  });

  it("generic mapping: semicolons, decimal comma, day-first dates in Berlin time, amount instead of unit price", async () => {
    const f = write("generic.csv", "Kunde;Datum;Menge;Betrag\nA;05.03.2024 10:00;2;7,00\nB;06.04.2024 11:30;4;10\nC;07.03.2024 09:00;1;2.5\n");
    const r = await loadTransactions(f, { format: "generic", now: NOW, mapping: {
      columns: { customer_id: "Kunde", timestamp: "Datum", quantity: "Menge", amount: "Betrag" }, dateFormat: "dmy", timeZone: "Europe/Berlin", decimalComma: true,
    } });
    expect(r.report).toMatchObject({ rows_in: 3, accepted: 2, quarantined: 1 });
    expect(only(r)).toMatchObject({ line: 4, column: "Betrag", reason: "invalid_number", detail: "2.5" });
    expect(r.table.str("order_id")).toEqual(["2", "3"]); // not mapped: the source line
    expect(Array.from(r.table.num("unit_price"))).toEqual([3.5, 2.5]); // amount / quantity
    expect(Array.from(r.table.num("timestamp"), (v) => new Date(v).toISOString())).toEqual(["2024-03-05T09:00:00.000Z", "2024-04-06T09:30:00.000Z"]); // CET, CEST
  });

  it("loadTable types columns automatically (blank → NaN) and quarantines forced-type failures", async () => {
    const f = write("auto.csv", "id,amount,when,label\na,1.5,2024-01-01,x\nb, ,2024-01-02,y\nc,3,,z\n");
    const r = await loadTable(f);
    expect(r.table.kinds()).toMatchObject({ id: "string", amount: "number", when: "date", label: "string" });
    expect(Array.from(r.table.num("amount"))).toEqual([1.5, NaN, 3]);
    const r2 = await loadTable(f, { types: { label: "number" } });
    expect(r2.report).toMatchObject({ rows_in: 3, accepted: 0, quarantined: 3, reasons: { invalid_number: 3 } });
    expect(r2.report.quarantine.map((q) => q.line)).toEqual([2, 3, 4]);
  });
});
