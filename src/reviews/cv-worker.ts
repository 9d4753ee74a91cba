/**
 * Worker thread for `crossValidateSentiment`: receives the counted corpus, labels,
 * fold ids and model spec once (workerData), then a fold number per message,
 * and answers `{ f, p, seconds }` (or `{ f, error }`).
 * @module
 */
import { parentPort, workerData } from "worker_threads";
import { tfidfFoldProba, TfidfFoldSpec } from "./cv-fold";
import type { TermCounts } from "../text/tfidf";

const { corpus, y, fold, spec } = workerData as { corpus: TermCounts[]; y: Int32Array; fold: Int32Array; spec: TfidfFoldSpec };
parentPort!.on("message", (f: number) => {
  const t0 = Date.now();
  try {
    const p = tfidfFoldProba(corpus, y, fold, f, spec);
    parentPort!.postMessage({ f, p, seconds: (Date.now() - t0) / 1000 }, [p.buffer]);
  } catch (e) {
    parentPort!.postMessage({ f, error: e instanceof Error ? e.message : String(e) });
  }
});
