/**
 * The report's classes section fits its model, and the rules section mines its baskets, on worker
 * threads (src/pipeline/offload.ts) while the churn stage fits its own models: the worker must give
 * exactly what the function gives on the main thread (same tables, same seed → the same probabilities
 * bit for bit, the same report; the same rules and counts), and the same one-line CustlabError where
 * the function throws one. On the demo shop's customer tables and baskets.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { openEngine, type OrdersEngine } from "../src/engine";
import { customerClassesFromTables, type CustomerClassTables } from "../src/value";
import { classesOffThread, rulesOffThread } from "../src/pipeline/offload";
import { labelBasketItems, mineRules, numRules } from "../src/rules";
import { CustlabError } from "../src/util/errors";

const demo = path.resolve(__dirname, "../datasets/demo/transactions.csv");
const worker = path.resolve(__dirname, "../dist/pipeline/stage-worker.js");
const DAY = 86_400_000, H = 90;

describe.skipIf(!fs.existsSync(demo))("classes fit on a worker thread", () => {
  // The report's customer tables: the engine's features and labels at cutoff − H and at the cutoff.
  const at = async (cutoff: number): Promise<CustomerClassTables> => {
    const train = cutoff - H * DAY;
    const f0 = await eng.features({ cutoff: train }), f1 = await eng.features({ cutoff });
    return { trainFeatures: f0, trainLabels: await eng.labels(f0, { cutoff: train, horizonDays: H }), features: f1, labels: await eng.labels(f1, { cutoff, horizonDays: H }) };
  };
  let eng: OrdersEngine;
  beforeAll(async () => {
    eng = await openEngine("memory");
    await eng.loadFile(demo, { format: "custlab" });
  }, 120_000);
  afterAll(async () => { await eng?.close(); });

  it.skipIf(!fs.existsSync(worker))("equals the main thread's run bit for bit (a seed other than the default)", async () => {
    for (const [day, seed] of [["2024-09-01", 7]] as const) {
      const cutoff = Date.parse(`${day}T00:00:00Z`);
      const tables = await at(cutoff);
      const options = { cutoff, horizonDays: H, model: "gbdt" as const, seed };
      const inline = customerClassesFromTables(tables, options);
      const off = await classesOffThread(tables, options);
      expect(off, "the compiled worker ran").not.toBeNull();
      expect(Array.from(off!.proba)).toEqual(Array.from(inline.proba));
      expect(Array.from(off!.yPred)).toEqual(Array.from(inline.yPred));
      expect(Array.from(off!.yTrue)).toEqual(Array.from(inline.yTrue));
      expect(off!.report).toEqual(inline.report);
      expect(off!.aucPerClass).toEqual(inline.aucPerClass);
      expect(off!.top2Accuracy).toBe(inline.top2Accuracy);
      expect(off!.classes).toEqual(inline.classes);
      expect(off!.customers.columnNames()).toEqual(inline.customers.columnNames());
      for (const c of inline.customers.columnNames()) expect(Array.from(off!.customers.get(c) as ArrayLike<unknown>), c).toEqual(Array.from(inline.customers.get(c) as ArrayLike<unknown>));
      expect(inline.report.accuracy).toBeGreaterThan(0.25); // a real model, not an empty run
    }
  }, 120_000);

  it.skipIf(!fs.existsSync(worker))("rejects with the function's own CustlabError (code and message)", async () => {
    const cutoff = Date.parse("2024-09-01T00:00:00Z");
    const t = await at(cutoff);
    const code = t.trainLabels.num("class_code");
    const keep = Int32Array.from(code.keys()).filter((i) => code[i] === code[0]);
    const bad: CustomerClassTables = { ...t, trainFeatures: t.trainFeatures.take(keep), trainLabels: t.trainLabels.take(keep) };
    const options = { cutoff, horizonDays: H, model: "gbdt" as const };
    let inline: unknown;
    try { customerClassesFromTables(bad, options); } catch (e) { inline = e; }
    expect(inline).toBeInstanceOf(CustlabError);
    const off = await classesOffThread(bad, options).then(() => null, (e: unknown) => e);
    expect(off).toBeInstanceOf(CustlabError);
    expect((off as CustlabError).code).toBe((inline as CustlabError).code);
    expect((off as CustlabError).message).toBe((inline as CustlabError).message);
  }, 60_000);

  it.skipIf(!fs.existsSync(worker))("mines the same rules as the main thread, at two supports", async () => {
    for (const minSupport of [0.001, 0.01]) {
      const b = labelBasketItems(await eng.basketItems(minSupport), await eng.productNames());
      const options = { minSupport, minConfidence: 0.1, maxLen: 4, mode: "arules" as const, minLen: 2 };
      const inline = mineRules(b, options);
      const off = await rulesOffThread(b, options);
      expect(off, "the compiled worker ran").not.toBeNull();
      if (minSupport === 0.001) expect(numRules(inline.rules)).toBeGreaterThanOrEqual(10); // real rules (10 on the demo), not an empty set
      expect(numRules(off!.rules)).toBe(numRules(inline.rules));
      expect(off!.rules).toEqual(inline.rules);
      expect({ ...off!.itemsets, seconds: 0 }).toEqual({ ...inline.itemsets, seconds: 0 }); // all but the timing
    }
  }, 60_000);
});
