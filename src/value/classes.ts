import { CustlabError } from "../util/errors";
import { Table } from "../table";
import { customerFeatures, churnLabels, Preprocessor, CUSTOMER_CLASSES } from "../features";
import { DAY_MS } from "../features/customer";
import { createModel } from "../models";
import { argmaxRows, classificationReport, topKAccuracy, rocPerClass, type ClassificationReport } from "../eval";

/** Options for {@link customerClassesAtCutoff}. */
export interface CustomerClassOptions {
  /** Scoring cutoff (epoch ms UTC). Required. */
  cutoff: number;
  /** Horizon H in days (the class rule of `churnLabels` looks H days ahead). Default 90. */
  horizonDays?: number;
  /** Zoo model name (`createModel`). Default "gbdt". */
  model?: string;
  /** Seed. Default 42. */
  seed?: number;
}

/** Result of {@link customerClassesAtCutoff}. */
export interface CustomerClassRun {
  /** Class names in code order (high-value, regular, at-risk, lost). */
  classes: string[];
  /** True class code per scored customer (from what they did in the horizon). */
  yTrue: Int32Array;
  /** Predicted class code per scored customer. */
  yPred: Int32Array;
  /** Row-major n × 4 class probabilities. */
  proba: Float64Array;
  /** Per-class precision / recall / F1 / support, macro and weighted averages, accuracy. */
  report: ClassificationReport;
  /** Share of customers whose true class is among the two most probable. */
  top2Accuracy: number;
  /** One-vs-rest ROC-AUC per class. */
  aucPerClass: Record<string, number>;
  /** customer_id, true and predicted class, probability of the predicted class ("how sure"). */
  customers: Table;
}

/**
 * Which class each customer will be in over the next H days — high-value,
 * regular, at-risk or lost (the documented rule of `churnLabels`) — and how
 * sure the model is. Out of time and without look-ahead: the model learns
 * from features at cutoff − H and the classes over (cutoff − H, cutoff], then
 * classifies every customer from features at the cutoff; scored against
 * what they did in (cutoff, cutoff + H]. One home for the notebook and the report.
 *
 * @example
 * const r = customerClassesAtCutoff(tx, { cutoff: Date.parse("2011-09-09"), horizonDays: 90 });
 * r.report.byName["at-risk"].recall; r.top2Accuracy;
 */
export function customerClassesAtCutoff(tx: Table, options: CustomerClassOptions): CustomerClassRun {
  const H = options.horizonDays ?? 90, cutoff = options.cutoff;
  if (!Number.isFinite(cutoff)) throw new CustlabError("E_OPTION", "customerClassesAtCutoff: option cutoff is required (epoch ms)");
  const trainCut = cutoff - H * DAY_MS;
  const fTrain = customerFeatures(tx, { cutoff: trainCut }), fTest = customerFeatures(tx, { cutoff });
  return customerClassesFromTables({
    trainFeatures: fTrain, trainLabels: churnLabels(tx, fTrain, { cutoff: trainCut, horizonDays: H }),
    features: fTest, labels: churnLabels(tx, fTest, { cutoff, horizonDays: H }),
  }, options);
}

/** Customer tables at the two cutoffs of {@link customerClassesAtCutoff} (from `customerFeatures` and `churnLabels`, or an engine's). */
export interface CustomerClassTables {
  /** Features at cutoff − H and their labels (`class_code`). */
  trainFeatures: Table;
  trainLabels: Table;
  /** Features at the cutoff and their labels. */
  features: Table;
  labels: Table;
}

/**
 * {@link customerClassesAtCutoff} on customer tables computed elsewhere (an engine's
 * `features` and `labels` at cutoff − H and at the cutoff): the same model and report.
 *
 * @example
 * const eng = await openEngine("duckdb");
 * await eng.loadFile("datasets/demo/transactions.csv", { format: "custlab" });
 * const train = cutoff - 90 * 864e5;
 * const f0 = await eng.features({ cutoff: train }), f1 = await eng.features({ cutoff });
 * const r = customerClassesFromTables({ trainFeatures: f0, trainLabels: await eng.labels(f0, { cutoff: train }), features: f1, labels: await eng.labels(f1, { cutoff }) }, { cutoff });
 * r.report.accuracy;
 */
export function customerClassesFromTables(t: CustomerClassTables, options: CustomerClassOptions): CustomerClassRun {
  const seed = options.seed ?? 42, H = options.horizonDays ?? 90;
  const fTrain = t.trainFeatures, fTest = t.features;
  const yTrain = Float64Array.from(t.trainLabels.num("class_code"));
  const yTrue = Int32Array.from(t.labels.num("class_code"));
  const seen = new Set(yTrain);
  if (seen.size < CUSTOMER_CLASSES.length) throw new CustlabError("E_LABEL", `customerClassesAtCutoff: only ${seen.size} of the ${CUSTOMER_CLASSES.length} classes occur at the training cutoff (cutoff − ${H} days); pick a later cutoff`);
  const pre = new Preprocessor({ types: { idColumns: ["customer_id"] } }).fit(fTrain);
  const model = createModel(options.model ?? "gbdt", { seed });
  const fitted = model.fit(pre.transform(fTrain), yTrain);
  if (fitted instanceof Promise) throw new CustlabError("E_OPTION", `customerClassesAtCutoff: model ${options.model} trains asynchronously (tfjs); use a synchronous zoo model (logreg, tree, forest, gbdt)`);
  const k = CUSTOMER_CLASSES.length;
  const proba = model.predictProba(pre.transform(fTest));
  const yPred = argmaxRows(proba, k);
  const classes = [...CUSTOMER_CLASSES];
  const report = classificationReport(yTrue, yPred, { labels: classes.map((_, c) => c), names: classes });
  const aucPerClass: Record<string, number> = {};
  for (const r of rocPerClass(yTrue, proba, k, classes)) aucPerClass[r.name] = r.auc;
  const sure = Float64Array.from(yPred, (c, i) => proba[i * k + c]);
  const customers = new Table({
    customer_id: fTest.str("customer_id"), true_class: Array.from(yTrue, (c) => classes[c]), predicted_class: Array.from(yPred, (c) => classes[c]), probability: sure,
  });
  return { classes, yTrue, yPred, proba, report, top2Accuracy: topKAccuracy(yTrue, proba, 2, k), aucPerClass, customers };
}
