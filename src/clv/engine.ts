import { Table } from "../table";
import { CustlabError } from "../util/errors";
import type { OrdersEngine } from "../engine/types";
import { CLV_DAY_MS, calibrationAndHoldout, clvEpochMs, summaryFromTransactions } from "./summary";
import type { CLVDateLike, CLVSummary, CLVSummaryOptions } from "./summary";

/** Options of {@link clvSummaryFromEngine}: those of `summaryFromTransactions`, plus a calibration end. */
export interface EngineCLVSummaryOptions extends CLVSummaryOptions {
  /** Last day of the calibration period: a calibration/holdout summary (as `calibrationAndHoldout`). */
  calibrationEnd?: CLVDateLike;
}

/**
 * The buy-till-you-die summary (`frequency`, `recency`, `T`, `monetary`, …) of
 * the orders an engine holds: the engine merges purchase lines per customer
 * and UTC day (`purchaseDays`, the row-level work), and the same
 * `summaryFromTransactions` / `calibrationAndHoldout` as the memory path
 * builds the summary from those days, so every engine gives the memory
 * engine's summary (bit-identical on duckdb up to its exact-sum limit, within
 * rounding on ClickHouse). Purchases merged per day only (`merge: "day"`).
 *
 * @example
 * const eng = await openEngine("duckdb");
 * await eng.loadFile("datasets/demo/transactions.csv", { format: "custlab" });
 * const s = await clvSummaryFromEngine(eng, { unit: "week" });
 * new BetaGeoModel().fit(s).params;
 */
export async function clvSummaryFromEngine(engine: OrdersEngine, options: EngineCLVSummaryOptions = {}): Promise<CLVSummary> {
  if ((options.merge ?? "day") !== "day") throw new CustlabError("E_OPTION", `CLV summary on the ${engine.name} engine: purchases are merged per day (merge "day"); merge "${String(options.merge)}" needs the memory engine`);
  let end: number;
  if (options.observationEnd !== undefined) end = Math.floor(clvEpochMs(options.observationEnd, "observationEnd") / CLV_DAY_MS) * CLV_DAY_MS + CLV_DAY_MS - 1;
  else {
    end = (await engine.quality()).date_max;
    if (!Number.isFinite(end)) throw new CustlabError("E_EMPTY", "CLV summary: no transactions with a valid timestamp");
  }
  const days = await engine.purchaseDays(end);
  // One row per purchase day, worth its day's value: the summary merges nothing further.
  const tx = new Table({ customer_id: days.str("customer_id"), timestamp: days.num("day"), quantity: new Float64Array(days.numRows).fill(1), unit_price: days.num("value") });
  const o = { ...options, observationEnd: end };
  return options.calibrationEnd !== undefined ? calibrationAndHoldout(tx, { ...o, calibrationEnd: options.calibrationEnd }) : summaryFromTransactions(tx, o);
}
