import { describe, it, expect } from "vitest";
import * as fs from "fs";
import { Table } from "../src/table";
import {
  assignArms, analyzeCampaign, sampleSize, power, campaignFigure, campaignTable,
  experimentWilsonInterval as wilsonInterval, experimentDifferenceInterval as differenceInterval, twoProportionZTest,
  experimentNormalQuantile, experimentNormalCdf, experimentRelativeUpliftInterval as relativeUpliftInterval,
} from "../src/experiments";
import { demoPath, generateDemoShop } from "../src/demo";

describe("experiments: statistics against textbook oracles", () => {
  it("normal quantile and CDF", () => {
    expect(experimentNormalQuantile(0.975)).toBeCloseTo(1.959963985, 6);
    expect(experimentNormalQuantile(0.8)).toBeCloseTo(0.841621234, 6);
    expect(experimentNormalQuantile(0.001)).toBeCloseTo(-3.090232306, 6);
    expect(experimentNormalCdf(1.959963985)).toBeCloseTo(0.975, 7);
  });

  it("sample size: baseline 10%, +2 points, α 0.05, power 0.8 → 3,841 per arm (Fleiss, no continuity correction)", () => {
    // By hand: p̄ = 0.11; [1.959964·√(2·0.11·0.89) + 0.841621·√(0.1·0.9 + 0.12·0.88)]² / 0.02² = 3840.5 → 3841.
    const hand = (1.959964 * Math.sqrt(2 * 0.11 * 0.89) + 0.841621 * Math.sqrt(0.09 + 0.12 * 0.88)) ** 2 / 0.0004;
    expect(hand).toBeGreaterThan(3840);
    expect(hand).toBeLessThan(3841);
    const s = sampleSize({ baseline: 0.1, uplift: 0.02, alpha: 0.05, power: 0.8 });
    expect(s.perArm).toBe(3841);
    expect(s.total).toBe(7682);
    // Other textbook figures: 5% → 6% needs 8,158 per arm; 20% → 25% at 90% power needs 1,464 (same formula).
    expect(sampleSize({ baseline: 0.05, uplift: 0.01 }).perArm).toBe(8158);
    expect(sampleSize({ baseline: 0.2, uplift: 0.05, power: 0.9 }).perArm).toBe(1464);
    // Unequal allocation: treatment twice the control.
    const k2 = sampleSize({ baseline: 0.1, uplift: 0.02, ratio: 2 });
    expect(k2.treatment).toBeGreaterThanOrEqual(2 * k2.control - 1);
    expect(k2.control).toBeLessThan(3841);
  });

  it("power is the inverse of sampleSize", () => {
    expect(power({ baseline: 0.1, uplift: 0.02 }, 3841)).toBeCloseTo(0.8, 3);
    expect(power({ baseline: 0.2, uplift: 0.05, alpha: 0.05 }, 1464)).toBeCloseTo(0.9, 3);
    expect(power({ baseline: 0.1, uplift: 0.02 }, 1000)).toBeLessThan(0.35);
    expect(() => power({ baseline: 0.1, uplift: 0 }, 100)).toThrow(/option uplift/);
    expect(() => sampleSize({ baseline: 1.2, uplift: 0.1 })).toThrow(/option baseline/);
  });

  it("two-proportion z-test checked by hand", () => {
    // 130/1000 vs 100/1000: p̄ = 0.115, se = √(0.115·0.885·0.002) = 0.0142671, z = 0.03/0.0142671 = 2.10274, p = 0.03549.
    const { z, pValue } = twoProportionZTest(130, 1000, 100, 1000);
    expect(z).toBeCloseTo(0.03 / Math.sqrt(0.115 * 0.885 * 0.002), 6);
    expect(z).toBeCloseTo(2.10274, 4);
    expect(pValue).toBeCloseTo(0.03549, 4);
  });

  it("Wilson and Newcombe intervals match Newcombe (1998)", () => {
    // Newcombe 1998 (Stat Med 17:857), single proportion 81/263: Wilson 0.2553–0.3662.
    const w = wilsonInterval(81, 263);
    expect(w[0]).toBeCloseTo(0.2553, 4);
    expect(w[1]).toBeCloseTo(0.3662, 4);
    // Newcombe 1998 (Stat Med 17:873), 56/70 − 48/80: method 10 (hybrid score) 0.0524–0.3339.
    const d = differenceInterval(56, 70, 48, 80);
    expect(d[0]).toBeCloseTo(0.0524, 4);
    expect(d[1]).toBeCloseTo(0.3339, 4);
    // Same example, Wald (method 1): 0.0575–0.3425.
    const wald = differenceInterval(56, 70, 48, 80, 0.05, "wald");
    expect(wald[0]).toBeCloseTo(0.0575, 4);
    expect(wald[1]).toBeCloseTo(0.3425, 4);
    // Katz log interval for the risk ratio 0.8/0.6 (by hand).
    const se = Math.sqrt(1 / 56 - 1 / 70 + 1 / 48 - 1 / 80);
    const r = relativeUpliftInterval(56, 70, 48, 80);
    expect(r[0]).toBeCloseTo(Math.exp(Math.log(0.8 / 0.6) - 1.959964 * se) - 1, 5);
  });
});

