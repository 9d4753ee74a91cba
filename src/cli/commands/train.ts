import { parseArgs, printJSON, strOpt, numOpt } from "../args";
import { CustlabError } from "../../util/errors";
import { didYouMean } from "../../util/suggest";
import { consoleProgress } from "../../util/progress";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { loadTable } from "../../io";
import { LogAugmentedPreprocessor, Preprocessor } from "../../features";
import { createModel, isTfjsModel, MODEL_NAMES } from "../../models";
import { argmaxRows, classificationReport, crossValidate, topKAccuracy } from "../../eval";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { Table } from "../../table";

export const usage = `custlab train --table <csv> --target <col> [--positive <value>] [--id <col>]
       --model <${MODEL_NAMES.join("|")}> [--cv 5] [--seed 42]
       [--options '<json>'] [--backend <name>] [--no-log] [--predictions <csv>]
       [--class-weight balanced] [--resample over|under|smote] [--json]

Cross-validates a model on any CSV table. Columns are typed automatically
(blank cells are missing values; ids, constants and dates are dropped) and
preprocessed on each training fold only (median imputation + standardisation
of numbers, one-hot / frequency encoding of text). Right-skewed non-negative
numeric columns (skewness > 0.5, ≥ 10 values, chosen on the training fold)
also get a log1p copy, which helps linear models (--no-log turns that off;
trees are unaffected). The target becomes binary
with --positive (that value = 1, everything else = 0); without it a target
with two values is binary (the larger / later-sorted value = 1) and one with
more values is multiclass. Rows with a blank target are dropped.
Stratified --cv folds with --seed; same seed and backend → identical scores.
--options merges hyperparameters into the model's defaults, e.g.
'{"maxIter": 300, "learningRate": 0.05}'. tfjs models (mlp, lstm, gru,
transformer) run on the backend chosen by initBackend (or --backend).
lstm/gru/transformer on a flat table read each row as a sequence of length 1
(a gated one-step network); use the API with per-customer monthly sequences
for real sequence modelling.
Prints {model, backend, rows, folds, auc_mean, auc_std, pr_auc_mean, logloss_mean, fit_seconds, ...}
and, from the out-of-fold predictions (each row predicted by the model that did
not see it; the class with the highest probability): accuracy, macro_f1,
weighted_f1, top_2_accuracy (3+ classes) and per_class
{ <class>: { precision, recall, f1, support } } (scikit-learn's
classification_report). --predictions writes those out-of-fold predictions
(row, y_true, y_pred, one p_<class> column per class) to a CSV.
Class imbalance: --class-weight balanced weights class c by n / (k · n_c) in
the fit (models with a classWeight option); --resample over|under|smote
balances each training fold after its preprocessing (random over-sampling,
random under-sampling, SMOTE with 5 neighbours) — never the rows it is scored on.
The table may also be given as the first argument. --map <name>=<source> renames
(or picks, with --no-header, e.g. --map Churn=#21) a column.
${READING_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    table: "string", target: "string", positive: "string", id: "string", model: "string", cv: "string", seed: "string",
    options: "string", backend: "string", json: "boolean", "no-log": "boolean", predictions: "string", "class-weight": "string", resample: "string", ...READING_SPEC,
  });
  const reading = readingOptions(options);
  const file = strOpt(options, "table", positionals[0]);
  if (!file) throw new CustlabError("E_USAGE", "custlab train needs --table <csv> (see --help)");
  const target = strOpt(options, "target");
  if (!target) throw new CustlabError("E_USAGE", "custlab train needs --target <column>");
  const modelName = strOpt(options, "model", "logreg")!;
  if (!(MODEL_NAMES as readonly string[]).includes(modelName)) throw new CustlabError("E_USAGE", `option --model: unknown model "${modelName}" (choose one of: ${MODEL_NAMES.join(", ")})`);
  const folds = numOpt(options, "cv", 5), seed = numOpt(options, "seed", 42);
  const predictionsOut = strOpt(options, "predictions");
  checkOutputs({ inputs: [file], files: { "--predictions": predictionsOut } });
  let overrides: Record<string, unknown> = {};
  const rawOpts = strOpt(options, "options");
  if (rawOpts) {
    try { overrides = JSON.parse(rawOpts); } catch (e) { throw new CustlabError("E_USAGE", `option --options: not valid JSON (${(e as Error).message})`); }
    if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) throw new CustlabError("E_USAGE", "option --options: must be a JSON object");
    // Checked against the model's declared options before the table is read.
    const known = Object.keys(((createModel(modelName, { seed }) as object).constructor as { spec?: object }).spec ?? {});
    for (const key of Object.keys(overrides)) {
      if (known.length && !known.includes(key)) throw new CustlabError("E_OPTION", `option --options: model ${modelName} has no option "${key}"${didYouMean(key, known)} (its options: ${known.join(", ")})`);
    }
  }
  const cw = strOpt(options, "class-weight");
  if (cw !== undefined) {
    if (cw !== "balanced") throw new CustlabError("E_USAGE", `option --class-weight: only "balanced" is supported here (got "${cw}"); give per-class weights with --options '{"classWeight": {"0": 1, "1": 5}}'`);
    const known = Object.keys(((createModel(modelName, { seed }) as object).constructor as { spec?: object }).spec ?? {});
    if (!known.includes("classWeight")) throw new CustlabError("E_OPTION", `option --class-weight: model ${modelName} has no class weights; use --resample instead`);
    overrides.classWeight = "balanced";
  }
  const resample = strOpt(options, "resample");
  if (resample !== undefined && !["over", "under", "smote"].includes(resample)) throw new CustlabError("E_USAGE", `option --resample: unknown method "${resample}" (choose one of: over, under, smote)`);
  const backendOpt = strOpt(options, "backend");
  if (backendOpt) overrides.backend = backendOpt;
  const progress = options.json ? undefined : consoleProgress();
  const t0 = Date.now();

  const { table: loaded, report } = await loadTable(file, reading);
  const input = reportInput(report, reading);
  const typeWarnings = (report.type_warnings ?? []).map((w) => `column "${w.column}" is ${(100 * w.numeric_share).toFixed(1)}% numbers but was read as text because of ${w.bad_cells} cell${w.bad_cells === 1 ? "" : "s"} such as ${w.examples.map((x) => JSON.stringify(x)).join(", ")}; fix those cells or mark them missing (NA)`);
  for (const w of typeWarnings) process.stderr.write(`custlab train: warning: ${w}\n`);
  if (!loaded.has(target)) throw new CustlabError("E_MISSING_COLUMN", `no column "${target}" (columns: ${loaded.columnNames().join(", ")})`, { file, column: target });
  const id = strOpt(options, "id");
  if (id && !loaded.has(id)) throw new CustlabError("E_MISSING_COLUMN", `option --id: no column "${id}"`, { file, column: id });
  // target → labels
  const raw = loaded.get(target);
  const str = (i: number): string => (Array.isArray(raw) ? raw[i].trim() : Number.isNaN((raw as ArrayLike<number>)[i]) ? "" : String((raw as ArrayLike<number>)[i]));
  const keep: number[] = [];
  for (let i = 0; i < loaded.numRows; i++) if (str(i) !== "") keep.push(i);
  const table = keep.length === loaded.numRows ? loaded : loaded.take(Int32Array.from(keep));
  const positive = strOpt(options, "positive");
  let labels: string[];
  const y = new Float64Array(table.numRows);
  if (positive !== undefined) {
    let pos = 0;
    for (let t = 0; t < keep.length; t++) { y[t] = str(keep[t]) === positive ? 1 : 0; pos += y[t]; }
    if (pos === 0) throw new CustlabError("E_OPTION", `option --positive: no row has ${target} = "${positive}"`, { file, column: target });
    if (pos === keep.length) throw new CustlabError("E_OPTION", `option --positive: every row has ${target} = "${positive}"; nothing to classify`, { file, column: target });
    labels = [`not ${positive}`, positive];
  } else {
    const vals = [...new Set(keep.map(str))];
    const numeric = vals.every((v) => Number.isFinite(Number(v)));
    vals.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
    if (vals.length < 2) throw new CustlabError("E_OPTION", `target ${target} has a single value "${vals[0]}"`, { file, column: target });
    if (vals.length > 50) throw new CustlabError("E_OPTION", `target ${target} has ${vals.length} distinct values: custlab train classifies; pick a categorical target or pass --positive`, { file, column: target });
    const index = new Map(vals.map((v, i) => [v, i]));
    keep.forEach((r, t) => (y[t] = index.get(str(r))!));
    labels = vals;
  }

  const types = { idColumns: id ? [id] : [], exclude: [target] };
  const logAug = !options["no-log"];
  const pre = () => (logAug ? new LogAugmentedPreprocessor({ types }) : new Preprocessor({ types }));
  let backend = "js";
  if (isTfjsModel(modelName) || backendOpt) {
    const { initBackend } = await import("../../backend");
    backend = (await initBackend(backendOpt ? { backend: backendOpt } : {})).name;
  }
  const cv = await crossValidate(() => createModel(modelName, { seed, overrides }) as any, table, y, {
    folds, seed, preprocess: pre, onProgress: progress, resample: resample ? { method: resample as "over" | "under" | "smote", seed } : undefined, fitOptions: progress && isTfjsModel(modelName) ? { onProgress: progress } : undefined,
  });
  const fitted = pre().fit(table);
  const features = fitted.featureNames_;
  const logColumns = fitted instanceof LogAugmentedPreprocessor ? fitted.logColumns_ : [];
  const binary = labels.length === 2;
  let fitSum = 0;
  for (const f of cv.perFold) fitSum += f.fit_seconds;
  // out-of-fold class predictions → scikit-learn's classification_report
  const k = labels.length;
  const proba = binary ? Float64Array.from({ length: 2 * table.numRows }, (_, j) => (j % 2 ? cv.oof[j >> 1] : 1 - cv.oof[j >> 1])) : cv.oof;
  const pred = argmaxRows(proba, k);
  const rep = classificationReport(y, pred, { labels: labels.map((_, c) => c), names: labels });
  if (predictionsOut) {
    const cols: Record<string, string[] | Float64Array | Int32Array> = {
      row: Int32Array.from(keep, (r) => r + 1), y_true: keep.map((_, t) => labels[y[t]]), y_pred: Array.from(pred, (c) => labels[c]),
    };
    labels.forEach((l, c) => (cols[`p_${l}`] = Float64Array.from({ length: table.numRows }, (_, i) => proba[i * k + c])));
    writeFileAtomic(predictionsOut, new Table(cols).toCSV());
  }
  const out: Record<string, unknown> = {
    input,
    column_kinds: report.column_kinds,
    warnings: typeWarnings,
    model: modelName,
    backend,
    rows: table.numRows,
    folds,
    auc_mean: cv.mean.auc,
    auc_std: cv.std.auc,
    pr_auc_mean: binary ? cv.mean.pr_auc : null,
    logloss_mean: cv.mean.logloss,
    fit_seconds: fitSum,
    accuracy_mean: cv.mean.accuracy,
    accuracy: rep.accuracy,
    macro_f1: rep.macro.f1,
    weighted_f1: rep.weighted.f1,
    top_2_accuracy: k > 2 ? topKAccuracy(y, proba, 2, k) : null,
    per_class: rep.byName,
    macro_avg: rep.macro,
    weighted_avg: rep.weighted,
    auc_per_fold: cv.perFold.map((f) => f.auc),
    classes: labels,
    positive: binary ? labels[1] : null,
    features: features.length,
    log1p_columns: logColumns,
    dropped_rows: loaded.numRows - table.numRows,
    quarantined_rows: report.quarantined,
    class_weight: cw ?? null,
    resample: resample ?? null,
    seed,
    seconds: (Date.now() - t0) / 1000,
  };
  if (["lstm", "gru", "transformer"].includes(modelName)) out.note = "flat table: each row is read as a sequence of length 1";
  if (options.json) printJSON(out);
  else {
    const f = (v: unknown) => (typeof v === "number" ? v.toFixed(4) : String(v));
    process.stdout.write(
      `${modelName} on ${file} (${backend}): ${table.numRows} rows, ${features.length} features, ${folds}-fold stratified CV, seed ${seed}\n` +
      `  target ${target}: ${binary ? `positive = ${labels[1]}` : `${labels.length} classes`}\n` +
      `  AUC ${f(cv.mean.auc)} ± ${f(cv.std.auc)}${binary ? `  PR-AUC ${f(cv.mean.pr_auc)}` : ""}  log-loss ${f(cv.mean.logloss)}  fit ${fitSum.toFixed(1)} s\n` +
      `  out of fold: accuracy ${f(rep.accuracy)}  macro F1 ${f(rep.macro.f1)}  weighted F1 ${f(rep.weighted.f1)}\n` +
      labels.map((l) => { const c = rep.byName[l]; return `    ${l}: precision ${f(c.precision)}  recall ${f(c.recall)}  F1 ${f(c.f1)}  support ${c.support}\n`; }).join(""),
    );
  }
  return 0;
}
