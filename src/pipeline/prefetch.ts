import type { OrdersEngine } from "../engine/types";
import { calendarPeriodEnds } from "../segment";
import { DAY_MS } from "../util/numeric";

/** Engine calls the report's later stages make, which {@link prefetchLaterStages} may start early. */
const PREFETCHABLE = new Set<string>(["purchaseTotals", "rfm", "productNames", "basketItems", "purchaseDays"]);

/**
 * The report's engine with a queue of calls started ahead of need: a call whose method and
 * arguments were prefetched takes that call's promise (once), any other call goes to the engine.
 * On DuckDB each prefetched call gets a connection of its own (`fork`), so its statement runs on
 * DuckDB's threads while JavaScript fits the churn and class models (a call of several statements
 * overlaps with its first; the rest follow when JavaScript next yields); every stage still gets
 * exactly what it would have asked for itself. @internal
 */
export class PrefetchingEngine {
  private readonly started = new Map<string, Promise<unknown>>();
  /** The engine the stages call (the wrapped engine's methods, prefetched ones taken from the queue). */
  readonly engine: OrdersEngine;

  constructor(private readonly inner: OrdersEngine) {
    const started = this.started;
    this.engine = new Proxy(inner, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof prop !== "string" || typeof v !== "function") return v;
        if (!PREFETCHABLE.has(prop)) return v.bind(target);
        return (...args: unknown[]) => {
          const key = prop + JSON.stringify(args);
          const p = started.get(key);
          if (p) { started.delete(key); return p; }
          return v.apply(target, args);
        };
      },
    });
  }

  /**
   * Start `method(...args)` now — on a connection of its own where the engine can fork one (its
   * queries then run beside the others' on the engine's threads, even while JavaScript is busy) —
   * and resolve once it has been dispatched; the first stage call with the same arguments takes its result.
   */
  async prefetch<M extends keyof OrdersEngine>(method: M, ...args: unknown[]): Promise<void> {
    const key = method + JSON.stringify(args);
    if (this.started.has(key)) return;
    const forkable = this.inner as OrdersEngine & { fork?: () => Promise<OrdersEngine & { closeFork(): void }> };
    let eng: OrdersEngine & { closeFork?: () => void } = this.inner;
    if (typeof forkable.fork === "function") { try { eng = await forkable.fork(); } catch { eng = this.inner; } }
    const fn = (eng[method] as unknown as (...a: unknown[]) => Promise<unknown>).bind(eng);
    const p = fn(...args).finally(() => { if (eng !== this.inner) eng.closeFork?.(); });
    p.catch(() => undefined); // a failure surfaces in the stage that takes it (or nowhere, if none does)
    this.started.set(key, p);
  }

  /** Calls started and not (yet) taken by a stage. */
  pending(): number { return this.started.size; }

  /** Wait for every call not taken, so the engine can be closed without queries in flight. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.started.values()]);
    this.started.clear();
  }
}

/**
 * The quarter ends the segments section tracks: the last (up to) 6 calendar quarter ends of the
 * data window. One definition for the section and its prefetch. @internal
 */
export function trackedPeriodEnds(dataStart: number, dataEnd: number): number[] {
  return calendarPeriodEnds(dataStart, dataEnd, "quarterly").filter((e) => e <= dataEnd + DAY_MS).slice(-6);
}

/**
 * Start the relational work of the segments, rules and CLV sections on the engine (see
 * {@link PrefetchingEngine}): called once the churn section has its customer tables, so that
 * these queries queue behind them and run while the models are fitted.
 * @internal
 */
export async function prefetchLaterStages(pe: PrefetchingEngine, dataStart: number, dataEnd: number, clvEnd: number): Promise<void> {
  await pe.prefetch("basketItems", 0.01);
  await pe.prefetch("purchaseDays", clvEnd);
  await pe.prefetch("purchaseTotals");
  await pe.prefetch("productNames");
  for (const e of trackedPeriodEnds(dataStart, dataEnd)) await pe.prefetch("rfm", { asOf: e, before: e });
}
