import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { loadTransactions, loadReviews, loadTable } from "../src/io";
import type { LoadResult } from "../src/io";
import { cleanTransactions, purchases } from "../src/clean";
import type { CleanResult } from "../src/clean";
import { customerRFM } from "../src/features";

// Acceptance on the real datasets. Oracles: the SOURCE.md/README.md counts and
// pandas (python_baselines.py: 4,338 RFM customers; df.duplicated() = 5,268).
const D = path.resolve(__dirname, "../../shared/datasets");
const have = fs.existsSync(D);
if (!have) console.warn(`skipping real-dataset tests: ${D} not found`);
const OR = path.join(D, "online-retail/online_retail.csv");

describe.skipIf(!have)("Online Retail (541,909 rows)", () => {
  let res: LoadResult;
  let clean: CleanResult;
  beforeAll(async () => {
    res = await loadTransactions(OR, { format: "online-retail" });
    clean = cleanTransactions(res.table);
  }, 60_000);

  it("loses no row: rows_in = accepted + quarantined, < 1% quarantined", () => {
    const r = res.report;
    expect(r.rows_in).toBe(541_909);
    expect(r.accepted + r.quarantined).toBe(r.rows_in);
    expect(r.quarantined / r.rows_in).toBeLessThan(0.01);
    // The two "Adjust bad debt" lines with a negative unit price.
    expect(r.reasons).toEqual({ negative_price: 2 });
    expect(r.quarantine.map((q) => [q.line, q.column])).toEqual([[299985, "UnitPrice"], [299986, "UnitPrice"]]);
    expect(res.table.num("_line")[0]).toBe(2);
  });

  it("matches the published counts", () => {
    const c = clean.report;
    expect(c.customers).toBe(4372); // distinct CustomerID
    expect(c.orders).toBe(25898); // 25,900 invoices minus the 2 quarantined adjustment invoices
    expect(c.flags.cancellation.count).toBe(9288);
    expect(c.flags.missing_customer_id.count).toBe(135080 - 2); // 2 of the 135,080 are the quarantined rows
    expect(c.flags.duplicate_row.count).toBe(5268); // pandas df.duplicated().sum()
    expect(new Date(c.date_min).toISOString()).toBe("2010-12-01T08:26:00.000Z");
    expect(new Date(c.date_max).toISOString()).toBe("2011-12-09T12:50:00.000Z");
  });

  it("matches cancellations to purchases and accounts for every one", () => {
    const m = clean.report.cancellations;
    expect(m.lines).toBe(9288);
    const isC = clean.table.num("is_cancellation"), isD = clean.table.num("is_duplicate");
    let dupCancels = 0;
    for (let i = 0; i < isC.length; i++) if (isC[i] && isD[i]) dupCancels++;
    expect(m.matched_exact + m.matched_partial + m.unmatched + dupCancels).toBe(9288);
    expect(m.unmatched_no_customer).toBeLessThanOrEqual(m.unmatched);
    expect(m.matched_exact + m.matched_partial).toBeGreaterThan(0.7 * 9288);
    // Every matched pair: same customer and product, |qty| ≤ purchased qty, purchase not later.
    const t = clean.table;
    const of = t.num("cancel_of"), cust = t.str("customer_id"), prod = t.str("product_id"), q = t.num("quantity"), p = t.num("unit_price"), ts = t.num("timestamp");
    let pairs = 0;
    for (let i = 0; i < t.numRows; i++) {
      const j = of[i];
      if (j < 0) continue;
      pairs++;
      expect(cust[j]).toBe(cust[i]);
      expect(prod[j]).toBe(prod[i]);
      expect(p[j]).toBe(p[i]);
      expect(ts[j]).toBeLessThanOrEqual(ts[i]);
      expect(-q[i]).toBeLessThanOrEqual(q[j]);
    }
    expect(pairs).toBe(m.matched_exact + m.matched_partial);
  });

  it("outlier fences match numpy (percentile / median on ln amount of purchase lines)", () => {
    // numpy: q1, q3 = np.percentile(x, [25, 75]); fences q1 − 3·IQR, q3 + 3·IQR → 140 lines;
    // robust z 0.6745·|x − median|/MAD > 3.5 → 2,001 lines.
    const o = clean.report.outliers;
    expect(o.lower).toBeCloseTo(-3.3336705588100717, 10);
    expect(o.upper).toBeCloseTo(7.528991038372174, 10);
    expect(clean.report.flags.outlier.count).toBe(140);
    const mad = cleanTransactions(res.table, { outlierMethod: "mad-log-amount" }).report;
    expect(mad.outliers.center).toBeCloseTo(2.2925347571405443, 12);
    expect(mad.outliers.upper).toBeCloseTo(5.920839861999175, 10);
    expect(mad.flags.outlier.count).toBe(2001);
  });

  it("RFM gives the pandas anchor's 4,338 customers", () => {
    const raw = customerRFM(res.table);
    expect(raw.numRows).toBe(4338);
    const rfm = customerRFM(purchases(clean.table));
    expect(rfm.numRows).toBe(4338);
    // Customer 12346: one order of 74,215 units at 1.04 on 2011-01-18 (then cancelled); recency 326 days from 2011-12-10 12:50.
    const i = rfm.str("customer_id").indexOf("12346");
    expect(rfm.row(i)).toMatchObject({ frequency: 1, recency_days: 326, monetary: 77183.6 });
  });
});

