import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { run } from "../src/cli/commands/churn";
import { runJSON } from "./helpers/cli";

// Acceptance: same seed, same backend → identical scores (two full runs of the churn pipeline).
const demo = path.resolve(__dirname, "../datasets/demo");


describe.skipIf(!fs.existsSync(path.join(demo, "transactions.csv")))("churn determinism", () => {
  it("two runs with seed 42 give bit-identical metrics", async () => {
    const truth = JSON.parse(fs.readFileSync(path.join(demo, "truth.json"), "utf8"));
    const args = [path.join(demo, "transactions.csv"), "--format", "custlab", "--cutoff", truth.cutoff, "--horizon", String(truth.horizon_days), "--model", "gbdt", "--train-cutoffs", "2", "--json"];
    const a = await runJSON(run, [...args, "--seed", "42"]);
    const b = await runJSON(run, [...args, "--seed", "42"]);
    expect(b.auc).toBe(a.auc);
    expect(b.pr_auc).toBe(a.pr_auc);
    expect(b.top_decile_lift).toBe(a.top_decile_lift);
    expect(b.backend).toBe(a.backend);
  });
});

describe.skipIf(!fs.existsSync(path.join(demo, "transactions.csv")))("churn CLI errors", () => {
  it("one-line CustlabErrors for leaking training windows, bad dates and unknown models; unknown outcomes score without an AUC (issue 18)", async () => {
    const file = path.join(demo, "transactions.csv");
    const today = await runJSON(run, [file, "--cutoff", "2024-12-01", "--horizon", "90", "--json"]);
    expect(today.outcomes_known).toBe(false);
    expect(today.auc).toBeUndefined();
    expect(today.note).toMatch(/outcomes at this cutoff are unknown/);
    await expect(run([file, "--cutoff", "2024-09-30", "--every", "-30", "--json"])).rejects.toThrow(/--every/);
    await expect(run([file, "--cutoff", "yesterday", "--json"])).rejects.toThrow(/--cutoff: "yesterday" is not a date/);
    await expect(run([file, "--cutoff", "2024-09-30", "--model", "svm", "--json"])).rejects.toThrow(/unknown model "svm"/);
    await expect(run(["--cutoff", "2024-09-30"])).rejects.toThrow(/needs a transactions file/);
  });
});
