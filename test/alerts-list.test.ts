import { describe, it, expect } from "vitest";
import { Table } from "../src/table";
import { buildAlerts, reviewQueue, replayAlerts } from "../src/alerts";

const D = (s: string) => Date.parse(s + "T00:00:00Z");

describe("buildAlerts", () => {
  const features = new Table({ customer_id: ["a", "b", "c", "d", "e"], spend_365d: Float64Array.from([100, 2000, 50, 0, 900]) });
  const reasons = new Table({ customer_id: ["b", "a"], reasons: ["no purchase for 143 days (typical 21)", "2 orders so far (typical 9)"] });
  const alerts = buildAlerts({ customers: ["a", "b", "c", "d", "e"], proba: [0.2, 0.7, 0.65, 0.3, 0.45], features, reasons }, { horizonDays: 90, reviewValueQuantile: 0.75 });
  it("bands, percentiles, value at risk, reasons, sorted by probability", () => {
    expect(alerts.str("customer_id")).toEqual(["b", "c", "e", "d", "a"]);
    expect(alerts.str("band")).toEqual(["high", "high", "medium", "medium", "low"]);
    expect(Array.from(alerts.num("percentile"))).toEqual([100, 80, 60, 40, 20]);
    expect(Array.from(alerts.num("value_at_risk"))).toEqual([0.7 * 2000, 0.65 * 50, 0.45 * 900, 0, 0.2 * 100]);
    expect(Array.from(alerts.num("horizon_days"))).toEqual([90, 90, 90, 90, 90]);
    expect(alerts.str("top_reasons")[0]).toBe("no purchase for 143 days (typical 21)");
  });
  it("manual review for high-value customers in medium/high bands", () => {
    // value quantile 0.75 of [0, 50, 100, 900, 2000] (floor index 3) = 900 → b (high, 2000) and e (medium, 900)
    expect(Array.from(alerts.num("manual_review"))).toEqual([1, 0, 1, 0, 0]);
    expect(reviewQueue(alerts).str("customer_id")).toEqual(["b", "e"]);
  });
  it("eligibility rule on every row", () => {
    const f = new Table({ customer_id: ["a", "b", "c"], spend_365d: Float64Array.from([10, 5000, 20]), frequency: Float64Array.from([1, 8, 3]), tenure_days: Float64Array.from([20, 400, 200]) });
    const a = buildAlerts({ customers: ["a", "b", "c"], proba: [0.9, 0.8, 0.1], features: f }, { eligibility: { minOrders: 2, minTenureDays: 90 }, reviewValueQuantile: 0.5 });
    expect(a.str("customer_id")).toEqual(["a", "b", "c"]);
    expect(Array.from(a.num("eligible"))).toEqual([0, 1, 1]);
    expect(a.str("eligibility")[0]).toBe("≥ 2 orders and ≥ 90 days of history");
    expect(Array.from(a.num("manual_review"))).toEqual([0, 1, 0]);
  });
  it("configurable thresholds and clear errors", () => {
    const a = buildAlerts({ customers: ["x", "y"], proba: [0.15, 0.25] }, { bands: { medium: 0.1, high: 0.2 } });
    expect(a.str("band")).toEqual(["high", "medium"]);
    expect(() => buildAlerts({ customers: ["x"], proba: [0.1, 0.2] })).toThrow(/1 customers but 2/);
    expect(() => buildAlerts({ customers: ["x"], proba: [0.1] }, { bands: { medium: 0.9, high: 0.5 } })).toThrow(/bands.medium/);
  });
});

describe("replayAlerts", () => {
  it("false-alarm rate measured against what happened after each past cutoff", async () => {
    // 4 customers; at cutoff 1 (Mar 1): a, b alerted (score by recency); a returns in March → false alarm, b does not
    const L: [string, string, string][] = [
      ["a", "o1", "2024-01-02"], ["a", "o2", "2024-03-10"], ["b", "o3", "2024-01-05"], ["c", "o4", "2024-02-25"], ["c", "o5", "2024-03-20"], ["d", "o6", "2024-02-20"],
      ["z", "o9", "2024-09-01"], // extends the data so both horizons are complete
    ];
    const tx = new Table({
      customer_id: L.map((l) => l[0]), order_id: L.map((l) => l[1]), timestamp: Float64Array.from(L, (l) => D(l[2])),
      quantity: Float64Array.from(L, () => 1), unit_price: Float64Array.from(L, () => 10),
    }, { timestamp: "date" });
    const score = (f: Table) => Float64Array.from(f.num("recency_days"), (r) => (r > 30 ? 0.9 : 0.1));
    const r = await replayAlerts(tx, { cutoffs: [D("2024-03-01"), D("2024-06-01")], horizonDays: 30, score });
    const rows = r.toRows();
    // Mar 1: a (58 d), b (56 d) alerted; c (5 d), d (10 d) not. In (Mar 1, Mar 31]: a and c buy. → 1 false alarm of 2
    expect(rows[0]).toMatchObject({ cutoff: "2024-03-01", customers: 4, alerts: 2, churned_among_alerts: 1, false_alarms: 1, false_alarm_rate: 0.5, recall: 0.5, churn_rate: 0.5 });
    // Jun 1: everyone is > 30 days away and nobody buys in June → 4 alerts, 0 false alarms
    expect(rows[1]).toMatchObject({ alerts: 4, false_alarms: 0, false_alarm_rate: 0, recall: 1 });
    expect(rows[2]).toMatchObject({ cutoff: "all", alerts: 6, false_alarms: 1 });
    await expect(replayAlerts(tx, { cutoffs: [D("2024-08-20")], horizonDays: 30, score })).rejects.toThrow(/outcomes are unknown/);
  });
});
