import { describe, it, expect } from "vitest";
import { Table } from "../src/table";
import { createRng } from "../src/util/random";

describe("Table", () => {
  const t = new Table({ id: ["a", "b", "c"], spend: Float64Array.from([10, NaN, 5]) });
  it("filters, sorts and keeps typed columns", () => {
    expect(t.numRows).toBe(3);
    const s = t.orderBy("spend", "desc");
    expect(s.str("id")).toEqual(["a", "c", "b"]);
    expect(s.num("spend")).toBeInstanceOf(Float64Array);
    expect(t.filter((i) => t.num("spend")[i] > 6).numRows).toBe(1);
  });
  it("names the available columns when one is missing", () => {
    expect(() => t.get("nope")).toThrow(/no column "nope" \(have: id, spend\)/);
  });
  it("renders CSV, Markdown and escaped HTML", () => {
    expect(t.toCSV()).toBe("id,spend\na,10\nb,\nc,5\n");
    expect(t.toMarkdown()).toContain("| a | 10 |");
    expect(new Table({ x: ["<b>"] }).toHTML()).toContain("&lt;b&gt;");
  });
});

describe("createRng", () => {
  it("is reproducible per seed", () => {
    const a = createRng(7), b = createRng(7), c = createRng(8);
    const xa = [a.next(), a.next()], xb = [b.next(), b.next()];
    expect(xa).toEqual(xb);
    expect(c.next()).not.toBe(xa[0]);
  });
  it("draws gamma with the right mean", () => {
    const r = createRng(1);
    let s = 0;
    for (let i = 0; i < 20000; i++) s += r.gamma(2.5);
    expect(s / 20000).toBeCloseTo(2.5, 1);
  });
});

// Issue 15 ("Tables"): digits are digits after the decimal point, numeric ids
// carry no thousands separators, dates show as dates (time only when present).
describe("table display (toHTML, toMarkdown, showTable)", () => {
  const cells = (html: string) => [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
  it("toHTML({ digits }) rounds to digits after the decimal point, not significant digits", () => {
    const t = new Table({ spend: Float64Array.from([1473.52, 0.5, 12345.678, 2.24e-5, 7, -3.14159]) });
    expect(cells(t.toHTML({ digits: 2 }))).toEqual(["1473.52", "0.50", "12,345.68", "0.000022", "7", "-3.14"]);
    expect(cells(t.toHTML({ digits: 0 }))).toEqual(["1474", "1", "12,346", "0.000022", "7", "-3"]);
    // Each value against toFixed over a sweep of magnitudes and digits.
    for (const d of [0, 1, 2, 3, 4]) {
      for (const v of [0.123456, 1.5, 98.7654, 1473.52, 9999.99]) {
        // A non-zero value that would round to 0 keeps 2 significant digits instead.
        const want = Number(v.toFixed(d)) === 0 ? String(Number(v.toPrecision(2))) : v.toFixed(d);
        expect(cells(new Table({ v: Float64Array.of(v) }).toHTML({ digits: d }))[0], `${v} digits ${d}`).toBe(want);
      }
    }
    expect(t.toMarkdown({ digits: 2 })).toContain("| 1473.52 |");
  });
  it("shows numeric ids whole, without thousands separators", () => {
    const t = new Table({ CustomerID: Float64Array.from([50001, 12346]), customer_id: Float64Array.from([17850, 13047]), InvoiceNo: Float64Array.from([536365, 536366]), orders: Float64Array.from([50001, 3]) });
    const c = cells(t.toHTML());
    expect(c.slice(0, 4)).toEqual(["50001", "17850", "536365", "50,001"]);
    expect(t.toMarkdown()).toContain("| 50001 | 17850 | 536365 | 50,001 |");
  });
  it("shows dates as dates, with the time only when the column has one", () => {
    const t = new Table({ day: Float64Array.from([Date.UTC(1997, 9, 12), NaN]), at: Float64Array.from([Date.UTC(2011, 0, 4, 10, 1), Date.UTC(2011, 0, 5)]) }, { day: "date", at: "date" });
    expect(cells(t.toHTML())).toEqual(["1997-10-12", "2011-01-04 10:01", "", "2011-01-05 00:00"]);
    expect(t.toMarkdown()).toContain("| 1997-10-12 | 2011-01-04 10:01 |");
    expect(t.toHTML()).not.toContain("T00:00:00.000Z");
  });
  it("showTable outside a notebook prints Markdown with the same digits", async () => {
    const { showTable } = await import("../src/notebook");
    const t = new Table({ spend: Float64Array.from([1473.52]), CustomerID: Float64Array.from([50001]), day: Float64Array.from([Date.UTC(1997, 9, 12)]) }, { day: "date" });
    const chunks: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => { chunks.push(String(s)); return true; }) as typeof process.stdout.write;
    try { showTable(t, { digits: 2 }); } finally { process.stdout.write = write; }
    expect(chunks.join("")).toContain("| 1473.52 | 50001 | 1997-10-12 |");
  });
});
