import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { Table } from "../src/table";
import { customerFeatures, churnLabels, rollingCutoffs, monthlySequences, customerRFM } from "../src/features";
import { createRng } from "../src/util/random";

const D = (s: string) => Date.parse(s + "T00:00:00Z");
const DAY = 86_400_000;

type Line = [cust: string, order: string, date: string, product: string, category: string, qty: number, price: number, country: string, channel: string];
function txTable(lines: Line[]): Table {
  return new Table(
    {
      customer_id: lines.map((l) => l[0]), order_id: lines.map((l) => l[1]), timestamp: Float64Array.from(lines, (l) => D(l[2])),
      product_id: lines.map((l) => l[3]), product_name: lines.map((l) => l[3]), category: lines.map((l) => l[4]),
      quantity: Float64Array.from(lines, (l) => l[5]), unit_price: Float64Array.from(lines, (l) => l[6]),
      country: lines.map((l) => l[7]), channel: lines.map((l) => l[8]),
    },
    { timestamp: "date" },
  );
}

const base: Line[] = [
  ["A", "o1", "2024-01-06", "p1", "X", 2, 5, "UK", "web"], // Saturday
  ["A", "o1", "2024-01-06", "p2", "Y", 1, 10, "UK", "web"],
  ["A", "o2", "2024-03-01", "p1", "X", 1, 5, "UK", "app"],
  ["A", "o3", "2024-06-21", "p3", "X", 4, 2.5, "UK", "app"],
  ["A", "C100", "2024-06-25", "p1", "X", -1, 5, "UK", "web"], // return
  ["", "o9", "2024-02-01", "p1", "X", 50, 5, "UK", "web"], // no customer: ignored
  ["B", "o5", "2023-11-10", "p2", "Y", 1, 10, "FR", "store"],
  ["A", "o4", "2024-07-15", "p1", "X", 1, 5, "UK", "web"], // after the cutoff
  ["C", "o6", "2024-08-01", "p1", "X", 1, 5, "DE", "web"], // only after the cutoff
];
const cutoff = D("2024-07-01");

describe("customerFeatures (hand-computed)", () => {
  const f = customerFeatures(txTable(base), { cutoff });
  it("one row per customer with a purchase before the cutoff", () => {
    expect(f.str("customer_id")).toEqual(["A", "B"]);
  });
  it("customer A", () => {
    const r = f.row(0);
    expect(r.recency_days).toBe(10); // Jun 21 → Jul 1
    expect(r.tenure_days).toBe(177); // Jan 6 → Jul 1
    expect(r.frequency).toBe(3);
    expect(r.monetary).toBe(35); // 20 + 5 + 10
    expect(r.avg_order_value).toBeCloseTo(35 / 3, 12);
    expect(r.ipt_mean_days).toBe(83.5); // gaps 55, 112
    expect(r.ipt_std_days).toBe(28.5);
    expect([r.orders_30d, r.spend_30d, r.orders_90d, r.spend_90d, r.orders_180d, r.spend_180d, r.orders_365d, r.spend_365d]).toEqual([1, 10, 1, 10, 3, 35, 3, 35]);
    // bins of 30 days back from the cutoff: [10, 0, 0, 0, 5, 20] at x = 0..−5 → OLS slope −32.5 / 17.5
    expect(r.spend_trend).toBeCloseTo(-32.5 / 17.5, 12);
    expect(r.basket_units).toBeCloseTo(8 / 3, 12);
    expect(r.basket_lines).toBeCloseTo(4 / 3, 12);
    expect(r.distinct_products).toBe(3);
    expect(r.distinct_categories).toBe(2);
    expect(r.return_rate).toBeCloseTo(1 / 9, 12); // 1 returned of 8 bought + 1
    expect(r.weekend_share).toBeCloseTo(1 / 3, 12);
    expect(r.q4_share).toBe(0);
    expect(r.country).toBe("UK");
    expect(r.channel).toBe("web"); // 3 web lines (incl. the return) vs 2 app
  });
  it("customer B (single order)", () => {
    const r = f.row(1);
    expect(r.recency_days).toBe(234);
    expect(r.frequency).toBe(1);
    expect(r.ipt_mean_days).toBeNull(); // NaN
    expect(r.q4_share).toBe(1);
    // bin 7 = 10, others 0, x = 0..−7 → slope −35 / 42
    expect(r.spend_trend).toBeCloseTo(-35 / 42, 12);
    expect(r.orders_180d).toBe(0);
    expect(r.orders_365d).toBe(1);
  });
  it("agrees with customerRFM at the same cutoff", () => {
    const tx = txTable(base.filter((l) => D(l[2]) < cutoff));
    const rfm = customerRFM(tx, { asOf: cutoff });
    expect(Array.from(rfm.num("frequency"))).toEqual(Array.from(f.num("frequency")));
    expect(Array.from(rfm.num("monetary"))).toEqual(Array.from(f.num("monetary")));
  });
  it("clear error on a missing column or bad cutoff", () => {
    expect(() => customerFeatures(txTable(base).drop(["quantity"]), { cutoff })).toThrow(/quantity/);
    expect(() => customerFeatures(txTable(base), { cutoff: NaN })).toThrow(/cutoff/);
  });
});

