import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { loadTransactions, loadReviews, loadTable, INGEST_REASONS } from "../src/io";
import type { LoadResult } from "../src/io";
import { spawnSync } from "child_process";
import { cleanTransactions } from "../src/clean";
import type { CleanResult } from "../src/clean";

// The demo shop plants dirty rows (truth.json dirty_rows: physical line + reason) and
// records which purchase every return reverses (truth_returns.csv): score against both.
const DEMO = path.resolve(__dirname, "../datasets/demo");
const have = fs.existsSync(path.join(DEMO, "truth.json"));
if (!have) console.warn(`skipping demo-data tests: ${DEMO}/truth.json not found`);

describe.skipIf(!have)("demo shop: planted dirty rows and returns", () => {
  let res: LoadResult, clean: CleanResult;
  let truth: { dirty: Record<string, number>; dirty_rows: { line: number; reason: string }[] };
  beforeAll(async () => {
    truth = JSON.parse(fs.readFileSync(path.join(DEMO, "truth.json"), "utf8"));
    res = await loadTransactions(path.join(DEMO, "transactions.csv"), { format: "custlab", now: Date.parse("2025-01-01T00:00:00Z") });
    clean = cleanTransactions(res.table);
  });

  it("quarantines exactly the planted ingest problems, at their lines", () => {
    const planted = truth.dirty_rows.filter((d) => d.reason in INGEST_REASONS).map((d) => [d.line, d.reason]).sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(res.report.quarantine.map((q) => [q.line, q.reason])).toEqual(planted);
    expect(res.report.accepted + res.report.quarantined).toBe(res.report.rows_in);
  });

  it("flags the planted cleaning problems at their lines", () => {
    for (const flag of ["duplicate_row", "zero_price", "non_positive_quantity", "missing_customer_id"] as const) {
      const lines = truth.dirty_rows.filter((d) => d.reason === flag).map((d) => d.line);
      const col = { duplicate_row: "is_duplicate", zero_price: "is_zero_price", non_positive_quantity: "is_non_positive_quantity", missing_customer_id: "is_missing_customer" }[flag];
      const f = clean.table.num(col), l = clean.table.num("_line");
      const got: number[] = [];
      for (let i = 0; i < f.length; i++) if (f[i]) got.push(l[i]);
      expect(got, flag).toEqual(lines);
    }
  });

  it("matches returns to the purchases truth_returns.csv says they reverse", () => {
    const rows = fs.readFileSync(path.join(DEMO, "truth_returns.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    const truthOf = new Map(rows.map((r) => [`${r[0]}|${r[1]}`, r[3]]));
    const t = clean.table;
    const of = t.num("cancel_of"), ord = t.str("order_id"), prod = t.str("product_id"), isC = t.num("is_cancellation"), isD = t.num("is_duplicate");
    let n = 0, right = 0, matched = 0;
    for (let i = 0; i < t.numRows; i++) {
      if (!isC[i] || isD[i]) continue; // a planted duplicate of a return line is not matched again
      const want = truthOf.get(`${ord[i]}|${prod[i]}`);
      if (want === undefined) continue;
      n++;
      if (of[i] >= 0) { matched++; if (ord[of[i]] === want) right++; }
    }
    expect(n).toBe(rows.length);
    console.log(`demo returns: ${n}, matched ${matched}, to the true purchase ${right}`);
    expect(matched).toBe(n); // every return has its purchase in the data
    expect(right / n).toBeGreaterThan(0.97); // ties (same product, price, qty bought twice) may pick the other order
  });

  it("custlab quality --json reports the same counts and writes the quarantine file", () => {
    const q = path.join(require("os").tmpdir(), `custlab-demo-q-${process.pid}.csv`);
    const r = spawnSync(process.execPath, ["--import", "tsx", path.resolve(__dirname, "../src/cli/main.ts"), "quality", path.join(DEMO, "transactions.csv"),
      "--format", "custlab", "--now", "2025-01-01T00:00:00Z", "--quarantine", q, "--json"], { encoding: "utf8", cwd: path.resolve(__dirname, "..") });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rows_in).toBe(res.report.rows_in);
    expect(j.quarantined).toBe(truth.dirty_rows.filter((d) => d.reason in INGEST_REASONS).length);
    expect(j.accepted + j.quarantined).toBe(j.rows_in);
    expect(j.customers).toBe(clean.report.customers);
    expect(j.cancellations).toBe(clean.report.flags.cancellation.count);
    expect(j.cleaning.duplicate_row).toBe(truth.dirty.duplicate_row);
    expect(fs.readFileSync(q, "utf8").trim().split("\n")).toHaveLength(j.quarantined + 1);
    fs.rmSync(q, { force: true });
  }, 60_000);

  it("loads the demo reviews (canonical) and customer attributes (typed automatically)", async () => {
    const nTruthReviews = fs.readFileSync(path.join(DEMO, "truth_reviews.csv"), "utf8").trim().split("\n").length - 1;
    const r = await loadReviews(path.join(DEMO, "reviews.csv"), { format: "custlab", now: Date.parse("2025-01-01T00:00:00Z") });
    expect(r.report).toMatchObject({ rows_in: nTruthReviews, accepted: nTruthReviews, quarantined: 0 });
    expect(new Set(r.table.str("language"))).toEqual(new Set(["en", "zh"]));
    expect(r.table.kind("timestamp")).toBe("date");
    const nCustomers = fs.readFileSync(path.join(DEMO, "truth_customers.csv"), "utf8").trim().split("\n").length - 1;
    const c = await loadTable(path.join(DEMO, "customers.csv"));
    expect(c.report).toMatchObject({ rows_in: nCustomers, accepted: nCustomers, quarantined: 0 });
    expect(c.table.kind("signup_date")).toBe("date");
    expect(c.table.kind("customer_id")).toBe("string");
  });
});
