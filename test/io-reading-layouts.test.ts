// Layouts that failed (issue 16, "Reading any layout"), each through the CLI with fixtures made
// here (test/fixtures/reading/make-fixtures.mjs and the files written below).
import { describe, it, expect } from "vitest";
import * as path from "path";
import { runJSON } from "./helpers/cli";
import { run as clv } from "../src/cli/commands/clv";

const FIX = path.join(__dirname, "fixtures", "reading");

describe("headerless whitespace CDNOW-like transactions", () => {
  it("clv --format transactions --no-header --delimiter whitespace --map … --date-format %Y%m%d gives the cdnow adapter's fit on the same lines", async () => {
    const flags = ["--no-header", "--delimiter", "whitespace", "--map", "customer_id=#2", "--map", "timestamp=#3", "--map", "quantity=#4", "--map", "amount=#5", "--date-format", "%Y%m%d"];
    const got = await runJSON(clv, [path.join(FIX, "cdnow-headerless.txt"), "--format", "transactions", ...flags, "--json"]);
    const want = await runJSON(clv, [path.join(FIX, "cdnow-master-300.txt"), "--format", "cdnow", "--json"]);
    expect(got.input).toEqual({ rows_in: 1046, accepted: 1046, quarantined: 0, reasons: {}, encoding: "utf-8" });
    expect(got.customers).toBe(300);
    expect(got.repeat_purchases).toBe(want.repeat_purchases);
    expect(got.observation_end).toBe("1998-06-29");
    for (const k of ["r", "alpha", "a", "b", "loglik"]) expect(got.bgnbd[k]).toBeCloseTo(want.bgnbd[k], 10);
    for (const k of ["p", "q", "v"]) expect(got.gammagamma[k]).toBeCloseTo(want.gammagamma[k], 10);
    expect(got.clv.mean_predicted_clv).toBeCloseTo(want.clv.mean_predicted_clv, 8);
  });
});
