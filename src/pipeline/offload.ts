/**
 * Report work that runs on a worker thread of its own while the main thread goes on with the next
 * stages (the machine's other core): the class model's fit and the rules section's mining start as
 * soon as the churn stage has its customer tables (and the baskets have come back) and are taken by
 * their sections. The worker runs the same library function
 * on the same tables (same seed → same output); where no compiled worker exists (sources run
 * through tsx without a build) or the thread fails, the section runs it on the main thread.
 * @module
 */
import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";
import { Table } from "../table";
import type { ColumnData, ColumnKind } from "../table/types";
import { CustlabError } from "../util/errors";
import type { CustomerClassOptions, CustomerClassRun, CustomerClassTables } from "../value";
import type { Baskets, MineRulesOptions, MineRulesResult } from "../rules";

/** A table as a worker message: its columns (typed arrays and string arrays clone as they are) and kinds. @internal */
export interface TableMessage { cols: Record<string, ColumnData>; kinds: Record<string, ColumnKind> }

/** @internal */
export function tableMessage(t: Table): TableMessage {
  const cols: Record<string, ColumnData> = {};
  for (const n of t.columnNames()) cols[n] = t.get(n);
  return { cols, kinds: t.kinds() };
}

/** @internal */
export function tableFromMessage(m: TableMessage): Table {
  return new Table(m.cols, m.kinds);
}

/** What the stage worker is asked to do (one task per thread). @internal */
export type StageTask =
  | { task: "classes"; tables: Record<keyof CustomerClassTables, TableMessage>; options: CustomerClassOptions }
  | { task: "rules"; baskets: Baskets; options: MineRulesOptions };

/** The stage worker's answer: the task's result (tables as messages) or the error it threw. @internal */
export type StageReply =
  | { ok: true; result: unknown }
  | { ok: false; error: { code?: string; message: string; custlab: boolean } };

/** The compiled stage worker next to this module (dist/pipeline), or in dist/ beside src/; null when absent. */
function workerPath(): string | null {
  for (const c of [path.join(__dirname, "stage-worker.js"), path.join(__dirname, "..", "..", "dist", "pipeline", "stage-worker.js")]) {
    if (fs.existsSync(c)) return c;
  }
  return null;
}

/**
 * Run one task on a stage worker thread. Resolves to its result (through `decode`), rejects with the
 * CustlabError it threw (the same one-line error as on the main thread), and resolves to null when no
 * worker could run it (no compiled worker, the thread failed or died): the caller then runs it itself.
 */
function offThread<T>(task: StageTask, decode: (result: any) => T): Promise<T | null> {
  const script = workerPath();
  if (!script) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try { worker = new Worker(script, { workerData: task }); } catch { resolve(null); return; }
    let done = false;
    const finish = (f: () => void) => { if (done) return; done = true; worker.removeAllListeners(); void worker.terminate(); f(); };
    worker.on("message", (m: StageReply) => finish(() => {
      if (m.ok) resolve(decode(m.result));
      else if (m.error.custlab) reject(new CustlabError(m.error.code ?? "E_MODEL", m.error.message));
      else resolve(null); // an unexpected failure: the main thread runs it and reports it itself
    }));
    worker.on("error", () => finish(() => resolve(null)));
    worker.on("exit", () => finish(() => resolve(null)));
  });
}

/** `customerClassesFromTables(tables, options)` on a worker thread (see {@link offThread}; null: run it yourself). @internal */
export function classesOffThread(tables: CustomerClassTables, options: CustomerClassOptions): Promise<CustomerClassRun | null> {
  const msg = { trainFeatures: tableMessage(tables.trainFeatures), trainLabels: tableMessage(tables.trainLabels), features: tableMessage(tables.features), labels: tableMessage(tables.labels) };
  return offThread({ task: "classes", tables: msg, options }, (r: Omit<CustomerClassRun, "customers"> & { customers: TableMessage }) => ({ ...r, customers: tableFromMessage(r.customers) }));
}

/** `mineRules(baskets, options)` on a worker thread (see {@link offThread}; null: run it yourself). @internal */
export function rulesOffThread(baskets: Baskets, options: MineRulesOptions): Promise<MineRulesResult | null> {
  return offThread({ task: "rules", baskets, options }, (r: MineRulesResult) => r);
}
