import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadTransactions, closeReadWorkers } from "../src/io";
import type { LoadResult } from "../src/io";

// The parallel reader must give exactly the single-threaded result: same rows in
// file order, same dictionary values, same quarantine lines and reasons.
// Longer than a row, so some row count puts the split right inside it.
const LONG = "a long first line ".repeat(6);
const HEADER = "customer_id,order_id,timestamp,product_id,product_name,category,quantity,unit_price,country,channel\n";

function write(name: string, body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-par-"));
  const f = path.join(dir, name);
  fs.writeFileSync(f, body);
  return f;
}

function rows(n: number, bad: Set<number>, quotedNewlineAt = -1): string {
  let s = HEADER;
  for (let i = 0; i < n; i++) {
    const name = i === quotedNewlineAt ? `"${LONG}\nline, name"` : `name ${i % 37}`;
    const price = bad.has(i) ? "abc" : (1 + (i % 11) / 4).toFixed(2);
    s += `c${i % 53},o${Math.floor(i / 3)},2024-01-0${1 + (i % 9)}T10:00:00Z,p${i % 17},${name},cat${i % 5},${1 + (i % 4)},${price},UK,web\n`;
  }
  return s;
}

function same(a: LoadResult, b: LoadResult): void {
  expect({ ...b.report, elapsed_ms: 0 }).toEqual({ ...a.report, elapsed_ms: 0 });
  expect(b.table.columnNames()).toEqual(a.table.columnNames());
  for (const c of a.table.columnNames()) expect(Array.from(b.table.get(c) as ArrayLike<unknown>)).toEqual(Array.from(a.table.get(c) as ArrayLike<unknown>));
}

describe("parallel reader", () => {
  it("reads a file in parts exactly as on one thread (rows, values, quarantine lines)", async () => {
    const f = write("tx.csv", rows(6000, new Set([10, 4000, 5999])));
    const one = await loadTransactions(f, { format: "custlab", threads: 1, now: 2e12 });
    for (const threads of [2, 3]) {
      const par = await loadTransactions(f, { format: "custlab", threads, parallelMinBytes: 0, now: 2e12 });
      same(one, par);
    }
    expect(one.report.quarantine.map((q) => [q.line, q.reason])).toEqual([[12, "invalid_number"], [4002, "invalid_number"], [6001, "invalid_number"]]);
  });

  it("reuses warm reader threads (identical results) and starts fresh ones after closeReadWorkers", async () => {
    const f = write("tx.csv", rows(5000, new Set([7, 2500])));
    const one = await loadTransactions(f, { format: "custlab", threads: 1, now: 2e12 });
    closeReadWorkers();
    for (let r = 0; r < 3; r++) same(one, await loadTransactions(f, { format: "custlab", threads: 2, parallelMinBytes: 0, now: 2e12 }));
    closeReadWorkers();
    same(one, await loadTransactions(f, { format: "custlab", threads: 3, parallelMinBytes: 0, now: 2e12 }));
  });

  it("falls back to one thread when a split falls inside a quoted multi-line field", async () => {
    // Put the quoted newline where the two-thread split looks for its line end
    // (with cold reader threads, the first LF at or after 55% of the bytes; see splitPoints in src/io/reader.ts).
    closeReadWorkers();
    let at = -1, body = "";
    for (let r = 1500; r < 2600 && at < 0; r++) {
      body = rows(4000, new Set([3500]), r);
      const cut = Math.floor(Buffer.byteLength(body) * 0.55);
      const inner = Buffer.from(body).indexOf(`${LONG}\nline`) + LONG.length;
      if (Buffer.from(body).indexOf(10, cut) === inner) at = r;
    }
    expect(at).toBeGreaterThan(0);
    const f = write("tx.csv", body);
    const one = await loadTransactions(f, { format: "custlab", threads: 1, now: 2e12 });
    const par = await loadTransactions(f, { format: "custlab", threads: 2, parallelMinBytes: 0, now: 2e12 });
    same(one, par);
    expect(one.table.str("product_name")[at]).toBe(`${LONG}\nline, name`);
    // line numbers after the two-line record are shifted by one
    expect(one.report.quarantine[0]).toMatchObject({ line: 3503, reason: "invalid_number" });
  });
});
