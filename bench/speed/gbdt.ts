/**
 * Section "gbdt" of bench/models-speed.ts: custlab's HistGradientBoostingClassifier
 * against scikit-learn's HistGradientBoostingClassifier and XGBoost `hist`
 * (Debian's python3-sklearn 1.2 / python3-xgboost 1.7), 1 and 2 threads.
 *
 * - Synthetic binary data, `--sizes` (default 100k,1M,3M) training rows × 20
 *   features plus a test set of min(n, 200k) rows, generated once per size
 *   by custlab's seeded RNG and written as float64 to the run's temp folder,
 *   which the Python side reads: both sides fit the very same matrix. Every
 *   side fits 100 iterations (`--iters`), 31 leaves (`--leaves`), learning
 *   rate 0.1, no early stopping; AUC on the test rows.
 * - Telco 5-fold (custlab's stratified folds, seed 42, custlab's per-fold
 *   matrices written to CSV for the peers), default options on every side
 *   (scikit-learn's defaults, which custlab mirrors); fit seconds summed over
 *   the folds, mean AUC.
 */
import * as fs from "fs";
import * as path from "path";
import { HistGradientBoostingClassifier } from "../../dist/models/gbdt";
import { rocAucScore } from "../../dist/eval/metrics";
import { createRng } from "../../dist/util/random";
import type { Matrix } from "../../dist/util/matrix";
import { formatCount, timeIt, type Side, type SpeedContext, type SpeedSection } from "./common";

const P = 20;
const PY = path.join(__dirname, "gbdt.py");

/**
 * Synthetic churn-like data: 20 features (12 informative with interactions,
 * thresholds and curvature; one integer-valued; 5% missing in one column),
 * y ~ Bernoulli(sigmoid(logit)). Row-major n × 20.
 */
export function synthData(n: number, seed = 0): { X: Float64Array; y: Float64Array } {
  const rng = createRng(seed);
  const X = new Float64Array(n * P), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * P;
    for (let j = 0; j < P; j++) X[o + j] = rng.normal();
    X[o + 12] = rng.int(10); // integer-valued (few distinct values)
    X[o + 13] = Math.exp(X[o + 13]); // skewed
    const x = X.subarray(o, o + P);
    const logit = -0.5 + 0.8 * x[0] - 0.6 * x[1] + 0.5 * x[2] * x[3] + Math.sin(2 * x[4]) + 0.4 * Math.abs(x[5]) - 0.3 * x[6] * x[6]
      + 0.7 * (x[7] > 0.5 ? 1 : 0) - 0.5 * (x[8] > 0 && x[9] > 0 ? 1 : 0) + 0.3 * x[10] + 0.15 * (x[12] - 4.5) + 0.4 * Math.log(x[13]) * (x[11] > 0 ? 1 : -1);
    y[i] = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    if (rng.next() < 0.05) X[o + 14] = NaN;
  }
  return { X, y };
}

function custlabSide(Xtr: Matrix, ytr: Float64Array, Xte: Matrix, yte: Float64Array, threads: number, opts: object): Side {
  return {
    name: "custlab",
    async run() {
      const m = new HistGradientBoostingClassifier({ ...opts, ...threadOption(threads) } as any);
      const [, s] = await timeIt(() => m.fit(Xtr, ytr));
      const p = m.predictProba(Xte);
      const p1 = new Float64Array(Xte.rows);
      for (let i = 0; i < Xte.rows; i++) p1[i] = p[i * 2 + 1];
      return { seconds: s, metric: rocAucScore(yte, p1) };
    },
  };
}

/** `{ nThreads }` when custlab's gbdt takes a thread count (it runs on one thread otherwise). */
function threadOption(threads: number): object {
  return "nThreads" in (HistGradientBoostingClassifier.spec as object) ? { nThreads: threads } : {};
}

function peerSide(ctx: SpeedContext, name: string, args: () => string[], threads: number): Side {
  return { name, run() { const r = ctx.python3(PY, args(), threads); return { seconds: r.fit_s, metric: r.auc }; } };
}

