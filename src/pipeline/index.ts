/**
 * The report pipeline: every chapter on one dataset, written as an offline HTML report with CSV/JSON outputs.
 * @module
 */
import * as fs from "fs";
import * as path from "path";
import { Table } from "../table";
import { CustlabError } from "../util/errors";
import { initBackend, describeBackend } from "../backend";
import { pseudonymizer, resolveSalt, kAnonymityCheck } from "../privacy";
import type { PipelineContext, ReportOptions, StageOutput } from "./context";
import { fileFingerprint } from "./context";
import { renderReport, ExecutiveSummary, KPI } from "./render";
import { stageQuality, stageChurn, stageSegments, stageRules, stageCLV, stageReviews } from "./stages";
import { stageClasses } from "./classes-stage";
import { PrefetchingEngine } from "./prefetch";
import { stageDecisions } from "./decisions";
import { readActions } from "../policy/actions";
import { escapeHTML } from "../table/format-html";
import { checkOutputFolder, writeOutputFolder } from "../util/output";
import { isoDay, DAY_MS } from "../util/numeric";

export type { ReportOptions, StageOutput, Finding, PipelineContext } from "./context";
export { renderReport, executiveHTML, stageHTML } from "./render";
export type { ExecutiveSummary, KPI } from "./render";

/** What {@link runReport} returns (also written to summary.json). */
export interface ReportSummary {
  [key: string]: unknown;
  /** Seconds per stage. */
  timings: Record<string, number>;
  /** Files written. */
  files: Record<string, string>;
}

/**
 * A UTC epoch-ms timestamp as the report's day format, ISO `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * import { reportDay } from "custlab";
 * reportDay(Date.UTC(2024, 8, 30, 23, 59)); // "2024-09-30"
 * ```
 */
export function reportDay(ms: number): string {
  return isoDay(ms);
}

/**
 * The main job in one call: data quality → features → churn model → segments →
 * association rules → review sentiment and topics → CLV, written to
 * `options.out` as an offline `index.html` for readers plus `customers.csv`,
 * `rules.csv`, `topics.json` and `summary.json` for machines. Customer ids in
 * every output are salted pseudonyms; the salt is never written.
 * @example
 * const s = await runReport({ transactions: "datasets/demo/transactions.csv", format: "custlab", out: "out/report" });
 * s.timings; // seconds per stage
 */
export async function runReport(options: ReportOptions): Promise<ReportSummary> {
  return (await buildReport(options)).summary;
}

/** Everything {@link buildReport} produced: the summary plus the sections, for inline display in notebooks. */
export interface BuiltReport {
  summary: ReportSummary;
  exec: ExecutiveSummary;
  stages: StageOutput[];
  /** Path of the written index.html. */
  html: string;
}

/**
 * Like {@link runReport}, also returning the executive summary and sections (see `showReport` in notebooks).
 *
 * @example
 * ```ts
 * import { buildReport, showHTML, executiveHTML } from "custlab";
 * const r = await buildReport({ transactions: "datasets/demo/transactions.csv", format: "custlab", out: "out/report", seed: 42 });
 * r.summary.timings;        // seconds per stage
 * showHTML(executiveHTML(r.exec)); // inline in a notebook; r.html is the written index.html
 * ```
 */
