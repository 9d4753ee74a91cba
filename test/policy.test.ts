// Retention policy (issue #21): fairness figures against a numpy computation of fairlearn's
// definitions (test/fixtures/policy/make_fairness.py) at 1e-9; Thompson sampling simulated against
// the demo shop's planted response model (regret below random allocation's and flattening); IPW and
// doubly robust off-policy values against the planted truth.
import { describe, expect, it, beforeAll } from "vitest";
import * as fs from "fs";
import * as path from "path";
import {
  fairnessReport, fairnessFigure, simulateRetentionPolicy, banditRegretFigure, offPolicyValue, demoRetentionEnvironment,
  DEMO_OFFER_ACTIONS, thompsonPolicy, churnBandOf,
} from "../src/policy";
import { generateDemoShop, simulateOfferCampaign, type DemoShop } from "../src/demo";

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/policy/fairness.json"), "utf8"));
const near = (a: number, b: number | null, what: string) => {
  if (b === null) expect(Number.isNaN(a), what).toBe(true);
  else expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
};

describe("fairness vs fairlearn's definitions (numpy fixture), 1e-9", () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const r = fairnessReport(c.y, c.groups, { score: c.score, selected: c.selected ?? undefined }, { threshold: c.threshold, bins: c.bins, attribute: "g" });
      const e = c.expected;
      near(r.demographicParityDifference, e.dpd, "demographic parity difference");
      near(r.demographicParityRatio, e.dpr, "demographic parity ratio");
      near(r.equalOpportunityDifference, e.eod, "equal-opportunity difference");
      near(r.equalizedOddsDifference, e.eq_odds, "equalized-odds difference");
      near(r.maxCalibrationError, e.max_ece, "max ECE");
      expect(r.groups.map((g) => g.group)).toEqual(e.groups.map((g: { group: string }) => g.group));
      r.groups.forEach((g, k) => {
        const o = e.groups[k];
        expect(g.n).toBe(o.n);
        near(g.selectionRate, o.selection_rate, `${g.group} selection rate`);
        near(g.tpr, o.tpr, `${g.group} TPR`); near(g.fpr, o.fpr, `${g.group} FPR`); near(g.baseRate, o.base_rate, `${g.group} base rate`);
        near(g.meanScore, o.mean_score, `${g.group} mean score`); near(g.ece, o.ece, `${g.group} ECE`);
        expect(g.calibration.map((b) => [b.bin, b.n])).toEqual(o.calibration.map((b: { bin: number; n: number }) => [b.bin, b.n]));
        g.calibration.forEach((b, j) => { near(b.meanScore, o.calibration[j].mean_score, "bin mean"); near(b.observed, o.calibration[j].observed, "bin observed"); });
      });
    });
  }

  it("warns in plain words above the stated thresholds, and not below", () => {
    const y = [1, 1, 0, 0, 1, 1, 0, 0], g = ["F", "F", "F", "F", "M", "M", "M", "M"];
    const r = fairnessReport(y, g, { selected: [1, 1, 1, 0, 1, 0, 0, 0] }, { attribute: "gender" });
    expect(r.demographicParityDifference).toBeCloseTo(0.5, 12);
    expect(r.equalOpportunityDifference).toBeCloseTo(0.5, 12);
    expect(r.warnings[0]).toMatch(/^Demographic parity by gender: 75\.0% of "F" are selected against 25\.0% of "M"/);
    expect(r.warnings[1]).toMatch(/^Equal opportunity by gender/);
    expect(fairnessReport(y, g, { selected: [1, 0, 0, 0, 1, 0, 0, 0] }).warnings).toEqual([]);
    expect(fairnessFigure(r).data.length).toBe(3);
    expect(() => fairnessReport(y, g, {})).toThrow(/option input/);
    expect(() => fairnessReport(y, g, { score: [0.1, 2, 0, 0, 0, 0, 0, 0] })).toThrow(/probability in \[0, 1\], got 2 at row 1/);
  });
});

