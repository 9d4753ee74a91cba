/**
 * Reader threads kept between reads. A fresh worker thread spends its first
 * few hundred milliseconds starting up and compiling the parser, so the
 * parallel reader reuses idle workers (warm, compiled) for later files. Idle
 * workers are `unref`'d and never keep the process alive; a worker that
 * fails is dropped. {@link closeReadWorkers} ends them at once.
 * @module
 */
import { Worker } from "worker_threads";

interface PooledWorker {
  worker: Worker;
  /** Jobs this worker has finished (0 = cold: still to compile the parser). */
  jobs: number;
  /** Resolves the running job (null = failure). */
  settle: ((m: unknown) => void) | null;
}

const idle: PooledWorker[] = [];
const all = new Set<PooledWorker>();

function spawn(script: string): PooledWorker {
  const pw: PooledWorker = { worker: new Worker(script), jobs: 0, settle: null };
  const fail = () => {
    all.delete(pw);
    const i = idle.indexOf(pw);
    if (i >= 0) idle.splice(i, 1);
    const s = pw.settle; pw.settle = null;
    s?.(null);
  };
  pw.worker.on("message", (m: unknown) => {
    const s = pw.settle; pw.settle = null;
    pw.jobs++;
    pw.worker.unref();
    if (all.has(pw)) idle.push(pw);
    s?.(m);
  });
  pw.worker.on("error", fail);
  pw.worker.on("exit", fail);
  pw.worker.unref();
  all.add(pw);
  return pw;
}

/** A reader worker for `script` (an idle warm one when available, else a new one); give it back with `run` (returns it when the job ends) or `release`. */
export function acquireReadWorker(script: string): { warm: boolean; run: (job: unknown) => Promise<unknown>; release: () => void } {
  let pw: PooledWorker | undefined;
  while ((pw = idle.pop()) && !all.has(pw)) { /* dropped while idle */ }
  if (!pw) pw = spawn(script);
  const p = pw;
  return {
    warm: p.jobs > 0,
    run: (job: unknown) => new Promise<unknown>((resolve) => {
      p.settle = resolve;
      p.worker.ref(); // keep the process alive while the job runs
      p.worker.postMessage(job);
    }),
    release: () => { if (all.has(p)) idle.push(p); },
  };
}

/**
 * End the reader threads kept for reuse (idle ones at once, busy ones after
 * their part). Useful in long-running services that read one large file and
 * want the memory back; scripts need not call it.
 *
 * @example
 * await loadTransactions("big.csv", { format: "online-retail" });
 * closeReadWorkers();
 */
export function closeReadWorkers(): void {
  for (const pw of [...all]) { all.delete(pw); void pw.worker.terminate(); }
  idle.length = 0;
}
