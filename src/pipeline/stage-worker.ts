/**
 * The report's stage worker thread (started by src/pipeline/offload.ts from the compiled
 * stage-worker.js): it runs one task given as workerData — the classes section's
 * `customerClassesFromTables` or the rules section's `mineRules` — and posts its result (or the
 * error it threw) back once.
 * @module
 */
import { parentPort, workerData } from "worker_threads";
import { customerClassesFromTables } from "../value";
import { mineRules } from "../rules";
import { CustlabError } from "../util/errors";
import { tableFromMessage, tableMessage, type StageReply, type StageTask } from "./offload";

const task = workerData as StageTask;
let reply: StageReply;
try {
  if (task.task === "classes") {
    const t = task.tables;
    const run = customerClassesFromTables(
      { trainFeatures: tableFromMessage(t.trainFeatures), trainLabels: tableFromMessage(t.trainLabels), features: tableFromMessage(t.features), labels: tableFromMessage(t.labels) },
      task.options,
    );
    reply = { ok: true, result: { ...run, customers: tableMessage(run.customers) } };
  } else {
    reply = { ok: true, result: mineRules(task.baskets, task.options) };
  }
} catch (e) {
  reply = { ok: false, error: { code: e instanceof CustlabError ? e.code : undefined, message: e instanceof Error ? e.message : String(e), custlab: e instanceof CustlabError } };
}
parentPort!.postMessage(reply);
