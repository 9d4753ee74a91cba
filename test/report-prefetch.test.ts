import { describe, it, expect } from "vitest";
import { PrefetchingEngine, trackedPeriodEnds } from "../src/pipeline/prefetch";
import type { OrdersEngine } from "../src/engine/types";

// The report's prefetch queue: a prefetched call is run once, and the stage call with the same
// method and arguments gets that very result; other calls (and a second identical call) go to the engine.
function stubEngine() {
  const calls: string[] = [];
  const eng = {
    name: "duckdb",
    async purchaseTotals() { calls.push("purchaseTotals"); return { t: calls.length }; },
    async rfm(o?: unknown) { calls.push("rfm" + JSON.stringify(o ?? null)); return { r: calls.length }; },
    async basketItems(s: number) { calls.push(`basketItems ${s}`); if (s < 0) throw new Error("bad support"); return { b: s }; },
    async quality() { calls.push("quality"); return { date_max: 5 }; },
    describe() { return "stub"; },
  };
  return { calls, eng: eng as unknown as OrdersEngine };
}

describe("PrefetchingEngine", () => {
  it("hands a prefetched result to the first identical call only, and runs every other call on the engine", async () => {
    const { calls, eng } = stubEngine();
    const pe = new PrefetchingEngine(eng);
    await pe.prefetch("purchaseTotals");
    await pe.prefetch("rfm", { asOf: 10, before: 10 });
    await pe.prefetch("basketItems", 0.01);
    await pe.prefetch("basketItems", 0.01); // once
    expect(calls).toEqual(["purchaseTotals", 'rfm{"asOf":10,"before":10}', "basketItems 0.01"]);
    expect(pe.pending()).toBe(3);
    expect(await pe.engine.purchaseTotals()).toEqual({ t: 1 });
    expect(await pe.engine.rfm({ asOf: 10, before: 10 })).toEqual({ r: 2 });
    expect(await pe.engine.rfm({ asOf: 20, before: 20 })).toEqual({ r: 4 }); // not prefetched: runs now
    expect(await pe.engine.purchaseTotals()).toEqual({ t: 5 }); // taken once: runs again
    expect(await pe.engine.quality()).toEqual({ date_max: 5 }); // not a prefetchable method
    expect(pe.pending()).toBe(1);
    await pe.settle();
    expect(pe.pending()).toBe(0);
    expect(pe.engine.describe()).toBe("stub");
  });
  it("a failed prefetch fails the stage call that takes it, not the process", async () => {
    const { eng } = stubEngine();
    const pe = new PrefetchingEngine(eng);
    await pe.prefetch("basketItems", -1);
    await new Promise((r) => setTimeout(r, 5)); // rejected before anyone asks: no unhandled rejection
    await expect(pe.engine.basketItems(-1)).rejects.toThrow("bad support");
  });
  it("tracks the (up to) six last calendar quarter starts of the window, as the segments section did", () => {
    const iso = (v: number[]) => v.map((e) => new Date(e).toISOString().slice(0, 10));
    expect(iso(trackedPeriodEnds(Date.UTC(2010, 11, 1), Date.UTC(2011, 11, 9)))).toEqual(["2011-01-01", "2011-04-01", "2011-07-01", "2011-10-01"]);
    expect(iso(trackedPeriodEnds(Date.UTC(2009, 0, 1), Date.UTC(2011, 11, 9)))).toEqual(["2010-07-01", "2010-10-01", "2011-01-01", "2011-04-01", "2011-07-01", "2011-10-01"]);
    // a quarter start on the window's last day + 1 counts (filter e ≤ end + 1 day)
    expect(iso(trackedPeriodEnds(Date.UTC(2011, 0, 5), Date.UTC(2011, 5, 30)))).toEqual(["2011-04-01", "2011-07-01"]);
  });
});
