/**
 * Worker-thread entry of the parallel reader: reads one byte range of a file
 * with {@link parsePart} and posts the raw columns back (typed arrays moved,
 * not copied). Started by `readColumns` for large files; not for direct use.
 * @module
 */
import { parentPort, workerData } from "worker_threads";
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

if (parentPort && workerData) void run(workerData as Job);
