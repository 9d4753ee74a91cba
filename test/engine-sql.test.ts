// The sql helper (issue 19): DuckDB SQL over custlab Tables and files, results as Tables.
import { describe, it, expect, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sql, closeSql, readParquet, writeParquet } from "../src/engine";
import { Table } from "../src/table";
import { CustlabError } from "../src/util/errors";

describe("sql over Tables and files", () => {
  afterAll(async () => { await closeSql(); });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-sql-"));

  it("groups, joins and filters Tables, with the same sums as a loop", async () => {
    const n = 5000;
    const country = Array.from({ length: n }, (_, i) => ["UK", "FR", "DE", "NL"][(i * 7) % 4]);
    const amount = Float64Array.from({ length: n }, (_, i) => ((i * 37) % 101) / 4);
    const orders = new Table({ country, amount });
    const want = new Map<string, number>();
    country.forEach((c, i) => want.set(c, (want.get(c) ?? 0) + amount[i]));
    const got = await sql`select country, sum(amount) as revenue, count(*) as n from ${orders} group by 1 order by 1`;
    expect(got.str("country")).toEqual([...want.keys()].sort());
    got.str("country").forEach((c, i) => expect(got.num("revenue")[i]).toBeCloseTo(want.get(c)!, 9));
    expect(Array.from(got.num("n")).reduce((a, b) => a + b, 0)).toBe(n);
    const names = new Table({ country: ["UK", "FR"], name: ["United Kingdom", "France"] });
    const joined = await sql`select n.name, count(*) as lines from ${orders} o join ${names} n using (country) where o.amount > ${10} group by 1 order by 1`;
    expect(joined.str("name")).toEqual(["France", "United Kingdom"]);
    let fr = 0; country.forEach((c, i) => { if (c === "FR" && amount[i] > 10) fr++; });
    expect(joined.num("lines")[0]).toBe(fr);
  });

  it("reads CSV and Parquet files named in the query, and NULLs come back as NaN / empty", async () => {
    const csv = path.join(dir, "t.csv");
    fs.writeFileSync(csv, "id,x\na,1.5\nb,\nc,2\n");
    const t = await sql`select id, x from ${csv} order by id`;
    expect(t.str("id")).toEqual(["a", "b", "c"]);
    expect(Number.isNaN(t.num("x")[1])).toBe(true);
    const pq = path.join(dir, "t.parquet");
    await writeParquet(new Table({ id: ["a", "b"], x: Float64Array.from([0.1, 1e-300]) }), pq);
    const back = await readParquet(pq);
    expect(back.str("id")).toEqual(["a", "b"]);
    expect(Array.from(back.num("x"))).toEqual([0.1, 1e-300]);
    const viaSql = await sql`select sum(x) as s from ${pq}`;
    expect(viaSql.num("s")[0]).toBe(0.1 + 1e-300);
    const lit = await sql`select ${"it's"} as s`;
    expect(lit.str("s")).toEqual(["it's"]);
  });

  it("refuses values it cannot interpolate, with a CustlabError", async () => {
    await expect(sql`select ${{} as unknown as string} as x`).rejects.toThrow(CustlabError);
    await expect(sql`select ${NaN} as x`).rejects.toThrow(/cannot interpolate/);
    await expect(sql`select * from no_such_table`).rejects.toThrow(/duckdb/);
  });
});