describe("retention policy on the demo shop's planted response model", () => {
  let shop: DemoShop;
  beforeAll(() => { shop = generateDemoShop({ seed: 42 }); }, 60_000);

  it("Thompson sampling per segment × churn band: cumulative regret below random allocation's and the best fixed action's, growing sub-linearly", () => {
    const env = demoRetentionEnvironment(shop);
    const sim = simulateRetentionPolicy(env, { weeks: 52, perWeek: 200, seed: 42 });
    const r = sim.regret, q = (a: Float64Array, w: number) => a[w] - (w >= 13 ? a[w - 13] : 0);
    console.log(`bandit regret by quarter (52 weeks × 200): ${[12, 25, 38, 51].map((w) => q(r.thompson, w).toFixed(0)).join(", ")}; ` +
      `random ${r.random[51].toFixed(0)}, best fixed (${sim.bestFixedAction}) ${r.bestFixed[51].toFixed(0)}, bandit ${r.thompson[51].toFixed(0)}`);
    expect(r.thompson[51]).toBeLessThan(0.25 * r.random[51]);
    expect(r.thompson[51]).toBeLessThan(r.bestFixed[51]);
    // Sub-linear: each later quarter adds less regret than the first; the last adds under half of it.
    expect(q(r.thompson, 25)).toBeLessThan(q(r.thompson, 12));
    expect(q(r.thompson, 51)).toBeLessThan(0.5 * q(r.thompson, 12));
    // Random and fixed allocation are linear: their last quarter adds about as much as their first (±20%).
    expect(q(r.random, 51) / q(r.random, 12)).toBeGreaterThan(0.8);
    expect(q(r.bestFixed, 51) / q(r.bestFixed, 12)).toBeGreaterThan(0.8);
    // Realised value: the bandit beats random allocation.
    expect(sim.reward.thompson[51]).toBeGreaterThan(sim.reward.random[51]);
    // In the last week the bandit mostly takes each big context's oracle action.
    for (const c of sim.finalChoice) if (Number.isFinite(c.shares[c.oracle]) && ["at_risk|high", "loyal|low"].includes(c.context)) expect(c.shares[c.oracle], c.context).toBeGreaterThan(0.7);
    // Same seed, same run; the context-free bandit learns less (one posterior for everybody).
    expect(Array.from(simulateRetentionPolicy(env, { weeks: 52, perWeek: 200, seed: 42 }).regret.thompson)).toEqual(Array.from(r.thompson));
    expect(simulateRetentionPolicy(env, { weeks: 52, perWeek: 200, context: "none" }).regret.thompson[51]).toBeGreaterThan(r.thompson[51]);
    expect(banditRegretFigure(sim).data.length).toBe(3);
    expect(() => thompsonPolicy(["a"], [0, 1], ["x"])).toThrow(/option actions/);
    expect(churnBandOf(0.3)).toBe("medium");
  });

  it("off-policy evaluation on a logged random campaign: IPW and doubly robust cover the planted value; DR has the smaller error", () => {
    const env = demoRetentionEnvironment(shop);
    const cost = new Map(DEMO_OFFER_ACTIONS.actions.map((a, j) => [a, DEMO_OFFER_ACTIONS.costs[j]]));
    // Target policies: each fixed action, and a segment rule (discount for loyal and at_risk, bundle for champions, none else).
    const rule = (i: number) => (["loyal", "at_risk"].includes(env.segment[i]) ? "discount" : env.segment[i] === "champions" ? "bundle" : "none");
    const targets: Array<[string, (i: number) => string]> = [...DEMO_OFFER_ACTIONS.actions.map((a) => [a, () => a] as [string, (i: number) => string]), ["segment rule", rule]];
    let ipwErr = 0, drErr = 0, covered = 0, total = 0;
    for (const seed of [3, 4, 5]) {
      const log = simulateOfferCampaign(shop, { arms: DEMO_OFFER_ACTIONS.actions, seed });
      const arm = log.str("arm"), ret = log.num("retained");
      const reward = Float64Array.from(arm, (a, i) => ret[i] * env.value[i] - cost.get(a)!);
      for (const [name, pick] of targets) {
        let truth = 0;
        for (let i = 0; i < env.value.length; i++) truth += env.response(i, pick(i)) * env.value[i] - cost.get(pick(i))!;
        truth /= env.value.length;
        const e = offPolicyValue({ context: env.context, action: arm, propensity: log.num("propensity"), reward }, (i, a) => (a === pick(i) ? 1 : 0), DEMO_OFFER_ACTIONS.actions);
        for (const est of [e.ipw, e.dr]) { total++; if (Math.abs(est.value - truth) <= 3 * est.se) covered++; }
        expect(e.dr.se, name).toBeLessThan(e.ipw.se);
        ipwErr += Math.abs(e.ipw.value - truth); drErr += Math.abs(e.dr.value - truth);
        expect(e.support).toBeGreaterThan(0.2);
      }
    }
    expect(covered / total).toBeGreaterThanOrEqual(0.95);
    expect(drErr).toBeLessThan(ipwErr);
    expect(() => offPolicyValue({ context: ["a"], action: ["x"], propensity: [0], reward: [1] }, () => 1, ["x"])).toThrow(/propensity must be in \(0, 1\], got 0 at row 0/);
    expect(() => offPolicyValue({ context: ["a"], action: ["x"], propensity: [1], reward: [1] }, () => 0.5, ["x", "y", "z"])).toThrow(/sum to 1\.5/);
  });
});
