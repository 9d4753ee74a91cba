import { describe, it, expect } from "vitest";
import { Table } from "../src/table";
import { createRng } from "../src/util/random";
import { crossValidate, rocAucScore, f1Score } from "../src/eval";
import { orderAnomalies, customerAnomalies } from "../src/models";
import { LogisticRegression } from "../src/models";

describe("order and customer anomalies", () => {
  it("a bulk reseller order, and a reseller-like customer, rank at the top", () => {
    const rng = createRng(4);
    const rows: [string, string, number, string, number, number][] = [];
    const day = 86_400_000, t0 = Date.parse("2024-01-01T00:00:00Z");
    for (let o = 0; o < 600; o++) {
      const c = `c${rng.int(150)}`, t = t0 + rng.int(300) * day + rng.int(20) * 3_600_000;
      const lines = 1 + rng.int(3);
      for (let l = 0; l < lines; l++) rows.push([c, `o${o}`, t, `p${rng.int(40)}`, 1 + rng.int(3), 5 + rng.next() * 20]);
    }
    // bulk reseller: one order with 40 lines of 200 units each
    for (let l = 0; l < 40; l++) rows.push(["reseller", "bulk1", t0 + 10 * day, `p${l}`, 200, 3]);
    const tx = new Table({
      customer_id: rows.map((r) => r[0]), order_id: rows.map((r) => r[1]), timestamp: Float64Array.from(rows, (r) => r[2]),
      product_id: rows.map((r) => r[3]), quantity: Float64Array.from(rows, (r) => r[4]), unit_price: Float64Array.from(rows, (r) => r[5]),
    }, { timestamp: "date" });
    const a = orderAnomalies(tx, { seed: 1, contamination: 0.01 });
    expect(a.str("order_id")[0]).toBe("bulk1");
    expect(a.num("anomaly")[0]).toBe(1);
    const f = new Table({ customer_id: ["a", "b", "c", "d", "e", "f", "g", "h", "big"], frequency: Float64Array.from([3, 4, 2, 5, 3, 4, 3, 2, 300]), monetary: Float64Array.from([100, 120, 80, 150, 90, 110, 95, 85, 90000]) });
    const ca = customerAnomalies(f, { seed: 2 });
    const top = ca.orderBy("anomaly_score", "desc").str("customer_id")[0];
    expect(top).toBe("big");
  });
});

describe("multiclass cross-validation (customer classes)", () => {
  it("one-vs-rest AUC and macro F1 from out-of-fold probabilities", async () => {
    const rng = createRng(8);
    const n = 600, p = 3;
    const X = { data: new Float64Array(n * p), rows: n, cols: p };
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = rng.int(3);
      y[i] = k;
      for (let j = 0; j < p; j++) X.data[i * p + j] = rng.normal() + (j === k ? 1.5 : 0);
    }
    const cv = await crossValidate(() => new LogisticRegression(), X, y, { folds: 3, seed: 1 });
    expect(cv.numClasses).toBe(3);
    expect(cv.oof.length).toBe(n * 3);
    // pooled check against the metric functions on the out-of-fold matrix
    const pred = Float64Array.from({ length: n }, (_, i) => { let b = 0; for (let c = 1; c < 3; c++) if (cv.oof[i * 3 + c] > cv.oof[i * 3 + b]) b = c; return b; });
    const pooledAuc = rocAucScore(y, cv.oof, { numClasses: 3 });
    expect(Math.abs(pooledAuc - cv.mean.auc)).toBeLessThan(0.02);
    expect(cv.mean.auc).toBeGreaterThan(0.8);
    expect(Math.abs(f1Score(y, pred, { average: "macro" }) - cv.mean.f1_macro)).toBeLessThan(0.03);
  });
});
