import * as fs from "fs";
import * as path from "path";

/** What a headless Chromium saw when it opened a rendered page. */
export interface PageCheck {
  file: string;
  consoleErrors: string[];
  networkRequests: string[];
  figures: number;
  emptyFigures: string[];
  /** Elements that stick out of the 1280 px viewport (outermost only), as "tag#id.class (left–right px)". */
  wideElements: string[];
  /** Axis titles, tick labels, legend entries and titles of a figure drawn outside its figure (cut off), as "figure: text". */
  clippedLabels: string[];
  /** Sankey node labels that overlap another label of the same figure. */
  overlappingLabels: string[];
  screenshot: string;
}

/** Viewport width of every page check (the width a reader's laptop shows). */
export const PAGE_WIDTH = 1280;

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((f) => fs.existsSync(f));

/** The in-page layout check (test/helpers/layout-check.js), as source text. */
const LAYOUT_SCRIPT = fs.readFileSync(path.join(__dirname, "layout-check.js"), "utf8");

/** Whether a Chromium binary is installed. */
export function haveChromium(): boolean {
  return !!CHROMIUM;
}

/**
 * Open local HTML files in headless Chromium (Debian's), record console errors,
 * page errors and any network request (http/https/ws), check that every
 * custlab/plotly figure rendered a non-empty plot, and save a screenshot.
 */
export async function checkPages(files: string[], screenshotDir: string): Promise<PageCheck[]> {
  const puppeteer = require("puppeteer-core");
  fs.mkdirSync(screenshotDir, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: fs.mkdtempSync("/tmp/custlab-chromium-"),
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--allow-file-access-from-files"],
  });
  const out: PageCheck[] = [];
  try {
    for (const file of files) {
      const page = await browser.newPage();
      await page.setViewport({ width: PAGE_WIDTH, height: 900 });
      const consoleErrors: string[] = [];
      const networkRequests: string[] = [];
      page.on("console", (m: any) => { if (m.type() === "error") consoleErrors.push(m.text()); });
      page.on("pageerror", (e: any) => consoleErrors.push(String(e?.message ?? e)));
      page.on("request", (r: any) => { const u: string = r.url(); if (/^(https?|wss?):/.test(u)) networkRequests.push(u); });
      await page.goto("file://" + path.resolve(file), { waitUntil: "load", timeout: 120_000 });
      await new Promise((r) => setTimeout(r, 500));
      const figs: { figures: number; empty: string[] } = await page.evaluate(() => {
        const divs = Array.from(document.querySelectorAll("[data-custlab-figure], .js-plotly-plot")) as HTMLElement[];
        const uniq = Array.from(new Set(divs));
        const empty: string[] = [];
        for (const d of uniq) {
          const svg = d.querySelector("svg.main-svg") as SVGElement | null;
          const rect = d.getBoundingClientRect();
          const marks = d.querySelectorAll(".trace, .point, .bars path, .scatterlayer path, .heatmaplayer image, .sankey .sankey-node, .pielayer path, .cartesianlayer path, .boxlayer path").length;
          if (!svg || rect.width < 10 || rect.height < 10 || marks === 0) empty.push(d.id || "(no id)");
        }
        return { figures: uniq.length, empty };
      });
      const layout: { wide: string[]; clipped: string[]; overlapping: string[] } = await page.evaluate(LAYOUT_SCRIPT);
      const shot = path.join(screenshotDir, path.basename(file).replace(/\.html$/, ".png"));
      await page.screenshot({ path: shot, fullPage: false });
      out.push({ file, consoleErrors, networkRequests, figures: figs.figures, emptyFigures: figs.empty, wideElements: layout.wide, clippedLabels: layout.clipped, overlappingLabels: layout.overlapping, screenshot: shot });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return out;
}
