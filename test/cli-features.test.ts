// custlab features (issue 19): on Online Retail, --engine duckdb and --engine memory write
// identical feature tables (byte-identical CSV with labels; Parquet read back equal).
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run } from "../src/cli/commands/features";
import { runJSON } from "./helpers/cli";
import { readParquet, closeSql } from "../src/engine";
import { CustlabError } from "../src/util/errors";

const RETAIL = path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");
const have = fs.existsSync(RETAIL);
if (!have) console.warn(`cli-features: ${RETAIL} not found — skipping`);

describe.skipIf(!have)("custlab features", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-features-"));
  const out = (n: string) => path.join(dir, n);
  let mem: any, duck: any;
  beforeAll(async () => {
    const args = [RETAIL, "--format", "online-retail", "--cutoff", "2011-09-09", "--horizon", "90", "--json"];
    mem = await runJSON(run, [...args, "--engine", "memory", "--out", out("memory.csv")]);
    duck = await runJSON(run, [...args, "--engine", "duckdb", "--out", out("duckdb.csv")]);
  }, 300_000);

  it("writes byte-identical CSV feature tables with labels on the duckdb and memory engines", () => {
    expect(mem.engine).toBe("memory");
    expect(duck.engine).toMatch(/^duckdb/);
    expect(duck.customers).toBe(mem.customers);
    expect(mem.customers).toBe(3362);
    expect(mem.labels).toBe(true);
    expect(duck.input).toEqual(mem.input);
    const a = fs.readFileSync(out("memory.csv")), b = fs.readFileSync(out("duckdb.csv"));
    expect(a.length).toBeGreaterThan(100_000);
    expect(b.equals(a)).toBe(true);
  });

  it("writes Parquet through DuckDB that reads back to the same table", async () => {
    await runJSON(run, [RETAIL, "--format", "online-retail", "--cutoff", "2011-09-09", "--engine", "duckdb", "--out", out("f.parquet"), "--json"]);
    const t = await readParquet(out("f.parquet"));
    await closeSql();
    const csv = fs.readFileSync(out("memory.csv"), "utf8").split("\n");
    expect(t.numRows).toBe(csv.length - 2);
    const header = csv[0].split(",");
    expect(t.columnNames()).toEqual(header.slice(0, t.numCols));
    const row1 = csv[1].split(",");
    expect(t.str("customer_id")[0]).toBe(row1[0]);
    expect(t.num("monetary")[0]).toBe(Number(row1[header.indexOf("monetary")]));
    expect(t.num("ipt_std_days")[1]).toBe(Number(csv[2].split(",")[header.indexOf("ipt_std_days")]));
  }, 120_000);

  it("leaves labels out when the horizon runs past the data, and says so", async () => {
    const j = await runJSON(run, [RETAIL, "--format", "online-retail", "--cutoff", "2011-11-01", "--horizon", "90", "--engine", "duckdb", "--json"]);
    expect(j.labels).toBe(false);
    expect(j.labels_note).toMatch(/outcomes unknown/);
  }, 120_000);

  it("refuses a missing cutoff, an unknown engine and an output over its input", async () => {
    await expect(run([RETAIL, "--format", "online-retail"])).rejects.toThrow(/--cutoff/);
    await expect(run([RETAIL, "--format", "online-retail", "--cutoff", "2011-09-09", "--engine", "spark"])).rejects.toThrow(CustlabError);
    await expect(run([RETAIL, "--format", "online-retail", "--cutoff", "2011-09-09", "--out", RETAIL])).rejects.toThrow(/\.csv or \.parquet|overwrite/);
  });
});
