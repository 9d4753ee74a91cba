/**
 * Segment-then-predict on planted truth: in segment "A" churn rises with x0, in segment "B" it falls
 * with x0 (an interaction a single linear model cannot express, with or without a segment dummy).
 * One model per segment must win on the same folds; with no segment effect the strategies tie.
 */
import { describe, it, expect } from "vitest";
import { compareSegmentStrategies } from "../src/eval";
import { LogisticRegression } from "../src/models";
import { createRng } from "../src/util/random";
import type { Matrix } from "../src/util/matrix";

function data(interaction: boolean) {
  const r = createRng(12), n = 1200, p = 3;
  const X: Matrix = { data: new Float64Array(n * p), rows: n, cols: p }, y = new Float64Array(n), seg: string[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) X.data[i * p + j] = r.normal();
    const s = i % 3 === 0 ? "B" : "A";
    seg.push(s);
    const slope = interaction && s === "B" ? -2 : 2;
    y[i] = slope * X.data[i * p] + 0.8 * X.data[i * p + 1] + r.normal() > 0 ? 1 : 0;
  }
  return { X, y, seg };
}

describe("compareSegmentStrategies", () => {
  it("a planted segment × feature interaction: per-segment models win, on every segment", async () => {
    const { X, y, seg } = data(true);
    const r = await compareSegmentStrategies(() => new LogisticRegression(), X, y, seg);
    console.log(r.table.toMarkdown());
    expect(r.winner).toBe("per-segment");
    expect(r.pooled["per-segment"]).toBeGreaterThan(r.pooled.global + 0.1);
    expect(r.pooled["per-segment"]).toBeGreaterThan(r.pooled["global+segment"] + 0.1);
    const rows = r.table.str("segment"), st = r.table.str("strategy"), auc = r.table.num("auc");
    for (const s of ["A", "B"]) {
      const get = (k: string) => auc[rows.findIndex((v, i) => v === s && st[i] === k)];
      expect(get("per-segment"), s).toBeGreaterThan(get("global"));
    }
  });
  it("no segment effect: the three strategies score within 0.02 of each other", async () => {
    const { X, y, seg } = data(false);
    const r = await compareSegmentStrategies(() => new LogisticRegression(), X, y, seg);
    const v = Object.values(r.pooled);
    expect(Math.max(...v) - Math.min(...v)).toBeLessThan(0.02);
    await expect(compareSegmentStrategies(() => new LogisticRegression(), X, y, seg.slice(1))).rejects.toThrow(/segments 1199/);
  });
});
