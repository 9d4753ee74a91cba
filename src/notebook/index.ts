/**
 * Small helpers for tslab notebooks: show a custlab Table as a sortable HTML
 * table, a Figure inline, the training backend, live training progress. Outside
 * a notebook (plain Node scripts) they print a text rendering instead, so the
 * same code runs in both places.
 * @module
 */
import * as path from "path";
import type { Table, HTMLOptions } from "../table";
import { escapeHTML } from "../table/format-html";
import { Figure, figureToHTML, plotlyBundle } from "../plot/figure";
import { throttleProgress, type ProgressCallback } from "../util/progress";
import { initBackend, backendHTML, describeBackend, BackendInfo } from "../backend";

interface TslabDisplay {
  html(s: string): void;
  markdown(s: string): void;
  text(s: string): void;
}

function jupyterModulePath(): string | null {
  try { return require.resolve("tslab/dist/jupyter.js"); } catch { return null; }
}

/**
 * True when running inside a tslab kernel cell.
 *
 * @example
 * ```ts
 * import { inNotebook } from "custlab";
 * if (!inNotebook()) console.log("running as a plain script");
 * ```
 */
export function inNotebook(): boolean {
  const p = jupyterModulePath();
  if (!p || !require.cache[p]) return false;
  return (require.cache[p]!.exports as { lastWriteDisplayData: unknown }).lastWriteDisplayData != null;
}

function tslab(): { display: TslabDisplay; newDisplay(): TslabDisplay } {
  return require("tslab");
}

/**
 * Display raw HTML (notebook) or print its text content (script).
 *
 * @example
 * ```ts
 * import { showHTML } from "custlab";
 * showHTML("<b>42</b> customers"); // rendered in tslab, "42 customers" printed in a script
 * ```
 */
export function showHTML(html: string): void {
  if (inNotebook()) tslab().display.html(html);
  else process.stdout.write(html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim() + "\n");
}

/**
 * Display Markdown (notebook) or print it (script).
 *
 * @example
 * ```ts
 * import { showMarkdown } from "custlab";
 * showMarkdown("**Churn** over the next 90 days");
 * ```
 */
export function showMarkdown(md: string): void {
  if (inNotebook()) tslab().display.markdown(md);
  else process.stdout.write(md + "\n");
}

/**
 * Show a Table: a sortable HTML table in notebooks (first `limit` rows, 20 by
 * default), Markdown in scripts.
 * @example showTable(rfm.orderBy("monetary", "desc"), { limit: 10, caption: "Top spenders" })
 */
export function showTable(t: Table, options: HTMLOptions = {}): void {
  const o = { limit: 20, sortable: true, ...options };
  if (inNotebook()) tslab().display.html(t.toHTML(o));
  else process.stdout.write((o.caption ? o.caption + "\n\n" : "") + t.toMarkdown({ limit: o.limit, digits: o.digits }) + "\n");
}

let bundleShown = false;

/**
 * The plotly bundle as a script tag, wrapped so it defines `window.Plotly`
 * even where RequireJS is on the page (classic Jupyter).
 * @example
 * ```ts
 * import { plotlyScriptTag, figureToHTML } from "custlab";
 * import * as tslab from "tslab";
 * const fig = { data: [{ type: "bar", x: ["A", "B"], y: [3, 5] }] };
 * tslab.display.html(plotlyScriptTag() + figureToHTML(fig)); // showFigure does this for you
 * ```
 */
export function plotlyScriptTag(): string {
  return `<script>(function(define, module, exports){${plotlyBundle()}\n}).call(window);</script>`;
}

/**
 * Show one or more Figures inline. The plotly bundle is inlined with the first
 * figure of the kernel session, so rendered notebooks open offline.
 * @example
 * ```ts
 * import { showFigure } from "custlab";
 * showFigure({ data: [{ type: "bar", x: ["A", "B"], y: [3, 5] }] }, { height: 300 });
 * // several at once: showFigure([fig1, fig2])
 * ```
 */
export function showFigure(fig: Figure | Figure[], options: { height?: number } = {}): void {
  const figs = Array.isArray(fig) ? fig : [fig];
  if (!inNotebook()) {
    for (const f of figs) {
      const title = (f.layout?.title as { text?: string } | string | undefined);
      process.stdout.write(`[figure: ${typeof title === "string" ? title : title?.text ?? "untitled"} — ${f.data.length} trace(s); render with saveFigures()]\n`);
    }
    return;
  }
  const parts: string[] = [];
  if (!bundleShown) { parts.push(plotlyScriptTag()); bundleShown = true; }
  for (const f of figs) parts.push(figureToHTML(f, { height: options.height }));
  tslab().display.html(parts.join("\n"));
}

