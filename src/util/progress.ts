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
  /**
   * True on the last event of a stage that ends before `total` (early
   * stopping: "boost 186/300"). Renderers always show a final event, and an
   * event with `done >= total`; other events may be rate-limited.
   */
  final?: boolean;
}

/** Whether a renderer must show this event (the last of its stage). */
function isFinal(e: ProgressEvent): boolean {
  return e.final === true || (e.total !== undefined && e.done >= e.total);
}

/**
 * Rate-limit a renderer without ever losing the latest event: an event that
 * arrives within `ms` of the last one shown is kept and shown `ms` later
 * (or at once when a final event comes), so the display always ends on the
 * last event that was sent.
 *
 * @example
 * ```ts
 * import { throttleProgress } from "custlab";
 * const onProgress = throttleProgress((e) => console.log(`${e.stage} ${e.done}/${e.total}`), 250);
 * for (let i = 1; i <= 186; i++) onProgress({ stage: "boost", done: i, total: 300, final: i === 186 }); // ends with "boost 186/300"
 * ```
 */
export function throttleProgress(render: ProgressCallback, ms: number): ProgressCallback {
  let last = -Infinity;
  let pending: ProgressEvent | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const show = (e: ProgressEvent) => {
    pending = null;
    if (timer) { clearTimeout(timer); timer = null; }
    last = Date.now();
    render(e);
  };
  return (e) => {
    if (isFinal(e) || Date.now() - last >= ms) { show(e); return; }
    pending = e;
    if (!timer) {
      timer = setTimeout(() => { timer = null; if (pending) show(pending); }, Math.max(0, ms - (Date.now() - last)));
      timer.unref?.();
    }
  };
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
  let lastPct = -1;
  let lastLine = 0;
  const start = Date.now();
  const render: ProgressCallback = (e) => {
    const now = Date.now();
    const pct = e.total ? Math.floor((100 * e.done) / e.total) : -1;
    const finished = isFinal(e);
    const elapsed = ((now - start) / 1000).toFixed(1);
    const bar = e.total ? `${"#".repeat(Math.round(pct / 5)).padEnd(20, ".")} ${pct}%` : `${e.done}`;
    const metrics = e.metrics ? Object.entries(e.metrics).map(([k, v]) => `${k} ${fmt(v)}`).join(" ") : "";
    const line = `${e.stage} [${bar}] ${e.message ?? ""} ${metrics} ${elapsed}s`.replace(/\s+/g, " ").trim();
    if (stream.isTTY) {
      stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1).padEnd(Math.min(stream.columns ?? 120, 120) - 1)}${finished ? "\n" : ""}`);
    } else {
      const step = pct < 0 ? -1 : Math.floor(pct / 10);
      if (!finished && (step === lastPct || pct < 0) && now - lastLine < 5000) return;
      lastPct = step;
      lastLine = now;
      stream.write(line + "\n");
    }
  };
  // A TTY line is redrawn at most every 100 ms; a log (not a TTY) gets one line per 10% step and the final one.
  return stream.isTTY ? throttleProgress(render, 100) : render;
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