describe.skipIf(!have)("other shared datasets", () => {
  it("CDNOW: 69,659 purchases of 23,570 customers, 1997-01 .. 1998-06", async () => {
    const r = await loadTransactions(path.join(D, "cdnow/CDNOW_master.txt"), { format: "cdnow" });
    expect(r.report).toMatchObject({ rows_in: 69659, accepted: 69659, quarantined: 0 });
    expect(new Set(r.table.str("customer_id")).size).toBe(23570);
    const ts = r.table.num("timestamp");
    expect(new Date(Math.min(...ts)).toISOString().slice(0, 10)).toBe("1997-01-01");
    expect(new Date(Math.max(...ts)).toISOString().slice(0, 10)).toBe("1998-06-30");
    // quantity × unit_price gives back dollar_value (first line: 1 CD, 11.77).
    expect(r.table.num("quantity")[0] * r.table.num("unit_price")[0]).toBeCloseTo(11.77, 10);
  });

  it("Groceries: 9,835 baskets, 169 items", async () => {
    const r = await loadTransactions(path.join(D, "groceries/groceries.csv"), { format: "groceries" });
    expect(r.report).toMatchObject({ rows_in: 9835, accepted: 9835, quarantined: 0 });
    expect(new Set(r.table.str("order_id")).size).toBe(9835);
    expect(new Set(r.table.str("product_id")).size).toBe(169);
  });

  it("Telco: 7,043 customers, TotalCharges numeric with 11 blanks → NaN", async () => {
    const r = await loadTable(path.join(D, "telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv"));
    expect(r.report).toMatchObject({ rows_in: 7043, accepted: 7043, quarantined: 0 });
    expect(r.table.kind("TotalCharges")).toBe("number");
    expect(Array.from(r.table.num("TotalCharges")).filter(Number.isNaN)).toHaveLength(11);
    expect(r.table.str("Churn").filter((v) => v === "Yes")).toHaveLength(1869);
  });

  it("Women's clothing reviews: 23,486 reviews, rating counts, 845 without text", async () => {
    const r = await loadReviews(path.join(D, "womens-clothing-reviews/Womens Clothing E-Commerce Reviews.csv"), { format: "womens-clothing-reviews" });
    expect(r.report).toMatchObject({ rows_in: 23486, accepted: 23486, quarantined: 0 });
    const rating = r.table.num("rating");
    const counts = [1, 2, 3, 4, 5].map((k) => Array.from(rating).filter((v) => v === k).length);
    expect(counts).toEqual([842, 1565, 2871, 5077, 13131]);
    expect(r.table.str("text").filter((t) => t === "")).toHaveLength(845);
    expect(Array.from(r.table.num("label")).filter((v) => v === 1)).toHaveLength(19314);
  });

  it("Chinese reviews: 62,774 rows, labels 31,728/31,046, no stray U+FEFF left", async () => {
    const r = await loadReviews(path.join(D, "chinese-reviews/online_shopping_10_cats.csv"), { format: "chinese-reviews" });
    expect(r.report).toMatchObject({ rows_in: 62774, accepted: 62774, quarantined: 0 });
    expect(Array.from(r.table.num("label")).filter((v) => v === 1)).toHaveLength(31728);
    expect(r.table.str("text").some((t) => t.includes("\uFEFF"))).toBe(false);
    expect(r.table.str("category").filter((c) => c === "平板")).toHaveLength(10000);
    expect(r.table.str("language")[0]).toBe("zh");
  });
});

describe.skipIf(!have)("custlab quality CLI", () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", path.resolve(__dirname, "../src/cli/main.ts"), ...args], { encoding: "utf8", cwd: path.resolve(__dirname, "..") });
  it("prints the acceptance figures for Online Retail", () => {
    const r = cli(["quality", OR, "--format", "online-retail", "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rows_in).toBe(541909);
    expect(j.accepted + j.quarantined).toBe(j.rows_in);
    expect(j.quarantined / j.rows_in).toBeLessThan(0.01);
    expect(j.customers).toBeGreaterThanOrEqual(4330);
    expect(j.customers).toBeLessThanOrEqual(4372);
    expect(j.cancellations).toBe(9288);
    expect(j.orders).toBe(25898);
    expect(j.date_min).toBe("2010-12-01T08:26:00.000Z");
    expect(j.date_max).toBe("2011-12-09T12:50:00.000Z");
    expect(j.reasons).toEqual({ negative_price: 2 });
    expect(typeof j.backend).toBe("string");
  }, 60_000);
  it("fails with one line (no stack) when the file cannot be read", () => {
    const r = cli(["quality", "/nonexistent/x.csv", "--format", "online-retail", "--json"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^custlab: \/nonexistent\/x\.csv: cannot read the file \(ENOENT\)/);
    const r2 = cli(["quality", path.join(D, "groceries/groceries.csv"), "--format", "online-retail"]);
    expect(r2.status).not.toBe(0);
    expect(r2.stderr).toMatch(/groceries\.csv, line 1: missing required columns "CustomerID", "InvoiceNo"/);
    expect(r2.stderr.trim().split("\n")).toHaveLength(1);
  }, 60_000);
});
