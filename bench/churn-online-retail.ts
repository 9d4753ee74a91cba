/**
 * Online Retail churn, cutoff 2011-09-09, horizon 90 days: custlab vs
 * scikit-learn on the SAME feature table.
 *
 *   npx tsx bench/churn-online-retail.ts [path/to/online_retail.csv]
 *
 * 1. Load + clean (drop exact duplicates), then the churn workflow's own
 *    tables (src/churn): training examples stacked over the 4 cutoffs
 *    `custlab churn` uses (churnTrainingCutoffs: 30 days apart, the latest at
 *    2011-09-09 − 90 days, so every training label is known by the scoring
 *    cutoff); test examples at 2011-09-09 (labels from the 90 days after).
 *    Both feature sets: basic (customerFeatures) and extended (+ BG/NBD
 *    P(alive) and expected orders, recency in own cycles, regularity, …).
 * 2. custlab: Preprocessor (median impute + standard scaling, one-hot text)
 *    + LogisticRegression(C=1) and HistGradientBoostingClassifier.
 * 3. The same table is written to a temp CSV and bench/churn-online-retail.py
 *    fits scikit-learn's LogisticRegression(C=1) and
 *    HistGradientBoostingClassifier with the same preprocessing.
 * Prints AUCs side by side, plus timings (noisy on a shared CPU).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { ONLINE_RETAIL, loadCleanOnlineRetail } from "./online-retail";
import { positiveProba } from "../src/util/estimator";
import { Table } from "../src/table";
import { churnLabels, Preprocessor } from "../src/features";
import { churnTrainingSet, churnTrainingCutoffs, churnFeatures, lastTimestamp } from "../src/churn";
import { LogisticRegression, HistGradientBoostingClassifier } from "../src/models";
import { rocAucScore, averagePrecisionScore, topKLift } from "../src/eval";

const DAY = 86_400_000;

async function main() {
  const file = process.argv[2] ?? ONLINE_RETAIL;
  if (!fs.existsSync(file)) { console.log(`skip: ${file} not found`); return; }
  const cutoff = Date.parse("2011-09-09T00:00:00Z"), H = 90;
  const { table, tx, seconds } = await loadCleanOnlineRetail(file);
  console.log(`load + clean: ${tx.numRows} lines (${table.numRows - tx.numRows} duplicates dropped) in ${seconds.toFixed(2)} s`);
  let t = Date.now();

  for (const featureSet of ["basic", "extended"] as const) {
    t = Date.now();
    const cuts = churnTrainingCutoffs(cutoff, lastTimestamp(tx), { horizonDays: H });
    const train = churnTrainingSet(tx, cuts, { horizonDays: H, featureSet });
    const testF = churnFeatures(tx, cutoff, { horizonDays: H, featureSet });
    const testY = churnLabels(tx, testF, { cutoff, horizonDays: H });
    console.log(`\n[${featureSet}] features: ${train.table.numRows} training rows (cutoffs ${train.cutoffs.map((c) => new Date(c).toISOString().slice(0, 10)).join(", ")}), ${testF.numRows} customers at 2011-09-09, churn rate ${(Array.from(testY.num("churn")).reduce((a, b) => a + b, 0) / testF.numRows).toFixed(3)}, ${((Date.now() - t) / 1000).toFixed(2)} s`);

    // one table, both sides read it
    const featureCols = testF.columnNames();
    const trainPart = train.table.select(featureCols).assign({ churn: train.table.get("churn"), split: new Array(train.table.numRows).fill("train") });
    const testPart = testF.assign({ churn: testY.get("churn"), split: new Array(testF.numRows).fill("test") });
    const all = Table.concat([trainPart, testPart]);
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "custlab-or-")), "features.csv");
    fs.writeFileSync(tmp, all.toCSV());

    // one-hot every text column (country has 37 levels) to match the scikit-learn side exactly
    const pre = new Preprocessor({ encode: "onehot", types: { idColumns: ["customer_id"], exclude: ["churn", "split"] } });
    const Xtr = pre.fit(trainPart).transform(trainPart), ytr = Float64Array.from(trainPart.num("churn"));
    const Xte = pre.transform(testPart), yte = testPart.num("churn");
    const rows: string[] = [];
    for (const [name, make] of [["LogisticRegression", () => new LogisticRegression({ C: 1, maxIter: 2000 })], ["HistGradientBoosting", () => new HistGradientBoostingClassifier({ seed: 42 })]] as const) {
      t = Date.now();
      const m = make().fit(Xtr, ytr);
      const p = positiveProba(m, Xte);
      rows.push(`custlab ${name.padEnd(22)} AUC ${rocAucScore(yte, p).toFixed(4)}  PR-AUC ${averagePrecisionScore(yte, p).toFixed(4)}  top-decile lift ${topKLift(yte, p, 0.1).toFixed(3)}  fit ${((Date.now() - t) / 1000).toFixed(2)} s`);
    }
    console.log(`features in the model: ${Xtr.cols} (${pre.featureNames_.slice(0, 6).join(", ")}, ...)`);
    for (const r of rows) console.log(r);
    try {
      const out = execFileSync("/usr/bin/python3", [path.resolve(__dirname, "churn-online-retail.py"), tmp], { encoding: "utf8" });
      process.stdout.write(out);
    } catch (e) {
      console.log(`scikit-learn side failed: ${(e as Error).message.split("\n")[0]}`);
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
