import * as v8 from "v8";
import * as vm from "vm";
import { beforeAll, describe, expect, it } from "vitest";
import { getTf, initBackend } from "../src/backend";
import { MLPClassifier, RecurrentClassifier, TransformerClassifier, modelFromJSON, Sequences } from "../src/models";
import { createRng } from "../src/util/random";
import { positiveProba } from "../src/util/estimator";
import type { Matrix } from "../src/util/matrix";

/** AUC by pair counting (independent of src/eval). */
function auc(y: ArrayLike<number>, s: ArrayLike<number>): number {
  let num = 0, pairs = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) for (let j = 0; j < y.length; j++) if (y[j] === 0) { pairs++; num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0; }
  return num / pairs;
}

// Sequences whose label is only visible in the ORDER of the steps: feature 0 = slope·(t − 3.5) + noise with the
// same mean for both classes; label = slope > 0. Feature 1 is noise.
function trendData(n: number, seed: number): { seq: Sequences; y: Float64Array } {
  const T = 8, f = 2, rng = createRng(seed);
  const data = new Float32Array(n * T * f), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.next() < 0.5 ? 1 : 0;
    const slope = (y[i] ? 1 : -1) * (0.1 + 0.2 * rng.next());
    for (let t = 0; t < T; t++) {
      data[(i * T + t) * f] = slope * (t - 3.5) + 0.3 * rng.normal();
      data[(i * T + t) * f + 1] = rng.normal();
    }
  }
  return { seq: { data, shape: [n, T, f] }, y };
}

function xorData(n: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed), X: Matrix = { data: new Float64Array(n * 2), rows: n, cols: 2 }, y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.next() * 2 - 1, b = rng.next() * 2 - 1;
    X.data[2 * i] = a; X.data[2 * i + 1] = b; y[i] = a * b > 0 ? 1 : 0;
  }
  return { X, y };
}

beforeAll(async () => { await initBackend({ backend: process.env.CUSTLAB_BACKEND ?? "wasm" }); });

describe("tfjs models", () => {
  it("MLP learns XOR (non-linear) and reports loss/val_loss each epoch", async () => {
    const tr = xorData(600, 1), te = xorData(400, 2);
    const events: { loss: number; val_loss: number }[] = [];
    const m = await new MLPClassifier({ hiddenLayers: [16, 8], epochs: 40, batchSize: 50, learningRate: 0.02, patience: 10, seed: 3 })
      .fit(tr.X, tr.y, { onProgress: (e) => events.push(e.metrics as any) });
    expect(auc(te.y, positiveProba(m, te.X))).toBeGreaterThan(0.95);
    expect(events.length).toBe(m.history_!.loss.length);
    expect(events.every((e) => Number.isFinite(e.loss) && Number.isFinite(e.val_loss))).toBe(true);
    expect(events[events.length - 1].loss).toBeLessThan(events[0].loss);
  });

  it("LSTM, GRU and Transformer learn a label carried only by step order", async () => {
    const tr = trendData(400, 11), te = trendData(200, 12);
    for (const m of [
      new RecurrentClassifier({ cell: "lstm", units: 16, epochs: 15, batchSize: 50, learningRate: 0.02, seed: 1 }),
      new RecurrentClassifier({ cell: "gru", units: 16, epochs: 15, batchSize: 50, learningRate: 0.02, seed: 1 }),
      new TransformerClassifier({ dModel: 16, heads: 2, ffDim: 32, epochs: 15, batchSize: 50, learningRate: 0.01, seed: 1 }),
    ]) {
      const t0 = Date.now();
      await m.fit(tr.seq, tr.y);
      const a = auc(te.y, positiveProba(m, te.seq));
      console.log(`${m.constructor.name} ${JSON.stringify(m.options)}: test AUC ${a.toFixed(4)}, ${m.history_!.loss.length} epochs, ${Date.now() - t0} ms`);
      expect(a, `${m.constructor.name} ${JSON.stringify(m.options)}`).toBeGreaterThan(0.9);
    }
  });

  it("same seed and backend → identical probabilities; JSON round trip is exact", async () => {
    const tr = xorData(300, 4);
    const a = await new MLPClassifier({ hiddenLayers: [8], epochs: 5, seed: 9, dropout: 0.1 }).fit(tr.X, tr.y);
    const b = await new MLPClassifier({ hiddenLayers: [8], epochs: 5, seed: 9, dropout: 0.1 }).fit(tr.X, tr.y);
    const c = await new MLPClassifier({ hiddenLayers: [8], epochs: 5, seed: 10, dropout: 0.1 }).fit(tr.X, tr.y);
    expect(Array.from(a.predictProba(tr.X))).toEqual(Array.from(b.predictProba(tr.X)));
    expect(Array.from(a.predictProba(tr.X))).not.toEqual(Array.from(c.predictProba(tr.X)));
    const back = modelFromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(Array.from(back.predictProba(tr.X))).toEqual(Array.from(a.predictProba(tr.X)));
  });

  it("refuses a second concurrent fit on the same model", async () => {
    const tr = xorData(200, 5);
    const m = new MLPClassifier({ hiddenLayers: [4], epochs: 3, seed: 1 });
    const first = m.fit(tr.X, tr.y);
    await expect(m.fit(tr.X, tr.y)).rejects.toThrow(/already running/);
    await first;
  });

  it("multiclass softmax with balanced class weights", async () => {
    const rng = createRng(8), n = 600, X: Matrix = { data: new Float64Array(n * 2), rows: n, cols: 2 }, y = new Float64Array(n);
    for (let i = 0; i < n; i++) { const c = i % 10 === 0 ? 2 : i % 2; y[i] = c; X.data[2 * i] = c + 0.3 * rng.normal(); X.data[2 * i + 1] = rng.normal(); }
    const m = await new MLPClassifier({ hiddenLayers: [8], epochs: 40, learningRate: 0.02, classWeight: "balanced", seed: 2 }).fit(X, y);
    const p = m.predictProba(X);
    expect(p.length).toBe(n * 3);
    const pred = m.predict(X);
    let ok2 = 0, n2 = 0;
    for (let i = 0; i < n; i++) if (y[i] === 2) { n2++; ok2 += pred[i] === 2 ? 1 : 0; }
    expect(ok2 / n2).toBeGreaterThan(0.8);
  });

  it("10 models in a row: tensor count returns to its start value and the heap does not grow", async () => {
    v8.setFlagsFromString("--expose_gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const tf = getTf();
    const tr = trendData(200, 21), flat = xorData(200, 22);
    const start = tf.memory().numTensors;
    let heapAfter3 = 0;
    for (let r = 0; r < 10; r++) {
      const m = r % 3 === 0 ? new MLPClassifier({ hiddenLayers: [8], epochs: 3, seed: r }) : r % 3 === 1 ? new RecurrentClassifier({ units: 8, epochs: 2, seed: r }) : new TransformerClassifier({ dModel: 8, heads: 2, ffDim: 16, epochs: 2, seed: r });
      if (m instanceof MLPClassifier) { await m.fit(flat.X, flat.y); m.predictProba(flat.X); } else { await m.fit(tr.seq, tr.y); m.predictProba(tr.seq); }
      expect(tf.memory().numTensors).toBe(start);
      if (r === 2) { gc(); heapAfter3 = process.memoryUsage().heapUsed; }
    }
    gc();
    const growth = process.memoryUsage().heapUsed - heapAfter3;
    expect(growth).toBeLessThan(20 * 1024 * 1024);
  });
});
