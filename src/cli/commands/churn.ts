import { parseArgs, printJSON, strOpt, numOpt, checkedNumOpt } from "../args";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { CustlabError } from "../../util/errors";
import { consoleProgress } from "../../util/progress";
import { parseDateOption } from "../../io/parse";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { loadTransactions } from "../../io";
import { cleanTransactions } from "../../clean";
import { isTfjsModel, MODEL_NAMES } from "../../models";
import { buildAlerts, replayAlerts } from "../../alerts";
import { churnAtCutoff, fitChurnModel, churnReasons, churnTransactions, lastTimestamp, resolveChurnOptions, registerChurnModel } from "../../churn";
import type { ChurnWorkflowOptions } from "../../churn";
import { churnTablesFromEngine } from "../../churn";
import { Table } from "../../table";
import { ENGINE_OPTION_SPEC, ENGINE_OPTION_USAGE, openEngineOrders } from "../engine-options";
import { isoDay } from "../../util/numeric";

export const usage = `custlab churn <transactions> --format <adapter> --cutoff <YYYY-MM-DD> [--horizon 90]
       [--model logreg|tree|forest|gbdt|mlp|lstm|gru|transformer|ensemble|stacking]
       [--train-cutoffs 4] [--every 30] [--active-days N] [--calibration none|platt|isotonic|auto] [--feature-set basic|extended]
       [--seed 42] [--epochs N (tfjs models)]
       [--alerts <file.csv>] [--replay <date,date,...>] [--registry <dir> [--name churn-90d]]
       [--engine memory|duckdb|clickhouse://…] [--table <name>] [--json]

Churn at a cutoff without leakage: customer features are built from rows
before each cutoff; the model is trained on examples stacked over
--train-cutoffs earlier cutoffs (the latest at cutoff − horizon, then every
--every days back), whose horizons all end by the scoring cutoff; it then
scores the customers at --cutoff and is evaluated on what they did in the
following --horizon days. A training cutoff whose label window would end
after --cutoff is refused (leakage). When the data does not reach
cutoff + horizon (scoring today), the model is trained on the latest cutoffs
whose outcomes are known (each at least one horizon before the data's end),
the customers are scored, and no AUC is reported (outcomes_known: false).
--active-days N scores (and trains on) only customers with an order in the
N days before each cutoff (the report uses 365).
--feature-set extended adds BG/NBD P(alive) and expected orders in the horizon,
recency in units of the customer's own purchase cycle, regularity (CV of the
gaps), order rate, the recent/previous 90-day order ratio and last year's
orders in the same season (all from rows before each cutoff).
--calibration fits Platt or isotonic scaling (auto: the lower cross-validated
log-loss) on out-of-fold predictions of the training rows; ECE before and
after is printed. Default: auto with --registry (custlab score then prints
calibrated probabilities), none otherwise.
The same workflow (src/churn) serves custlab report and notebook 03.
Exact duplicate lines are dropped first (custlab clean rules). lstm, gru and
transformer read each customer's 12 monthly activity steps (monthlySequences)
instead of the feature table.
Prints {customers, churn_rate, auc, pr_auc, top_decile_lift, model, backend, ...};
--alerts writes the early-warning alert list (bands, value at risk, reasons).
--replay re-runs the whole pipeline at earlier cutoffs (each model trained only
on data before its cutoff) and reports the high-band false-alarm rate.
--registry saves the trained model as a new version in a model registry
(model, feature schema, preprocessing, metrics, data fingerprint, backend, seed).
--engine duckdb|clickhouse://… computes the customer features and labels at
every cutoff on that engine (only customer tables come back) and trains the
same workflow on them: the same AUC as the memory engine. Table models and the
basic feature set; --replay needs the memory engine.
${ENGINE_OPTION_USAGE}
${READING_USAGE}`;