function randomTx(seed: number, n: number, start: number, end: number): Line[] {
  const rng = createRng(seed);
  const out: Line[] = [];
  for (let i = 0; i < n; i++) {
    const c = `c${rng.int(60)}`;
    const t = start + rng.next() * (end - start);
    const d = new Date(Math.floor(t / DAY) * DAY).toISOString().slice(0, 10);
    const ret = rng.next() < 0.05;
    out.push([c, `${ret ? "C" : ""}o${rng.int(400)}`, d, `p${rng.int(30)}`, `k${rng.int(5)}`, ret ? -1 - rng.int(3) : 1 + rng.int(5), Math.round(rng.next() * 2000) / 100 + 0.01, ["UK", "FR", "DE"][rng.int(3)], ["web", "app"][rng.int(2)]]);
  }
  return out;
}

describe("leakage guard", () => {
  it("rows planted after the cutoff change no feature, bit for bit", () => {
    const cut = D("2024-06-01");
    const before = randomTx(1, 3000, D("2023-01-01"), cut - 1);
    const planted = randomTx(2, 1500, cut, D("2025-01-01"));
    // plus extreme rows: new customers, huge spend, returns, at exactly the cutoff
    planted.push(["c1", "zz", "2024-06-01", "p1", "k1", 1e6, 1e6, "XX", "zz"], ["new", "n1", "2024-07-01", "p1", "k1", 1, 1, "XX", "zz"], ["c2", "Cq", "2024-06-01", "p1", "k1", -500, 3, "XX", "zz"]);
    // interleave planted rows at random positions, keeping the original rows' order
    const rng = createRng(3);
    const mixed: Line[] = [];
    let a = 0, b = 0;
    while (a < before.length || b < planted.length) {
      if (b < planted.length && (a >= before.length || rng.next() < 0.35)) mixed.push(planted[b++]);
      else mixed.push(before[a++]);
    }
    const f1 = customerFeatures(txTable(before), { cutoff: cut });
    const f2 = customerFeatures(txTable(mixed), { cutoff: cut });
    expect(f2.columnNames()).toEqual(f1.columnNames());
    expect(f2.numRows).toBe(f1.numRows);
    expect(f1.numRows).toBeGreaterThan(50);
    for (const name of f1.columnNames()) {
      const x = f1.get(name), y = f2.get(name);
      if (Array.isArray(x)) expect(y).toEqual(x);
      else expect(Buffer.from((y as Float64Array).buffer).equals(Buffer.from((x as Float64Array).buffer))).toBe(true);
    }
    // the sequences obey the same guard
    const s1 = monthlySequences(txTable(before), { cutoff: cut }), s2 = monthlySequences(txTable(mixed), { cutoff: cut });
    expect(Buffer.from(s2.data.buffer).equals(Buffer.from(s1.data.buffer))).toBe(true);
  });
});

