import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";

/**
 * Worker threads of one compiled worker module, kept warm between fits
 * (unref'd: they never keep the process alive). The module is looked up next
 * to the calling module in dist/, or in dist/ beside src/ (tests run src/).
 *
 * @example
 * const pool = new WarmWorkers(__dirname, "segment", "kmeans-worker.js");
 * if (pool.path() !== null) { const w = pool.take(); pool.give(w); }
 * pool.close();
 */
export class WarmWorkers {
  private file: string | null | undefined;
  private readonly idle: Worker[] = [];
  constructor(private readonly dir: string, private readonly distFolder: string, private readonly fileName: string) {}

  /** The compiled worker module, or null when absent (then the callers run on one thread). */
  path(): string | null {
    if (this.file === undefined) {
      this.file = null;
      for (const c of [path.join(this.dir, this.fileName), path.join(this.dir, "..", "..", "dist", this.distFolder, this.fileName)]) {
        if (fs.existsSync(c)) { this.file = c; break; }
      }
    }
    return this.file;
  }

  /** An idle worker, or a new one. */
  take(): Worker {
    const w = this.idle.pop();
    if (w) return w;
    const worker = new Worker(this.path()!);
    worker.unref();
    const drop = () => { const i = this.idle.indexOf(worker); if (i >= 0) this.idle.splice(i, 1); };
    worker.on("error", drop);
    worker.on("exit", drop);
    return worker;
  }

  /** Put a worker back for the next fit. */
  give(w: Worker): void { this.idle.push(w); }

  /** End the idle workers. */
  close(): void {
    for (const w of this.idle.splice(0)) void w.terminate();
  }
}