function parseDate(s: string | undefined, name: string): number {
  if (!s) throw new CustlabError("E_USAGE", `option --${name} is required (YYYY-MM-DD)`);
  return parseDateOption(s, name);
}

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", cutoff: "string", horizon: "string", model: "string", seed: "string", json: "boolean",
    "train-cutoffs": "string", every: "string", alerts: "string", epochs: "string", replay: "string", registry: "string", name: "string", ...READING_SPEC,
    "active-days": "string", calibration: "string", "feature-set": "string", ...ENGINE_OPTION_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  const engineName = strOpt(options, "engine");
  const onEngine = (engineName !== undefined && engineName !== "memory") || options.table !== undefined;
  if (!file && !onEngine) throw new CustlabError("E_USAGE", "custlab churn needs a transactions file (see --help)");
  if (onEngine && options.replay) throw new CustlabError("E_USAGE", "--replay re-reads order rows at each cutoff: use it with --engine memory");
  const cutoff = parseDate(strOpt(options, "cutoff"), "cutoff");
  const H = checkedNumOpt(options, "horizon", 90, { above: 0, integer: true });
  const seed = numOpt(options, "seed", 42);
  const nCuts = checkedNumOpt(options, "train-cutoffs", 4, { min: 1, integer: true });
  const every = checkedNumOpt(options, "every", 30, { above: 0, integer: true });
  const modelName = strOpt(options, "model", "logreg")!;
  if (!(MODEL_NAMES as readonly string[]).includes(modelName)) throw new CustlabError("E_USAGE", `option --model: unknown model "${modelName}" (choose one of: ${MODEL_NAMES.join(", ")})`);
  const progress = options.json ? undefined : consoleProgress();
  const epochs = options.epochs !== undefined ? numOpt(options, "epochs", 100) : undefined;
  const activeDays = options["active-days"] !== undefined ? numOpt(options, "active-days", 365) : undefined;
  const calibration = (strOpt(options, "calibration", options.registry ? "auto" : "none")) as ChurnWorkflowOptions["calibration"];
  const featureSet = strOpt(options, "feature-set", "basic") as ChurnWorkflowOptions["featureSet"];
  const wf: ChurnWorkflowOptions = { horizonDays: H, everyDays: every, trainCutoffs: nCuts, seed, model: modelName, epochs, activeDays, calibration, featureSet, onProgress: progress };
  resolveChurnOptions(wf); // bad options fail before the file is read

  checkOutputs({ inputs: file ? [file] : [], files: { "--alerts": strOpt(options, "alerts") }, dirs: { "--registry": strOpt(options, "registry") } });

  const t0 = Date.now();
  const format = strOpt(options, "format", reading.map ? "transactions" : "custlab")!;
  let tx: Table, input: ReturnType<typeof reportInput> | null = null, engineDesc = "memory", dataEnd: number;
  if (onEngine) {
    // Features and labels at every cutoff on the engine; the workflow trains and scores on those tables.
    resolveChurnOptions({ ...wf, tables: { dataEnd: 0, engine: engineName ?? "duckdb", features: () => new Table({}), labels: () => new Table({}) } });
    const eo = await openEngineOrders(options, file, { format, read: reading });
    try {
      if (eo.report) input = reportInput(eo.report, reading);
      engineDesc = eo.engine.describe();
      wf.tables = await churnTablesFromEngine(eo.engine, [cutoff], wf);
    } finally { await eo.engine.close(); }
    tx = new Table({});
    dataEnd = wf.tables.dataEnd;
  } else {
    const loaded = await loadTransactions(file!, { ...reading, format: format as any });
    input = reportInput(loaded.report, reading);
    tx = churnTransactions(cleanTransactions(loaded.table).table);
    if (!tx.numRows) throw new CustlabError("E_EMPTY", `no purchase lines to score (${loaded.report.rows_in} rows in, ${loaded.report.accepted} accepted, ${loaded.report.quarantined} quarantined)`, { file });
    dataEnd = lastTimestamp(tx);
  }

  let backend = "js (no tfjs)";
  if (isTfjsModel(modelName)) {
    const { initBackend } = await import("../../backend");
    backend = (await initBackend()).name;
  }
  const result = await churnAtCutoff(tx, cutoff, wf);
  const { churnModel: main, scores } = result;
  const { model, nFeatures } = main;
  const feats = scores.features, p = scores.proba;

  if (options.alerts) {
    const reasons = churnReasons(main, scores);
    const alerts = buildAlerts({ customers: scores.customers, proba: p, features: feats, reasons }, { horizonDays: H });
    writeFileAtomic(String(options.alerts), alerts.toCSV(), "--alerts");
  }

  // replay: alerting at earlier cutoffs, each with a model trained only on data before it
  let replay: Record<string, unknown>[] | undefined;
  if (options.replay) {
    const cuts = String(options.replay).split(",").map((d) => parseDate(d.trim(), "replay"));
    const t = await replayAlerts(tx, { cutoffs: cuts, horizonDays: H, features: wf.features, score: async (f, c) => (await fitChurnModel(tx, c, wf)).scoreFeatures(f, tx, c).proba });
    replay = t.toRows();
  }

  const m = result.metrics;
  const auc = m?.auc ?? NaN, prAuc = m?.pr_auc ?? NaN, lift = m?.top_decile_lift ?? NaN;
  let registryVersion: number | undefined;
  if (options.registry) {
    registryVersion = registerChurnModel(String(options.registry), main, {
      name: strOpt(options, "name", `churn-${H}d`)!, // the first version of a name becomes its champion; later ones wait for `custlab models promote`
      metrics: m ? { auc, pr_auc: prAuc, top_decile_lift: lift, ece: m.ece } : {}, backend,
      tags: { cutoff: new Date(cutoff).toISOString().slice(0, 10) },
    }).version;
  }

  const out = {
    input,
    customers: feats.numRows,
    outcomes_known: result.outcomesKnown,
    ...(m ? { churn_rate: m.churn_rate, auc, pr_auc: prAuc, top_decile_lift: lift } : { note: `the data ends ${isoDay(dataEnd)}, before cutoff + horizon: outcomes at this cutoff are unknown, so the customers were scored but no AUC can be measured`, mean_probability: p.reduce((a, b) => a + b, 0) / Math.max(1, p.length) }),
    model: modelName,
    engine: engineDesc,
    backend,
    cutoff: isoDay(cutoff),
    horizon_days: H,
    train_cutoffs: main.trainCutoffs.map((c) => isoDay(c)),
    train_rows: main.trainRows,
    train_churn_rate: main.trainChurnRate,
    ...(activeDays !== undefined ? { active_days: activeDays } : {}),
    feature_set: featureSet,
    calibration: main.calibration ? { method: main.calibration.method, cv_logloss: main.calibration.cvLogLoss, ece_oof_raw: main.calibration.ece_oof_raw, ece_oof_calibrated: main.calibration.ece_oof_calibrated } : "none",
    ...(m ? { ece: m.ece, ece_raw: m.ece_raw } : {}),
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
      (m ? `  scored ${out.customers} customers, churn rate ${(100 * m.churn_rate).toFixed(1)}%\n` +
        `  AUC ${auc.toFixed(4)}  PR-AUC ${prAuc.toFixed(4)}  top-decile lift ${lift.toFixed(2)}\n`
        : `  scored ${out.customers} customers; outcomes after ${out.cutoff} are not in the data yet (no AUC)\n`) +
      (registryVersion !== undefined ? `  registered as version ${registryVersion} in ${options.registry}\n` : "") +
      (replay ? replay.map((r) => `  replay ${r.cutoff}: ${r.alerts} high-band alerts, false-alarm rate ${Number(r.false_alarm_rate).toFixed(3)}, recall ${Number(r.recall).toFixed(3)}\n`).join("") : ""),
    );
  }
  return 0;
}
