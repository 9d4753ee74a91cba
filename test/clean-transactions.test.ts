import { describe, it, expect } from "vitest";
import { Table } from "../src/table";
import { cleanTransactions, purchases, CLEAN_FLAG_BITS } from "../src/clean";
import { customerRFM } from "../src/features";

const DAY = 86_400_000;
const T0 = Date.parse("2024-01-01T00:00:00Z");
function tx(rows: [string, string, number, string, number, number][]): Table {
  return new Table({
    customer_id: rows.map((r) => r[0]), order_id: rows.map((r) => r[1]), timestamp: Float64Array.from(rows, (r) => T0 + r[2] * DAY),
    product_id: rows.map((r) => r[3]), product_name: rows.map((r) => `name ${r[3]}`), category: rows.map(() => ""),
    quantity: Float64Array.from(rows, (r) => r[4]), unit_price: Float64Array.from(rows, (r) => r[5]), country: rows.map(() => "UK"), channel: rows.map(() => ""),
    _line: Int32Array.from(rows, (_, i) => i + 2),
  }, { timestamp: "date" });
}

describe("cleanTransactions", () => {
  const t = tx([
    ["c1", "100", 1, "A", 5, 2.0], // 0 purchase
    ["c1", "101", 2, "A", 3, 2.0], // 1 purchase
    ["c1", "C200", 3, "A", -3, 2.0], // 2 exact match → row 1
    ["c1", "C201", 4, "A", -2, 2.0], // 3 partial → row 0
    ["c1", "C202", 0, "B", -1, 1.0], // 4 unmatched (nothing bought)
    ["", "C203", 4, "A", -1, 2.0], // 5 unmatched, no customer
    ["c2", "102", 5, "A", -1, 2.0], // 6 return without prefix (negative qty, positive price), unmatched
    ["c2", "103", 5, "A", -4, 0], // 7 stock adjustment: non-positive qty + zero price
    ["c2", "104", 5, "B", 0, 1.0], // 8 zero quantity
    ["c1", "101", 2, "A", 3, 2.0], // 9 duplicate of row 1
  ]);
  const { table, report } = cleanTransactions(t, { outlierMethod: "none" });

  it("matches cancellations to the purchases they reverse", () => {
    expect(Array.from(table.num("cancel_of"))).toEqual([-1, -1, 1, 0, -1, -1, -1, -1, -1, -1]);
    expect(Array.from(table.num("returned_qty"))).toEqual([2, 3, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(report.cancellations).toMatchObject({ lines: 5, matched_exact: 1, matched_partial: 1, unmatched: 3, unmatched_no_customer: 1 });
  });

  it("counts every flag with example lines", () => {
    expect(Array.from(table.num("is_cancellation"))).toEqual([0, 0, 1, 1, 1, 1, 1, 0, 0, 0]);
    expect(report.flags.duplicate_row).toMatchObject({ count: 1, example_lines: [11] });
    expect(report.flags.missing_customer_id).toMatchObject({ count: 1, example_lines: [7] });
    expect(report.flags.zero_price).toMatchObject({ count: 1, example_lines: [9] });
    expect(report.flags.non_positive_quantity).toMatchObject({ count: 2, example_lines: [9, 10] });
    expect(report.flags.outlier.count).toBe(0);
    expect(table.num("flags")[7]).toBe(CLEAN_FLAG_BITS.zero_price | CLEAN_FLAG_BITS.non_positive_quantity);
    expect(report.customers).toBe(2);
    expect(report.orders).toBe(9);
  });

  it("purchases() keeps only rows usable for customer features", () => {
    const p = purchases(table);
    expect(Array.from(p.num("_line"))).toEqual([2, 3]);
    const rfm = customerRFM(p);
    expect(rfm.toRows()).toEqual([{ customer_id: "c1", recency_days: 1, frequency: 2, monetary: 16, first_ts: "2024-01-02T00:00:00.000Z", last_ts: "2024-01-03T00:00:00.000Z" }]);
    expect(report.purchase_rows).toBe(2);
    // purchases() also accepts a raw table (cleans it first).
    expect(purchases(t).numRows).toBe(2);
  });
});

describe("outliers on ln(amount)", () => {
  // ln amounts: fifty 0s, fifty 1s and one 10 → Q1 0, Q3 1, IQR 1; median 1, MAD 1.
  const rows: [string, string, number, string, number, number][] = [];
  for (let i = 0; i < 50; i++) rows.push(["c", `a${i}`, 1, "P", 1, 1]);
  for (let i = 0; i < 50; i++) rows.push(["c", `b${i}`, 1, "P", 1, Math.E]);
  rows.push(["c", "z", 1, "P", 1, Math.exp(10)]);
  const t = tx(rows);
  it("IQR fences Q1 − 3·IQR, Q3 + 3·IQR", () => {
    const { report, table } = cleanTransactions(t);
    expect(report.outliers).toMatchObject({ method: "iqr-log-amount", k: 3, lower: -3 });
    expect(report.outliers.upper).toBeCloseTo(4, 12);
    expect(report.flags.outlier).toMatchObject({ count: 1, example_lines: [102] });
    expect(table.num("is_outlier")[100]).toBe(1);
  });
  it("MAD robust z > 3.5", () => {
    const { report } = cleanTransactions(t, { outlierMethod: "mad-log-amount" });
    expect(report.outliers.center).toBeCloseTo(1, 12);
    expect(report.outliers.upper).toBeCloseTo(1 + 3.5 / 0.6745, 10);
    expect(report.flags.outlier.count).toBe(1);
  });
  it("rejects an unknown method by name", () => {
    expect(() => cleanTransactions(t, { outlierMethod: "zscore" as never })).toThrow(/option outlierMethod/);
  });
});
