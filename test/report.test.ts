// The one-shot pipeline (`custlab report`) on the bundled demo shop: every output
// written, backend and stage timings in summary.json, no raw customer id anywhere
// in the outputs, and the page opens offline in Chromium with every figure drawn.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import { spawnSync } from "child_process";
import { checkPages, haveChromium, PAGE_WIDTH } from "./helpers/browser";
import { renderPage, figureToHTML } from "../src/plot";

const root = path.resolve(__dirname, "..");
const demo = path.join(root, "datasets/demo");
const out = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-report-"));
let summary: any;
let stderr = "";

describe("custlab report on the demo shop", () => {
  beforeAll(() => {
    const r = spawnSync("node", [path.join(root, "dist/cli/main.js"), "report", path.join(demo, "transactions.csv"), "--format", "custlab",
      "--reviews", path.join(demo, "reviews.csv"), "--reviews-format", "custlab", "--out", out, "--seed", "42", "--json"],
      { cwd: root, encoding: "utf8", env: { ...process.env, CUSTLAB_SALT: "test-salt" }, maxBuffer: 64 * 1024 * 1024 });
    stderr = r.stderr;
    expect(r.status, r.stderr).toBe(0);
    summary = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8"));
  }, 600_000);

  it("writes the report and machine-readable outputs", () => {
    for (const f of ["index.html", "customers.csv", "rules.csv", "topics.json", "summary.json"]) expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    expect(stderr).toMatch(/report \[/); // stage-by-stage progress on the terminal
  });

  it("summary.json names the backend, versions, data window, fingerprint, seed and per-stage timings", () => {
    expect(["tensorflow-gpu", "webgpu", "tensorflow", "wasm", "cpu"]).toContain(summary.backend.name);
    for (const s of ["quality", "churn", "segments", "rules", "reviews", "clv", "total"]) expect(summary.timings[s], s).toBeGreaterThanOrEqual(0);
    expect(summary.fingerprints.transactions).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(summary.seed).toBe(42);
    expect(summary.data_window).toEqual({ start: "2023-01-01", end: "2024-12-31" });
    expect(summary.data.rows_in).toBe(summary.data.accepted + summary.data.quarantined);
  });

  it("has the customer-classes section: per-class precision/recall/F1 that add up, out of time", () => {
    const c = summary.classes;
    expect(Object.keys(c.per_class)).toEqual(["high-value", "regular", "at-risk", "lost"]);
    const support = Object.values(c.per_class as Record<string, { support: number }>).reduce((a, b) => a + b.support, 0);
    expect(support).toBe(c.customers);
    expect(c.accuracy).toBeGreaterThan(0.5);
    expect(c.top_2_accuracy).toBeGreaterThan(c.accuracy);
    expect(c.eval_cutoff).toBe(summary.churn.eval_cutoff);
  });

  it("states the horizon, band rule and eligibility of the churn scores and passes its stated minimum", () => {
    expect(summary.churn.horizon_days).toBe(90);
    expect(summary.churn.eligibility).toMatch(/at least one order in the 365 days/);
    expect(summary.churn.auc).toBeGreaterThan(summary.churn.min_auc);
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    expect(html).toContain("P(no order in the next 90 days)");
    expect(html).toContain("Bands: high ≥ 0.6, medium ≥ 0.3");
  });

  it("reports the same out-of-time AUC as custlab churn with the same options (one churn workflow)", async () => {
    const { run } = await import("../src/cli/commands/churn");
    const { runJSON } = await import("./helpers/cli");
    const cli = await runJSON(run, [path.join(demo, "transactions.csv"), "--format", "custlab", "--cutoff", summary.churn.eval_cutoff, "--horizon", "90", "--model", "gbdt", "--active-days", "365", "--seed", "42", "--json"]);
    expect(cli.train_cutoffs).toEqual(summary.churn.train_cutoffs);
    expect(cli.customers).toBe(summary.churn.customers_eval);
    expect(cli.auc).toBe(summary.churn.auc);
    expect(cli.pr_auc).toBe(summary.churn.pr_auc);
  }, 120_000);

  it("never writes a raw customer id (salted pseudonyms only, salt not written)", () => {
    const ids = new Set<string>();
    for (const line of fs.readFileSync(path.join(demo, "transactions.csv"), "utf8").split("\n").slice(1)) {
      const id = line.split(",")[0];
      if (/^cust\d+$/.test(id)) ids.add(id);
    }
    expect(ids.size).toBeGreaterThan(1000);
    for (const f of ["index.html", "customers.csv", "rules.csv", "topics.json", "summary.json"]) {
      const text = fs.readFileSync(path.join(out, f), "utf8");
      const leaked = text.match(/cust\d{5}/g) ?? [];
      expect(leaked.filter((x) => ids.has(x)), f).toEqual([]);
      expect(text.includes("test-salt"), `${f} contains the salt`).toBe(false);
    }
    const csv = fs.readFileSync(path.join(out, "customers.csv"), "utf8").split("\n");
    expect(csv[0].split(",").slice(0, 4)).toEqual(["customer", "segment", "rfm_segment", "churn_probability"]);
    expect(csv[1]).toMatch(/^c_[0-9a-f]{16},/);
  });

  it("churn reasons (SHAP) only for the customers it shows: medium and high band (issue 23; --explain-all for everyone)", async () => {
    const { loadTable } = await import("../src/io");
    const { table } = await loadTable(path.join(out, "customers.csv"));
    const band = table.str("churn_band"), reasons = table.str("churn_reasons");
    let shown = 0, explained = 0, low = 0;
    for (let i = 0; i < table.numRows; i++) {
      if (band[i] === "low") { low++; expect(reasons[i] ?? "").toBe(""); }
      else if (band[i] === "medium" || band[i] === "high") { shown++; if (reasons[i]) explained++; }
    }
    expect(low).toBeGreaterThan(0);
    expect(shown).toBeGreaterThan(0);
    expect(explained / shown).toBeGreaterThan(0.9);
  });

  it("CLV: named BG/NBD and Gamma-Gamma parameters in the CLV section and in summary.json (issue 15)", () => {
    const bg = summary.clv.bgnbd, gg = summary.clv.gammagamma;
    expect(Object.keys(bg)).not.toContain("0");
    for (const k of ["r", "alpha", "a", "b"]) expect(bg[k], `clv.bgnbd.${k}`).toBeGreaterThan(0);
    for (const k of ["p", "q", "v"]) expect(gg[k], `clv.gammagamma.${k}`).toBeGreaterThan(0);
    expect(bg.converged).toBe(true);
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    const m = /BG\/NBD \(weeks\): r ([\d.e-]+), α ([\d.e-]+), a ([\d.e-]+), b ([\d.e-]+)\./.exec(html);
    expect(m, "CLV section names r, α, a, b").not.toBeNull();
    expect(m!.slice(1).map(Number)).toEqual(["r", "alpha", "a", "b"].map((k) => Number(bg[k].toPrecision(4))));
    expect(/<p class="note">BG\/NBD[^<]*undefined/.test(html), "CLV note says undefined").toBe(false);
  });

  it("ROC legend states the AUC once (issue 15: \"gbdt (AUC 0.919) (AUC 0.919)\")", () => {
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    const twice = /\(AUC [\d.]+\)\s*\(AUC [\d.]+\)/.exec(html);
    expect(twice?.[0] ?? "", "legend with the AUC twice").toBe("");
    const legend = /"name":"gbdt \(AUC ([\d.]+)\)"/.exec(html);
    expect(legend, "ROC trace named with its AUC").not.toBeNull();
    expect(Number(legend![1])).toBeCloseTo(summary.churn.auc, 3);
  });

  it.runIf(haveChromium())("opens offline in Chromium: no console error, no network request, every figure drawn; at 1280 px nothing is wider than the page and no figure label is cut off", async () => {
    const shots = path.join(root, "reports", "screenshots");
    const copy = path.join(out, "report.html");
    fs.copyFileSync(path.join(out, "index.html"), copy);
    // A page built to fail the layout check, opened by the same browser: the check must see its faults.
    const bad = path.join(out, "layout-check-control.html");
    const longNames = ["days_since_the_last_order_of_any_product_category", "share_of_spend_in_the_top_category", "x"];
    fs.writeFileSync(bad, renderPage({ title: "control", sections: [
      { title: "cut-off labels", html: figureToHTML({ data: [{ type: "bar", orientation: "h", x: [3, 2, 1], y: longNames }], layout: { margin: { l: 30 } } }) },
      { title: "too wide", html: `<div style="width:${PAGE_WIDTH + 400}px;height:10px;background:#ccc"></div>` },
    ] }));
    const [c, control] = await checkPages([copy, bad], shots);
    expect(c.networkRequests).toEqual([]);
    expect(c.consoleErrors).toEqual([]);
    expect(c.figures).toBeGreaterThanOrEqual(8);
    expect(c.emptyFigures).toEqual([]);
    expect(c.wideElements, "elements wider than the page").toEqual([]);
    expect(c.clippedLabels, "figure labels cut off").toEqual([]);
    expect(c.overlappingLabels, "overlapping Sankey labels").toEqual([]);
    expect(control.clippedLabels.some((s) => s.includes(longNames[0])), control.clippedLabels.join("; ")).toBe(true);
    expect(control.wideElements.some((s) => s.startsWith("div")), control.wideElements.join("; ")).toBe(true);
  }, 300_000);
});
