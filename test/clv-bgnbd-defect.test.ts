/** Issue #15's CLV defect: BG/NBD E[X(t)] was negative whenever a + b < 1 (the sign of ₂F₁ was dropped). */
import { describe, it, expect } from "vitest";
import { BetaGeoModel } from "../src/clv/models";
import { Table } from "../src/table";
import { cumulativeTransactions } from "../src/clv/checks";
import { cumulativeTransactionsFigure } from "../src/clv/figures";

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe("defect #15: BG/NBD E[X(t)] when a + b < 1", () => {
  it("expectedPurchases is the pmf mean (2.5718), not −1.909; a = 0.3, b = 0.6 gives 1.9162, not −1.63", () => {
    const m = BetaGeoModel.fromParams({ r: 1.234, alpha: 8.38, a: 0.07855, b: 0.6163 });
    let mean = 0;
    for (let n = 0, tot = 0; n < 2000 && tot < 1 - 1e-15; n++) { const q = m.probabilityOfPurchases(n, 20); tot += q; mean += n * q; }
    // mpmath (30 digits): c/(a − 1) · [1 − (α/(α+t))^r · hyp2f1(r, b; c; t/(α+t))], c = a + b − 1
    expect(rel(m.expectedPurchases(20), 2.5718014177752005)).toBeLessThan(1e-12);
    expect(rel(m.expectedPurchases(20), mean)).toBeLessThan(1e-9);
    const m2 = BetaGeoModel.fromParams({ r: 1.234, alpha: 8.38, a: 0.3, b: 0.6 });
    expect(rel(m2.expectedPurchases(20), 1.9161757494317762)).toBeLessThan(1e-12);
  });
  it("cumulativeTransactions (and its figure) stay non-negative and non-decreasing for that model", () => {
    const day = 86_400_000, t0 = Date.parse("2020-01-01T00:00:00Z");
    const ids: string[] = [], ts: number[] = [];
    for (let c = 0; c < 30; c++) for (let j = 0; j <= c % 4; j++) { ids.push(`c${c}`); ts.push(t0 + (c * 3 + j * 40) * day); }
    const tx = new Table({ customer_id: ids, timestamp: Float64Array.from(ts) }, { timestamp: "date" });
    const m = BetaGeoModel.fromParams({ r: 1.234, alpha: 8.38, a: 0.07855, b: 0.6163 });
    const track = cumulativeTransactions(tx, m, { unit: "week" });
    expect(track.expected.length).toBeGreaterThan(20);
    for (let i = 1; i < track.expected.length; i++) expect(track.expected[i]).toBeGreaterThanOrEqual(track.expected[i - 1]);
    expect(track.expected[0]).toBeGreaterThanOrEqual(0);
    // each cohort's term is E[X(τ)], checked against the mpmath integral above via expectedPurchases
    const fig = cumulativeTransactionsFigure(track);
    expect(Math.min(...(fig.data[1].y as number[]))).toBeGreaterThanOrEqual(0);
  });
  it("E[X(t)] is continuous across a = 1 and a + b = 1 (removable 0/0 of the closed form)", () => {
    for (const [a, b] of [[1, 0.6], [0.4, 0.6], [1, 2]]) {
      const at = (aa: number) => BetaGeoModel.fromParams({ r: 1.234, alpha: 8.38, a: aa, b }).expectedPurchases(20);
      const v = at(a);
      expect(Number.isFinite(v)).toBe(true);
      // smooth: the midpoint of a ± 1e-3 differs from the value by O(1e-6 · f'')
      expect(Math.abs((at(a - 1e-3) + at(a + 1e-3)) / 2 - v)).toBeLessThan(1e-5);
      expect(Math.abs(at(a + 2e-7) - v)).toBeLessThan(1e-6);
    }
  });
});

