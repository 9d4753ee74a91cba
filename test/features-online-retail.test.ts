import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { customerFeatures, churnLabels } from "../src/features";

// Oracle: pandas 1.5 on the raw CSV (Debian /usr/bin/python3), computed once:
//   p = rows with CustomerID, InvoiceNo not starting "C", Quantity > 0, UnitPrice > 0
//   before = p[InvoiceDate < 2011-09-09]; groupby CustomerID: InvoiceNo.nunique(), sum(Quantity*UnitPrice),
//   recency = (cutoff − latest order time) in days, an order's time being its first line's
//   (o = before.groupby([CustomerID, InvoiceNo]).InvoiceDate.min(); 8 invoices span two minutes); orders_90d = nunique invoices with date ≥ cutoff − 90 d;
//   churn = no invoice in (cutoff, cutoff + 90 d].
// customers 3362, churn_rate 0.4330755502676978, Σ monetary 5430263.032, Σ orders 11848,
// Σ orders_90d 3917, Σ recency 316993.2826388889 (16272: 24.54652777777778);
// 12347: [5, 2790.86, 37.6333…, 1, 0]; 17850: [34, 5391.21, 280.35625, 0, 1]; 14911: [112, 81977.68, 1.40763…, 46, 0]
const file = path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");

describe.skipIf(!fs.existsSync(file))("Online Retail features at 2011-09-09 vs pandas", () => {
  it("customers, RFM, windows and churn labels", async () => {
    const { loadTransactions } = await import("../src/io");
    const { table } = await loadTransactions(file, { format: "online-retail" });
    const cutoff = Date.parse("2011-09-09T00:00:00Z");
    const f = customerFeatures(table, { cutoff });
    const y = churnLabels(table, f, { cutoff, horizonDays: 90 });
    expect(f.numRows).toBe(3362);
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
    expect(sum(y.num("churn")) / f.numRows).toBeCloseTo(0.4330755502676978, 12);
    expect(sum(f.num("monetary"))).toBeCloseTo(5430263.032, 4);
    expect(sum(f.num("frequency"))).toBe(11848);
    expect(sum(f.num("orders_90d"))).toBe(3917);
    expect(sum(f.num("recency_days"))).toBeCloseTo(316993.2826388889, 6);
    expect(f.num("recency_days")[f.str("customer_id").indexOf("16272")]).toBeCloseTo(24.54652777777778, 9);
    const ids = f.str("customer_id");
    const expectRow = (id: string, want: number[]) => {
      const i = ids.indexOf(id);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(f.num("frequency")[i]).toBe(want[0]);
      expect(f.num("monetary")[i]).toBeCloseTo(want[1], 6);
      expect(f.num("recency_days")[i]).toBeCloseTo(want[2], 9);
      expect(f.num("orders_90d")[i]).toBe(want[3]);
      expect(y.num("churn")[i]).toBe(want[4]);
    };
    expectRow("12347", [5, 2790.86, 37.63333333333333, 1, 0]);
    expectRow("17850", [34, 5391.21, 280.35625, 0, 1]);
    expectRow("14911", [112, 81977.68000000001, 1.4076388888888889, 46, 0]);
  });
});