describe("labels", () => {
  it("churn, spend and the class rule", () => {
    const tx = txTable(base);
    const f = customerFeatures(tx, { cutoff });
    const y = churnLabels(tx, f, { cutoff, horizonDays: 30 });
    expect(Array.from(y.num("churn"))).toEqual([0, 1]);
    expect(Array.from(y.num("purchase_in_h"))).toEqual([1, 0]);
    expect(Array.from(y.num("future_spend"))).toEqual([5, 0]);
    expect(Array.from(y.num("past_orders"))).toEqual([1, 0]);
    expect(y.str("customer_class")).toEqual(["high-value", "lost"]);
    // horizon 10 days: A's Jul 15 order falls outside → churned
    expect(Array.from(churnLabels(tx, ["A", "B", "C"], { cutoff, horizonDays: 10 }).num("churn"))).toEqual([1, 1, 1]);
    // label column instead of the rule
    const z = churnLabels(tx, ["A", "B"], { cutoff, classLabels: { A: "vip", B: "basic" } });
    expect(z.str("customer_class")).toEqual(["vip", "basic"]);
    expect(Array.from(z.num("class_code"))).toEqual([1, 0]);
  });
  it("class rule on a designed population", () => {
    // 5 buyers with future spend 10,20,30,40,100 (q80 = 52 → only the 100 one is high-value);
    // b2 had 4 past orders and 1 future (at-risk), others 1 past
    const L: Line[] = [];
    const spends = [10, 20, 30, 40, 100];
    spends.forEach((s, i) => {
      L.push([`b${i}`, `past${i}`, "2024-06-15", "p", "k", 1, 1, "UK", "web"]);
      L.push([`b${i}`, `fut${i}`, "2024-07-10", "p", "k", 1, s, "UK", "web"]);
    });
    for (let j = 0; j < 3; j++) L.push(["b2", `extra${j}`, `2024-05-1${j}`, "p", "k", 1, 1, "UK", "web"]);
    L.push(["gone", "g1", "2024-05-01", "p", "k", 1, 1, "UK", "web"]);
    const tx = txTable(L);
    const f = customerFeatures(tx, { cutoff });
    const y = churnLabels(tx, f, { cutoff, horizonDays: 90 });
    expect(f.str("customer_id")).toEqual(["b0", "b1", "b2", "b3", "b4", "gone"]);
    expect(y.str("customer_class")).toEqual(["regular", "regular", "at-risk", "regular", "high-value", "lost"]);
  });
  it("rolling cutoffs stack examples and refuse censored horizons", () => {
    const tx = txTable(randomTx(5, 4000, D("2023-01-01"), D("2024-12-31")));
    const { table, cutoffs } = rollingCutoffs(tx, { last: D("2024-09-01"), every: 60, count: 3, horizonDays: 90 });
    expect(cutoffs).toEqual([D("2024-09-01") - 120 * DAY, D("2024-09-01") - 60 * DAY, D("2024-09-01")]);
    const per = cutoffs.map((c) => customerFeatures(tx, { cutoff: c }).numRows);
    expect(table.numRows).toBe(per[0] + per[1] + per[2]);
    // each stacked block equals a direct computation at its cutoff
    const c1 = cutoffs[1];
    const direct = churnLabels(tx, customerFeatures(tx, { cutoff: c1 }), { cutoff: c1, horizonDays: 90 });
    const block = table.filter((i) => table.num("cutoff")[i] === c1);
    expect(Array.from(block.num("churn"))).toEqual(Array.from(direct.num("churn")));
    expect(() => rollingCutoffs(tx, { cutoffs: [D("2024-12-01")], horizonDays: 90 })).toThrow(/incomplete/);
  });
});

describe("monthly sequences", () => {
  it("bins orders into 30-day steps, oldest first", () => {
    const tx = txTable(base);
    const s = monthlySequences(tx, { cutoff, months: 12, log1p: false });
    expect(s.shape).toEqual([2, 12, 5]);
    expect(s.customers).toEqual(["A", "B"]);
    const at = (i: number, t: number, j: number) => s.data[(i * 12 + t) * 5 + j];
    // A: Jun 21 in the last step (11), Mar 1 age 122 → step 11−4 = 7, Jan 6 age 177 → step 6
    expect([at(0, 11, 0), at(0, 11, 1), at(0, 7, 1), at(0, 6, 1), at(0, 6, 2)]).toEqual([1, 10, 5, 20, 3]);
    expect(at(0, 11, 3)).toBe(1); // the return on Jun 25
    expect(at(1, 4, 1)).toBe(10); // B: Nov 10 2023, age 234 → bin 7 → step 4
    let total = 0;
    for (let i = 0; i < s.data.length; i += 5) total += s.data[i];
    expect(total).toBe(4);
  });
});

const demo = path.resolve(__dirname, "../datasets/demo/transactions.csv");
describe.skipIf(!fs.existsSync(demo))("demo data", () => {
  it("features at the demo cutoff", async () => {
    const { loadTransactions } = await import("../src/io");
    const truth = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../datasets/demo/truth.json"), "utf8"));
    const { table } = await loadTransactions(demo, { format: "custlab" });
    const cut = Date.parse(truth.cutoff + "T00:00:00Z");
    const f = customerFeatures(table, { cutoff: cut });
    const y = churnLabels(table, f, { cutoff: cut, horizonDays: truth.horizon_days });
    expect(f.numRows).toBeGreaterThan(100);
    const rec = f.num("recency_days");
    for (let i = 0; i < f.numRows; i++) expect(rec[i]).toBeGreaterThan(0);
    // churners had, on average, been away longer
    let a = 0, na = 0, b = 0, nb = 0;
    for (let i = 0; i < f.numRows; i++) if (y.num("churn")[i]) { a += rec[i]; na++; } else { b += rec[i]; nb++; }
    expect(a / na).toBeGreaterThan(b / nb);
  });
});
