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
  it.runIf(haveChromium())("rendered notebooks open offline in Chromium with every figure drawn", async () => {
    expect(rendered.length).toBeGreaterThan(0);
    const checks = await checkPages(rendered, path.join(reports, "screenshots"));
    for (const c of checks) {
      expect(c.networkRequests, `${c.file} made network requests`).toEqual([]);
      expect(c.consoleErrors, `${c.file} console errors`).toEqual([]);
      expect(c.emptyFigures, `${c.file} has empty figures`).toEqual([]);
    }
  }, 600_000);
});

it("jupyter with the tslab kernel is available (custlab setup-jupyter)", () => {
  expect(haveJupyter, "run `node dist/cli/main.js setup-jupyter`").toBe(true);
});
