/**
 * Telco churn model zoo, stratified 5-fold (seed 42), side by side with
 * scikit-learn on the SAME folds.
 *
 *   npx tsx bench/telco-models.ts [--models logreg,tree,forest,gbdt,mlp,ensemble,stacking] [--data ../shared/datasets]
 *                                  [--no-python] [--json out.json]
 *
 * custlab: each model is cross-validated with src/eval crossValidate, the
 * Preprocessor fitted on each training fold only. The fold ids and custlab's
 * per-fold matrices are written to a temp folder and bench/telco-models.py
 * (/usr/bin/python3 + scikit-learn) fits LogisticRegression(C=1),
 * HistGradientBoostingClassifier() (defaults) and a RandomForest on exactly
 * those matrices, plus its own ColumnTransformer pipeline from the raw CSV on
 * the same folds. Acceptance: logreg ≥ 0.845, best ≥ 0.85, |gbdt − sklearn HGB| ≤ 0.005.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { loadTable } from "../src/io";
import { LogAugmentedPreprocessor, Preprocessor } from "../src/features";
import { createModel, isTfjsModel } from "../src/models";
import { crossValidate, foldSplit, stratifiedKFold } from "../src/eval";
import { initBackend } from "../src/backend";
import type { Matrix } from "../src/util/matrix";

const argv = process.argv.slice(2);
const arg = (name: string, dflt?: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : dflt; };
const dataDir = path.resolve(arg("data", path.resolve(__dirname, "../../shared/datasets"))!);
const csv = path.join(dataDir, "telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
const names = arg("models", "logreg_plain,logreg,tree,forest,gbdt,gbdt_tuned,mlp,ensemble,stacking")!.split(",");
const SEED = 42;

const toCSV = (m: Matrix) => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)).join(",")).join("\n");

async function main() {
  if (!fs.existsSync(csv)) { console.log(`Telco CSV not found at ${csv}; pass --data <datasets folder>`); return; }
  const backend = await initBackend();
  const { table } = await loadTable(csv);
  const y = Float64Array.from(table.str("Churn"), (v) => (v.trim() === "Yes" ? 1 : 0));
  const fold = stratifiedKFold(y, 5, SEED);
  // custlab train's default preprocessing: Preprocessor + log1p copies of right-skewed columns (TotalCharges here);
  // "logreg_plain" uses the plain Preprocessor (one-hot + scaling only), the setting of scikit-learn's 0.845.
  const types = { idColumns: ["customerID"], exclude: ["Churn"] };
  const pre = () => new LogAugmentedPreprocessor({ types });
  const plain = () => new Preprocessor({ types });
  console.log(`Telco: ${table.numRows} rows, churn rate ${(y.reduce((a, b) => a + b) / y.length).toFixed(4)}, 5 stratified folds (seed ${SEED}); tfjs backend ${backend.name}`);
  const results: Record<string, { auc_mean: number; auc_std: number; pr_auc_mean: number; logloss_mean: number; fit_seconds: number; auc_per_fold: number[] }> = {};
  for (const name of names) {
    const [zooName, overrides] = name === "gbdt_tuned" ? ["gbdt", { learningRate: 0.02, maxLeafNodes: 4, minSamplesLeaf: 50, l2Regularization: 1, maxIter: 600 }] : name === "logreg_plain" ? ["logreg", {}] : [name, {}];
    const t0 = Date.now();
    const cv = await crossValidate(() => createModel(zooName, { seed: SEED, overrides }) as any, table, y, { folds: fold, preprocess: name === "logreg_plain" ? plain : pre });
    const fitS = cv.perFold.reduce((s, f) => s + f.fit_seconds, 0);
    results[name] = { auc_mean: cv.mean.auc, auc_std: cv.std.auc, pr_auc_mean: cv.mean.pr_auc, logloss_mean: cv.mean.logloss, fit_seconds: fitS, auc_per_fold: cv.perFold.map((f) => f.auc) };
    console.log(`custlab ${name.padEnd(11)} AUC ${cv.mean.auc.toFixed(4)} ± ${cv.std.auc.toFixed(4)}  PR-AUC ${cv.mean.pr_auc.toFixed(4)}  log-loss ${cv.mean.logloss.toFixed(4)}  fit ${fitS.toFixed(1)} s (5 folds${isTfjsModel(zooName) ? `, ${backend.name}` : ""}; wall ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  let sk: any = null;
  if (!argv.includes("--no-python")) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-telco-"));
    fs.writeFileSync(path.join(dir, "fold.csv"), Array.from(fold).join("\n"));
    fs.writeFileSync(path.join(dir, "meta.json"), JSON.stringify({ csv }));
    for (let f = 0; f < 5; f++) {
      const { train, test } = foldSplit(fold, f);
      const p = pre().fit(table.take(train));
      fs.writeFileSync(path.join(dir, `X${f}_train.csv`), toCSV(p.transform(table.take(train))));
      fs.writeFileSync(path.join(dir, `X${f}_test.csv`), toCSV(p.transform(table.take(test))));
      fs.writeFileSync(path.join(dir, `y${f}_train.csv`), Array.from(train, (i) => y[i]).join("\n"));
      fs.writeFileSync(path.join(dir, `y${f}_test.csv`), Array.from(test, (i) => y[i]).join("\n"));
    }
    console.log(`fold assignment + custlab's per-fold matrices written to ${dir}; running /usr/bin/python3 bench/telco-models.py ...`);
    try {
      sk = JSON.parse(execFileSync("/usr/bin/python3", [path.join(__dirname, "telco-models.py"), dir], { encoding: "utf8", maxBuffer: 1 << 24 }));
      for (const [name, r] of Object.entries<any>(sk.same_matrix)) console.log(`sklearn ${name.padEnd(11)} AUC ${r.auc_mean.toFixed(4)} ± ${r.auc_std.toFixed(4)}  fit ${r.fit_seconds.toFixed(1)} s   (custlab's matrices, same folds)`);
      for (const [name, r] of Object.entries<any>(sk.own_pipeline)) console.log(`sklearn ${name.padEnd(11)} AUC ${r.auc_mean.toFixed(4)} ± ${r.auc_std.toFixed(4)}   (sklearn's own ColumnTransformer from the raw CSV, same folds)`);
    } catch (e) {
      console.log(`scikit-learn side skipped: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  console.log("\nAcceptance:");
  const best = Object.entries(results).sort((a, b) => b[1].auc_mean - a[1].auc_mean)[0];
  if (results.logreg_plain) console.log(`  logreg (plain one-hot + scaling) auc_mean ${results.logreg_plain.auc_mean.toFixed(4)} (≥ 0.845: ${results.logreg_plain.auc_mean >= 0.845 ? "PASS" : "FAIL"})`);
  if (results.logreg) console.log(`  logreg (custlab train default, + log1p of skewed columns) auc_mean ${results.logreg.auc_mean.toFixed(4)} (≥ 0.845: ${results.logreg.auc_mean >= 0.845 ? "PASS" : "FAIL"})`);
  if (best) console.log(`  best of the zoo: ${best[0]} ${best[1].auc_mean.toFixed(4)} (≥ 0.85: ${best[1].auc_mean >= 0.85 ? "PASS" : "FAIL"})`);
  for (const g of ["gbdt", "gbdt_tuned"]) if (results[g] && sk?.same_matrix?.[g]) {
    const d = results[g].auc_mean - sk.same_matrix[g].auc_mean;
    console.log(`  ${g} ${results[g].auc_mean.toFixed(4)} vs sklearn HistGradientBoostingClassifier ${sk.same_matrix[g].auc_mean.toFixed(4)} on the same folds and matrices: Δ ${d >= 0 ? "+" : ""}${d.toFixed(4)} (|Δ| ≤ 0.005: ${Math.abs(d) <= 0.005 ? "PASS" : "FAIL"}); per fold custlab ${results[g].auc_per_fold.map((v) => v.toFixed(4)).join(" ")} / sklearn ${sk.same_matrix[g].auc_per_fold.map((v: number) => v.toFixed(4)).join(" ")}`);
  }
  const out = arg("json");
  if (out) fs.writeFileSync(out, JSON.stringify({ backend: backend.name, custlab: results, sklearn: sk }, null, 2));
}

main().catch((e) => { console.error(e); process.exit(1); });
