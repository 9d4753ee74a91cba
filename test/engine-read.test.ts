import { describe, it, expect } from "vitest";
import { openEngine } from "../src/engine";
import { readResultColumns } from "../src/engine/duckdb";

// The duckdb engine's column reader against the package's own JS conversion (getColumnsObjectJS),
// value for value, over every type the stages return and edge values: DECIMAL of every width
// (scaled integers below and above 2^53), HUGEINT and BIGINT counts, doubles with NULLs, strings,
// booleans, lists and timestamps (the last two through the package's converter).
const SQL = `SELECT
  (u * 1e6 - 5e5)::DECIMAL(18,3) a, (u * 1e4)::DECIMAL(38,10) b, (u * 1e3)::DECIMAL(9,2) c, (u * 1e12)::DECIMAL(38,1) d,
  (u * 9.99)::DECIMAL(4,3) e, (u * 1e30 - 5e29)::DECIMAL(38,2) f, (u * 1e17)::DECIMAL(38,1) g,
  range::HUGEINT h, (range * 3)::BIGINT i, sum(range % 5) OVER (ORDER BY range ROWS 3 PRECEDING)::HUGEINT j,
  CASE WHEN range % 7 = 0 THEN NULL ELSE u END k, CASE WHEN range % 11 = 0 THEN NULL ELSE (u * 100)::DECIMAL(38,1) END m,
  'x' || range::VARCHAR s, [range, 1] l, range % 3 = 0 bo, TIMESTAMP '2020-01-01' + INTERVAL (range) SECOND ts, (range % 100)::INTEGER n
FROM (SELECT range, hash(range)::DOUBLE / 18446744073709551615 u FROM range(30000))`;

describe("duckdb result reader", () => {
  it("gives the package's JS values (bigints as numbers) for 30,000 rows × 17 columns of every type the stages return", async () => {
    const eng = (await openEngine("duckdb", {})) as any;
    try {
      const fast = await readResultColumns(await eng.con.run(SQL));
      const lib = (await eng.con.runAndReadAll(SQL)).getColumnsObjectJS() as Record<string, unknown[]>;
      expect(Object.keys(fast)).toEqual(Object.keys(lib));
      const norm = (v: unknown): unknown => (typeof v === "bigint" ? Number(v) : v instanceof Date ? v.getTime() : Array.isArray(v) ? v.map(norm) : v);
      for (const c of Object.keys(lib)) {
        expect(fast[c].length).toBe(30000);
        let bad = 0;
        for (let i = 0; i < lib[c].length; i++) if (!Object.is(norm(fast[c][i]), norm(lib[c][i])) && JSON.stringify(norm(fast[c][i])) !== JSON.stringify(norm(lib[c][i]))) bad++;
        expect({ column: c, mismatches: bad }).toEqual({ column: c, mismatches: 0 });
      }
      expect(fast.k.filter((v) => v === null).length).toBe(Math.ceil(30000 / 7));
      expect(fast.m.filter((v) => v === null).length).toBe(Math.ceil(30000 / 11));
      expect(typeof fast.h[5]).toBe("number");
    } finally {
      await eng.close();
    }
  });
});
