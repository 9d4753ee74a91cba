import * as fs from "fs";
import { writeFileAtomic } from "../util/output";
import * as os from "os";
import * as path from "path";
import { spawn } from "child_process";
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";

/** Outcome of executing one notebook. */
export interface NotebookRun {
  /** Notebook file name, e.g. "01-data-cleaning.ipynb". */
  notebook: string;
  ok: boolean;
  seconds: number;
  /** Rendered HTML with code (when ok). */
  html?: string;
  /** Reader version with code hidden (when ok). */
  readerHtml?: string;
  /** Last lines of nbconvert's output when it failed (the cell error, type error...). */
  error?: string;
}

/** Options for {@link runNotebooks}. */
export interface RunNotebooksOptions {
  /** Folder holding the .ipynb files (default: the project's notebooks/). */
  dir?: string;
  /** Output folder for rendered HTML (default: the project's reports/). */
  out?: string;
  /** Only notebooks whose name contains one of these strings. */
  only?: string[];
  /** Notebooks executed at once (default 2). */
  concurrency?: number;
  /** Per-cell timeout in seconds (default 600). */
  cellTimeout?: number;
  /** Extra environment for the kernels (e.g. CUSTLAB_DATASET). */
  env?: Record<string, string>;
  /** Also write a reader version with code hidden (default true). */
  reader?: boolean;
  onProgress?: ProgressCallback;
}

function root(): string {
  return path.resolve(__dirname, "../..");
}

function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, cwd });
    let output = "";
    p.stdout.on("data", (d) => (output += d));
    p.stderr.on("data", (d) => (output += d));
    p.on("close", (code) => resolve({ code: code ?? 1, output }));
    p.on("error", (e) => resolve({ code: 127, output: String(e) }));
  });
}

/**
 * Make an nbconvert page self-contained: drop the script tags that point at
 * RequireJS/MathJax files outside the page (Debian's nbconvert links
 * file:///usr/share/javascript/…, other installs link a CDN). custlab pages
 * need neither: figures carry the plotly bundle inline.
 */
function selfContain(html: string): string {
  return html.replace(/<script[^>]*\ssrc="(?:file:|https?:)[^"]*(?:require|mathjax)[^"]*"[^>]*>\s*<\/script>/gi, "");
}

/**
 * The notebooks in a folder, sorted by name.
 *
 * @example
 * ```ts
 * import { listNotebooks } from "custlab";
 * listNotebooks(); // ["01-data-cleaning.ipynb", "02-feature-engineering.ipynb", …] (file names, sorted)
 * ```
 */
export function listNotebooks(dir = path.join(root(), "notebooks")): string[] {
  if (!fs.existsSync(dir)) throw new CustlabError("E_NOT_FOUND", `no notebooks folder at ${dir}`);
  return fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb") && !f.startsWith(".")).sort();
}

/**
 * Execute one notebook with the tslab kernel and render it to HTML (with code, and a reader version without).
 *
 * @example
 * ```ts
 * import { runNotebook } from "custlab";
 * const r = await runNotebook("notebooks/01-data-cleaning.ipynb", { out: "reports", env: { CUSTLAB_DATASET: "demo" } });
 * if (!r.ok) console.error(r.error);
 * ```
 */
export async function runNotebook(file: string, o: RunNotebooksOptions = {}): Promise<NotebookRun> {
  const out = o.out ?? path.join(root(), "reports");
  fs.mkdirSync(out, { recursive: true });
  const name = path.basename(file, ".ipynb");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-nb-"));
  const env = { ...process.env, DOTENV_CONFIG_QUIET: "true", PYDEVD_DISABLE_FILE_VALIDATION: "1", ...(o.env ?? {}) };
  const t0 = Date.now();
  const cwd = path.dirname(path.resolve(file));
  const r = await exec("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=tslab",
    `--ExecutePreprocessor.timeout=${o.cellTimeout ?? 600}`, "--output-dir", tmp, "--output", name, path.resolve(file)], env, cwd);
  const executed = path.join(tmp, name + ".ipynb");
  if (r.code !== 0 || !fs.existsSync(executed)) {
    const at = r.output.indexOf("CellExecutionError");
    const text = at >= 0 ? r.output.slice(at) : r.output;
    const lines = text.split("\n").filter((l) => !/Debugger warning|frozen modules|PYDEVD|Xfrozen_modules|Debugging will proceed/.test(l));
    return { notebook: path.basename(file), ok: false, seconds: (Date.now() - t0) / 1000, error: lines.slice(0, 60).join("\n") };
  }
  // Rendered in the temporary folder, then put in place atomically (a reader never sees half a page).
  const html = path.join(out, name + ".html");
  const h = await exec("jupyter", ["nbconvert", "--to", "html", "--output-dir", tmp, "--output", name, executed], env, cwd);
  let readerHtml: string | undefined;
  if (o.reader !== false) {
    await exec("jupyter", ["nbconvert", "--to", "html", "--no-input", "--no-prompt", "--output-dir", tmp, "--output", name + ".reader", executed], env, cwd);
    readerHtml = path.join(out, name + ".reader.html");
  }
  for (const f of [html, readerHtml]) {
    const rendered = f && path.join(tmp, path.basename(f));
    if (rendered && fs.existsSync(rendered)) writeFileAtomic(f!, selfContain(fs.readFileSync(rendered, "utf8")), "the rendered notebook");
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return { notebook: path.basename(file), ok: h.code === 0, seconds: (Date.now() - t0) / 1000, html, readerHtml, error: h.code === 0 ? undefined : h.output.slice(-2000) };
}

/**
 * Execute every notebook (a few at a time) and render them to `out`, plus an index.html linking them.
 *
 * @example
 * ```ts
 * import { runNotebooks, consoleProgress } from "custlab";
 * const runs = await runNotebooks({ out: "reports", concurrency: 2, onProgress: consoleProgress() });
 * console.log(runs.filter((r) => !r.ok).map((r) => r.notebook)); // failed ones
 * ```
 */
export async function runNotebooks(o: RunNotebooksOptions = {}): Promise<NotebookRun[]> {
  const dir = o.dir ?? path.join(root(), "notebooks");
  const out = o.out ?? path.join(root(), "reports");
  let files = listNotebooks(dir);
  if (o.only?.length) files = files.filter((f) => o.only!.some((s) => f.includes(s)));
  const results: NotebookRun[] = new Array(files.length);
  let next = 0, done = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await runNotebook(path.join(dir, files[i]), o);
      done++;
      o.onProgress?.({ stage: "notebooks", done, total: files.length, message: `${files[i]} ${results[i].ok ? "ok" : "FAILED"} ${results[i].seconds.toFixed(0)}s` });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 2, files.length)) }, worker));
  const items = results.map((r) => {
    const base = r.notebook.replace(/\.ipynb$/, "");
    return r.ok
      ? `<li><a href="${base}.reader.html">${base}</a> (<a href="${base}.html">with code</a>, ${r.seconds.toFixed(0)} s)</li>`
      : `<li>${base}: <b>failed</b></li>`;
  });
  writeFileAtomic(path.join(out, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><title>custlab reports</title></head><body style="font-family:sans-serif;max-width:800px;margin:2rem auto"><h1>custlab — rendered notebooks</h1><p>Generated ${new Date().toISOString()} by <code>npm run main</code>.</p><ol>${items.join("")}</ol></body></html>\n`, "the notebook index");
  return results;
}
