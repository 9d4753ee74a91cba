// Nothing lost without a word (issue 16): stray quotes made visible (multi-line records with their
// spans, physical lines that reconcile, unbalanced_quote), missing-value tokens in generic tables as
// pandas reads them (fixture and oracle: test/fixtures/reading/missing_tokens.py), train's column
// kinds and its warning for a mostly numeric column, and calendar dates that do not exist.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCLI } from "./helpers/cli";
import { run as quality } from "../src/cli/commands/quality";
import { run as train } from "../src/cli/commands/train";
import { run as churn } from "../src/cli/commands/churn";
import { run as clv } from "../src/cli/commands/clv";
import { run as score } from "../src/cli/commands/score";
import { loadTable, loadTransactions } from "../src/io/adapters";
import { parseDateOption } from "../src/io/parse";
import { clvEpochMs } from "../src/clv/summary";

const FIX = path.join(__dirname, "fixtures", "reading");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-missing-"));

const runAll = runCLI;

describe("stray quotes are visible", () => {
  const H = "customer_id,order_id,timestamp,product_id,product_name,category,quantity,unit_price,country,channel";
  const lines = [
    H,
    "c1,1,2023-01-01T10:00:00Z,P1,Mug,Home,1,2.5,UK,web", // 2
    'c1,2,2023-01-02T10:00:00Z,P2,"Mug, large', //          3  a quoted line break: one record over lines 3-4
    'blue",Home,1,3.5,UK,web', //                           4
    "", //                                                  5  blank
    'c2,3,2023-01-03T10:00:00Z,"P3,Cup,Home,1,2.0,UK,web', // 6  a stray quote swallows lines 6-8 …
    "c3,4,2023-01-04T10:00:00Z,P4,Plate,Home,1,4.0,UK,web", // 7
    'c4,5,2023-01-05T10:00:00Z,P5,Bowl "big",Home,1,4.0,UK,web', // 8 … and the record has 9 fields: unbalanced_quote
    'c5,6,2023-01-06T10:00:00Z,"P6', //                     9  a product code with a line break, 10 fields: accepted
    'X",Mug,Home,1,2.0,UK,web', //                         10
    "c6,7,2023-01-07T10:00:00Z,P7,Jug,Home,1,6.0,UK,web", // 11
  ];
  const f = path.join(tmp, "stray.csv");
  fs.writeFileSync(f, lines.join("\n") + "\n");

  it("quality lists the records spanning several lines, reconciles the physical lines and quarantines unbalanced_quote", async () => {
    const r = await runAll(quality, [f, "--format", "custlab", "--now", "2025-01-01", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.input).toEqual({ rows_in: 6, accepted: 4, quarantined: 2, reasons: { empty_line: 1, unbalanced_quote: 1 }, encoding: "utf-8" });
    expect(j.multiline_records).toEqual({ count: 3, spans: [[3, 4], [6, 8], [9, 10]] });
    // the file has 11 lines (counted here from its bytes): 1 header + 9 in records + 1 blank
    const physical = fs.readFileSync(f, "utf8").split("\n").length - 1;
    expect(physical).toBe(11);
    expect(j.physical_lines).toEqual({ total: physical, header: 1, data: physical - 1, record_lines: 9, blank_lines: 1 });
    expect(j.physical_lines.data).toBe(j.physical_lines.record_lines + j.physical_lines.blank_lines);
    expect(j.quarantine_examples).toContainEqual({ line: 6, column: "", reason: "unbalanced_quote", detail: "record runs over lines 6-8 (a stray quote?) and has 9 fields, header has 10" });
    // the text summary says it too
    const text = await runAll(quality, [f, "--format", "custlab", "--now", "2025-01-01"]);
    expect(text.out).toContain("records over several lines: 3 (lines 3-4, 6-8, 9-10)");
    expect(text.out).toContain("physical lines: 11 = 1 header + 9 in records + 1 blank");
  });

  it("a two-line record with a wrong field count stays ragged_row; the spans survive a parallel read", async () => {
    const g = path.join(tmp, "two-line.csv");
    fs.writeFileSync(g, [H, 'c1,1,2023-01-01T10:00:00Z,"P1,Mug,Home,1,2.5,UK,web', 'X",web'].join("\n") + "\n");
    const { report } = await loadTransactions(g, { format: "custlab" });
    expect(report.reasons).toEqual({ ragged_row: 1 });
    // many copies, read on 2 threads: the same spans (shifted per copy) as on one thread
    const body = lines.slice(1).join("\n") + "\n";
    const big = path.join(tmp, "stray-big.csv");
    fs.writeFileSync(big, H + "\n" + body.repeat(400));
    const one = await loadTransactions(big, { format: "custlab", threads: 1 });
    const two = await loadTransactions(big, { format: "custlab", threads: 2, parallelMinBytes: 1 });
    expect(one.report.multiline_records!.count).toBe(1200);
    expect(two.report.multiline_records).toEqual(one.report.multiline_records);
    expect(two.report.physical_lines).toEqual({ total: 4001, header: 1, data: 4000, record_lines: 3600, blank_lines: 400 });
    expect(one.report.physical_lines).toEqual(two.report.physical_lines);
  });
});

describe("missing-value tokens in generic tables (oracle: pandas.read_csv defaults)", () => {
  const file = path.join(FIX, "missing-tokens.csv");
  const oracle = JSON.parse(fs.readFileSync(path.join(FIX, "missing-tokens-pandas.json"), "utf8")) as { columns: Record<string, { kind: string; missing: number }>; means: Record<string, number> };

  it("loadTable types each column as pandas does and counts the same missing cells", async () => {
    const { table, report } = await loadTable(file);
    for (const [c, want] of Object.entries(oracle.columns)) {
      expect(report.column_kinds![c], c).toBe(want.kind);
      const col = table.get(c);
      const missing = Array.isArray(col) ? col.filter((v) => v === "").length : Array.from(col as ArrayLike<number>).filter((v) => Number.isNaN(v)).length;
      expect(missing, c).toBe(want.missing);
    }
    for (const [c, m] of Object.entries(oracle.means)) {
      const x = Array.from(table.num(c)).filter((v) => !Number.isNaN(v));
      expect(x.reduce((a, b) => a + b, 0) / x.length, c).toBeCloseTo(m, 10);
    }
    expect(report.quarantined).toBe(0);
    expect(report.type_warnings).toEqual([{ column: "score", numeric_share: 198 / 200, bad_cells: 2, examples: ["12a", "?"] }]);
  });

  it("train reports each column's kind and warns that a mostly numeric column became text", async () => {
    const r = await runAll(train, ["--table", file, "--target", "churn", "--positive", "Yes", "--id", "id", "--model", "logreg", "--cv", "3", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.column_kinds).toEqual(Object.fromEntries(Object.entries(oracle.columns).map(([c, v]) => [c, v.kind])));
    expect(j.warnings).toEqual([`column "score" is 99.0% numbers but was read as text because of 2 cells such as "12a", "?"; fix those cells or mark them missing (NA)`]);
    expect(r.err).toContain(`custlab train: warning: column "score" is 99.0% numbers`);
    expect(j.input).toEqual({ rows_in: 200, accepted: 200, quarantined: 0, reasons: {}, encoding: "utf-8" });
  });
});

describe("calendar dates that do not exist are rejected, not rolled over", () => {
  it("option values: one line naming the option; real days (leap days included) pass", async () => {
    expect(parseDateOption("2012-02-29", "cutoff")).toBe(Date.UTC(2012, 1, 29));
    expect(parseDateOption("20110909", "cutoff")).toBe(Date.UTC(2011, 8, 9));
    expect(parseDateOption("2011-09-09T12:30:00Z", "now")).toBe(Date.UTC(2011, 8, 9, 12, 30));
    expect(() => parseDateOption("2011-02-30", "cutoff")).toThrow("option --cutoff: 2011-02-30 is not a calendar date (February 2011 has 28 days)");
    expect(() => parseDateOption("2011-13-01", "cutoff")).toThrow("there is no month 13");
    expect(() => clvEpochMs("2011-02-29", "calibrationEnd")).toThrow("February 2011 has 28 days");
    const demo = path.resolve(__dirname, "..", "datasets", "demo", "transactions.csv");
    for (const [run, argv] of [
      [churn, [demo, "--cutoff", "2024-02-30"]],
      [clv, [demo, "--calibration-end", "2024-04-31"]],
      [quality, [demo, "--now", "2023-02-29"]],
      [score, [demo, "--model", path.join(tmp, "no-registry"), "--out", path.join(tmp, "alerts.csv"), "--as-of", "2023-02-29"]],
    ] as const) {
      const r = await runAll(run, [...argv, "--json"]);
      expect(r.code).toBe(1);
      expect(r.out).toBe("");
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toMatch(/is not a calendar date \((February|April) 202[34] has (28|29|30) days\)/);
    }
  });

  it("data rows with such dates are quarantined as invalid_date in every date format", async () => {
    const g = path.join(tmp, "bad-days.csv");
    fs.writeFileSync(g, "cust,when,amount\nA,2011-02-28,1\nB,2011-02-30,2\nC,2012-02-29,3\nD,2011-04-31 10:00,4\n");
    const r = await loadTransactions(g, { map: { customer_id: "cust", timestamp: "when", amount: "amount" } });
    expect(r.report.reasons).toEqual({ invalid_date: 2 });
    expect(r.report.quarantine.map((q) => [q.line, q.detail])).toEqual([[3, "2011-02-30"], [5, "2011-04-31 10:00"]]);
    const h = path.join(tmp, "bad-days-b.csv");
    fs.writeFileSync(h, "cust\twhen\tamount\nA\t28-Feb-11\t1\nB\t30-Feb-11\t2\nC\t29-Feb-12\t3\n");
    const s = await loadTransactions(h, { delimiter: "tab", dateFormat: "%d-%b-%y", map: { customer_id: "cust", timestamp: "when", amount: "amount" } });
    expect(s.report.quarantine.map((q) => [q.line, q.reason])).toEqual([[3, "invalid_date"]]);
    expect(Array.from(s.table.num("timestamp"))).toEqual([Date.UTC(2011, 1, 28), Date.UTC(2012, 1, 29)]);
  });
});
