import { renderPage, figureToHTML, PageSection } from "../plot/figure";
import { escapeHTML } from "../table/format-html";
import type { Table } from "../table";
import type { Finding, StageOutput } from "./context";

/** A headline number for the executive summary. */
export interface KPI {
  label: string;
  value: string;
  /** Small print under the number (horizon, rule...). */
  note?: string;
}

/** The executive summary: key numbers, what changed, who to act on. */
export interface ExecutiveSummary {
  kpis: KPI[];
  changed: Finding[];
  /** Customers to act on (pseudonymised), already limited to a few rows. */
  actOn?: Table;
  /** One sentence on how the list was built (horizon, band rule, eligibility). */
  actOnNote?: string;
}

function findingsHTML(f: Finding[]): string {
  if (!f.length) return "";
  return `<ul class="findings">${f.map((x) => `<li class="${x.level ?? "info"}">${escapeHTML(x.text)}</li>`).join("")}</ul>`;
}

/**
 * The executive summary's HTML (KPIs, what changed, who to act on).
 *
 * @example
 * ```ts
 * import { executiveHTML } from "custlab";
 * const html = executiveHTML({
 *   kpis: [{ label: "Customers", value: "4,338" }, { label: "Churn (90 d)", value: "31%", note: "out-of-time AUC 0.78" }],
 *   changed: [{ text: "Repeat rate fell 4 points since Q2", level: "warn" }],
 * });
 * ```
 */
export function executiveHTML(exec: ExecutiveSummary): string {
  const kpis = `<div class="kpis">${exec.kpis.map((k) => `<div class="kpi"><div class="v">${escapeHTML(k.value)}</div><div class="l">${escapeHTML(k.label)}</div>${k.note ? `<div class="note">${escapeHTML(k.note)}</div>` : ""}</div>`).join("")}</div>`;
  const changed = exec.changed.length ? `<h3>What changed</h3>${findingsHTML(exec.changed)}` : "";
  const act = exec.actOn ? `<h3>Who to act on</h3>${exec.actOnNote ? `<p class="note">${escapeHTML(exec.actOnNote)}</p>` : ""}${exec.actOn.toHTML({ limit: 15, sortable: true })}` : "";
  return kpis + changed + act;
}

/**
 * One stage's HTML body (findings, figures, tables; or why it is withheld).
 *
 * @example
 * ```ts
 * import { stageHTML } from "custlab";
 * stageHTML({ title: "Segments", findings: [{ text: "4 segments" }], figures: [{ data: [{ type: "bar", x: ["A", "B"], y: [3, 5] }] }] });
 * stageHTML({ title: "Churn", findings: [], withheld: "AUC 0.58 is below the 0.65 floor" }); // warning instead of content
 * ```
 */
export function stageHTML(s: StageOutput): string {
  return s.withheld
    ? `<p class="warn">${escapeHTML(s.withheld)}</p>${findingsHTML(s.findings)}`
    : `${findingsHTML(s.findings)}${(s.figures ?? []).map((f) => figureToHTML(f)).join("\n")}${s.html ?? ""}`;
}

/** CSS used by report pages (also injected in notebooks by `showReport`). */
export const REPORT_CSS = ".findings{padding-left:1.2rem}.findings li{margin:.25rem 0}.findings li.warn{background:#fff3c4;list-style:'! '}.findings li.good{list-style:'✓ '}.kpis{display:flex;flex-wrap:wrap;gap:.8rem}.kpi{background:#f5f7fa;border-radius:6px;padding:.6rem 1rem;min-width:9rem}.kpi .v{font-size:1.5rem;font-weight:600}.kpi .l{font-size:.8rem;color:#52606d}.note{color:#52606d;font-size:.85rem}.warn{background:#fff3c4;padding:.3rem .6rem;border-radius:4px}";

/**
 * Render the reader-facing report: executive summary first, then one section per stage, code-free.
 *
 * @example
 * ```ts
 * import { renderReport } from "custlab";
 * import * as fs from "fs";
 * const html = renderReport("Shop report", "2024-01-01 to 2024-12-31",
 *   { kpis: [{ label: "Customers", value: "4,338" }], changed: [] },
 *   [{ title: "Data quality", findings: [{ text: "12 rows quarantined", level: "warn" }] }],
 *   "<p>custlab 0.1.0, seed 42</p>");
 * fs.writeFileSync("out/index.html", html); // self-contained, opens offline
 * ```
 */
export function renderReport(title: string, subtitle: string, exec: ExecutiveSummary, stages: StageOutput[], footer: string): string {
  const sections: PageSection[] = [{ title: "Executive summary", id: "summary", html: executiveHTML(exec) }];
  for (const s of stages) sections.push({ title: s.title, html: stageHTML(s) });
  sections.push({ title: "About this report", id: "about", html: footer });
  return renderPage({ title, subtitle, sections, css: REPORT_CSS });
}