describe("experiments: assignment", () => {
  it("is seeded and stratified: each stratum split 50/50 (±1)", () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `c${i}`);
    const seg = ids.map((_, i) => ["a", "b", "c"][i % 3] + (i % 7 === 0 ? "x" : ""));
    const t = new Table({ customer_id: ids, segment: seg });
    const a1 = assignArms(t, { stratifyBy: "segment", seed: 1 });
    const a2 = assignArms(t, { stratifyBy: "segment", seed: 1 });
    const a3 = assignArms(t, { stratifyBy: "segment", seed: 2 });
    expect(a1.str("arm")).toEqual(a2.str("arm"));
    expect(a1.str("arm")).not.toEqual(a3.str("arm"));
    expect(a1.str("customer_id")).toEqual(ids);
    for (const s of new Set(seg)) {
      const arms = a1.str("arm").filter((_, i) => seg[i] === s);
      const nt = arms.filter((x) => x === "treatment").length;
      expect(Math.abs(2 * nt - arms.length)).toBeLessThanOrEqual(1);
    }
  });

  it("honours weights and more than two arms", () => {
    const ids = Array.from({ length: 400 }, (_, i) => `c${i}`);
    const a = assignArms(ids, { arms: ["control", "email", "voucher"], weights: [2, 1, 1], seed: 9 });
    const count = (x: string) => a.str("arm").filter((v) => v === x).length;
    expect(count("control")).toBe(200);
    expect(count("email")).toBe(100);
    expect(count("voucher")).toBe(100);
    expect(() => assignArms(ids, { arms: ["a"] })).toThrow(/option arms/);
    expect(() => assignArms(ids, { stratifyBy: "segment" })).toThrow(/option stratifyBy/);
  });
});