async function synthetic(ctx: SpeedContext): Promise<void> {
  const iters = Number(ctx.arg("iters", "100")), leaves = Number(ctx.arg("leaves", "31"));
  for (const n of ctx.sizes("100k,1M,3M")) {
    const m = Math.min(n, 200_000);
    const { X, y } = synthData(n + m);
    const prefix = path.join(ctx.tmp, `gbdt-${n}`);
    fs.writeFileSync(prefix + ".X.f64", Buffer.from(X.buffer));
    fs.writeFileSync(prefix + ".y.f64", Buffer.from(y.buffer));
    const Xtr: Matrix = { data: X.subarray(0, n * P), rows: n, cols: P }, Xte: Matrix = { data: X.subarray(n * P), rows: m, cols: P };
    const ytr = y.subarray(0, n), yte = y.subarray(n);
    const opts = { maxIter: iters, maxLeafNodes: leaves, learningRate: 0.1, earlyStopping: false };
    for (const t of ctx.threads) {
      const sides = [custlabSide(Xtr, ytr, Xte, yte, t, opts)];
      if (ctx.python) {
        for (const [name, kind] of [["sklearn HGB", "hgb"], ["XGBoost hist", "xgb"]])
          sides.push(peerSide(ctx, name, () => ["synth", prefix, String(n), String(m), String(P), kind, String(t), String(iters), String(leaves)], t));
      }
      await ctx.compare(`synthetic ${formatCount(n)} × ${P} (${iters} iterations, ${leaves} leaves; test ${formatCount(m)})`, t, "AUC", sides);
    }
    fs.rmSync(prefix + ".X.f64"); fs.rmSync(prefix + ".y.f64");
  }
}

async function telco(ctx: SpeedContext): Promise<void> {
  const csv = path.join(ctx.dataDir, "telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
  if (!fs.existsSync(csv)) { console.log(`  [gbdt] Telco skipped: ${csv} not found (pass --data <datasets folder>)`); return; }
  const { loadTable } = await import("../../dist/io");
  const { LogAugmentedPreprocessor } = await import("../../dist/features");
  const { foldSplit, stratifiedKFold } = await import("../../dist/eval");
  const { table } = await loadTable(csv);
  const y = Float64Array.from(table.str("Churn"), (v: string) => (v.trim() === "Yes" ? 1 : 0));
  const fold = stratifiedKFold(y, 5, 42);
  const dir = path.join(ctx.tmp, "telco");
  fs.mkdirSync(dir, { recursive: true });
  const toCSV = (m: Matrix) => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)).join(",")).join("\n");
  const folds: { Xtr: Matrix; ytr: Float64Array; Xte: Matrix; yte: Float64Array }[] = [];
  for (let f = 0; f < 5; f++) {
    const { train, test } = foldSplit(fold, f);
    const pre = new LogAugmentedPreprocessor({ types: { idColumns: ["customerID"], exclude: ["Churn"] } }).fit(table.take(train));
    const Xtr = pre.transform(table.take(train)), Xte = pre.transform(table.take(test));
    const ytr = Float64Array.from(train, (i: number) => y[i]), yte = Float64Array.from(test, (i: number) => y[i]);
    folds.push({ Xtr, ytr, Xte, yte });
    fs.writeFileSync(path.join(dir, `X${f}_train.csv`), toCSV(Xtr));
    fs.writeFileSync(path.join(dir, `X${f}_test.csv`), toCSV(Xte));
    fs.writeFileSync(path.join(dir, `y${f}_train.csv`), Array.from(ytr).join("\n"));
    fs.writeFileSync(path.join(dir, `y${f}_test.csv`), Array.from(yte).join("\n"));
  }
  for (const t of ctx.threads) {
    const sides: Side[] = [{
      name: "custlab",
      async run() {
        let s = 0, auc = 0;
        for (const f of folds) {
          const m = new HistGradientBoostingClassifier({ ...threadOption(t) } as any);
          const [, sec] = await timeIt(() => m.fit(f.Xtr, f.ytr));
          s += sec;
          const p = m.predictProba(f.Xte), p1 = new Float64Array(f.Xte.rows);
          for (let i = 0; i < f.Xte.rows; i++) p1[i] = p[i * 2 + 1];
          auc += rocAucScore(f.yte, p1) / folds.length;
        }
        return { seconds: s, metric: auc };
      },
    }];
    if (ctx.python) for (const [name, kind] of [["sklearn HGB", "hgb"], ["XGBoost hist", "xgb"]]) sides.push(peerSide(ctx, name, () => ["telco", dir, kind, String(t)], t));
    await ctx.compare(`Telco ${table.numRows.toLocaleString("en-US")} rows, 5-fold (defaults; fit s summed over folds, mean AUC)`, t, "AUC", sides);
  }
}

/** The gbdt section. */
export const section: SpeedSection = {
  name: "gbdt",
  about: "histogram gradient boosting vs scikit-learn HGB and XGBoost hist: synthetic --sizes × 20 and Telco 5-fold",
  async run(ctx) {
    if (!ctx.argv.includes("--no-telco")) await telco(ctx);
    if (!ctx.argv.includes("--no-synthetic")) await synthetic(ctx);
  },
};
