import { parseArgs, printJSON, strOpt, numOpt, checkedNumOpt } from "../args";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { CustlabError } from "../../util/errors";
import { positiveProba } from "../../util/estimator";
import { consoleProgress } from "../../util/progress";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { loadTransactions } from "../../io";
import { cleanTransactions } from "../../clean";
import { Table } from "../../table";
import { customerFeatures, churnLabels, rollingCutoffs, monthlySequences, Preprocessor } from "../../features";
import { createModel, isTfjsModel, MODEL_NAMES } from "../../models";
import { rocAucScore, averagePrecisionScore, topKLift } from "../../eval";
import { buildAlerts, replayAlerts } from "../../alerts";
import type { ProgressCallback } from "../../util/progress";
import { explainModel, reasonCodes } from "../../explain";

export const usage = `custlab churn <transactions> --format <adapter> --cutoff <YYYY-MM-DD> [--horizon 90]
       [--model logreg|tree|forest|gbdt|mlp|lstm|gru|transformer|ensemble|stacking]
       [--train-cutoffs 4] [--every 30] [--seed 42] [--epochs N (tfjs models)]
       [--alerts <file.csv>] [--replay <date,date,...>] [--registry <dir> [--name churn-90d]] [--json]

Churn at a cutoff without leakage: customer features are built from rows
before each cutoff; the model is trained on examples stacked over
--train-cutoffs earlier cutoffs (the latest at cutoff − horizon, then every
--every days back), whose horizons all end by the scoring cutoff; it then
scores the customers at --cutoff and is evaluated on what they did in the
following --horizon days (the data must reach cutoff + horizon).
Exact duplicate lines are dropped first (custlab clean rules). lstm, gru and
transformer read each customer's 12 monthly activity steps (monthlySequences)
instead of the feature table.
Prints {customers, churn_rate, auc, pr_auc, top_decile_lift, model, backend, ...};
--alerts writes the early-warning alert list (bands, value at risk, reasons).
--replay re-runs the whole pipeline at earlier cutoffs (each model trained only
on data before its cutoff) and reports the high-band false-alarm rate.
--registry saves the trained model as a new version in a model registry
(model, feature schema, preprocessing, metrics, data fingerprint, backend, seed).
${READING_USAGE}`;

const DAY = 86_400_000;

/** What {@link trainScorer} needs. */
interface ScorerContext {
  tx: Table; H: number; every: number; nCuts: number; seed: number; modelName: string; sequenceModel: boolean; epochs?: number; progress?: ProgressCallback;
}

const LABEL_COLUMNS = ["churn", "purchase_in_h", "future_orders", "future_spend", "past_orders", "customer_class", "class_code", "cutoff"];

/**
 * Train a model for scoring at `cutoff` on examples stacked over earlier
 * cutoffs whose horizons end by it (latest = cutoff − H), and return a scorer
 * for a feature table at that cutoff.
 */
async function trainScorer(ctx: ScorerContext, cutoff: number) {
  const { tx, H } = ctx;
  const train = rollingCutoffs(tx, { last: cutoff - H * DAY, every: ctx.every, count: ctx.nCuts, horizonDays: H, onProgress: ctx.progress });
  const pre = new Preprocessor({ types: { idColumns: ["customer_id"], exclude: LABEL_COLUMNS } });
  const Xtr = pre.fit(train.table).transform(train.table);
  const ytr = Float64Array.from(train.table.num("churn"));
  const model: any = createModel(ctx.modelName, { seed: ctx.seed, overrides: ctx.epochs !== undefined && isTfjsModel(ctx.modelName) ? { epochs: ctx.epochs } : {} });
  if (ctx.sequenceModel) {
    // one [n, 12, 5] tensor per training cutoff, stacked in the row order of the training table
    const ids = train.table.str("customer_id"), cc = train.table.num("cutoff");
    const parts = train.cutoffs.map((c) => monthlySequences(tx, { cutoff: c, months: 12, customers: ids.filter((_, i) => cc[i] === c) }));
    const [, T, F] = parts[0].shape;
    const data = new Float32Array(train.table.numRows * T * F);
    let off = 0;
    for (const s of parts) { data.set(s.data, off); off += s.data.length; }
    await model.fit({ data, shape: [train.table.numRows, T, F] }, ytr, { onProgress: ctx.progress });
  } else {
    await model.fit(Xtr, ytr, { onProgress: ctx.progress });
  }
  const score = (feats: Table): { p: Float64Array; Xte: any } => {
    let Xte: any;
    if (ctx.sequenceModel) {
      const s = monthlySequences(tx, { cutoff, months: 12, customers: feats.str("customer_id") });
      Xte = { data: s.data, shape: s.shape };
    } else Xte = pre.transform(feats);
    return { p: positiveProba(model, Xte), Xte };
  };
  return { model, train, pre, featureNames: Xtr.columns ?? [], score, nFeatures: ctx.sequenceModel ? "12 monthly steps × 5" : Xtr.cols };
}

