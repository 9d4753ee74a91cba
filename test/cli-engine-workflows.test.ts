// --engine on churn, clv and report (issue 19): the memory engine is the oracle. On duckdb the
// customer tables are bit-identical, so the trained models and every reported figure must be the
// same; only the engine's name and the timings differ.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { run as churn } from "../src/cli/commands/churn";
import { runJSON, runCLI } from "./helpers/cli";

const RETAIL = path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");
const have = fs.existsSync(RETAIL);
if (!have) console.warn(`cli-engine-workflows: ${RETAIL} not found — skipping`);

/** The JSON without what legitimately differs between engines (engine name, wall time). */
function sameFigures(o: Record<string, unknown>): Record<string, unknown> {
  const { engine: _e, seconds: _s, ...rest } = o;
  return rest;
}

describe.skipIf(!have)("--engine on churn (Online Retail, cutoff 2011-09-09, horizon 90)", () => {
  it("gbdt: the same customers, training rows, AUC, PR-AUC and lift on duckdb as on memory", async () => {
    const args = [RETAIL, "--format", "online-retail", "--cutoff", "2011-09-09", "--horizon", "90", "--model", "gbdt", "--json"];
    const m = await runJSON(churn, args);
    const d = await runJSON(churn, [...args, "--engine", "duckdb"]);
    expect(m.engine).toBe("memory");
    expect(d.engine).toMatch(/^duckdb/);
    expect(m.customers).toBe(3362);
    expect(m.auc).toBeGreaterThan(0.7);
    expect(sameFigures(d)).toEqual(sameFigures(m));
  }, 300_000);

  it("refuses, in one line, what needs order rows on a SQL engine", async () => {
    const base = [RETAIL, "--format", "online-retail", "--cutoff", "2011-09-09", "--engine", "duckdb", "--json"];
    for (const [extra, msg] of [
      [["--replay", "2011-06-01"], /--replay .* --engine memory/],
      [["--feature-set", "extended"], /extended feature set reads order rows/],
      [["--model", "lstm"], /lstm reads monthly sequences/],
    ] as [string[], RegExp][]) {
      const r = await runCLI(churn, [...base, ...extra]);
      expect(r.code).toBe(1);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toMatch(msg);
    }
  }, 60_000);
});