/**
 * Start the training backend (if not yet) and show which one runs and why the better ones were skipped.
 *
 * @example
 * ```ts
 * import { showBackend } from "custlab";
 * const info = await showBackend(); // shows e.g. "Training backend: wasm" and why GPUs were skipped
 * info.gpu; // false on a CPU-only machine
 * ```
 */
export async function showBackend(): Promise<BackendInfo> {
  const info = await initBackend();
  if (inNotebook()) tslab().display.html(backendHTML(info));
  else process.stdout.write(describeBackend(info) + "\n");
  return info;
}

function sparkline(values: number[], width = 260, height = 60): string {
  if (values.length < 2) return "";
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const span = hi - lo || 1;
  const pts = values.map((v, i) => `${((i / (values.length - 1)) * width).toFixed(1)},${(height - ((v - lo) / span) * height).toFixed(1)}`).join(" ");
  return `<svg width="${width}" height="${height}" style="background:#f5f7fa"><polyline fill="none" stroke="#1f77b4" stroke-width="2" points="${pts}"/></svg>`;
}

/**
 * A ProgressCallback that renders live in a notebook: a progress bar, the
 * latest metrics and a loss curve, updated in place (tslab.newDisplay). In
 * scripts it falls back to a console progress line.
 * @example await model.fit(X, y, { onProgress: notebookProgress("MLP") });
 */
export function notebookProgress(title = "progress"): ProgressCallback {
  if (!inNotebook()) return require("../util/progress").consoleProgress();
  const display = tslab().newDisplay();
  return htmlProgress((html) => display.html(html), title);
}

/**
 * The live HTML display behind {@link notebookProgress}: each update is passed
 * to `update` as a small HTML block (bar, "stage done/total", metrics, loss
 * curve), at most 4 times a second, and the display always ends on the last
 * event sent (e.g. "boost 186/300" after early stopping).
 *
 * @example
 * ```ts
 * import { htmlProgress } from "custlab";
 * let html = "";
 * const onProgress = htmlProgress((h) => { html = h; }, "gbdt");
 * onProgress({ stage: "boost", done: 186, total: 300, final: true, metrics: { loss: 0.41 } });
 * ```
 */
export function htmlProgress(update: (html: string) => void, title = "progress"): ProgressCallback {
  const history: Record<string, number[]> = {};
  const start = Date.now();
  const render = throttleProgress((e) => {
    const now = Date.now();
    const pct = e.total ? Math.min(100, (100 * e.done) / e.total) : 0;
    const metrics = Object.entries(e.metrics ?? {}).map(([k, v]) => `${escapeHTML(k)} <b>${v.toPrecision(4)}</b>`).join(" · ");
    const lossKey = history.loss ? "loss" : Object.keys(history)[0];
    update(`<div style="font-family:sans-serif;font-size:13px"><b>${escapeHTML(title)}</b> — ${escapeHTML(e.stage)} ${e.done}${e.total ? "/" + e.total : ""} (${((now - start) / 1000).toFixed(1)} s)
<div style="background:#e4e7eb;width:300px;height:10px;border-radius:5px"><div style="background:#1f77b4;width:${(3 * pct).toFixed(0)}px;height:10px;border-radius:5px"></div></div>
<div>${metrics} ${escapeHTML(e.message ?? "")}</div>${lossKey ? `<div>${escapeHTML(lossKey)}:</div>${sparkline(history[lossKey])}` : ""}</div>`);
  }, 250);
  return (e) => {
    for (const [k, v] of Object.entries(e.metrics ?? {})) (history[k] ??= []).push(v);
    render(e);
  };
}

/**
 * Absolute path of a file in the project (notebooks run with cwd = notebooks/).
 *
 * @example
 * ```ts
 * import { projectPath } from "custlab";
 * const csv = projectPath("datasets", "demo", "transactions.csv"); // absolute, whatever the cwd
 * ```
 */
export function projectPath(...parts: string[]): string {
  return path.resolve(__dirname, "../..", ...parts);
}
export { listNotebooks, runNotebook, runNotebooks } from "./runner";
export type { NotebookRun, RunNotebooksOptions } from "./runner";
