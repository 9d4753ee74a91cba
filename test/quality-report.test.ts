import { describe, it, expect } from "vitest";
import { Table } from "../src/table";
import { qualityReport, qualityFigures, qualityHTML } from "../src/quality";
import { cleanTransactions } from "../src/clean";
import type { LoadReport } from "../src/io";
import { INGEST_REASONS } from "../src/io/reasons";

const d = (s: string) => Date.parse(s);
const t = new Table({
  customer_id: ["c1", "c1", "", "c2", "c3"],
  order_id: ["o1", "o1", "o2", "C3", "o4"],
  timestamp: Float64Array.from([d("2024-01-05T10:00Z"), d("2024-01-05T11:00Z"), d("2024-03-01T00:00Z"), d("2024-03-02T00:00Z"), NaN]),
  product_id: ["A", "B", "A", "A", "B"],
  product_name: ["Mug", "Cup", "Mug!", "Mug", ""],
  quantity: Float64Array.from([1, 2, 0, -1, 3]),
  unit_price: Float64Array.from([2, 3, 2, 2, NaN]),
  category: ["", "", "", "", ""],
}, { timestamp: "date" });
const load = { file: "x.csv", format: "custlab", rows_in: 7, accepted: 5, quarantined: 2, reasons: { ragged_row: 1, invalid_date: 1 }, quarantine: [], columns: [], encoding: "utf8",
  time_zone: "UTC", now: d("2024-03-20T00:00Z"), bytes: 0, elapsed_ms: 0, notes: [] } as LoadReport;

describe("qualityReport", () => {
  const q = qualityReport(t, { load, clean: cleanTransactions(t).report });
  it("completeness and validity per column", () => {
    const col = (n: string) => q.columns.find((c) => c.name === n)!;
    expect(col("customer_id")).toMatchObject({ missing: 1, completeness: 0.8, distinct: 3 });
    expect(col("timestamp")).toMatchObject({ missing: 1, invalid: 0 });
    expect(col("quantity")).toMatchObject({ missing: 0, invalid: 1, validity: 0.8, rule: "finite and ≠ 0" });
    expect(col("unit_price")).toMatchObject({ missing: 1, invalid: 0, min: 2, max: 3 });
    expect(col("category")).toMatchObject({ missing: 5, completeness: 0 });
  });
  it("per-table scores (all-empty columns left out of completeness)", () => {
    // 7 scored columns × 5 rows = 35 cells; missing: customer 1, timestamp 1, name 1, price 1 → 31/35.
    expect(q.table.completeness).toBeCloseTo(31 / 35, 12);
    // 5/7 rows accepted × (31 − 1 invalid quantity)/31 cells valid.
    expect(q.table.validity).toBeCloseTo((5 / 7) * (30 / 31), 12);
    expect(q.rows_in).toBe(7);
    expect(q.reasons).toEqual({ ragged_row: 1, invalid_date: 1 });
  });
  it("consistency checks", () => {
    const c = Object.fromEntries(q.consistency.map((x) => [x.name, x]));
    expect(c["one customer per order"]).toMatchObject({ failing: 0, checked: 3 }); // o2 has no customer
    expect(c["one time per order"]).toMatchObject({ failing: 1, examples: ["o1"] });
    expect(c["one name per product"]).toMatchObject({ failing: 1, examples: ["A"], checked: 2 });
    expect(c["cancellations are negative"]).toMatchObject({ failing: 0, checked: 1 });
    expect(q.table.consistency).toBe(0.5);
  });
  it("timeliness: months, empty months, age", () => {
    expect(q.timeliness.rows_per_month).toEqual([{ month: "2024-01", rows: 2 }, { month: "2024-02", rows: 0 }, { month: "2024-03", rows: 2 }]);
    expect(q.timeliness.empty_months).toEqual(["2024-02"]);
    expect(q.timeliness.age_days).toBe(18);
    expect(q.table.timeliness).toBe(1);
  });
  it("figures and HTML", () => {
    const figs = qualityFigures(q);
    expect(figs).toHaveLength(4);
    expect(figs[0].data[0].x).toContain("customer_id");
    // Quarantine reasons (issue 15: tiny rotated labels inside the bars): horizontal bars, the reason codes as
    // axis labels with room for them, counts outside the bars, descriptions only in the hover.
    expect(figs[1].data[0]).toMatchObject({ type: "bar", orientation: "h", y: ["ragged_row", "invalid_date"], x: [1, 1], textposition: "outside", text: ["1", "1"] });
    expect((figs[1].layout!.margin as { l: number }).l).toBeGreaterThanOrEqual(7 * "invalid_date".length);
    expect(figs[1].data[0].customdata).toEqual([INGEST_REASONS.ragged_row, INGEST_REASONS.invalid_date]);
    expect(figs[2].data[0].y).toEqual([2, 0, 2]);
    const html = qualityHTML(q);
    expect(html).toContain("<h3>Columns</h3>");
    expect(html).toContain("ragged_row");
    expect(html).toContain("data-custlab-figure");
  });
});
