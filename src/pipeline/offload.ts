/**
 * Report work that runs on a worker thread of its own while the main thread goes on with the next
 * stages (the machine's other core): the class model's fit starts as soon as the churn stage has its
 * customer tables and is taken by the classes section. The worker runs the same library function
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
export interface ClassesTask {
  task: "classes";
  tables: Record<keyof CustomerClassTables, TableMessage>;
  options: CustomerClassOptions;
}

/** The stage worker's answer: the run (its customer table as a message) or the error it threw. @internal */
export type ClassesReply =
  | { ok: true; run: Omit<CustomerClassRun, "customers"> & { customers: TableMessage } }
  | { ok: false; error: { code?: string; message: string; custlab: boolean } };

/** The compiled stage worker next to this module (dist/pipeline), or in dist/ beside src/; null when absent. */
function workerPath(): string | null {
  for (const c of [path.join(__dirname, "stage-worker.js"), path.join(__dirname, "..", "..", "dist", "pipeline", "stage-worker.js")]) {
    if (fs.existsSync(c)) return c;
  }
  return null;
}

/**
 * Start `customerClassesFromTables(tables, options)` on a worker thread. Resolves to its run, rejects
 * with the CustlabError it threw (the same one-line error as on the main thread), and resolves to
 * null when no worker could run it (no compiled worker, the thread failed or died): the caller then
 * runs the function itself. @internal
 */
export function classesOffThread(tables: CustomerClassTables, options: CustomerClassOptions): Promise<CustomerClassRun | null> {
  const script = workerPath();
  if (!script) return Promise.resolve(null);
  const task: ClassesTask = {
    task: "classes",
    tables: { trainFeatures: tableMessage(tables.trainFeatures), trainLabels: tableMessage(tables.trainLabels), features: tableMessage(tables.features), labels: tableMessage(tables.labels) },
    options,
  };
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try { worker = new Worker(script, { workerData: task }); } catch { resolve(null); return; }
    let done = false;
    const finish = (f: () => void) => { if (done) return; done = true; worker.removeAllListeners(); void worker.terminate(); f(); };
    worker.on("message", (m: ClassesReply) => finish(() => {
      if (m.ok) resolve({ ...m.run, customers: tableFromMessage(m.run.customers) });
      else if (m.error.custlab) reject(new CustlabError(m.error.code ?? "E_MODEL", m.error.message));
      else resolve(null); // an unexpected failure: the main thread runs it and reports it itself
    }));
    worker.on("error", () => finish(() => resolve(null)));
    worker.on("exit", () => finish(() => resolve(null)));
  });
}
