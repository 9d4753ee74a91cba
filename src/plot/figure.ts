import * as fs from "fs";
import { writeFileAtomic } from "../util/output";
import * as path from "path";
import { escapeHTML } from "../table/format-html";

/**
 * A figure is a plain plotly.js specification: traces plus layout. custlab
 * functions that draw return a `Figure`; it renders in notebooks
 * (`showFigure`), in reports (`figureToHTML`, `renderPage`) and is easy to
 * snapshot-test because it is just JSON.
 *
 * @example
 * const fig: Figure = { data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }], layout: { title: { text: "Counts" } } };
 */
export interface Figure {
  /** plotly traces. */
  data: Array<Record<string, unknown>>;
  /** plotly layout. */
  layout?: Record<string, unknown>;
  /** plotly config (defaults: responsive, no logo). */
  config?: Record<string, unknown>;
}

/**
 * Axis category labels that fit: labels longer than `maxChars` are cut with
 * "…" (the full text belongs in the hover), and the margin in pixels that
 * the longest one needs at plotly's default 12 px font (about 7 px per
 * character, plus the tick gap), never less than `min`.
 *
 * @example
 * ```ts
 * import { categoryLabels } from "custlab";
 * const { labels, margin } = categoryLabels(["recency_days", "spend_share_top_category_last_365_days"]);
 * // margin ≈ 7 px × 38 characters + 24; use as layout.margin.l of a horizontal bar chart
 * ```
 */
export function categoryLabels(names: string[], options: { maxChars?: number; min?: number; fontSize?: number } = {}): { labels: string[]; margin: number } {
  const maxChars = options.maxChars ?? 56, fs = options.fontSize ?? 12;
  const labels = names.map((s) => (s.length > maxChars ? s.slice(0, maxChars - 1) + "…" : s));
  const longest = labels.reduce((m, s) => Math.max(m, s.length), 0);
  return { labels, margin: Math.max(options.min ?? 60, Math.ceil(longest * fs * 0.6) + 24) };
}

let bundleCache: string | null = null;

/**
 * The plotly.js minified bundle shipped in the `plotly.js` package (inlined so reports work offline).
 *
 * @example
 * ```ts
 * import { plotlyBundle } from "custlab";
 * const js = plotlyBundle(); // minified plotly.js source (several MB), read once and cached
 * const tag = `<script>${js}</script>`;
 * ```
 */
export function plotlyBundle(): string {
  if (bundleCache === null) {
    const file = require.resolve("plotly.js/dist/plotly.min.js");
    bundleCache = fs.readFileSync(file, "utf8");
  }
  return bundleCache;
}

let figureCounter = 0;

/** Options for {@link figureToHTML}. */
export interface FigureHTMLOptions {
  /** Element id (default: generated). */
  id?: string;
  /** Height in px when the layout has none (default 420). */
  height?: number;
}

/**
 * HTML for one figure: a div plus a script calling `Plotly.newPlot`. It
 * expects the plotly bundle on the page once (see {@link renderPage}); the
 * div carries `data-custlab-figure` so browser tests can find every figure.
 * @example
 * ```ts
 * import { figureToHTML, type Figure } from "custlab";
 * const fig: Figure = { data: [{ type: "bar", x: ["A", "B"], y: [3, 5] }], layout: { title: { text: "Orders" } } };
 * const html = figureToHTML(fig, { height: 300 }); // needs the plotly bundle once on the page (renderPage does that)
 * ```
 */
export function figureToHTML(fig: Figure, o: FigureHTMLOptions = {}): string {
  const id = o.id ?? `custlab-fig-${++figureCounter}`;
  const layout = { height: o.height ?? 420, margin: { l: 60, r: 20, t: 50, b: 50 }, ...(fig.layout ?? {}) };
  const config = { responsive: true, displaylogo: false, ...(fig.config ?? {}) };
  const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? null : x)).replace(/<\//g, "<\\/");
  return `<div class="custlab-figure" data-custlab-figure="${escapeHTML(id)}" id="${escapeHTML(id)}"></div>\n<script>Plotly.newPlot(${JSON.stringify(id)}, ${json(fig.data)}, ${json(layout)}, ${json(config)});</script>`;
}

/** A section of a report page. */
export interface PageSection {
  /** Heading text. */
  title: string;
  /** HTML body (already escaped where needed). */
  html: string;
  /** Anchor id (default: from the title). */
  id?: string;
}

/** Options for {@link renderPage}. */
export interface PageOptions {
  /** Page title. */
  title: string;
  /** Sub-title line (e.g. data window, backend). */
  subtitle?: string;
  /** Sections in order. */
  sections: PageSection[];
  /** Extra CSS. */
  css?: string;
}

const BASE_CSS = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1f2933;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #d9e2ec;padding-bottom:.3rem;margin-top:2.2rem}.subtitle{color:#52606d;margin-top:0}
table.custlab-table{border-collapse:collapse;font-size:.88rem;margin:.6rem 0}table.custlab-table th,table.custlab-table td{border-bottom:1px solid #e4e7eb;padding:.25rem .6rem}
table.custlab-table th{background:#f5f7fa;text-align:left}.kpis{display:flex;flex-wrap:wrap;gap:.8rem}.kpi{background:#f5f7fa;border-radius:6px;padding:.6rem 1rem;min-width:9rem}
.kpi .v{font-size:1.5rem;font-weight:600}.kpi .l{font-size:.8rem;color:#52606d}.note{color:#52606d;font-size:.85rem}.warn{background:#fff3c4;padding:.5rem .8rem;border-radius:4px}
nav a{margin-right:.8rem}`;

/**
 * A complete, self-contained, offline HTML page with the plotly bundle inlined once.
 *
 * @example
 * ```ts
 * import { renderPage, figureToHTML, Table } from "custlab";
 * import * as fs from "fs";
 * const t = new Table({ sku: ["A", "B"], orders: Float64Array.from([3, 5]) });
 * const fig = { data: [{ type: "bar", x: ["A", "B"], y: [3, 5] }] };
 * fs.writeFileSync("out/page.html", renderPage({
 *   title: "Orders",
 *   subtitle: "demo data",
 *   sections: [{ title: "Table", html: t.toHTML() }, { title: "Chart", html: figureToHTML(fig) }],
 * }));
 * ```
 */
export function renderPage(o: PageOptions): string {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  const nav = o.sections.map((s) => `<a href="#${s.id ?? slug(s.title)}">${escapeHTML(s.title)}</a>`).join("");
  const body = o.sections.map((s) => `<section id="${s.id ?? slug(s.title)}"><h2>${escapeHTML(s.title)}</h2>\n${s.html}\n</section>`).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHTML(o.title)}</title><style>${BASE_CSS}${o.css ?? ""}</style>
<script>${plotlyBundle()}</script></head>
<body><h1>${escapeHTML(o.title)}</h1>${o.subtitle ? `<p class="subtitle">${escapeHTML(o.subtitle)}</p>` : ""}<nav>${nav}</nav>
${body}
</body></html>\n`;
}

/**
 * Write a standalone HTML file for one or more figures.
 *
 * @example
 * ```ts
 * import { saveFigures } from "custlab";
 * saveFigures("out/orders.html", "Orders", [{ data: [{ type: "bar", x: ["A", "B"], y: [3, 5] }] }]);
 * // creates out/ if needed; the page opens offline
 * ```
 */
export function saveFigures(file: string, title: string, figures: Figure[]): void {
  writeFileAtomic(file, renderPage({ title, sections: [{ title, html: figures.map((f) => figureToHTML(f)).join("\n") }] }), "the figure page");
}
