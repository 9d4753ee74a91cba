/**
 * Section "shap" of bench/models-speed.ts: custlab's TreeSHAP (`treeShap`,
 * src/explain/treeshap.ts) against XGBoost's `pred_contribs` (Debian's
 * python3-xgboost 1.7) on the SAME trees, 1 and 2 threads.
 *
 * The data are gbdt's synthetic rows (bench/speed/gbdt.ts `synthData`, seed 1)
 * rounded to float32, so that XGBoost (which reads float32) and custlab see
 * the same numbers: `--shap-train` rows (default 100k) to train, then
 * `--shap-rows` rows (default 20k) to explain. XGBoost trains two 100-tree
 * models (`--shap-trees`): depthwise (max_depth 6, its default) and lossguide
 * (31 leaves, no depth limit, the shape of custlab's gbdt trees); custlab
 * reads each saved JSON model with `readXGBoostModel` and explains the same
 * rows. Each side's time covers the explanation only (custlab: compiling the
 * trees, the threads and the values; XGBoost: `predict(pred_contribs=True)`
 * on a ready DMatrix). Before timing, the values of both sides are compared
 * (largest |difference|; XGBoost computes in float32). A last row times
 * custlab on its own gbdt (100 iterations, 31 leaves) fitted on the same rows.
 */
import * as fs from "fs";
import * as path from "path";
import { HistGradientBoostingClassifier } from "../../dist/models/gbdt";
import { readXGBoostModel } from "../../dist/explain/xgboost";
import { treeShap } from "../../dist/explain/treeshap";
import type { Matrix } from "../../dist/util/matrix";
import { formatCount, parseCount, timeIt, type Side, type SpeedContext, type SpeedSection } from "./common";
import { synthData } from "./gbdt";

const P = 20;
const PY = path.join(__dirname, "shap.py");

function meanAbs(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.abs(v[i]);
  return s / v.length;
}

function custlabSide(model: unknown, X: Matrix, threads: number): Side {
  return {
    name: "custlab",
    async run() {
      const [r, s] = await timeIt(() => treeShap(model, X, { nThreads: threads }));
      if (r.threads !== threads) throw new Error(`treeShap ran on ${r.threads} threads, asked for ${threads}`);
      return { seconds: s, metric: meanAbs(r.values.data) };
    },
  };
}

async function run(ctx: SpeedContext): Promise<void> {
  const ntr = parseCount(ctx.arg("shap-train", "100k")!), R = parseCount(ctx.arg("shap-rows", "20k")!), trees = Number(ctx.arg("shap-trees", "100"));
  const { X, y } = synthData(ntr + R, 1);
  for (let i = 0; i < X.length; i++) X[i] = Math.fround(X[i]);
  const prefix = path.join(ctx.tmp, "shap");
  fs.writeFileSync(prefix + ".X.f64", Buffer.from(X.buffer));
  fs.writeFileSync(prefix + ".y.f64", Buffer.from(y.buffer));
  const Xe: Matrix = { data: X.subarray(ntr * P), rows: R, cols: P };
  if (ctx.python) {
    for (const kind of ["depthwise", "lossguide"]) {
      const file = path.join(ctx.tmp, `xgb-${kind}.json`);
      ctx.python3(PY, ["train", prefix, String(ntr), String(P), kind, String(trees), file], 2);
      const xm = readXGBoostModel(file);
      let leaves = 0, depth = 0;
      for (const t of xm.trees) { for (let i = 0; i < t.nodeCount; i++) if (t.left[i] < 0) leaves++; depth = Math.max(depth, t.maxDepth); }
      // same values first: XGBoost's contributions (float32) against custlab's
      const out = path.join(ctx.tmp, `contribs-${kind}.f64`);
      ctx.python3(PY, ["contribs", prefix, String(ntr), String(R), String(P), file, "2", out], 2);
      const ref = new Float64Array(fs.readFileSync(out).buffer.slice(0));
      const mine = treeShap(xm, Xe, { nThreads: 1 });
      let md = 0, mb = 0, scale = 0;
      for (let i = 0; i < R; i++) {
        for (let j = 0; j < P; j++) { md = Math.max(md, Math.abs(mine.values.data[i * P + j] - ref[i * (P + 1) + j])); scale = Math.max(scale, Math.abs(ref[i * (P + 1) + j])); }
        mb = Math.max(mb, Math.abs(mine.expectedValue - ref[i * (P + 1) + P]));
      }
      fs.rmSync(out);
      console.log(`  [shap] XGBoost ${kind} model: ${xm.trees.length} trees, ${(leaves / xm.trees.length).toFixed(1)} leaves per tree, depth ≤ ${depth}; custlab vs pred_contribs on ${formatCount(R)} rows: max |Δφ| ${md.toExponential(2)} (largest |φ| ${scale.toFixed(3)}), max |Δbias| ${mb.toExponential(2)}`);
      for (const t of ctx.threads) {
        const xgbSide: Side = { name: "XGBoost", run() { const r = ctx.python3(PY, ["contribs", prefix, String(ntr), String(R), String(P), file, String(t)], t); return { seconds: r.fit_s, metric: r.metric }; } };
        await ctx.compare(`TreeSHAP ${formatCount(R)} rows × ${P}, XGBoost ${kind} model (${xm.trees.length} trees, depth ≤ ${depth})`, t, "mean|φ|", [custlabSide(xm, Xe, t), xgbSide]);
      }
    }
  }
  // custlab's own gbdt trees (no peer explains them)
  const m = new HistGradientBoostingClassifier({ maxIter: trees, maxLeafNodes: 31, learningRate: 0.1, earlyStopping: false }).fit({ data: X.subarray(0, ntr * P), rows: ntr, cols: P }, y.subarray(0, ntr));
  const depth = Math.max(...m.trees_!.map((t) => t[0].maxDepth));
  for (const t of ctx.threads) await ctx.compare(`TreeSHAP ${formatCount(R)} rows × ${P}, custlab gbdt model (${m.trees_!.length} trees, 31 leaves, depth ≤ ${depth})`, t, "mean|φ|", [custlabSide(m, Xe, t)]);
  fs.rmSync(prefix + ".X.f64"); fs.rmSync(prefix + ".y.f64");
}

/** The shap section. */
export const section: SpeedSection = {
  name: "shap",
  about: "TreeSHAP vs XGBoost pred_contribs on the same 100-tree models (depthwise and lossguide), --shap-rows (20k) rows × 20",
  run,
};
