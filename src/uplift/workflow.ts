/**
 * The one uplift workflow (used by the CLI, the report and the notebooks):
 * customer features at the campaign's cutoff, joined to a campaign table
 * (one row per customer: arm, 0/1 outcome), cross-fitted uplift predictions
 * evaluated out of fold (Qini, AUUC, deciles with bootstrap intervals), and a
 * final model fitted on every row.
 */
import { Table } from "../table";
import { CustlabError, optionError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { foldSplit, stratifiedKFold } from "../util/folds";
import type { Matrix } from "../util/matrix";
import { Preprocessor } from "../features";
import { churnFeatures } from "../churn";
import { createUpliftModel, driveFit, isAsyncUpliftBase, type UpliftModel, type UpliftModelOptions } from "./learners";
import { upliftEvaluation, type UpliftEvaluation } from "./curves";

/** Options for {@link upliftFromCampaign}. */
export interface UpliftWorkflowOptions extends UpliftModelOptions {
  /** Feature cutoff (epoch ms): the campaign's send date; features use rows before it only. Required. */
  cutoff: number;
  /** "t-learner" (default), "x-learner" or "class-transformation". */
  method?: string;
  /** Arm column of the campaign table (default "arm"). */
  armColumn?: string;
  /** 0/1 outcome column (default "converted"). */
  outcomeColumn?: string;
  /** Control arm (default "control" if present, else "none"). */
  control?: string;
  /** Treated arm (default: the only other arm; required when there are several). */
  treated?: string;
  /** Optional segment column of the campaign table, carried into the scores and summarised. */
  segmentColumn?: string;
  /** Cross-fitting folds for the out-of-fold evaluation (default 5). */
  folds?: number;
  /** Bootstrap resamples of the evaluation (default 500). */
  nBoot?: number;
  /** Progress callback (stage "uplift"). */
  onProgress?: ProgressCallback;
}

/** Result of {@link upliftFromCampaign}. */
export interface UpliftRun {
  /** Final model, fitted on every campaign row with history. */
  model: UpliftModel;
  /** Preprocessor of the feature table (fitted on every row). */
  preprocessor: Preprocessor;
  /** Feature columns the preprocessor reads. */
  featureColumns: string[];
  /** customer_id, arm, treatment, outcome, uplift_oof (cross-fitted), uplift (final model), [segment]. */
  scores: Table;
  /** Out-of-fold evaluation: curves, Qini coefficient and AUUC with intervals, deciles. */
  evaluation: UpliftEvaluation;
  /** Mean out-of-fold predicted uplift and observed uplift per segment (when `segmentColumn` is given), highest predicted first. */
  bySegment: Array<{ segment: string; n: number; predicted: number; observed: number; topDecileShare: number }>;
  /** Rows left out, with the reason (counted, never silent). */
  warnings: string[];
}

function subRows(X: Matrix, idx: ArrayLike<number>): Matrix {
  const out = new Float64Array(idx.length * X.cols);
  for (let k = 0; k < idx.length; k++) out.set(X.data.subarray(idx[k] * X.cols, (idx[k] + 1) * X.cols), k * X.cols);
  return { data: out, rows: idx.length, cols: X.cols, columns: X.columns };
}

/**
 * Fit and evaluate an uplift model on a campaign: features at `cutoff` from
 * the transactions (the churn workflow's customer features), the campaign's
 * arm and outcome per customer, out-of-fold (cross-fitted) uplift scores for
 * an honest evaluation, and a final model on all rows for scoring new customers.
 *
 * @param tx - canonical transactions
 * @param campaign - one row per customer: customer_id, arm, 0/1 outcome
 * @param options - see {@link UpliftWorkflowOptions}
 * Synchronous: the base must be a synchronous zoo model (logreg, tree, forest, gbdt);
 * {@link upliftFromCampaignAsync} takes any base.
 * @example
 * const run = upliftFromCampaign(tx, campaign, { cutoff: Date.parse("2024-10-01"), method: "t-learner", outcomeColumn: "retained", control: "none" });
 * run.evaluation.qiniCoefficient.estimate; // > 0: better than random targeting
 */
export function upliftFromCampaign(tx: Table, campaign: Table, options: UpliftWorkflowOptions): UpliftRun {
  if (isAsyncUpliftBase(options?.base)) optionError("base", `"${options.base}" trains asynchronously: use upliftFromCampaignAsync`);
  return driveFit(upliftSteps(tx, campaign, options)) as UpliftRun;
}

/**
 * {@link upliftFromCampaign} over any zoo classifier, including the asynchronous ones
 * (mlp, lstm, gru, transformer on the flat feature matrix, ensemble, stacking); with a
 * synchronous base it gives the same numbers as {@link upliftFromCampaign}.
 * @example
 * const run = await upliftFromCampaignAsync(tx, campaign, { cutoff: Date.parse("2024-10-01"), base: "mlp", baseOptions: { epochs: 20 }, outcomeColumn: "retained", control: "none" });
 * run.evaluation.qiniCoefficient.estimate;
 */
export async function upliftFromCampaignAsync(tx: Table, campaign: Table, options: UpliftWorkflowOptions): Promise<UpliftRun> {
  return driveFit(upliftSteps(tx, campaign, options));
}

function* upliftSteps(tx: Table, campaign: Table, options: UpliftWorkflowOptions): Generator<unknown, UpliftRun, unknown> {
  if (!Number.isFinite(options?.cutoff)) optionError("cutoff", "is required (epoch ms of the campaign's send date)");
  const armCol = options.armColumn ?? "arm", outCol = options.outcomeColumn ?? "converted";
  for (const c of ["customer_id", armCol, outCol, ...(options.segmentColumn ? [options.segmentColumn] : [])])
    if (!campaign.has(c)) throw new CustlabError("E_COLUMN", `campaign table has no column "${c}" (columns: ${campaign.columnNames().join(", ")})`, { column: c });
  const armsRaw = campaign.get(armCol), outRaw = campaign.get(outCol);
  const armNames = [...new Set(Array.from({ length: campaign.numRows }, (_, i) => String(armsRaw[i])))].sort();
  const control = options.control ?? (armNames.includes("control") ? "control" : "none");
  if (!armNames.includes(control)) optionError("control", `arm "${control}" not found (arms: ${armNames.join(", ")})`);
  const others = armNames.filter((a) => a !== control);
  const treated = options.treated ?? (others.length === 1 ? others[0] : optionError("treated", `name the treated arm (arms: ${armNames.join(", ")})`));
  if (!armNames.includes(treated)) optionError("treated", `arm "${treated}" not found (arms: ${armNames.join(", ")})`);

  options.onProgress?.({ stage: "uplift", done: 0, message: "features" });
  const f = churnFeatures(tx, options.cutoff, { activeDays: Infinity });
  const pos = new Map<string, number>();
  f.str("customer_id").forEach((id, i) => pos.set(id, i));
  const ids = campaign.str("customer_id");
  const keep: number[] = [], featRow: number[] = [];
  let noHistory = 0, otherArm = 0;
  for (let i = 0; i < campaign.numRows; i++) {
    const a = String(armsRaw[i]);
    if (a !== control && a !== treated) { otherArm++; continue; }
    const v = Number(outRaw[i]);
    if (!(v === 0 || v === 1)) throw new CustlabError("E_VALUE", `outcome must be 0 or 1, got ${JSON.stringify(outRaw[i])}`, { line: i + 2, column: outCol });
    const r = pos.get(ids[i]);
    if (r === undefined) { noHistory++; continue; }
    keep.push(i); featRow.push(r);
  }
  const warnings: string[] = [];
  if (noHistory) warnings.push(`${noHistory} campaign customers have no purchase before the cutoff and were left out (no features).`);
  if (otherArm) warnings.push(`${otherArm} rows in arms other than "${treated}" and "${control}" were left out.`);
  const n = keep.length;
  const ft = f.take(featRow);
  const pre = new Preprocessor({ types: { idColumns: ["customer_id"] } }).fit(ft);
  const X = pre.transform(ft);
  const y = Float64Array.from(keep, (i) => Number(outRaw[i]));
  const t = Float64Array.from(keep, (i) => (String(armsRaw[i]) === treated ? 1 : 0));
  const k = options.folds ?? 5;
  const seed = options.seed ?? 42;
  const method = options.method ?? "t-learner";
  const modelOptions: UpliftModelOptions = { base: options.base, baseOptions: options.baseOptions, seed };
  // Stratify the folds by arm × outcome so that every training fold has both arms and outcomes.
  const fold = stratifiedKFold(Float64Array.from(y, (v, i) => 2 * t[i] + v), k, seed);
  const oof = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    const { train, test } = foldSplit(fold, j);
    const m = (yield createUpliftModel(method, modelOptions).fit(subRows(X, train), Float64Array.from(train, (i) => y[i]), { treatment: Float64Array.from(train, (i) => t[i]) })) as UpliftModel;
    const u = m.predictUplift(subRows(X, test));
    test.forEach((i, q) => (oof[i] = u[q]));
    options.onProgress?.({ stage: "uplift", done: j + 1, total: k + 1, message: `fold ${j + 1}/${k}` });
  }
  const model = (yield createUpliftModel(method, modelOptions).fit(X, y, { treatment: t })) as UpliftModel;
  const full = model.predictUplift(X);
  options.onProgress?.({ stage: "uplift", done: k + 1, total: k + 1, message: "final model" });
  const evaluation = upliftEvaluation(y, oof, t, { nBoot: options.nBoot ?? 500, seed });

  const cols: Record<string, string[] | Float64Array> = {
    customer_id: keep.map((i) => ids[i]), arm: keep.map((i) => String(armsRaw[i])), treatment: t, outcome: y, uplift_oof: oof, uplift: full,
  };
  const bySegment: UpliftRun["bySegment"] = [];
  if (options.segmentColumn) {
    const segRaw = campaign.get(options.segmentColumn);
    const seg = keep.map((i) => String(segRaw[i]));
    cols.segment = seg;
    const order = Array.from(oof.keys()).sort((a, b) => oof[b] - oof[a] || a - b);
    const top = new Uint8Array(n);
    for (let q = 0; q < Math.ceil(n / 10); q++) top[order[q]] = 1;
    const acc = new Map<string, { n: number; p: number; top: number; nt: number; yt: number; nc: number; yc: number }>();
    seg.forEach((s, i) => {
      let a = acc.get(s);
      if (!a) acc.set(s, (a = { n: 0, p: 0, top: 0, nt: 0, yt: 0, nc: 0, yc: 0 }));
      a.n++; a.p += oof[i]; a.top += top[i];
      if (t[i]) { a.nt++; a.yt += y[i]; } else { a.nc++; a.yc += y[i]; }
    });
    for (const [s, a] of acc) bySegment.push({ segment: s, n: a.n, predicted: a.p / a.n, observed: a.nt && a.nc ? a.yt / a.nt - a.yc / a.nc : NaN, topDecileShare: a.top / a.n });
    bySegment.sort((p, q) => q.predicted - p.predicted);
  }
  return { model, preprocessor: pre, featureColumns: ft.columnNames().filter((c) => c !== "customer_id"), scores: new Table(cols), evaluation, bySegment, warnings };
}
