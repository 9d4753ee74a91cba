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
