// custlab models: list / show / promote (paired out-of-time comparison on the
// same folds, DeLong) / rollback / compare / delete / log on a registry built
// by custlab churn on the demo shop.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run as churn } from "../src/cli/commands/churn";
import { run as models } from "../src/cli/commands/models";
import { runJSON } from "./helpers/cli";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import { churnTransactions, churnAtCutoff } from "../src/churn";
import { delongTest } from "../src/eval";

const demo = path.resolve(__dirname, "../datasets/demo/transactions.csv");
const have = fs.existsSync(demo);
const reg = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "custlab-models-")), "R");
const train = (model: string) => runJSON(churn, [demo, "--format", "custlab", "--cutoff", "2025-01-01", "--model", model, "--train-cutoffs", "2", "--calibration", "none", "--registry", reg, "--json"]);

describe.skipIf(!have)("custlab models on the demo shop", () => {
  beforeAll(async () => {
    for (const m of ["tree", "gbdt", "tree"]) await train(m); // v1 tree (champion), v2 gbdt, v3 = v1's specification again
  }, 300_000);

  it("list and show", async () => {
    const l = await runJSON(models, ["list", reg, "--json"]);
    expect(l.name).toBe("churn-90d");
    expect(l.champion).toBe(1);
    expect(l.versions.map((v: any) => [v.version, v.model_type, v.champion])).toEqual([[1, "DecisionTreeClassifier", 1], [2, "HistGradientBoostingClassifier", 0], [3, "DecisionTreeClassifier", 0]]);
    const s = await runJSON(models, ["show", reg, "2", "--json"]);
    expect(s).toMatchObject({ version: 2, champion: false, model_type: "HistGradientBoostingClassifier", horizon_days: 90, train_cutoffs: ["2024-09-02", "2024-10-02"], calibration: "none" });
  });

  it("promotion on the same folds: an identical challenger is refused, a better one promoted; rollback, delete and the log", async () => {
    const same = await runJSON(models, ["promote", reg, "3", "--data", demo, "--format", "custlab", "--json"]);
    expect(same.promoted).toBe(false);
    expect(same.champion).toBe(1);
    expect(same.auc_challenger).toBe(same.auc_champion); // same specification, same seed, same folds → same scores
    const better = await runJSON(models, ["promote", reg, "2", "--data", demo, "--format", "custlab", "--json"]);
    expect(better.folds.map((f: any) => f.cutoff)).toEqual(["2024-09-02", "2024-10-02"]);
    // fold AUCs are the workflow's out-of-time AUCs at those cutoffs
    const { table } = await loadTransactions(demo, { format: "custlab" });
    const tx = churnTransactions(cleanTransactions(table).table);
    const c = Date.parse("2024-10-02T00:00:00Z");
    const a = await churnAtCutoff(tx, c, { model: "tree", trainCutoffs: 2 }), b = await churnAtCutoff(tx, c, { model: "gbdt", trainCutoffs: 2 });
    expect(better.folds[1].auc_a).toBe(a.metrics!.auc);
    expect(better.folds[1].auc_b).toBe(b.metrics!.auc);
    const rule = better.auc_challenger > better.auc_champion && better.folds.every((f: any) => f.auc_b > f.auc_a) && better.delong.pValue < 0.05;
    expect(better.promoted).toBe(rule);
    expect(better.promoted).toBe(true); // gbdt beats a single depth-6 tree on the demo shop
    expect(better.delong.pValue).toBeLessThan(0.05);
    // the last fold's DeLong alone agrees in direction
    expect(delongTest(a.yTrue!, b.scores.proba, a.scores.proba).diff).toBeGreaterThan(0);
    expect((await runJSON(models, ["list", reg, "--json"])).champion).toBe(2);
    const rb = await runJSON(models, ["rollback", reg, "--json"]);
    expect(rb).toMatchObject({ champion_before: 2, champion: 1 });
    await expect(models(["delete", reg, "1", "--json"])).rejects.toThrow(/is the champion/);
    const del = await runJSON(models, ["delete", reg, "3", "--json"]);
    expect(del.versions).toBe(2);
    const log = await runJSON(models, ["log", reg, "--json"]);
    expect(log.decisions.map((d: any) => [d.action, d.promoted ?? null])).toEqual([["promote", false], ["promote", true], ["rollback", null], ["delete", null]]);
    expect(log.decisions[0].reason).toMatch(/kept the champion/);
  }, 600_000);
});
