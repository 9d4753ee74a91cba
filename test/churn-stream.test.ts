// Event-stream features and scoring: replaying transactions as a stream up to a
// cutoff gives the batch customerFeatures table at that cutoff (Online Retail,
// the demo shop with categories and channels, and planted edge cases); the
// stream's alerts carry the probabilities the batch model gives at that day.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import { customerFeatures } from "../src/features";
import { CustomerFeatureStream, transactionEvents } from "../src/features/stream";
import { churnTransactions, fitChurnModel, churnArtifactState, streamChurnScores } from "../src/churn";
import type { StreamAlert, StreamSummary } from "../src/churn";
import { Table } from "../src/table";

const retail = path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");
const demo = path.resolve(__dirname, "../datasets/demo/transactions.csv");

/** Every column equal: bit for bit, except ipt_std_days (Welford vs two-pass) to 1e-12 relative. */
function expectSameTable(stream: Table, batch: Table): void {
  expect(stream.columnNames()).toEqual(batch.columnNames());
  expect(stream.numRows).toBe(batch.numRows);
  for (const c of batch.columnNames()) {
    if (batch.kind(c) === "string") { expect(stream.str(c), c).toEqual(batch.str(c)); continue; }
    const a = stream.num(c), b = batch.num(c);
    expect(a.constructor.name, c).toBe(b.constructor.name);
    let bad = 0, first = -1;
    for (let i = 0; i < b.length; i++) {
      const same = c === "ipt_std_days"
        ? (Number.isNaN(a[i]) && Number.isNaN(b[i])) || Math.abs(a[i] - b[i]) <= 1e-12 * Math.max(1, Math.abs(b[i]))
        : Object.is(a[i], b[i]);
      if (!same) { bad++; if (first < 0) first = i; }
    }
    expect(bad, `${c}: ${bad} rows differ (first row ${first}: stream ${a[first]} vs batch ${b[first]})`).toBe(0);
  }
}

function replay(tx: Table, cutoffs: number[], options = {}): Table[] {
  const { events } = transactionEvents(tx);
  const fs2 = new CustomerFeatureStream(options);
  const out: Table[] = [];
  let j = 0;
  for (const e of events) {
    while (j < cutoffs.length && e.timestamp >= cutoffs[j]) out.push(fs2.features(cutoffs[j++]));
    fs2.push(e);
  }
  while (j < cutoffs.length) out.push(fs2.features(cutoffs[j++]));
  return out;
}

describe.skipIf(!fs.existsSync(retail))("stream features = batch features on Online Retail", () => {
  let tx: Table;
  beforeAll(async () => {
    const { table } = await loadTransactions(retail, { format: "online-retail" });
    tx = churnTransactions(cleanTransactions(table).table);
  }, 120_000);
  it("at five cutoffs, one replay", () => {
    const cuts = ["2011-01-01", "2011-03-13", "2011-06-11", "2011-09-09", "2011-12-10"].map((d) => Date.parse(d));
    const got = replay(tx, cuts);
    cuts.forEach((c, k) => expectSameTable(got[k], customerFeatures(tx, { cutoff: c })));
    expect(got[3].numRows).toBe(3362); // the customers custlab churn scores at 2011-09-09
  }, 120_000);
  it("at a cutoff in the middle of a day, with other windows", () => {
    const c = Date.parse("2011-10-05T13:37:00Z"), opt = { windows: [7, 45], trendMonths: 4 };
    expectSameTable(replay(tx, [c], opt)[0], customerFeatures(tx, { cutoff: c, ...opt }));
  }, 120_000);
});

describe.skipIf(!fs.existsSync(demo))("stream features = batch features on the demo shop", () => {
  it("categories, channels, countries and returns", async () => {
    const { table } = await loadTransactions(demo, { format: "custlab" });
    const tx = churnTransactions(cleanTransactions(table).table);
    const cuts = ["2023-06-01", "2024-09-30"].map((d) => Date.parse(d));
    const got = replay(tx, cuts);
    cuts.forEach((c, k) => expectSameTable(got[k], customerFeatures(tx, { cutoff: c })));
    expect(got[1].num("distinct_categories").some((v) => v > 1)).toBe(true);
  }, 120_000);
});