describe("experiments: the demo campaign", () => {
  const shop = generateDemoShop({ seed: 42 });

  it("recovers the planted uplift inside the 95% CI, with a significant z-test", () => {
    const r = analyzeCampaign(shop.campaign, { arm: "arm", outcome: "converted", segment: "segment" });
    const c = r.comparisons[0];
    const truth = shop.truth.campaign.uplift_abs;
    console.log(`demo campaign: uplift ${c.diff.toFixed(4)} [${c.diffCi[0].toFixed(4)}, ${c.diffCi[1].toFixed(4)}] (Newcombe 95%), truth ${truth}, z ${c.z.toFixed(2)}, p ${c.pValue.toExponential(2)}`);
    expect(c.arm).toBe("treatment");
    expect(c.control).toBe("control");
    expect(c.diffCi[0]).toBeLessThan(truth);
    expect(c.diffCi[1]).toBeGreaterThan(truth);
    expect(c.significant).toBe(true);
    const wald = analyzeCampaign(shop.campaign, { ciMethod: "wald" }).comparisons[0];
    expect(wald.diffCi[0]).toBeLessThan(truth);
    expect(wald.diffCi[1]).toBeGreaterThan(truth);
    // Per-arm figures add up; segments cover everyone.
    expect(r.arms.reduce((s, a) => s + a.n, 0)).toBe(shop.campaign.numRows);
    expect(r.bySegment.map((s) => s.segment).sort()).toEqual(shop.truth.segments.map((s) => s.name).sort());
    expect(r.bySegment.reduce((s, g) => s + g.arms.reduce((t, a) => t + a.n, 0), 0)).toBe(shop.campaign.numRows);
    // The relative uplift matches diff / control rate.
    expect(c.relativeUplift).toBeCloseTo(c.diff / r.arms.find((a) => a.arm === "control")!.rate, 10);
    expect(r.warnings).toEqual([]);
  });

  it("the committed campaign.csv gives the same analysis", () => {
    const file = demoPath("campaign.csv");
    if (!fs.existsSync(file)) { console.log("skipped: datasets/demo/campaign.csv absent"); return; }
    const lines = fs.readFileSync(file, "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    const t = new Table({ arm: lines.map((l) => l[2]), converted: Float64Array.from(lines, (l) => Number(l[3])) });
    const a = analyzeCampaign(t).comparisons[0], b = analyzeCampaign(shop.campaign).comparisons[0];
    expect(a.diff).toBeCloseTo(b.diff, 12);
  });

  it("warns against peeking on an unfinished campaign and on repeated looks", () => {
    const r = analyzeCampaign(shop.campaign, { plannedEnd: "2024-10-31", asOf: "2024-10-10" });
    expect(r.warnings.join(" ")).toMatch(/Peeking/);
    expect(r.alphaUsed).toBeCloseTo(0.025, 10);
    const p1 = analyzeCampaign(shop.campaign, { campaignId: "test-winback" });
    expect(p1.warnings).toEqual([]);
    const p2 = analyzeCampaign(shop.campaign, { campaignId: "test-winback" });
    expect(p2.warnings.join(" ")).toMatch(/look 2/);
    const p3 = analyzeCampaign(shop.campaign, { plannedPerArm: 5000 });
    expect(p3.warnings.join(" ")).toMatch(/planned 5000/);
  });

  it("rejects non-binary outcomes with the line and column", () => {
    const t = new Table({ arm: ["control", "treatment", "control"], converted: Float64Array.from([0, 2, 1]) });
    expect(() => analyzeCampaign(t)).toThrow(/line 3, column converted: outcome must be 0 or 1/);
    const one = new Table({ arm: ["control", "control"], converted: Float64Array.from([0, 1]) });
    expect(() => analyzeCampaign(one)).toThrow(/at least two arms/);
  });

  it("draws conversion per arm with CI error bars", () => {
    const r = analyzeCampaign(shop.campaign, { segment: "segment" });
    const fig = campaignFigure(r);
    expect(fig.data).toHaveLength(2);
    const trace = fig.data[0] as { x: string[]; y: number[]; error_y: { array: number[]; arrayminus: number[] } };
    expect(trace.x).toHaveLength(5);
    const arm = r.bySegment[0].arms.find((a) => a.arm === (fig.data[0] as { name: string }).name)!;
    expect(trace.y[0]).toBeCloseTo(arm.rate, 12);
    expect(trace.error_y.array[0]).toBeCloseTo(arm.ci[1] - arm.rate, 12);
    const overall = campaignFigure(r, { bySegment: false });
    expect((overall.data[0] as { x: string[] }).x).toEqual(["control"]);
    expect(JSON.stringify(overall.layout)).toContain("95% CI");
  });

  it("summarises the analysis as a table (overall rows first)", () => {
    const r = analyzeCampaign(shop.campaign, { segment: "segment" });
    const t = campaignTable(r);
    expect(t.numRows).toBe(2 + 2 * 5);
    expect(t.str("segment").slice(0, 2)).toEqual(["all", "all"]);
    const i = t.str("arm").indexOf("treatment");
    expect(t.num("diff")[i]).toBeCloseTo(r.comparisons[0].diff, 12);
    expect(Number.isNaN(t.num("diff")[t.str("arm").indexOf("control")])).toBe(true);
  });
});
