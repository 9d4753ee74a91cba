import { describe, it, expect } from "vitest";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const DATA = path.resolve(__dirname, "../../shared/datasets/cdnow");
const haveData = fs.existsSync(path.join(DATA, "cdnow_customers_summary_with_transactions.csv"));
const haveDist = fs.existsSync(path.join(root, "dist/cli/commands/clv.js"));
if (!haveDist) console.warn("clv-cli: dist/ not built (npx tsc -p .) — skipping");
const cli = (args: string[]) => spawnSync("node", ["dist/cli/main.js", "clv", ...args], { cwd: root, encoding: "utf8" });

describe.skipIf(!haveDist)("custlab clv", () => {
  it.skipIf(!haveData)("--format cdnow-summary --json reproduces the published BG/NBD and Gamma-Gamma fits", () => {
    const r = cli([path.join(DATA, "cdnow_customers_summary_with_transactions.csv"), "--format", "cdnow-summary", "--unit", "week", "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.customers).toBe(2357);
    const rel = (a: number, b: number) => Math.abs(a / b - 1);
    expect(rel(j.bgnbd.r, 0.2426)).toBeLessThan(0.005);
    expect(rel(j.bgnbd.alpha, 4.4135)).toBeLessThan(0.005);
    expect(rel(j.bgnbd.a, 0.7929)).toBeLessThan(0.005);
    expect(rel(j.bgnbd.b, 2.4258)).toBeLessThan(0.005);
    expect(j.bgnbd.converged).toBe(true);
    expect(j.bgnbd.se.r).toBeGreaterThan(0);
    expect(rel(j.gammagamma.p, 6.25)).toBeLessThan(0.005);
    expect(rel(j.gammagamma.q, 3.74)).toBeLessThan(0.005);
    expect(rel(j.gammagamma.v, 15.45)).toBeLessThan(0.005);
    expect(j.gammagamma.n).toBe(946);
    expect(j.frequency_monetary.ok).toBe(true);
  });
  it.skipIf(!haveData)("raw CDNOW with a calibration end: acceptance figures, holdout and the value table", () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "clv-")), "table.csv");
    const r = cli([path.join(DATA, "CDNOW_master.txt"), "--format", "cdnow", "--unit", "week", "--calibration-end", "1997-09-30", "--table", out, "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.customers).toBe(23570);
    expect(j.repeat_purchases).toBe(24337);
    expect(Math.abs(j.bgnbd.r / 0.2516 - 1)).toBeLessThan(0.005);
    expect(Math.abs(j.bgnbd.alpha / 4.789 - 1)).toBeLessThan(0.005);
    expect(Math.abs(j.bgnbd.a / 0.7234 - 1)).toBeLessThan(0.005);
    expect(Math.abs(j.bgnbd.b / 2.1611 - 1)).toBeLessThan(0.005);
    expect(j.holdout.actual).toBe(19684);
    const lines = fs.readFileSync(out, "utf8").trim().split("\n");
    expect(lines.length).toBe(23571);
    expect(lines[0]).toBe("customer_id,orders,historic_clv,p_alive,predicted_orders,expected_order_value,predicted_clv,total_clv,expected_next_order,churn_probability,clv_percentile");
  }, 60_000);
  it("reports usage errors on one line", () => {
    const r = cli(["missing.csv", "--format", "cdnow"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^custlab: .*missing\.csv/);
    const u = cli(["--unit", "fortnight", "x.csv"]);
    expect(u.status).not.toBe(0);
  });
});
