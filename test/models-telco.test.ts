import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { loadTable } from "../src/io";
import { LogAugmentedPreprocessor, Preprocessor } from "../src/features";
import { HistGradientBoostingClassifier, LogisticRegression } from "../src/models";
import { crossValidate, stratifiedKFold } from "../src/eval";
import { run as trainCLI } from "../src/cli/commands/train";
import { runJSON } from "./helpers/cli";

// Acceptance on IBM Telco churn: stratified 5-fold, seed 42 (src/eval stratifiedKFold).
const csv = path.resolve(__dirname, "../../shared/datasets/telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
const have = fs.existsSync(csv);
if (!have) console.warn(`models-telco: skipped — ${csv} not found (needs ../shared/datasets)`);

// scikit-learn 1.2.1 on custlab's per-fold matrices (bench/telco-models.ts writes them; same folds):
//   HistGradientBoostingClassifier(random_state=0)  and  LogisticRegression(C=1)
const SK_HGB = [0.837647575499238, 0.8320816864295125, 0.8433684672815107, 0.8263757754724068, 0.826775980305961];
const SK_LR = [0.8499005399261153, 0.8416156449404532, 0.8527474230799038, 0.8363303156286022, 0.8454059309674283];
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;


describe.skipIf(!have)("Telco churn acceptance", () => {
  it("logreg ≥ 0.845 (plain one-hot + scaling) and matches scikit-learn per fold; + log1p(TotalCharges) ≥ 0.849; gbdt within 0.005 of sklearn HGB", async () => {
    const { table } = await loadTable(csv);
    const y = Float64Array.from(table.str("Churn"), (v) => (v.trim() === "Yes" ? 1 : 0));
    const folds = stratifiedKFold(y, 5, 42);
    const types = { idColumns: ["customerID"], exclude: ["Churn"] };
    const plain = await crossValidate(() => new LogisticRegression({ C: 1 }), table, y, { folds, preprocess: () => new Preprocessor({ types }) });
    console.log(`telco logreg (plain) AUC ${plain.mean.auc.toFixed(4)} ± ${plain.std.auc.toFixed(4)}; sklearn on the same matrices ${mean(SK_LR).toFixed(4)}`);
    expect(plain.mean.auc).toBeGreaterThanOrEqual(0.845);
    plain.perFold.forEach((f, i) => expect(Math.abs(f.auc - SK_LR[i])).toBeLessThan(2e-4));

    const aug = new LogAugmentedPreprocessor({ types }).fit(table);
    expect(aug.logColumns_).toEqual(["TotalCharges"]);
    const logged = await crossValidate(() => new LogisticRegression({ C: 1 }), table, y, { folds, preprocess: () => new LogAugmentedPreprocessor({ types }) });
    console.log(`telco logreg (+ log1p TotalCharges) AUC ${logged.mean.auc.toFixed(4)}`);
    expect(logged.mean.auc).toBeGreaterThanOrEqual(0.849);

    const gb = await crossValidate(() => new HistGradientBoostingClassifier(), table, y, { folds, preprocess: () => new Preprocessor({ types }) });
    console.log(`telco gbdt AUC ${gb.mean.auc.toFixed(4)} vs sklearn HistGradientBoostingClassifier ${mean(SK_HGB).toFixed(4)} (Δ ${(gb.mean.auc - mean(SK_HGB)).toFixed(5)})`);
    expect(Math.abs(gb.mean.auc - mean(SK_HGB))).toBeLessThanOrEqual(0.005);
    gb.perFold.forEach((f, i) => expect(Math.abs(f.auc - SK_HGB[i])).toBeLessThan(0.002));
  });

  it("custlab train: same seed → identical scores; the JSON has the documented fields", async () => {
    const args = ["--table", csv, "--target", "Churn", "--positive", "Yes", "--id", "customerID", "--model", "tree", "--cv", "5", "--seed", "42", "--json"];
    const a = await runJSON(trainCLI, args);
    const b = await runJSON(trainCLI, args);
    for (const k of ["model", "backend", "rows", "folds", "auc_mean", "auc_std", "pr_auc_mean", "logloss_mean", "fit_seconds"]) expect(a).toHaveProperty(k);
    expect(a.rows).toBe(7043);
    expect(a.folds).toBe(5);
    expect(a.log1p_columns).toEqual(["TotalCharges"]);
    expect(b.auc_per_fold).toEqual(a.auc_per_fold);
    expect(b.logloss_mean).toBe(a.logloss_mean);
    expect(a.auc_mean).toBeGreaterThan(0.8);
  });
});
