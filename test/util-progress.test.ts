// Progress displays end on the last update that was sent (issue 15: "boost
// 178/300" shown when 186 rounds ran, "epoch 32/60" when 33 ran), and
// cross-validation progress carries the running mean AUC, not the last fold's.
import { describe, it, expect, beforeAll } from "vitest";
import { consoleProgress, throttleProgress, type ProgressEvent } from "../src/util/progress";
import { htmlProgress } from "../src/notebook";
import { HistGradientBoostingClassifier, LogisticRegression, MLPClassifier } from "../src/models";
import { crossValidate } from "../src/eval";
import { crossValidateSentiment } from "../src/reviews";
import { initBackend } from "../src/backend";
import { createRng } from "../src/util/random";
import type { Matrix } from "../src/util/matrix";

/** Noisy linear data: early stopping stops well before the maximum. */
function data(n: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed), X: Matrix = { data: new Float64Array(n * 3), rows: n, cols: 3 }, y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal(), b = rng.normal();
    X.data[3 * i] = a; X.data[3 * i + 1] = b; X.data[3 * i + 2] = rng.normal();
    y[i] = a + 0.5 * b + 1.5 * rng.normal() > 0 ? 1 : 0;
  }
  return { X, y };
}

/** A fake terminal that keeps what was drawn. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let out = "";
  const stream = { isTTY, columns: 120, write: (s: string) => { out += s; return true; } } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}
const lastLine = (s: string) => s.split(/[\r\n]/).map((l) => l.trim()).filter(Boolean).pop() ?? "";

describe("progress renderers keep the last update", () => {
  it("throttleProgress shows the first event, the final one, and a pending one after the interval", async () => {
    const seen: number[] = [];
    const p = throttleProgress((e) => seen.push(e.done), 50);
    for (let i = 1; i <= 186; i++) p({ stage: "boost", done: i, total: 300, final: i === 186 });
    expect(seen[0]).toBe(1);
    expect(seen[seen.length - 1]).toBe(186);
    const q: number[] = [];
    const p2 = throttleProgress((e) => q.push(e.done), 50);
    for (let i = 1; i <= 40; i++) p2({ stage: "load", done: i, total: 100 }); // no final event: shown when the interval has passed
    await new Promise((r) => setTimeout(r, 120));
    expect(q).toEqual([1, 40]);
  });

  it("gbdt with early stopping: the console line and the notebook display end on boost nIter/maxIter", () => {
    const { X, y } = data(3000, 1);
    const tty = fakeStream(true), log = fakeStream(false);
    let html = "";
    const toTTY = consoleProgress(tty.stream), toLog = consoleProgress(log.stream), toHTML = htmlProgress((h) => { html = h; }, "gbdt");
    const events: ProgressEvent[] = [];
    const m = new HistGradientBoostingClassifier({ maxIter: 300, earlyStopping: true, nIterNoChange: 5, learningRate: 0.3, seed: 42 })
      .fit(X, y, { onProgress: (e) => { events.push(e); toTTY(e); toLog(e); toHTML(e); } });
    expect(m.nIter_).toBeLessThan(300);
    expect(events.length).toBe(m.nIter_);
    expect(events[events.length - 1]).toMatchObject({ done: m.nIter_, total: 300, final: true });
    expect(events.slice(0, -1).every((e) => !e.final)).toBe(true);
    expect(lastLine(tty.text())).toMatch(new RegExp(`^boost \\[[#.]+ ${Math.floor((100 * m.nIter_) / 300)}%\\]`));
    expect(tty.text().endsWith("\n")).toBe(true);
    expect(lastLine(log.text())).toMatch(new RegExp(`^boost \\[[#.]+ ${Math.floor((100 * m.nIter_) / 300)}%\\]`));
    expect(html).toContain(`boost ${m.nIter_}/300`);
  });

  it("cross-validation progress carries the running mean AUC (and the fold's)", async () => {
    const { X, y } = data(1500, 2);
    const events: ProgressEvent[] = [];
    const cv = await crossValidate(() => new LogisticRegression({ C: 1 }), X, y, { folds: 5, seed: 42, onProgress: (e) => events.push(e) });
    const folds = Array.from(cv.table.num("auc").subarray(0, 5));
    expect(events.map((e) => e.done)).toEqual([1, 2, 3, 4, 5]);
    events.forEach((e, i) => {
      const running = folds.slice(0, i + 1).reduce((a, b) => a + b, 0) / (i + 1);
      expect(e.metrics!.mean_auc).toBeCloseTo(running, 12);
      expect(e.metrics!.fold_auc).toBeCloseTo(folds[i], 12);
    });
    expect(events[4].metrics!.mean_auc).toBeCloseTo(cv.mean.auc, 12);
    expect(folds[4]).not.toBeCloseTo(cv.mean.auc, 6); // the last fold is not the mean
  });

  it("sentiment cross-validation progress carries the running mean AUC too", async () => {
    const rng = createRng(5), good = ["great", "lovely", "perfect", "comfortable"], bad = ["awful", "terrible", "cheap", "broken"];
    const texts: string[] = [], y: number[] = [];
    for (let i = 0; i < 300; i++) {
      const pos = rng.next() < 0.5, words = pos ? good : bad, other = pos ? bad : good;
      texts.push(`the dress is ${words[i % 4]} and ${rng.next() < 0.3 ? other[(i + 1) % 4] : "fine"}`);
      y.push(pos ? 1 : 0);
    }
    const events: ProgressEvent[] = [];
    const r = await crossValidateSentiment(texts, y, { model: "lexicon", lang: "en", folds: 5, seed: 42, onProgress: (e) => events.push(e) });
    expect(events.map((e) => e.done)).toEqual([1, 2, 3, 4, 5]);
    expect(events[4].metrics!.mean_auc).toBeCloseTo(r.auc_mean, 12);
    expect(r.folds.map((f) => f.auc)).toContain(events[4].metrics!.fold_auc);
  });
});

describe("tfjs training progress", () => {
  beforeAll(async () => { await initBackend({ backend: process.env.CUSTLAB_BACKEND ?? "wasm" }); });
  it("MLP with early stopping: the display ends on epoch <epochs run>/60", async () => {
    const { X, y } = data(800, 3);
    let html = "";
    const toHTML = htmlProgress((h) => { html = h; }, "MLP");
    const events: ProgressEvent[] = [];
    const m = await new MLPClassifier({ hiddenLayers: [8], epochs: 60, patience: 3, learningRate: 0.05, seed: 1 })
      .fit(X, y, { onProgress: (e) => { events.push(e); toHTML(e); } });
    const ran = events.length;
    expect(ran).toBeLessThan(60);
    expect(m.history_!.loss.length).toBe(ran);
    expect(events[ran - 1]).toMatchObject({ stage: "epoch", done: ran, total: 60, final: true });
    expect(html).toContain(`epoch ${ran}/60`);
  }, 120_000);
  it("long epochs (≥ 100k rows) also report within the epoch: about 20 \"batch\" events with the running loss, and the same weights as without a callback", async () => {
    const { X, y } = data(110_000, 4);
    const opts = { hiddenLayers: [2], batchSize: 5000, epochs: 1, earlyStopping: false, seed: 2 };
    const events: ProgressEvent[] = [];
    const m = await new MLPClassifier(opts).fit(X, y, { onProgress: (e) => events.push(e) });
    const batches = events.filter((e) => e.stage === "batch");
    // 110,000 rows in 22 batches: an event every 2 batches, none at the epoch's end (the epoch event follows)
    expect(batches.map((e) => e.done)).toEqual(Array.from({ length: 10 }, (_, i) => 2 * (i + 1)));
    for (const e of batches) { expect(e.total).toBe(22); expect(Number.isFinite(e.metrics!.loss)).toBe(true); }
    expect(events[events.length - 1]).toMatchObject({ stage: "epoch", done: 1, total: 1 });
    const quiet = await new MLPClassifier(opts).fit(X, y);
    expect(quiet.weights_!.map((w) => Array.from(w))).toEqual(m.weights_!.map((w) => Array.from(w)));
  }, 120_000);
});
