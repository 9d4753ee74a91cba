/**
 * Progress reporting for long work (training, mining, sampling, the report
 * pipeline). Every long-running function accepts an optional `onProgress`
 * callback; the CLI turns events into a progress line on stderr and notebooks
 * turn them into a live display (see `notebookProgress` in `custlab/notebook`).
 */
export interface ProgressEvent {
  /** What is running, e.g. "fit", "epoch", "gibbs", "stage:features". */
  stage: string;
  /** Units done so far. */
  done: number;
  /** Units in total, when known. */
  total?: number;
  /** Short human text, e.g. "loss 0.412". */
  message?: string;
  /** Numbers worth plotting live (loss, val_loss, auc...). */
  metrics?: Record<string, number>;
}

/** Callback receiving {@link ProgressEvent}s. */
export type ProgressCallback = (event: ProgressEvent) => void;

/**
 * A progress callback that writes one self-overwriting line to a stream
 * (stderr by default), rate-limited to ~10 updates per second. When the
 * stream is not a TTY it prints at most one line per 10% step.
 * @example
 * ```ts
 * import { consoleProgress } from "custlab";
 * const onProgress = consoleProgress(); // one self-overwriting line on stderr
 * onProgress({ stage: "fit", done: 3, total: 10, metrics: { loss: 0.41 } });
 * ```
 */
export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): ProgressCallback {
  let last = 0;
  let lastPct = -1;
  const start = Date.now();
  return (e) => {
    const now = Date.now();
    const pct = e.total ? Math.floor((100 * e.done) / e.total) : -1;
    const finished = e.total !== undefined && e.done >= e.total;
    const elapsed = ((now - start) / 1000).toFixed(1);
    const bar = e.total ? `${"#".repeat(Math.round(pct / 5)).padEnd(20, ".")} ${pct}%` : `${e.done}`;
    const metrics = e.metrics ? Object.entries(e.metrics).map(([k, v]) => `${k} ${fmt(v)}`).join(" ") : "";
    const line = `${e.stage} [${bar}] ${e.message ?? ""} ${metrics} ${elapsed}s`.replace(/\s+/g, " ").trim();
    if (stream.isTTY) {
      if (now - last < 100 && !finished) return;
      last = now;
      stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1).padEnd(Math.min(stream.columns ?? 120, 120) - 1)}${finished ? "\n" : ""}`);
    } else {
      const step = pct < 0 ? -1 : Math.floor(pct / 10);
      if (!finished && (step === lastPct || pct < 0) && now - last < 5000) return;
      lastPct = step;
      last = now;
      stream.write(line + "\n");
    }
  };
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toPrecision(3);
}

/**
 * A callback that ignores everything.
 *
 * @example
 * ```ts
 * import { silentProgress } from "custlab";
 * const onProgress = silentProgress; // explicit "no progress output"
 * onProgress({ stage: "fit", done: 1, total: 1 }); // does nothing
 * ```
 */
export const silentProgress: ProgressCallback = () => {};