describe("stream features: planted cases", () => {
  const T = (s: string) => Date.parse(s);
  const tx = new Table({
    customer_id: ["a", "a", "b", "a", "", "c", "a", "b", "a", "c", "b"],
    order_id: ["1", "1", "2", "3", "4", "C5", "6", "7", "3", "8", "C9"],
    timestamp: Float64Array.from(["2020-01-01T10:00Z", "2020-01-01T10:01Z", "2020-01-02", "2020-01-05", "2020-01-06", "2020-01-07", "2021-03-01", "2021-03-01", "2021-03-02", "2021-03-03", "2021-03-04"].map(T)),
    quantity: Float64Array.from([2, 1, 5, 1, 9, -2, 3, 1, 2, 4, -1]),
    unit_price: Float64Array.from([1.1, 2.2, 3, 10, 5, 4, 0.7, 2, 10, 1.5, 3]),
    product_id: ["p1", "p2", "p1", "p3", "p1", "p4", "p1", "p2", "p5", "p4", "p2"],
    country: ["UK", "FR", "UK", "FR", "UK", "DE", "FR", "UK", "UK", "DE", "UK"],
  });
  it("returns before a first purchase, orders past the longest window, a late line of an old order", () => {
    // a's order 3 gets a line again 14 months later: the batch still treats it as order 3 (kept only while inside the window)
    const cuts = ["2020-01-03", "2020-02-01", "2021-06-01"].map(T);
    const got = replay(tx, cuts);
    cuts.slice(0, 2).forEach((c, k) => expectSameTable(got[k], customerFeatures(tx, { cutoff: c })));
    // past the kept window, order 3's late line starts a new order in the stream: the documented difference
    const late = customerFeatures(tx, { cutoff: cuts[2] }), s = got[2];
    expect(s.str("customer_id")).toEqual(late.str("customer_id"));
    expect(s.num("frequency")[0]).toBe(late.num("frequency")[0] + 1);
    late.num("monetary").forEach((v, i) => expect(s.num("monetary")[i]).toBeCloseTo(v, 9));
  });
  it("refuses lines out of time order and cutoffs before the last line", () => {
    const s = new CustomerFeatureStream();
    s.push({ customer_id: "a", order_id: "1", timestamp: T("2020-01-02"), quantity: 1, unit_price: 1 });
    expect(() => s.push({ customer_id: "a", order_id: "2", timestamp: T("2020-01-01"), quantity: 1, unit_price: 1 })).toThrow(/time order/);
    expect(() => s.features(T("2020-01-01"))).toThrow(/not after the latest line/);
  });
});

describe.skipIf(!fs.existsSync(demo))("streamChurnScores", () => {
  it("alerts carry the batch model's probabilities at their step; summary counts events", async () => {
    const { table } = await loadTransactions(demo, { format: "custlab" });
    const tx = churnTransactions(cleanTransactions(table).table);
    const cm = await fitChurnModel(tx, Date.parse("2024-06-01"), { model: "logreg", horizonDays: 90 });
    const scorer = { state: churnArtifactState(cm), scoreFeatures: cm.scoreFeatures };
    const from = Date.parse("2024-05-01");
    const { events } = transactionEvents(tx);
    async function* feed() { for (const e of events) if (e.timestamp < Date.parse("2024-07-01")) yield e; }
    const alerts: StreamAlert[] = [];
    let summary: StreamSummary | undefined;
    for await (const m of streamChurnScores(feed(), scorer, { everyDays: 7, moveThreshold: 0.05 })) {
      if (m.type === "summary") summary = m; else if (Date.parse(m.at) >= from) alerts.push(m);
    }
    const n = events.filter((e) => e.timestamp < Date.parse("2024-07-01")).length;
    expect(summary!.events).toBe(n);
    expect(summary!.alerts).toBeGreaterThanOrEqual(alerts.length);
    expect(alerts.length).toBeGreaterThan(10);
    // check the alerts of three steps against batch scoring at the same day
    const days = [...new Set(alerts.map((a) => a.at))].slice(0, 3);
    for (const d of days) {
      const b = cm.score(tx, Date.parse(d));
      const p = new Map(b.customers.map((c, i) => [c, b.proba[i]]));
      for (const a of alerts.filter((x) => x.at === d)) {
        expect(a.probability).toBeCloseTo(p.get(a.customer_id)!, 12);
        expect(a.band).toBe(a.probability >= 0.6 ? "high" : a.probability >= 0.3 ? "medium" : "low");
        expect(a.why === `entered ${a.band}` || Math.abs(a.probability - a.previous) > 0.05).toBe(true);
      }
    }
  }, 180_000);
  it("refuses an extended-feature or sequence model in one line", async () => {
    const base = { scoreFeatures: () => { throw new Error("unused"); } } as any;
    const run = async (state: any) => { for await (const _ of streamChurnScores([], { ...base, state })) void _; };
    await expect(run({ model: "gbdt", horizon_days: 90, spec: { featureSet: "extended" } })).rejects.toThrow(/basic feature set/);
    await expect(run({ model: "lstm", horizon_days: 90 })).rejects.toThrow(/monthly sequences/);
  });
});

