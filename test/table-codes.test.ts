import { describe, it, expect } from "vitest";
import { Table, canonicalCodes, decodeText, textCodes, peekTextCodes, isTextCodes } from "../src/table";

describe("dictionary-encoded text columns", () => {
  const enc = () => ({ codes: Int32Array.from([1, 2, 1, 0, 2]), dict: ["", "NL", "FR"] });

  it("reads strings, rows and JSON exactly as a string[] column would", () => {
    const t = new Table({ country: enc(), n: Float64Array.from([1, 2, 3, 4, 5]) });
    expect(t.numRows).toBe(5);
    expect(t.kind("country")).toBe("string");
    expect(t.row(1)).toEqual({ country: "FR", n: 2 });
    expect(t.str("country")).toEqual(["NL", "FR", "NL", "", "FR"]);
    expect(t.toJSON().columns.country).toEqual(["NL", "FR", "NL", "", "FR"]);
    expect(() => t.num("country")).toThrow(/is text, expected numbers/);
    expect(() => t.codes("n")).toThrow(/is numeric, expected text/);
  });

  it("take, filter, slice, select and rename move codes, not strings", () => {
    const tc = enc();
    const t = new Table({ country: tc });
    const f = t.filter((i) => i !== 1).rename({ country: "c" }).select(["c"]);
    expect(Array.from(f.codes("c").codes)).toEqual([1, 1, 0, 2]);
    expect(f.codes("c").dict).toBe(tc.dict);
    expect(f.str("c")).toEqual(["NL", "NL", "", "FR"]);
    expect(Array.from(t.slice(3).codes("country").codes)).toEqual([0, 2]);
    // a decoded column keeps its codes for later verbs
    const s = t.str("country");
    expect(peekTextCodes(s)?.codes).toBe(tc.codes);
    expect(t.take([4, 0]).codes("country").dict).toBe(tc.dict);
  });

  it("string[] columns get codes on demand, equal strings ⇔ equal codes", () => {
    const t = new Table({ id: ["b", "a", "b"] });
    const { codes, dict } = t.codes("id");
    expect(Array.from(codes)).toEqual([0, 1, 0]);
    expect(dict).toEqual(["b", "a"]);
    expect(textCodes(t.str("id"))).toBe(t.codes("id"));
  });

  it("canonicalCodes merges repeated dictionary strings; decodeText registers codes", () => {
    const c = canonicalCodes({ codes: Int32Array.from([0, 1, 2, 2]), dict: ["é", "x", "é"] });
    expect(Array.from(c.codes)).toEqual([0, 1, 0, 0]);
    expect(c.dict).toEqual(["é", "x"]);
    const same = { codes: Int32Array.from([0]), dict: ["a"] };
    expect(canonicalCodes(same)).toBe(same);
    const s = decodeText(c);
    expect(s).toEqual(["é", "x", "é", "é"]);
    expect(peekTextCodes(s)).toBe(c);
    expect(isTextCodes(c)).toBe(true);
    expect(isTextCodes(["a"])).toBe(false);
  });

  it("assign and concat mix encoded and plain columns", () => {
    const t = new Table({ a: enc() }).assign({ b: ["p", "q", "r", "s", "t"] });
    expect(t.row(4)).toEqual({ a: "FR", b: "t" });
    const u = Table.concat([t.head(2), t.slice(3)]);
    expect(u.str("a")).toEqual(["NL", "FR", "", "FR"]);
  });
});

describe("loader output", () => {
  it("the same text from different bytes (UTF-8 and Latin-1 é) gets one code", async () => {
    const fs = await import("fs"), os = await import("os"), path = await import("path");
    const { loadTable } = await import("../src/io");
    const file = path.join(os.tmpdir(), `custlab-codes-${process.pid}.csv`);
    fs.writeFileSync(file, Buffer.concat([Buffer.from("name,n\ncaf\xc3\xa9,1\n", "latin1"), Buffer.from("caf\xe9,2\n", "latin1")]));
    try {
      const { table } = await loadTable(file, { encoding: "utf8-or-latin1", types: { name: "text", n: "number" } });
      expect(table.str("name")).toEqual(["café", "café"]);
      const { codes } = table.codes("name");
      expect(codes[0]).toBe(codes[1]);
    } finally { fs.unlinkSync(file); }
  });
});
