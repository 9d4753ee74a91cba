import { describe, it, expect } from "vitest";
import { fromArrays } from "../src/util/matrix";
import { Table } from "../src/table";
import {
  quantileScores, rfmScores, rfmSegmentRules, rfmSegmentName, RFM_SEGMENT_RULES, fmScore, rfmSegmentSummary,
  wardLinkage, cutTree, dendrogramFigure, hungarian, populationStabilityIndex, psiFromCounts, segmentPersonas, adjustedRandIndex,
} from "../src/segment";

describe("RFM quantile scores and named segments", () => {
  // tie-heavy (frequency-like) vector; expected = pandas np.ceil(s.rank(method=m, pct=True) * 5)
  const v = [1, 1, 1, 1, 1, 1, 2, 2, 3, 5, 8, 1, 2, 13, 1, 1, 2, 40, 1, 3];
  const pandas = {
    average: [2, 2, 2, 2, 2, 2, 4, 4, 4, 5, 5, 2, 4, 5, 2, 2, 4, 5, 2, 4],
    min: [1, 1, 1, 1, 1, 1, 3, 3, 4, 5, 5, 1, 3, 5, 1, 1, 3, 5, 1, 4],
    max: [3, 3, 3, 3, 3, 3, 4, 4, 4, 5, 5, 3, 4, 5, 3, 3, 4, 5, 3, 4],
    first: [1, 1, 1, 1, 2, 2, 3, 3, 4, 5, 5, 2, 4, 5, 2, 3, 4, 5, 3, 4],
  };
  for (const m of ["average", "min", "max", "first"] as const) {
    it(`tie rule "${m}" matches pandas rank(method="${m}", pct=True)`, () => {
      expect(Array.from(quantileScores(v, { ties: m }))).toEqual(pandas[m]);
    });
  }
  it("average ties: equal values always share a score; recency is reversed", () => {
    const s = quantileScores(v);
    for (let i = 0; i < v.length; i++) for (let j = 0; j < v.length; j++) if (v[i] === v[j]) expect(s[i]).toBe(s[j]);
    expect(Array.from(quantileScores([1, 2, 3, 4, 5], { reverse: true }))).toEqual([5, 4, 3, 2, 1]);
  });
  it("the rule table partitions the 5×5 (R, FM) grid into the ten named segments", () => {
    expect(RFM_SEGMENT_RULES.map((r) => r.segment)).toEqual(["Champions", "Loyal", "Potential loyalists", "New", "Promising", "Need attention", "At risk", "Can't lose", "Hibernating", "Lost"]);
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) {
      const hits = RFM_SEGMENT_RULES.filter((x) => r >= x.rMin && r <= x.rMax && f >= x.fmMin && f <= x.fmMax);
      expect(hits).toHaveLength(1);
    }
    expect(rfmSegmentName(5, 5)).toBe("Champions");
    expect(rfmSegmentName(1, 5)).toBe("Can't lose");
    expect(rfmSegmentName(1, 1)).toBe("Lost");
    expect(fmScore(4, 5)).toBe(5); // round half up
    const t = rfmSegmentRules();
    expect(t.numRows).toBe(10);
    expect(t.toMarkdown()).toContain("| Champions | 5 | 4–5 |");
  });
  it("scores a customer table and summarises segments", () => {
    const rfm = new Table({
      customer_id: ["a", "b", "c", "d", "e"],
      recency_days: Int32Array.from([1, 200, 5, 300, 30]),
      frequency: Int32Array.from([20, 1, 3, 8, 2]),
      monetary: Float64Array.from([5000, 10, 80, 900, 40]),
    });
    const s = rfmScores(rfm);
    expect(s.str("rfm_code")).toEqual(["555", "211", "433", "144", "322"]);
    expect(s.str("rfm_segment")).toEqual(["Champions", "Hibernating", "Potential loyalists", "At risk", "Need attention"]);
    const sum = rfmSegmentSummary(s);
    expect(sum.num("customers").reduce((a, b) => a + b, 0)).toBe(5);
    expect(sum.num("revenue_share")[0]).toBeCloseTo(5000 / 6030, 12);
  });
  it("personas: shares, medians and a plain-language description", () => {
    // 3 top customers (a, b, f) and 7 lapsed one-off buyers
    const rfm = new Table({
      customer_id: ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
      recency_days: Int32Array.from([1, 3, 200, 250, 300, 5, 220, 260, 280, 310]),
      frequency: Int32Array.from([30, 25, 1, 1, 2, 28, 1, 1, 1, 1]),
      monetary: Float64Array.from([9000, 8000, 20, 15, 40, 7000, 10, 12, 30, 25]),
      churned: Float64Array.from([0, 0, 1, 1, 1, 1, 1, 1, 1, 1]),
    });
    const tx = new Table({ customer_id: ["a", "b", "c", "f"], category: ["Toys", "Toys", "Books", "Home"], country: ["UK", "UK", "FR", "UK"], quantity: Float64Array.from([1, 1, 1, 1]), unit_price: Float64Array.from([10, 10, 5, 3]) });
    const labels = [0, 0, 1, 1, 1, 0, 1, 1, 1, 1];
    const { personas, table } = segmentPersonas(rfm, labels, { transactions: tx, churnColumn: "churned" });
    expect(personas[0].size).toBe(3);
    expect(personas[0].revenue_share).toBeCloseTo(24000 / 24152, 12);
    expect(personas[0].frequency_median).toBe(28);
    expect(personas[0].recency_median).toBe(3);
    expect(personas[0].churn_rate).toBeCloseTo(1 / 3, 12);
    expect(personas[0].top_categories[0]).toBe("Toys");
    expect(personas[0].top_countries).toEqual(["UK"]);
    expect(personas[0].description).toMatch(/^recent, frequent, high spenders; 30% of customers, 99% of revenue; churn 33%; mostly Toys and Home$/);
    expect(personas[1].description).toMatch(/^lapsed, one-off, low spenders; 70% of customers, 0\.6% of revenue/);
    // medians' scores: recency 3 → R 5, frequency 28 → F 5, spend 8000 → M 5 ⇒ Champions;
    // recency 260 is rank 7 of 10 → ⌈3.5⌉ = 4 → reversed R 2, FM 1 ⇒ Hibernating
    expect(personas[0].name).toBe("Champions");
    expect(personas[1].name).toBe("Hibernating");
    expect(table.numRows).toBe(2);
  });
});

