import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { rocAucScore } from "../src/eval";
import { run } from "../src/cli/commands/churn";
import { runJSON } from "./helpers/cli";

// Acceptance: on the demo shop, the best model's AUC at the truth cutoff is
// within 0.02 of the Bayes-optimal AUC (the AUC of the generator's true churn
// probabilities against the realised outcomes).
const demo = path.resolve(__dirname, "../datasets/demo");
const have = fs.existsSync(path.join(demo, "transactions.csv")) && fs.existsSync(path.join(demo, "truth_customers.csv"));


describe.skipIf(!have)("churn on the demo shop vs the Bayes-optimal AUC", () => {
  it("custlab churn --model gbdt reaches Bayes AUC − 0.02; alerts and registry artifact", async () => {
    const truth = JSON.parse(fs.readFileSync(path.join(demo, "truth.json"), "utf8"));
    const lines = fs.readFileSync(path.join(demo, "truth_customers.csv"), "utf8").trim().split("\n");
    const head = lines[0].split(",");
    const ip = head.indexOf("churn_prob"), ic = head.indexOf("churned");
    const p = lines.slice(1).map((l) => Number(l.split(",")[ip]));
    const y = lines.slice(1).map((l) => Number(l.split(",")[ic]));
    const bayes = rocAucScore(y, p);
    expect(bayes).toBeCloseTo(truth.churn_bayes_auc, 5);
    const alerts = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "custlab-churn-")), "alerts.csv");
    const args = [path.join(demo, "transactions.csv"), "--format", "custlab", "--cutoff", truth.cutoff, "--horizon", String(truth.horizon_days), "--model", "gbdt", "--seed", "42", "--json"];
    const regDir = path.join(path.dirname(alerts), "registry");
    const out = await runJSON(run, [...args, "--alerts", alerts, "--registry", regDir]);
    console.log(`demo: Bayes-optimal AUC ${bayes.toFixed(4)}, custlab gbdt AUC ${out.auc.toFixed(4)} (gap ${(bayes - out.auc).toFixed(4)}), PR-AUC ${out.pr_auc.toFixed(4)}, top-decile lift ${out.top_decile_lift.toFixed(3)}`);
    expect(out.customers).toBe(truth.counts.customers);
    expect(out.churn_rate).toBeCloseTo(truth.churn_rate, 5);
    expect(out.auc).toBeGreaterThanOrEqual(bayes - 0.02);
    expect(out.auc).toBeLessThanOrEqual(bayes + 0.01); // no model beats the truth by more than noise
    const csv = fs.readFileSync(alerts, "utf8").split("\n");
    expect(csv[0]).toBe("customer_id,churn_probability,band,percentile,horizon_days,value_12m,value_at_risk,top_reasons,manual_review,eligible,eligibility");
    expect(csv.length - 2).toBe(truth.counts.customers);
    // the saved artifact reproduces the alert probabilities exactly
    const { ModelRegistry } = await import("../src/registry");
    const { loadTransactions } = await import("../src/io");
    const { cleanTransactions } = await import("../src/clean");
    const { customerFeatures, Preprocessor } = await import("../src/features");
    expect(out.registry_version).toBe(1);
    const reg = new ModelRegistry(regDir);
    const art = reg.artifact("churn-90d", "latest");
    const loaded = reg.load("churn-90d", { expectFeatures: art.featureSchema.names });
    expect(loaded.artifact.metrics.auc).toBe(out.auc);
    const { table } = await loadTransactions(path.join(demo, "transactions.csv"), { format: "custlab" });
    const cl = cleanTransactions(table).table, dup = cl.num("is_duplicate");
    const f = customerFeatures(cl.filter((i) => !dup[i]), { cutoff: Date.parse(truth.cutoff + "T00:00:00Z") });
    const { positiveProba } = await import("../src/util/estimator");
    const p2 = positiveProba(loaded.model, (loaded.preprocessing as InstanceType<typeof Preprocessor>).transform(f));
    const byId = new Map(f.str("customer_id").map((c, i) => [c, p2[i]]));
    for (const line of csv.slice(1, 50)) { const [id, prob] = line.split(","); expect(Number(prob)).toBe(byId.get(id)); }
  });
});
