import * as fs from "fs";
import { parseArgs, printJSON, strOpt, numOpt } from "../args";
import { CustlabError } from "../../util/errors";
import { consoleProgress } from "../../util/progress";
import { loadTransactions } from "../../io";
import { cleanTransactions } from "../../clean";
import { Table } from "../../table";
import { customerFeatures, churnLabels, rollingCutoffs, Preprocessor } from "../../features";
import * as models from "../../models";
import { rocAucScore, averagePrecisionScore, topKLift } from "../../eval";
import { buildAlerts } from "../../alerts";
import { explainModel, reasonCodes } from "../../explain";

export const usage = `custlab churn <transactions> --format <adapter> --cutoff <YYYY-MM-DD> [--horizon 90]
       [--model logreg|tree|forest|gbdt|mlp] [--train-cutoffs 4] [--every 30] [--seed 42]
       [--alerts <file.csv>] [--json]

Churn at a cutoff without leakage: customer features are built from rows
before each cutoff; the model is trained on examples stacked over
--train-cutoffs earlier cutoffs (the latest at cutoff − horizon, then every
--every days back), whose horizons all end by the scoring cutoff; it then
scores the customers at --cutoff and is evaluated on what they did in the
following --horizon days (the data must reach cutoff + horizon).
Exact duplicate lines are dropped first (custlab clean rules).
Prints {customers, churn_rate, auc, pr_auc, top_decile_lift, model, backend, ...};
--alerts writes the early-warning alert list (bands, value at risk, reasons).`;

const DAY = 86_400_000;

/** Model names → constructors in src/models (tfjs models resolved when present). */
const MODEL_CLASSES: Record<string, { cls: string; tfjs?: boolean; options: (seed: number) => object }> = {
  logreg: { cls: "LogisticRegression", options: (seed) => ({ C: 1, seed, maxIter: 2000 }) },
  tree: { cls: "DecisionTreeClassifier", options: (seed) => ({ maxDepth: 6, minSamplesLeaf: 20, seed }) },
  forest: { cls: "RandomForestClassifier", options: (seed) => ({ nEstimators: 200, minSamplesLeaf: 5, seed }) },
  gbdt: { cls: "HistGradientBoostingClassifier", options: (seed) => ({ seed }) },
  mlp: { cls: "MLPClassifier", tfjs: true, options: (seed) => ({ seed }) },
};

function parseDate(s: string | undefined, name: string): number {
  if (!s) throw new CustlabError("E_USAGE", `option --${name} is required (YYYY-MM-DD)`);
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? s + "T00:00:00Z" : s);
  if (!Number.isFinite(t)) throw new CustlabError("E_USAGE", `option --${name}: "${s}" is not a date (use YYYY-MM-DD)`);
  return t;
}

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", cutoff: "string", horizon: "string", model: "string", seed: "string", json: "boolean",
    "train-cutoffs": "string", every: "string", alerts: "string",
  });
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab churn needs a transactions file (see --help)");
  const cutoff = parseDate(strOpt(options, "cutoff"), "cutoff");
  const H = numOpt(options, "horizon", 90);
  const seed = numOpt(options, "seed", 42);
  const nCuts = numOpt(options, "train-cutoffs", 4);
  const every = numOpt(options, "every", 30);
  const modelName = strOpt(options, "model", "logreg")!;
  const spec = MODEL_CLASSES[modelName];
  if (!spec) throw new CustlabError("E_USAGE", `option --model: unknown model "${modelName}" (choose one of: ${Object.keys(MODEL_CLASSES).join(", ")})`);
  const Cls = (models as Record<string, any>)[spec.cls];
  if (typeof Cls !== "function") throw new CustlabError("E_USAGE", `option --model ${modelName}: ${spec.cls} is not available in this build of custlab`);
  const progress = options.json ? undefined : consoleProgress();

  const t0 = Date.now();
  const loaded = await loadTransactions(file, { format: (strOpt(options, "format", "custlab") as any) });
  const cleaned = cleanTransactions(loaded.table).table;
  const dup = cleaned.num("is_duplicate");
  const tx = cleaned.filter((i) => !dup[i]);
  const ts = tx.num("timestamp");
  let maxTs = -Infinity;
  for (let i = 0; i < ts.length; i++) if (ts[i] > maxTs) maxTs = ts[i];
  if (cutoff + H * DAY > maxTs + DAY) {
    throw new CustlabError("E_OPTION", `the data ends ${new Date(maxTs).toISOString().slice(0, 10)}, before cutoff + horizon (${new Date(cutoff + H * DAY).toISOString().slice(0, 10)}): outcomes at this cutoff are unknown, so AUC cannot be measured`, { file });
  }

  // training examples: cutoffs whose horizon ends by the scoring cutoff
  const last = cutoff - H * DAY;
  const train = rollingCutoffs(tx, { last, every, count: nCuts, horizonDays: H, onProgress: progress });
  const labelCols = ["churn", "purchase_in_h", "future_orders", "future_spend", "past_orders", "customer_class", "class_code", "cutoff"];
  const pre = new Preprocessor({ types: { idColumns: ["customer_id"], exclude: labelCols } });
  const Xtr = pre.fit(train.table).transform(train.table);
  const ytr = Float64Array.from(train.table.num("churn"));

  let backend = "js (no tfjs)";
  if (spec.tfjs) {
    const { initBackend } = await import("../../backend");
    backend = (await initBackend()).name;
  }
  const model = new Cls(spec.options(seed));
  await model.fit(Xtr, ytr, { onProgress: progress });

  const feats = customerFeatures(tx, { cutoff });
  const labels = churnLabels(tx, feats, { cutoff, horizonDays: H });
  const Xte = pre.transform(feats);
  const p: Float64Array = model.predictProba(Xte);
  const y = labels.num("churn");
  let churners = 0;
  for (let i = 0; i < y.length; i++) churners += y[i];

  if (options.alerts) {
    let reasons: Table | undefined;
    if (typeof model.shapValues === "function") reasons = reasonCodes(explainModel(model, Xte), { raw: feats, topK: 3 });
    const alerts = buildAlerts({ customers: feats.str("customer_id"), proba: p, features: feats, reasons }, { horizonDays: H });
    fs.writeFileSync(String(options.alerts), alerts.toCSV());
  }

  const out = {
    customers: feats.numRows,
    churn_rate: churners / feats.numRows,
    auc: rocAucScore(y, p),
    pr_auc: averagePrecisionScore(y, p),
    top_decile_lift: topKLift(y, p, 0.1),
    model: modelName,
    backend,
    cutoff: new Date(cutoff).toISOString().slice(0, 10),
    horizon_days: H,
    train_cutoffs: train.cutoffs.map((c) => new Date(c).toISOString().slice(0, 10)),
    train_rows: train.table.numRows,
    features: Xtr.cols,
    seed,
    seconds: (Date.now() - t0) / 1000,
  };
  if (options.json) printJSON(out);
  else {
    process.stdout.write(
      `churn at ${out.cutoff}, horizon ${H} days, model ${modelName} (${backend})\n` +
      `  trained on ${out.train_rows} examples from cutoffs ${out.train_cutoffs.join(", ")}\n` +
      `  scored ${out.customers} customers, churn rate ${(100 * out.churn_rate).toFixed(1)}%\n` +
      `  AUC ${out.auc.toFixed(4)}  PR-AUC ${out.pr_auc.toFixed(4)}  top-decile lift ${out.top_decile_lift.toFixed(2)}\n`,
    );
  }
  return 0;
}
