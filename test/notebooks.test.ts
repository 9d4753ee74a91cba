// Every notebook is executed with the tslab kernel (nbconvert), so a type error
// or an exception in any notebook fails the suite; the rendered pages are then
// opened in headless Chromium: no console error, no network request, every
// figure drawn. Screenshots land in reports/screenshots/.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { listNotebooks, runNotebook } from "../src/notebook/runner";
import { checkPages, haveChromium } from "./helpers/browser";

const root = path.resolve(__dirname, "..");
const reports = path.join(root, "reports");
const notebooks = listNotebooks(path.join(root, "notebooks"));
const haveJupyter = spawnSync("jupyter", ["kernelspec", "list"], { encoding: "utf8" }).stdout?.includes("tslab");

describe.runIf(haveJupyter)("notebooks", () => {
  const rendered: string[] = [];
  for (const nb of notebooks) {
    it(`executes ${nb} with the tslab kernel`, async () => {
      const r = await runNotebook(path.join(root, "notebooks", nb), { out: reports });
      if (!r.ok) throw new Error(`${nb} failed:\n${r.error}`);
      expect(fs.existsSync(r.html!)).toBe(true);
      rendered.push(r.html!, r.readerHtml!);
    }, 900_000);
  }
  it("03: the early-warning list is ranked by value at risk, not by probability (issue 15)", () => {
    const html = fs.readFileSync(path.join(reports, "03-churn-models.reader.html"), "utf8");
    const table = [...html.matchAll(/<table[^>]*class="custlab-table"[^>]*>([\s\S]*?)<\/table>/g)].map((m) => m[1]).find((t) => t.includes("value_<wbr>at_<wbr>risk") && t.includes("churn_<wbr>probability"));
    expect(table, "the alert table in 03's output").toBeDefined();
    const heads = [...table!.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((m) => m[1].replace(/<wbr>/g, ""));
    const col = heads.indexOf("value_at_risk"), pcol = heads.indexOf("churn_probability");
    const rows = [...table!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<td\b([^>]*)>/g)].map((c) => Number(/data-v="([^"]*)"/.exec(c[1])?.[1])));
    const v = rows.filter((r) => r.length === heads.length).map((r) => r[col]), p = rows.filter((r) => r.length === heads.length).map((r) => r[pcol]);
    expect(v.length).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < v.length; i++) expect(v[i], `row ${i}`).toBeLessThanOrEqual(v[i - 1]);
    expect(v[0]).toBeGreaterThan(0);
    expect(p.some((x, i) => i > 0 && x > p[i - 1]), "ranked by probability, not by value at risk").toBe(true);
  });

  it.runIf(haveChromium())("rendered notebooks open offline in Chromium with every figure drawn", async () => {
    expect(rendered.length).toBeGreaterThan(0);
    const checks = await checkPages(rendered, path.join(reports, "screenshots"));
    for (const c of checks) {
      expect(c.networkRequests, `${c.file} made network requests`).toEqual([]);
      expect(c.consoleErrors, `${c.file} console errors`).toEqual([]);
      expect(c.emptyFigures, `${c.file} has empty figures`).toEqual([]);
    }
    // Layout at 1280 px on every reader page (issue 15): nothing wider than the page, no figure label cut off.
    for (const c of checks.filter((x) => x.file.endsWith(".reader.html"))) {
      expect(c.wideElements, `${c.file}: elements wider than the page`).toEqual([]);
      expect(c.clippedLabels, `${c.file}: figure labels cut off`).toEqual([]);
      expect(c.overlappingLabels, `${c.file}: overlapping Sankey labels`).toEqual([]);
    }
  }, 600_000);
});

it("jupyter with the tslab kernel is available (custlab setup-jupyter)", () => {
  expect(haveJupyter, "run `node dist/cli/main.js setup-jupyter`").toBe(true);
});