export async function buildReport(options: ReportOptions): Promise<BuiltReport> {
  if (!fs.existsSync(options.transactions)) throw new CustlabError("E_NOT_FOUND", `no such file: ${options.transactions}`, { file: options.transactions });
  if (options.reviews && !fs.existsSync(options.reviews)) throw new CustlabError("E_NOT_FOUND", `no such file: ${options.reviews}`, { file: options.reviews });
  for (const f of [options.customers, options.actions]) if (f && !fs.existsSync(f)) throw new CustlabError("E_NOT_FOUND", `no such file: ${f}`, { file: f });
  if (options.actions) readActions(options.actions); // a bad actions.json fails before any work
  checkReportOptions(options);
  checkOutputFolder(options.out, { force: options.force, inputs: [options.transactions, options.reviews], legacy: LEGACY_REPORT }, "the report folder");
  const { salt, source: saltSource } = resolveSalt({ salt: options.salt });
  const ctx: PipelineContext = {
    options: { seed: 42, horizonDays: 90, minAuc: 0.65, kAnonymity: 5, k: "auto", ...options },
    pseudo: pseudonymizer(salt),
    customers: new Map(),
    summary: {},
    rawIds: new Set(),
    timings: {},
  };
  const progress = options.onProgress;
  const stages: Array<[string, (c: PipelineContext) => Promise<StageOutput>]> = [
    ["quality", stageQuality],
    ["churn", stageChurn],
    ["classes", stageClasses],
    ["segments", stageSegments],
    ["rules", stageRules],
    ...(options.reviews ? ([["reviews", stageReviews]] as Array<[string, (c: PipelineContext) => Promise<StageOutput>]>) : []),
    ["clv", stageCLV],
    ...(options.customers || options.actions ? ([["decisions", stageDecisions]] as Array<[string, (c: PipelineContext) => Promise<StageOutput>]>) : []),
  ];
  const t0 = Date.now();
  const backendStart = Date.now();
  const backend = await initBackend();
  ctx.timings.backend = (Date.now() - backendStart) / 1000;
  const outputs: StageOutput[] = [];
  try {
    for (let i = 0; i < stages.length; i++) {
      const [name, fn] = stages[i];
      progress?.({ stage: "report", done: i, total: stages.length + 1, message: `${name}…` });
      const s = Date.now();
      try {
        outputs.push(await fn(ctx));
      } catch (e) {
        if (name === "quality") throw e;
        const msg = e instanceof Error ? e.message : String(e);
        outputs.push({ title: name, findings: [], withheld: `This section could not be produced: ${msg}` });
        ctx.summary[name] = { error: msg };
      }
      ctx.timings[name] = (Date.now() - s) / 1000;
      if (name === "quality") {
        checkCutoffInData(ctx);
        // A SQL engine works on its own threads: later stages' queries may start while JavaScript fits models.
        if (ctx.engine && ctx.engine.name !== "memory") { ctx.prefetcher = new PrefetchingEngine(ctx.engine); ctx.engine = ctx.prefetcher.engine; }
      }
    }
  } finally {
    // jobs not taken by their sections (a stage failed): settled before the engine closes
    if (ctx.classesJob) await Promise.allSettled([ctx.classesJob.inputs, ctx.classesJob.run]);
    if (ctx.rulesJob) await Promise.allSettled([ctx.rulesJob.names, ctx.rulesJob.baskets, ctx.rulesJob.run]);
    await ctx.prefetcher?.settle(); // no query in flight when the engine closes
    await ctx.engine?.close(); // the engine the quality stage opened
  }
  progress?.({ stage: "report", done: stages.length, total: stages.length + 1, message: "writing…" });
  const s = Date.now();
  const files: Record<string, string> = {};
  const contents: Record<string, string> = {};

  // customers.csv — pseudonymised ids, segment, churn probability, band, reasons, CLV.
  const ids = [...ctx.customers.keys()].sort();
  const cols = ["segment", "rfm_segment", "churn_probability", "churn_band", "churn_horizon_days", "churn_reasons", "clv_365d", "historic_clv", "p_alive"];
  const customerTable = new Table({
    customer: ids.map(ctx.pseudo),
    ...Object.fromEntries(cols.map((c) => {
      const vals = ids.map((id) => ctx.customers.get(id)![c]);
      const numeric = vals.every((v) => v === undefined || typeof v === "number");
      return [c, numeric ? Float64Array.from(vals, (v) => (v === undefined ? NaN : (v as number))) : vals.map((v) => (v === undefined ? "" : String(v)))];
    })),
  });
  files.customers = path.join(options.out, "customers.csv");
  contents["customers.csv"] = customerTable.toCSV();
  const kViolations = kAnonymityCheck(customerTable, { segment: "segment", attributes: ["churn_band", "rfm_segment"], k: ctx.options.kAnonymity });
  const rulesCSV = (ctx as PipelineContext & { rulesCSV?: string }).rulesCSV;
  if (rulesCSV !== undefined) { files.rules = path.join(options.out, "rules.csv"); contents["rules.csv"] = rulesCSV; }
  if (ctx.actionsCSV !== undefined) { files.actions = path.join(options.out, "actions.csv"); contents["actions.csv"] = ctx.actionsCSV; }
  const topics = (ctx as PipelineContext & { topicsJSON?: unknown }).topicsJSON;
  files.topics = path.join(options.out, "topics.json");
  contents["topics.json"] = JSON.stringify(topics ?? { note: "no reviews file given" }, null, 2) + "\n";

  // Executive summary.
  const data = ctx.summary.data as { customers: number; orders: number; window: { start: string; end: string } };
  const churn = ctx.summary.churn as Record<string, number | string | boolean> | undefined;
  const clv = ctx.summary.clv as Record<string, number> | undefined;
  const kpis: KPI[] = [
    { label: "customers", value: data.customers.toLocaleString("en-US"), note: `${data.window.start} → ${data.window.end}` },
    { label: "orders", value: data.orders.toLocaleString("en-US") },
  ];
  if (churn && !churn.withheld && churn.auc !== undefined) {
    kpis.push({ label: `churn rate (${churn.horizon_days} days)`, value: `${(100 * Number(churn.churn_rate)).toFixed(1)}%`, note: `measured at ${churn.eval_cutoff}` });
    kpis.push({ label: "high churn risk", value: Number(churn.high_band ?? 0).toLocaleString("en-US"), note: `P(churn in ${churn.horizon_days} d) ≥ 0.6; AUC ${Number(churn.auc).toFixed(3)}` });
  }
  if (clv) kpis.push({ label: "predicted 12-month value", value: Math.round(clv.predicted_clv_365d_total).toLocaleString("en-US"), note: "BG/NBD × Gamma-Gamma" });
  const changed = outputs.flatMap((o) => o.findings.filter((f) => f.level === "warn")).slice(0, 5);
  const seg = ctx.summary.segments as { personas?: Record<string, unknown>[] } | undefined;
  if (seg?.personas?.length) changed.unshift({ text: `Largest revenue segment: ${[...seg.personas].sort((a, b) => Number(b.revenue_share) - Number(a.revenue_share))[0].description}.` });
  const exec: ExecutiveSummary = { kpis, changed };
  const alerts = (ctx as PipelineContext & { alerts?: Table }).alerts;
  if (alerts) {
    const review = alerts.num("manual_review");
    const band = alerts.str("band");
    const act = alerts.filter((i) => band[i] === "high" || review[i] === 1).orderBy("value_at_risk", "desc").head(15);
    exec.actOn = new Table({
      customer: act.str("customer_id").map(ctx.pseudo),
      churn_probability: act.num("churn_probability"),
      band: act.str("band"),
      value_at_risk: act.num("value_at_risk"),
      reasons: act.str("top_reasons"),
    });
    exec.actOnNote = `High-band customers and high-value customers in the medium band, by expected spend at risk. Probabilities are P(no order in the next ${ctx.options.horizonDays} days); eligibility: ${String(churn?.eligibility ?? "")}.`;
  }
  const versions = { custlab: require("../../package.json").version as string, tfjs: backend.tfjsVersion, node: process.version };
  const fingerprints: Record<string, string> = { transactions: await fileFingerprint(options.transactions) };
  if (options.reviews) fingerprints.reviews = await fileFingerprint(options.reviews);
  const footer = `<p>Generated ${escapeHTML(new Date().toISOString())} by custlab ${escapeHTML(versions.custlab)} · seed ${ctx.options.seed} · ${escapeHTML(describeBackend(backend))}.</p>
<p>Data: ${escapeHTML(path.basename(options.transactions))} (${escapeHTML(fingerprints.transactions.slice(0, 23))}…)${options.reviews ? `, ${escapeHTML(path.basename(options.reviews))}` : ""}. Customer ids are salted pseudonyms${saltSource === "random" ? " (random salt: they differ between runs; set CUSTLAB_SALT for stable ones)" : ""}.</p>
<p>Relational stages (loading, quality counts, customer features and labels, RFM, baskets, CLV purchase days) ran on the ${escapeHTML(String(ctx.summary.engine ?? "memory"))} engine.</p>
${kViolations.length ? `<p class="warn">k-anonymity (k = ${ctx.options.kAnonymity}): ${kViolations.length} segment × attribute cells in customers.csv have fewer than ${ctx.options.kAnonymity} customers (smallest: ${escapeHTML(kViolations[0].segment)} × ${escapeHTML(kViolations[0].attribute)}=${escapeHTML(kViolations[0].value)}, ${kViolations[0].count}). Suppress or generalise before sharing outside the team.</p>` : `<p>k-anonymity (k = ${ctx.options.kAnonymity}): every segment × attribute cell of customers.csv has at least ${ctx.options.kAnonymity} customers.</p>`}`;
  const html = renderReport("Customer intelligence report", `${data.window.start} → ${data.window.end} · ${data.customers.toLocaleString("en-US")} customers · backend ${backend.name} · engine ${String(ctx.summary.engine ?? "memory")}`, exec, outputs, footer);
  files.report = path.join(options.out, "index.html");
  contents["index.html"] = html;
  ctx.timings.write = (Date.now() - s) / 1000;
  ctx.timings.total = (Date.now() - t0) / 1000;
  files.summary = path.join(options.out, "summary.json");
  const summary: ReportSummary = {
    ...ctx.summary,
    backend: { name: backend.name, gpu: backend.gpu, attempts: backend.attempts },
    versions, seed: ctx.options.seed, data_window: data.window, fingerprints,
    k_anonymity: { k: ctx.options.kAnonymity, violations: kViolations.length },
    pseudonymisation: { method: "HMAC-SHA256, 16 hex chars", salt_source: saltSource },
    timings: ctx.timings, files,
  };
  contents["summary.json"] = JSON.stringify(summary, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n";
  // One swap: after a crash at any moment the folder holds the whole old report or the whole new one.
  writeOutputFolder(options.out, contents, { force: options.force, inputs: [options.transactions, options.reviews], legacy: LEGACY_REPORT });
  progress?.({ stage: "report", done: stages.length + 1, total: stages.length + 1, message: `done in ${ctx.timings.total.toFixed(1)} s` });
  return { summary, exec, stages: outputs, html: files.report };
}


/** A report folder written before manifests: only the report's own files, and a summary.json that names custlab. */
const LEGACY_REPORT = {
  names: ["index.html", "customers.csv", "rules.csv", "topics.json", "summary.json"],
  marker: (dir: string): boolean => {
    try { return typeof JSON.parse(fs.readFileSync(path.join(dir, "summary.json"), "utf8"))?.versions?.custlab === "string"; } catch { return false; }
  },
};

/** `--cutoff` must leave a whole horizon of data after it, like `custlab churn`. */
function checkCutoffInData(ctx: PipelineContext): void {
  const c = ctx.options.cutoff;
  if (c === undefined || ctx.dataStart === undefined || ctx.dataEnd === undefined) return;
  const t = Date.parse(c), H = ctx.options.horizonDays;
  if (t <= ctx.dataStart) throw new CustlabError("E_OPTION", `option --cutoff: ${c} is not after the first order (${isoDay(ctx.dataStart)}); nothing to learn from`, { file: ctx.options.transactions });
  if (t + H * DAY_MS > ctx.dataEnd + DAY_MS) throw new CustlabError("E_OPTION", `option --cutoff: the data ends ${isoDay(ctx.dataEnd)}, before cutoff + horizon (${isoDay(t + H * DAY_MS)}): outcomes at this cutoff are unknown`, { file: ctx.options.transactions });
}

/**
 * Check the report's options before anything is read: `horizonDays` a positive
 * whole number of days, `k` "auto" or a whole number ≥ 2, `cutoff` a real
 * calendar date (YYYY-MM-DD). Throws a one-line CustlabError (E_OPTION).
 *
 * @example
 * ```ts
 * import { checkReportOptions } from "custlab";
 * checkReportOptions({ horizonDays: 90, k: 4, cutoff: "2024-09-30" }); // fine
 * // checkReportOptions({ horizonDays: -5 }) → CustlabError "option --horizon: must be a positive number of days, got -5"
 * ```
 */
export function checkReportOptions(o: Pick<ReportOptions, "horizonDays" | "k" | "cutoff" | "seed" | "minAuc">): void {
  if (o.horizonDays !== undefined && !(Number.isInteger(o.horizonDays) && o.horizonDays > 0)) throw new CustlabError("E_OPTION", `option --horizon: must be a positive whole number of days, got ${o.horizonDays}`);
  if (o.k !== undefined && o.k !== "auto" && !(Number.isInteger(o.k) && o.k >= 2)) throw new CustlabError("E_OPTION", `option --k: must be "auto" or a whole number ≥ 2, got ${o.k}`);
  if (o.cutoff !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(o.cutoff);
    const t = m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
    if (!m || !Number.isFinite(t) || isoDay(t) !== o.cutoff) throw new CustlabError("E_OPTION", `option --cutoff: must be a calendar date YYYY-MM-DD, got "${o.cutoff}"`);
  }
  if (o.seed !== undefined && !Number.isFinite(o.seed)) throw new CustlabError("E_OPTION", `option --seed: must be a number, got ${o.seed}`);
  if (o.minAuc !== undefined && !(o.minAuc >= 0 && o.minAuc <= 1)) throw new CustlabError("E_OPTION", `option --min-auc: must be between 0 and 1, got ${o.minAuc}`);
}

/**
 * Show a built report inline in a notebook: the executive summary, then each
 * section with its findings and figures (plotly inlined once). In scripts it
 * prints the findings.
 * @example
 * const r = await buildReport({ transactions: demoPath("transactions.csv"), format: "custlab", out: "../reports/report" });
 * showReport(r);
 */
export function showReport(r: BuiltReport): void {
  const nb = require("../notebook") as typeof import("../notebook");
  const { executiveHTML, stageHTML, REPORT_CSS } = require("./render") as typeof import("./render");
  if (!nb.inNotebook()) {
    for (const s of r.stages) process.stdout.write(`\n## ${s.title}\n${s.withheld ? s.withheld + "\n" : ""}${s.findings.map((f) => `- ${f.text}`).join("\n")}\n`);
    return;
  }
  nb.showHTML(`<style>${REPORT_CSS}</style><h2>Executive summary</h2>${executiveHTML(r.exec)}`);
  for (const s of r.stages) {
    if (!s.withheld && s.figures?.length) {
      nb.showHTML(`<h2>${escapeHTML(s.title)}</h2>`);
      nb.showHTML(stageHTML({ ...s, figures: [], html: "" }));
      nb.showFigure(s.figures);
      if (s.html) nb.showHTML(s.html);
    } else nb.showHTML(`<h2>${escapeHTML(s.title)}</h2>${stageHTML(s)}`);
  }
}