describe.skipIf(!fs.existsSync(demo))("custlab stream", () => {
  it("replays the demo shop with a registered model: alert lines, then a summary", async () => {
    const os = await import("os");
    const { runCaptured, runJSON } = await import("./helpers/cli");
    const { run: churn } = await import("../src/cli/commands/churn");
    const { run: stream } = await import("../src/cli/commands/stream");
    const reg = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "custlab-stream-")), "R");
    await runJSON(churn, [demo, "--format", "custlab", "--cutoff", "2024-06-01", "--model", "logreg", "--calibration", "none", "--registry", reg, "--json"]);
    const { code, out } = await runCaptured(stream, [demo, "--format", "custlab", "--model", `${reg}@champion`, "--every", "30", "--threshold", "0.2"]);
    expect(code).toBe(0);
    const lines = out.trim().split("\n").map((l) => JSON.parse(l));
    const sum = lines[lines.length - 1];
    expect(sum.type).toBe("summary");
    const { table } = await loadTransactions(demo, { format: "custlab" });
    expect(sum.events).toBe(churnTransactions(cleanTransactions(table).table).numRows);
    expect(sum.alerts).toBe(lines.length - 1);
    expect(sum.events_per_s).toBeGreaterThan(0);
    for (const a of lines.slice(0, -1)) {
      expect(a.type).toBe("alert");
      expect(a.probability).toBeGreaterThanOrEqual(0);
      expect(a.probability).toBeLessThanOrEqual(1);
      expect(a.why === `entered ${a.band}` || Math.abs(a.probability - a.previous) > 0.2).toBe(true);
    }
  }, 180_000);
  it("JSON lines: a bad line stops with its number; lines out of time order are refused", async () => {
    const { jsonLineEvents } = await import("../src/cli/commands/stream");
    const drain = async (ls: string[]) => { const out = []; for await (const e of jsonLineEvents(ls)) out.push(e); return out; };
    const ok = await drain(['{"customer_id":"a","order_id":1,"timestamp":"2020-01-01T10:00:00Z","quantity":2,"unit_price":1.5,"country":"UK"}', "", '{"customer_id":7,"order_id":"2","timestamp":1577923200000,"quantity":1,"unit_price":3}']);
    expect(ok).toEqual([
      { customer_id: "a", order_id: "1", timestamp: Date.parse("2020-01-01T10:00:00Z"), quantity: 2, unit_price: 1.5, country: "UK" },
      { customer_id: "7", order_id: "2", timestamp: 1577923200000, quantity: 1, unit_price: 3 },
    ]);
    await expect(drain(['{"customer_id":"a","order_id":1,"timestamp":"2020-01-01","quantity":2,"unit_price":1}', "not json"])).rejects.toThrow(/stdin line 2: not a JSON object/);
    await expect(drain(['{"customer_id":"a","order_id":1,"timestamp":"yesterday","quantity":2,"unit_price":1}'])).rejects.toThrow(/line 1: field timestamp/);
  });
});