describe("Ward hierarchical clustering vs scipy", () => {
  // scipy.cluster.hierarchy.linkage(X, "ward") on these 24 points
  const P = [[1.225, -1.533], [0.251, -0.341], [-0.272, -0.129], [-1.212, -0.139], [-0.519, 1.994], [0.135, -0.212], [-0.169, -0.401], [-0.633, -0.234], [4.289, -0.143], [4.575, -0.12], [4.015, 0.927], [4.327, -0.303], [3.89, 0.324], [5.161, -0.162], [3.854, 0.601], [3.468, -0.175], [0.53, 4.348], [0.055, 4.402], [-1.697, 4.613], [-0.576, 2.999], [0.166, 4.42], [-0.267, 3.354], [0.016, 3.968], [0.843, 4.448]];
  const heights = [0.11245, 0.164451, 0.173485, 0.27933, 0.290849, 0.328586, 0.33045, 0.470644, 0.477657, 0.523041, 0.5612, 0.854275, 0.936275, 0.963981, 1.117001, 1.370067, 1.396311, 1.971652, 2.632228, 2.634343, 3.288005, 11.827254, 15.494481];
  const pairs = [[17, 20], [8, 11], [1, 5], [12, 14], [2, 6], [16, 23], [9, 25], [19, 21], [7, 28], [22, 24], [10, 27], [26, 32], [13, 30], [29, 33], [15, 34], [4, 31], [3, 35], [36, 38], [0, 40], [18, 37], [39, 43], [41, 42], [44, 45]];
  const fcluster3 = [3, 3, 3, 3, 1, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1];
  it("merge heights, merge pairs and the 3-cluster cut equal scipy's", () => {
    const Z = wardLinkage(fromArrays(P));
    expect(Array.from(Z.height)).toEqual(heights.map((h) => expect.closeTo(h, 5)));
    expect(Array.from(Z.left).map((l, i) => [l, Z.right[i]])).toEqual(pairs);
    expect(Z.size[Z.size.length - 1]).toBe(24);
    expect(adjustedRandIndex(cutTree(Z, 3), fcluster3)).toBe(1);
  });
  it("refuses more rows than the documented limit and draws a dendrogram", () => {
    expect(() => wardLinkage({ data: new Float64Array(3001 * 1), rows: 3001, cols: 1 })).toThrow(/more than 3000/);
    const fig = dendrogramFigure(wardLinkage(fromArrays(P)), { truncate: 10, cutK: 3 });
    const xs = fig.data[0].x as (number | null)[];
    expect(xs.filter((x) => x === null)).toHaveLength(9); // 9 drawn merges for 10 leaves
    expect(((fig.layout!.xaxis as { ticktext: string[] }).ticktext).length).toBe(10);
  });
});

describe("Hungarian assignment and PSI", () => {
  it("matches scipy.optimize.linear_sum_assignment and brute force", () => {
    const C = [4, 1, 3, 9, 2, 0, 5, 7, 3, 2, 2, 1, 8, 6, 4, 3];
    const r = hungarian(C, 4, 4);
    expect(Array.from(r.assignment)).toEqual([1, 0, 3, 2]);
    expect(r.cost).toBe(8);
    // brute force on random 6×6
    const n = 6, M = Array.from({ length: n * n }, (_, i) => ((i * 7919) % 97) / 7);
    let best = Infinity;
    const perm = (a: number[], used: boolean[], cost: number): void => {
      if (a.length === n) { best = Math.min(best, cost); return; }
      for (let j = 0; j < n; j++) if (!used[j]) { used[j] = true; a.push(j); perm(a, used, cost + M[(a.length - 1) * n + j]); a.pop(); used[j] = false; }
    };
    perm([], new Array(n).fill(false), 0);
    expect(hungarian(M, n, n).cost).toBeCloseTo(best, 12);
  });
  it("PSI: 0 for identical samples, hand-computed value for shifted shares", () => {
    const a = Array.from({ length: 1000 }, (_, i) => i);
    expect(populationStabilityIndex(a, a)).toBe(0);
    // shares 0.5/0.5 → 0.8/0.2: (0.3·ln 1.6) + (−0.3·ln 0.4) = 0.4159
    expect(psiFromCounts([50, 50], [80, 20])).toBeCloseTo(0.3 * Math.log(1.6) - 0.3 * Math.log(0.4), 12);
    const shifted = a.map((x) => x + 300);
    expect(populationStabilityIndex(a, shifted)).toBeGreaterThan(0.25);
  });
});
