import { describe, it, expect } from "vitest";
import { Table } from "../src/table";
import { toDanfo, fromDanfo } from "../src/interop";

describe("danfo interop", () => {
  it("round-trips a table exactly (numbers stay doubles although danfo labels them float32)", () => {
    const t = new Table({
      id: ["a", "b", ""], x: Float64Array.from([0.1, 2.123456789012345, NaN]), n: Int32Array.from([1, 2, 3]),
      when: Float64Array.from([Date.parse("2024-01-01T00:00Z"), NaN, 0]),
    }, { when: "date" });
    const df = toDanfo(t);
    expect(df.columns).toEqual(["id", "x", "n", "when"]);
    expect(df.shape).toEqual([3, 4]);
    expect(df.dtypes[1]).toBe("float32");
    const back = fromDanfo(df, { kinds: t.kinds() });
    expect(back.str("id")).toEqual(["a", "b", ""]);
    expect(Array.from(back.num("x"))).toEqual([0.1, 2.123456789012345, NaN]);
    expect(back.num("n")).toBeInstanceOf(Int32Array);
    expect(back.kind("when")).toBe("date");
    expect(Array.from(back.num("when"))).toEqual(Array.from(t.num("when")));
    const iso = toDanfo(t, { dates: "iso", drop: ["n"] });
    expect(iso.column("when").values[0]).toBe("2024-01-01T00:00:00.000Z");
    expect(fromDanfo(iso, { kinds: { when: "date" } }).num("when")[0]).toBe(Date.parse("2024-01-01T00:00Z"));
  }, 60_000);
});
