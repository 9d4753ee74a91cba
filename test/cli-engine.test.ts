// --engine on the commands that read orders (issue 19): quality and segment give the memory
// engine's figures on duckdb (Online Retail).
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { run as quality } from "../src/cli/commands/quality";
import { run as segment } from "../src/cli/commands/segment";
import { runJSON } from "./helpers/cli";

const RETAIL = path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");
const have = fs.existsSync(RETAIL);
if (!have) console.warn(`cli-engine: ${RETAIL} not found — skipping`);

describe.skipIf(!have)("--engine on quality and segment", () => {
  it("quality: the same counts, reasons, cleaning flags and date range on duckdb as on memory", async () => {
    const m = await runJSON(quality, [RETAIL, "--format", "online-retail", "--json"]);
    const d = await runJSON(quality, [RETAIL, "--format", "online-retail", "--engine", "duckdb", "--json"]);
    expect(m.engine).toBe("memory");
    expect(d.engine).toMatch(/^duckdb/);
    for (const k of ["rows_in", "accepted", "quarantined", "reasons", "rows", "customers", "orders", "cancellations", "date_min", "date_max", "purchase_rows"]) expect(d[k]).toEqual(m[k]);
    expect(Object.keys(d.cleaning).length).toBe(5);
    for (const k of Object.keys(d.cleaning)) expect(d.cleaning[k]).toBe(m.cleaning[k]); // all flags but outliers (memory only)
    expect(d.quarantine_examples.map((q: any) => q.line)).toEqual([299985, 299986]);
  }, 180_000);

  it("segment: the same k-means fit (same segment sizes, inertia within 1e-9) from duckdb's RFM as from memory's", async () => {
    const args = [RETAIL, "--format", "online-retail", "--k", "4", "--n-init", "3", "--json"];
    const m = await runJSON(segment, args);
    const d = await runJSON(segment, [...args, "--engine", "duckdb"]);
    expect(d.customers).toBe(4338);
    expect(d.customers).toBe(m.customers);
    expect(Math.abs(d.inertia - m.inertia) / m.inertia).toBeLessThan(1e-9); // RFM monetary is a plain SQL sum (equal within rounding)
    expect(d.segments.map((s: any) => s.size)).toEqual(m.segments.map((s: any) => s.size));
    expect(d.engine).toMatch(/^duckdb/);
  }, 180_000);
});
