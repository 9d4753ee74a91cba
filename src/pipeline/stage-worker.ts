/**
 * The report's stage worker thread (started by src/pipeline/offload.ts from the compiled
 * stage-worker.js): it runs one task given as workerData — today the classes section's
 * `customerClassesFromTables` — and posts its result (or the error it threw) back once.
 * @module
 */
import { parentPort, workerData } from "worker_threads";
import { customerClassesFromTables } from "../value";
import { CustlabError } from "../util/errors";
import { tableFromMessage, tableMessage, type ClassesReply, type ClassesTask } from "./offload";

const task = workerData as ClassesTask;
let reply: ClassesReply;
try {
  const t = task.tables;
  const run = customerClassesFromTables(
    { trainFeatures: tableFromMessage(t.trainFeatures), trainLabels: tableFromMessage(t.trainLabels), features: tableFromMessage(t.features), labels: tableFromMessage(t.labels) },
    task.options,
  );
  reply = { ok: true, run: { ...run, customers: tableMessage(run.customers) } };
} catch (e) {
  reply = { ok: false, error: { code: e instanceof CustlabError ? e.code : undefined, message: e instanceof Error ? e.message : String(e), custlab: e instanceof CustlabError } };
}
parentPort!.postMessage(reply);