function parseDate(s: string | undefined, name: string): number {
  if (!s) throw new CustlabError("E_USAGE", `option --${name} is required (YYYY-MM-DD)`);
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? s + "T00:00:00Z" : s);
  if (!Number.isFinite(t)) throw new CustlabError("E_USAGE", `option --${name}: "${s}" is not a date (use YYYY-MM-DD)`);
  return t;
}

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", cutoff: "string", horizon: "string", model: "string", seed: "string", json: "boolean",
    "train-cutoffs": "string", every: "string", alerts: "string", epochs: "string", replay: "string", registry: "string", name: "string", ...READING_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab churn needs a transactions file (see --help)");
  const cutoff = parseDate(strOpt(options, "cutoff"), "cutoff");
  const H = checkedNumOpt(options, "horizon", 90, { above: 0, integer: true });
  const seed = numOpt(options, "seed", 42);
  const nCuts = checkedNumOpt(options, "train-cutoffs", 4, { min: 1, integer: true });
  const every = checkedNumOpt(options, "every", 30, { above: 0, integer: true });
  const modelName = strOpt(options, "model", "logreg")!;
  if (!(MODEL_NAMES as readonly string[]).includes(modelName)) throw new CustlabError("E_USAGE", `option --model: unknown model "${modelName}" (choose one of: ${MODEL_NAMES.join(", ")})`);
  const sequenceModel = ["lstm", "gru", "transformer"].includes(modelName);
  const progress = options.json ? undefined : consoleProgress();

  checkOutputs({ inputs: [file], files: { "--alerts": strOpt(options, "alerts") }, dirs: { "--registry": strOpt(options, "registry") } });

  const t0 = Date.now();
  const loaded = await loadTransactions(file, { ...reading, format: (strOpt(options, "format", reading.map ? "transactions" : "custlab") as any) });
  const input = reportInput(loaded.report, reading);
  const cleaned = cleanTransactions(loaded.table).table;
  const dup = cleaned.num("is_duplicate");
  const tx = cleaned.filter((i) => !dup[i]);
  const ts = tx.num("timestamp");
  let maxTs = -Infinity;
  for (let i = 0; i < ts.length; i++) if (ts[i] > maxTs) maxTs = ts[i];
  if (!ts.length) throw new CustlabError("E_EMPTY", `no purchase lines to score (${loaded.report.rows_in} rows in, ${loaded.report.accepted} accepted, ${loaded.report.quarantined} quarantined)`, { file });
  if (cutoff + H * DAY > maxTs + DAY) {
    throw new CustlabError("E_OPTION", `the data ends ${new Date(maxTs).toISOString().slice(0, 10)}, before cutoff + horizon (${new Date(cutoff + H * DAY).toISOString().slice(0, 10)}): outcomes at this cutoff are unknown, so AUC cannot be measured`, { file });
  }

  let backend = "js (no tfjs)";
  if (isTfjsModel(modelName)) {
    const { initBackend } = await import("../../backend");
    backend = (await initBackend()).name;
  }
  const epochs = options.epochs !== undefined ? numOpt(options, "epochs", 100) : undefined;
  const ctx: ScorerContext = { tx, H, every, nCuts, seed, modelName, sequenceModel, epochs, progress };
  const main = await trainScorer(ctx, cutoff);
  const feats = customerFeatures(tx, { cutoff });
  const labels = churnLabels(tx, feats, { cutoff, horizonDays: H });
  const { p, Xte } = main.score(feats);
  const { model, train, nFeatures } = main;
  const y = labels.num("churn");
  let churners = 0;
  for (let i = 0; i < y.length; i++) churners += y[i];

  if (options.alerts) {
    let reasons: Table | undefined;
    if (!sequenceModel && typeof model.shapValues === "function") reasons = reasonCodes(explainModel(model, Xte), { raw: feats, topK: 3 });
    const alerts = buildAlerts({ customers: feats.str("customer_id"), proba: p, features: feats, reasons }, { horizonDays: H });
    writeFileAtomic(String(options.alerts), alerts.toCSV(), "--alerts");
  }

  // replay: alerting at earlier cutoffs, each with a model trained only on data before it
  let replay: Record<string, unknown>[] | undefined;
  if (options.replay) {
    const cuts = String(options.replay).split(",").map((d) => parseDate(d.trim(), "replay"));
    const t = await replayAlerts(tx, { cutoffs: cuts, horizonDays: H, score: async (f, c) => (await trainScorer(ctx, c)).score(f).p });
    replay = t.toRows();
  }

  const auc = rocAucScore(y, p), prAuc = averagePrecisionScore(y, p), lift = topKLift(y, p, 0.1);
  let registryVersion: number | undefined;
  if (options.registry) {
    const { ModelRegistry } = await import("../../registry");
    const reg = new ModelRegistry(String(options.registry));
    const saved = reg.save(strOpt(options, "name", `churn-${H}d`)!, {
      model, featureNames: sequenceModel ? [] : main.featureNames, preprocessing: sequenceModel ? undefined : main.pre,
      metrics: { auc, pr_auc: prAuc, top_decile_lift: lift }, data: train.table, backend, seed,
      tags: { cutoff: new Date(cutoff).toISOString().slice(0, 10), horizon_days: String(H), model: modelName },
    });
    registryVersion = saved.version;
  }

  const out = {
    input,
    customers: feats.numRows,
    churn_rate: churners / feats.numRows,
    auc,
    pr_auc: prAuc,
    top_decile_lift: lift,
    model: modelName,
    backend,
    cutoff: new Date(cutoff).toISOString().slice(0, 10),
    horizon_days: H,
    train_cutoffs: train.cutoffs.map((c) => new Date(c).toISOString().slice(0, 10)),
    train_rows: train.table.numRows,
    features: nFeatures,
    seed,
    ...(registryVersion !== undefined ? { registry_version: registryVersion } : {}),
    ...(replay ? { false_alarm_rate: replay[replay.length - 1].false_alarm_rate, replay } : {}),
    seconds: (Date.now() - t0) / 1000,
  };
  if (options.json) printJSON(out);
  else {
    process.stdout.write(
      `churn at ${out.cutoff}, horizon ${H} days, model ${modelName} (${backend})\n` +
      `  trained on ${out.train_rows} examples from cutoffs ${out.train_cutoffs.join(", ")}\n` +
      `  scored ${out.customers} customers, churn rate ${(100 * out.churn_rate).toFixed(1)}%\n` +
      `  AUC ${out.auc.toFixed(4)}  PR-AUC ${out.pr_auc.toFixed(4)}  top-decile lift ${out.top_decile_lift.toFixed(2)}\n` +
      (replay ? replay.map((r) => `  replay ${r.cutoff}: ${r.alerts} high-band alerts, false-alarm rate ${Number(r.false_alarm_rate).toFixed(3)}, recall ${Number(r.recall).toFixed(3)}\n`).join("") : ""),
    );
  }
  return 0;
}
