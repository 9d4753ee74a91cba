/**
 * Worker thread for `crossValidateSentiment`: receives the texts, labels,
 * fold ids and model spec once (workerData); then `{ count: b }` (count the
 * texts for vectoriser b, answered `{ count: b, corpus }`), `{ corpus }` (the
 * counts every fold reads) and a fold number per message, answered
 * `{ f, p, seconds }` (or `{ f, error }` / `{ count, error }`).
 * @module
 */
import { parentPort, workerData } from "worker_threads";
import { tfidfFoldCorpus, tfidfFoldProba, TfidfFoldSpec } from "./cv-fold";
import type { TermCounts } from "../text/tfidf";

const { texts, y, fold, spec } = workerData as { texts: string[]; y: Int32Array; fold: Int32Array; spec: TfidfFoldSpec };
let corpus: TermCounts[] = [];
parentPort!.on("message", (m: number | { count: number } | { corpus: TermCounts[] }) => {
  if (typeof m === "object" && "corpus" in m) { corpus = m.corpus; return; }
  if (typeof m === "object") {
    try {
      parentPort!.postMessage({ count: m.count, corpus: tfidfFoldCorpus(texts, spec, m.count) });
    } catch (e) {
      parentPort!.postMessage({ count: m.count, error: e instanceof Error ? e.message : String(e) });
    }
    return;
  }
  const f = m, t0 = Date.now();
  try {
    const p = tfidfFoldProba(corpus, y, fold, f, spec);
    parentPort!.postMessage({ f, p, seconds: (Date.now() - t0) / 1000 }, [p.buffer]);
  } catch (e) {
    parentPort!.postMessage({ f, error: e instanceof Error ? e.message : String(e) });
  }
});
