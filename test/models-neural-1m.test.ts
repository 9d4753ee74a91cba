// The neural models at data size (issue 23): MLPClassifier with default options (one epoch: the
// defaults' 50-epoch budget with early stopping is the same per-epoch work) on 1,000,000 rows ×
// 20 features — the stratified validation split, batching and prediction must not spread or copy
// row lists onto the stack — learns a planted signal, and its memory stays under 2× the input matrix
// (slow tier: CUSTLAB_FAST=1 skips it).
import { describe, expect, it } from "vitest";
import { MLPClassifier } from "../src/models";
import { rocAucScore } from "../src/eval";
import { createRng } from "../src/util/random";
import type { Matrix } from "../src/util/matrix";

describe.skipIf(!!process.env.CUSTLAB_FAST)("neural models at 1M rows (slow tier)", () => {
  it("MLPClassifier, default options but one epoch, on 1,000,000 × 20 rows: trains with its validation split, predicts all rows, learns the planted signal", async () => {
    const n = 1_000_000, p = 20, rng = createRng(3);
    const X: Matrix = { data: new Float64Array(n * p), rows: n, cols: p };
    const y = new Float64Array(n), zs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let z = -0.5;
      for (let j = 0; j < p; j++) { const v = rng.normal(); X.data[i * p + j] = v; if (j < 5) z += 0.6 * v; }
      zs[i] = z;
      y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    const before = process.memoryUsage();
    const t0 = Date.now();
    const m = await new MLPClassifier({ epochs: 1 }).fit(X, y);
    const proba = m.predictProba(X);
    const after = process.memoryUsage();
    const grown = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
    const p1 = Float64Array.from({ length: 100_000 }, (_, i) => proba[2 * (n - 100_000 + i) + 1]);
    const auc = rocAucScore(y.subarray(n - 100_000), p1), planted = rocAucScore(y.subarray(n - 100_000), zs.subarray(n - 100_000));
    console.log(`MLP 1M × ${p}, 1 epoch: ${((Date.now() - t0) / 1000).toFixed(1)} s, AUC ${auc.toFixed(4)} (planted ${planted.toFixed(4)}), retained ${(grown / 1e6).toFixed(0)} MB (input ${(X.data.byteLength / 1e6).toFixed(0)} MB)`);
    expect(m.history_!.loss.length).toBe(1);
    expect(Number.isFinite(m.history_!.val_loss[0])).toBe(true);
    expect(proba.length).toBe(2 * n);
    expect(auc).toBeGreaterThan(planted - 0.01); // within 0.01 of the true logit's AUC
    expect(grown).toBeLessThan(2 * X.data.byteLength);
  });
});
