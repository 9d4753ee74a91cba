/**
 * Online Retail future spend, cutoff 2011-09-09, horizon 90 days: custlab's
 * regressors and the BG/NBD × Gamma-Gamma CLV prediction vs scikit-learn on
 * the SAME feature matrices.
 *
 *   npx tsx bench/value-online-retail.ts [path/to/online_retail.csv]
 *
 * 1. Load + clean (drop exact duplicates). valueAtCutoff (the one value
 *    workflow): regressors learn from features at 2011-06-11 and the spend in
 *    (2011-06-11, 2011-09-09], then predict the spend in (2011-09-09,
 *    2011-12-08] from features at 2011-09-09; BG/NBD × Gamma-Gamma is fitted on
 *    the purchases before 2011-09-09.
 * 2. The preprocessed train/test matrices are written to a temp CSV and
 *    bench/value-online-retail.py fits HistGradientBoostingRegressor
 *    (squared error, Poisson) and RandomForestRegressor on them.
 * Prints one table (MAE, RMSE, R², Spearman, normalised Gini, top-decile
 * share) and the RMSE ratio custlab gbdt / scikit-learn HGB (goal: within 2%).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { ONLINE_RETAIL, loadCleanOnlineRetail } from "./online-retail";
import { valueAtCutoff } from "../src/value";

async function main() {
  const file = process.argv[2] ?? ONLINE_RETAIL;
  if (!fs.existsSync(file)) { console.log(`skip: ${file} not found`); return; }
  const cutoff = Date.parse("2011-09-09T00:00:00Z"), H = 90;
  const { tx, seconds } = await loadCleanOnlineRetail(file);
  console.log(`load + clean: ${tx.numRows} lines in ${seconds.toFixed(2)} s`);
  const t = Date.now();
  const run = valueAtCutoff(tx, { cutoff, horizonDays: H, seed: 42 });
  const yte = run.test.spend;
  console.log(`value workflow: ${run.train.features.numRows} training customers (features at 2011-06-11), ${run.test.features.numRows} scored at 2011-09-09, ${run.Xtrain.cols} features, ${((Date.now() - t) / 1000).toFixed(2)} s; mean future spend ${(yte.reduce((a, b) => a + b, 0) / yte.length).toFixed(1)}`);

  // the same matrices for scikit-learn
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-value-"));
  const csv = path.join(dir, "value.csv");
  const lines = [["split", "y", ...Array.from({ length: run.Xtrain.cols }, (_, j) => `x${j}`)].join(",")];
  const dump = (X: { data: Float64Array; rows: number; cols: number }, y: Float64Array, split: number) => {
    for (let i = 0; i < X.rows; i++) lines.push([split, y[i], ...Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols), (v) => (Number.isNaN(v) ? "nan" : String(v)))].join(","));
  };
  dump(run.Xtrain, run.train.spend, 0); dump(run.Xtest, yte, 1);
  fs.writeFileSync(csv, lines.join("\n") + "\n");
  let sk: Record<string, { mae: number; rmse: number; r2: number; spearman: number; fit_seconds: number }> = {};
  try {
    sk = JSON.parse(execFileSync("/usr/bin/python3", [path.resolve(__dirname, "value-online-retail.py"), csv], { encoding: "utf8" }));
  } catch (e) {
    console.log(`scikit-learn side failed: ${(e as Error).message.split("\n")[0]}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });

  const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");
  console.log(`\n| model | MAE | RMSE | R² | Spearman | normalised Gini | top-decile share | fit s |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|---:|`);
  for (const r of run.results) console.log(`| custlab ${r.model} | ${f(r.mae)} | ${f(r.rmse)} | ${f(r.r2, 4)} | ${f(r.spearman, 4)} | ${f(r.gini, 4)} | ${f(r.top_decile_share, 4)} | ${f(r.fit_seconds, 2)} |`);
  for (const [name, r] of Object.entries(sk)) console.log(`| ${name} | ${f(r.mae)} | ${f(r.rmse)} | ${f(r.r2, 4)} | ${f(r.spearman, 4)} | n/a | n/a | ${f(r.fit_seconds, 2)} |`);
  const mine = run.results.find((r) => r.model === "gbdt")!, minePois = run.results.find((r) => r.model === "gbdt-poisson")!;
  if (sk["sklearn-hgb"]) console.log(`\nRMSE custlab gbdt / scikit-learn HGB (squared error): ${mine.rmse.toFixed(2)} / ${sk["sklearn-hgb"].rmse.toFixed(2)} = ${(mine.rmse / sk["sklearn-hgb"].rmse).toFixed(4)} (goal within 2%)`);
  if (sk["sklearn-hgb-poisson"]) console.log(`RMSE custlab gbdt-poisson / scikit-learn HGB (poisson): ${minePois.rmse.toFixed(2)} / ${sk["sklearn-hgb-poisson"].rmse.toFixed(2)} = ${(minePois.rmse / sk["sklearn-hgb-poisson"].rmse).toFixed(4)}`);
  const clv = run.results.find((r) => r.model === "bgnbd-gamma-gamma")!;
  const bestReg = run.results.filter((r) => r.model !== "bgnbd-gamma-gamma").reduce((a, b) => (b.gini > a.gini ? b : a));
  console.log(`value ranking (normalised Gini): best regressor ${bestReg.model} ${bestReg.gini.toFixed(4)} vs BG/NBD × Gamma-Gamma ${clv.gini.toFixed(4)} (${clv.gini > bestReg.gini ? "CLV ranks better" : "the regressor ranks better"} by ${Math.abs(clv.gini - bestReg.gini).toFixed(4)}); best by Gini overall: ${run.bestByGini}, best by RMSE: ${run.bestByRmse}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
