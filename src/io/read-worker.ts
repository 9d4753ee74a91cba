/**
 * Worker-thread entry of the parallel reader: reads the byte range of a file
 * each job names with {@link parsePart} and posts the raw columns back (typed
 * arrays moved, not copied). Kept alive between jobs by the reader's pool
 * (src/io/read-pool.ts); not for direct use.
 * @module
 */
import { parentPort } from "worker_threads";
import { parsePart } from "./reader";
import type { ColumnSpec, PartPlan, ReadOptions } from "./reader";

interface Job { file: string; specs: ColumnSpec[]; format: string; options: ReadOptions; plan: PartPlan }

async function run(job: Job): Promise<void> {
  try {
    const part = await parsePart(job.file, job.specs, job.format, job.options, job.plan);
    const transfer: ArrayBuffer[] = [part.lines.buffer as ArrayBuffer];
    for (const c of part.codes) if (c) transfer.push(c.buffer as ArrayBuffer);
    for (const c of part.nums) if (c) transfer.push(c.buffer as ArrayBuffer);
    parentPort!.postMessage({ ok: true, part }, transfer);
  } catch (e) {
    parentPort!.postMessage({ ok: false, message: (e as Error).message });
  }
}

if (parentPort) parentPort.on("message", (job: Job) => void run(job));
