import { Table } from "../table";
import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import type { ProgressCallback } from "../util/progress";
import { positiveProba } from "../util/estimator";
import { customerFeatures, churnLabels, monthlySequences, Preprocessor } from "../features";
import type { CustomerFeaturesOptions } from "../features";
import { createModel, isTfjsModel, MODEL_NAMES, chooseCalibrator } from "../models";
import type { Calibrator, CalibrationChoice } from "../models";
import { rocAucScore, averagePrecisionScore, topKLift, expectedCalibrationError } from "../eval";
import { stratifiedKFold } from "../util/folds";
import { explainModel, reasonCodes } from "../explain";
import { summaryFromTransactions, BetaGeoModel } from "../clv";
import { isoDay, DAY_MS } from "../util/numeric";


/** Label columns that {@link churnTrainingSet} adds next to the features (never model inputs). */
export const CHURN_LABEL_COLUMNS = ["churn", "purchase_in_h", "future_orders", "future_spend", "past_orders", "customer_class", "class_code", "cutoff"];

/** Models that read each customer's monthly activity sequence instead of the feature table. */
export const SEQUENCE_MODELS = ["lstm", "gru", "transformer"];

/** Options of the churn workflow ({@link churnAtCutoff}, {@link fitChurnModel}); the CLI, the report and the notebooks pass the same ones. */
export interface ChurnWorkflowOptions {
  /** Horizon H in days: churn = no purchase in (cutoff, cutoff + H] (default 90). */
  horizonDays?: number;
  /** Model of the zoo (`createModel` name, default "gbdt"). */
  model?: string;
  /** Number of training cutoffs stacked (default 4). */
  trainCutoffs?: number;
  /** Days between training cutoffs, going back from the latest (default 30; must be > 0). */
  everyDays?: number;
  /** Seed (default 42). */
  seed?: number;
  /** Epochs for tfjs models (default: the zoo's). */
  epochs?: number;
  /** Extra constructor options for the model (merged over the zoo's defaults). */
  modelOverrides?: Record<string, unknown>;
  /** Customer-feature options (windows, trendMonths); the cutoff is set per step. */
  features?: Omit<CustomerFeaturesOptions, "cutoff">;
  /**
   * Feature set (default "basic"): "basic" = `customerFeatures` only;
   * "extended" adds, from the same rows before the cutoff, BG/NBD P(alive) and
   * expected purchases in the horizon (fitted at each cutoff), recency in units
   * of the customer's own purchase cycle, inter-purchase regularity (CV),
   * order rate, the recent/previous 90-day order ratio and the orders in the
   * same season one year earlier.
   */
  featureSet?: "basic" | "extended";
  /**
   * Eligibility: only customers with an order in the `activeDays` days before
   * a cutoff are trained on and scored (default: every customer with a purchase
   * before the cutoff). The report uses 365.
   */
  activeDays?: number;
  /**
   * Probability calibration (default "none"): "platt", "isotonic", or "auto"
   * (the one with the lower cross-validated log-loss). The calibrator is fitted
   * on out-of-fold predictions of the training rows (`calibrationFolds` folds,
   * each fitting the same model on the other folds), so it never sees the
   * scored customers' outcomes.
   */
  calibration?: "none" | "platt" | "isotonic" | "auto";
  /** Folds for the out-of-fold predictions calibration is fitted on (default 3). */
  calibrationFolds?: number;
  /** Progress events (cutoffs, model fit). */
  onProgress?: ProgressCallback;
  /**
   * Customer tables computed by an engine (`churnTablesFromEngine`): features and labels at each
   * cutoff come from here instead of the order rows, and `tx` may be an empty Table. The basic
   * feature set and table models only (the extended set and sequence models read order rows).
   */
  tables?: ChurnTableSource;
}

/**
 * Features and labels at cutoffs computed elsewhere (a SQL engine), for the
 * churn workflow's `tables` option. Build one with `churnTablesFromEngine`.
 */
export interface ChurnTableSource {
  /** Epoch ms of the last order row (the data's end). */
  dataEnd: number;
  /** `customerFeatures` at `cutoff` (rows before it). */
  features(cutoff: number): Table;
  /** `churnLabels` of the customers of `customers` (its `customer_id` order) at `cutoff` over `horizonDays`. */
  labels(customers: Table, cutoff: number, horizonDays: number): Table;
  /** Where the tables came from, e.g. "duckdb (memory_limit 2GB)". */
  engine: string;
}

/** {@link ChurnWorkflowOptions} with every default filled in. */
export type ResolvedChurnOptions = Required<Omit<ChurnWorkflowOptions, "epochs" | "onProgress" | "activeDays" | "features" | "modelOverrides" | "calibration" | "calibrationFolds" | "featureSet" | "tables">> &
  { calibration: "none" | "platt" | "isotonic" | "auto"; calibrationFolds: number; featureSet: "basic" | "extended" } &
  Pick<ChurnWorkflowOptions, "epochs" | "onProgress" | "activeDays" | "features" | "modelOverrides" | "tables">;

/**
 * Fill in the defaults of {@link ChurnWorkflowOptions} and validate them (one-line CustlabError).
 * @example resolveChurnOptions({ model: "logreg" }).horizonDays; // 90
 */
export function resolveChurnOptions(o: ChurnWorkflowOptions = {}): ResolvedChurnOptions {
  const r: ResolvedChurnOptions = {
    horizonDays: o.horizonDays ?? 90, model: o.model ?? "gbdt", trainCutoffs: o.trainCutoffs ?? 4, everyDays: o.everyDays ?? 30, seed: o.seed ?? 42,
    epochs: o.epochs, onProgress: o.onProgress, activeDays: o.activeDays, features: o.features, modelOverrides: o.modelOverrides,
    calibration: o.calibration ?? "none", calibrationFolds: o.calibrationFolds ?? 3, featureSet: o.featureSet ?? "basic", tables: o.tables,
  };
  if (!["basic", "extended"].includes(r.featureSet)) throw new CustlabError("E_OPTION", `churn: featureSet must be basic or extended, got "${r.featureSet}"`);
  if (!["none", "platt", "isotonic", "auto"].includes(r.calibration)) throw new CustlabError("E_OPTION", `churn: calibration must be none, platt, isotonic or auto, got "${r.calibration}"`);
  if (!Number.isInteger(r.calibrationFolds) || r.calibrationFolds < 2) throw new CustlabError("E_OPTION", `churn: calibrationFolds must be an integer ≥ 2, got ${r.calibrationFolds}`);
  if (!(r.horizonDays > 0) || !Number.isFinite(r.horizonDays)) throw new CustlabError("E_OPTION", `churn: horizon must be a positive number of days, got ${r.horizonDays}`);
  if (!Number.isInteger(r.trainCutoffs) || r.trainCutoffs < 1) throw new CustlabError("E_OPTION", `churn: train cutoffs must be an integer ≥ 1, got ${r.trainCutoffs}`);
  if (!Number.isFinite(r.everyDays) || r.everyDays === 0) throw new CustlabError("E_OPTION", `churn: every must be a non-zero number of days between training cutoffs, got ${r.everyDays}`);
  if (!(MODEL_NAMES as readonly string[]).includes(r.model)) throw new CustlabError("E_OPTION", `churn: unknown model "${r.model}" (choose one of: ${MODEL_NAMES.join(", ")})`);
  if (r.activeDays !== undefined && !(r.activeDays > 0)) throw new CustlabError("E_OPTION", `churn: activeDays must be > 0, got ${r.activeDays}`);
  if (r.tables && r.featureSet === "extended") throw new CustlabError("E_OPTION", `churn: the extended feature set reads order rows; on the ${r.tables.engine} engine use the basic set (or --engine memory)`);
  if (r.tables && SEQUENCE_MODELS.includes(r.model)) throw new CustlabError("E_OPTION", `churn: ${r.model} reads monthly sequences of order rows; on the ${r.tables.engine} engine use a table model (or --engine memory)`);
  return r;
}

/**
 * The rows the churn workflow reads: the cleaned transactions without the
 * exact duplicate lines (`is_duplicate` from `cleanTransactions`); a table
 * without that column is used as it is.
 * @example const rows = churnTransactions(cleanTransactions(tx).table);
 */
export function churnTransactions(tx: Table): Table {
  if (!tx.has("is_duplicate")) return tx;
  const dup = tx.num("is_duplicate");
  let any = false;
  for (let i = 0; i < dup.length; i++) if (dup[i]) { any = true; break; }
  return any ? tx.filter((i) => !dup[i]) : tx;
}

/**
 * Epoch ms of the last row of `tx` (the end of the data).
 * @example new Date(lastTimestamp(tx)).toISOString();
 */
export function lastTimestamp(tx: Table): number {
  const ts = tx.num("timestamp");
  let maxTs = -Infinity;
  for (let i = 0; i < ts.length; i++) if (ts[i] > maxTs) maxTs = ts[i];
  return maxTs;
}

/**
 * The leakage guard: every training cutoff's label window (cutoff, cutoff + H]
 * must end by the scoring cutoff, i.e. each training cutoff is at least one
 * horizon before it. Otherwise the model would learn from the very window it
 * is evaluated on; this throws a one-line CustlabError (E_LEAKAGE).
 * @example assertNoTrainingLeakage([Date.parse("2011-06-11")], Date.parse("2011-09-09"), 90); // ok
 */
export function assertNoTrainingLeakage(trainCutoffs: number[], scoreCutoff: number, horizonDays: number): void {
  for (const c of trainCutoffs) {
    if (c + horizonDays * DAY_MS > scoreCutoff) {
      throw new CustlabError("E_LEAKAGE", `training cutoff ${isoDay(c)} has labels up to ${isoDay(c + horizonDays * DAY_MS)}, after the scoring cutoff ${isoDay(scoreCutoff)}: the model would train on the window it is scored on (every training cutoff must be ≤ cutoff − horizon = ${isoDay(scoreCutoff - horizonDays * DAY_MS)}; use a positive --every)`);
    }
  }
}

/**
 * Training cutoffs for scoring at `cutoff`: the latest is one horizon before
 * the cutoff or before the data's end, whichever is earlier (so its outcomes
 * are known), then every `everyDays` days back; oldest first. Checked with
 * {@link assertNoTrainingLeakage}.
 * @example churnTrainingCutoffs(Date.parse("2011-09-09"), Date.parse("2011-12-09"), { horizonDays: 90 });
 */
export function churnTrainingCutoffs(cutoff: number, dataEnd: number, options: ChurnWorkflowOptions = {}): number[] {
  const o = resolveChurnOptions(options);
  const H = o.horizonDays * DAY_MS;
  // Days are whole: the latest cutoff is a midnight.
  const known = Math.floor((dataEnd - H) / DAY_MS) * DAY_MS;
  const last = Math.min(cutoff - H, known);
  const cuts = Array.from({ length: o.trainCutoffs }, (_, j) => last - j * o.everyDays * DAY_MS).sort((a, b) => a - b);
  assertNoTrainingLeakage(cuts, cutoff, o.horizonDays);
  for (const c of cuts) {
    if (c + H > dataEnd) throw new CustlabError("E_OPTION", `training cutoff ${isoDay(c)} + ${o.horizonDays} days runs past the data (last order ${isoDay(dataEnd)}): its outcomes are unknown`);
  }
  return cuts;
}

function eligibleRows(f: Table, activeDays: number | undefined): Table {
  if (activeDays === undefined) return f;
  const r = f.num("recency_days");
  return f.filter((i) => r[i] <= activeDays);
}

/**
 * Customer features at one cutoff for the customers the workflow scores (see `activeDays`).
 * @example churnFeatures(tx, Date.parse("2011-09-09"), { activeDays: 365 }).numRows;
 */
export function churnFeatures(tx: Table, cutoff: number, options: ChurnWorkflowOptions = {}): Table {
  const f = options.tables ? options.tables.features(cutoff) : customerFeatures(tx, { ...(options.features ?? {}), cutoff });
  const g = (options.featureSet ?? "basic") === "extended" ? extendedChurnFeatures(tx, f, cutoff, options.horizonDays ?? 90) : f;
  return eligibleRows(g, options.activeDays);
}

/**
 * The extended churn features of {@link churnFeatures}, added to a
 * `customerFeatures` table at `cutoff` (rows before the cutoff only):
 * `bg_p_alive`, `bg_expected_orders_h` (BG/NBD fitted on the purchases before
 * the cutoff, in weeks), `recency_cycles` (days since the last order ÷ the
 * customer's mean days between orders), `ipt_cv` (std ÷ mean days between
 * orders: regularity), `orders_per_30d` (orders ÷ tenure months),
 * `orders_90d_ratio` (orders in the last 90 days ÷ orders in the 90 before),
 * `orders_season_last_year` (orders in (cutoff − 365 d, cutoff − 365 d + H]).
 * @example extendedChurnFeatures(tx, customerFeatures(tx, { cutoff }), cutoff, 90).num("bg_p_alive");
 */
export function extendedChurnFeatures(tx: Table, f: Table, cutoff: number, horizonDays: number): Table {
  const n = f.numRows, ids = f.str("customer_id");
  const rec = f.num("recency_days"), ten = f.num("tenure_days"), fr = f.num("frequency"), ipm = f.num("ipt_mean_days"), ips = f.num("ipt_std_days");
  const recencyCycles = new Float64Array(n), iptCv = new Float64Array(n), rate = new Float64Array(n), ratio = new Float64Array(n), season = new Float64Array(n);
  const pAlive = new Float64Array(n).fill(NaN), expOrders = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    recencyCycles[i] = ipm[i] > 0 ? rec[i] / ipm[i] : NaN;
    iptCv[i] = ipm[i] > 0 && Number.isFinite(ips[i]) ? ips[i] / ipm[i] : NaN;
    rate[i] = fr[i] / Math.max(1, ten[i] / 30);
  }
  // orders per customer in the last 90 days, the 90 before, and one year earlier over the horizon
  const idx = new Map(ids.map((c, i) => [c, i]));
  const cust = tx.str("customer_id"), ord = tx.str("order_id"), ts = tx.num("timestamp"), q = tx.num("quantity"), pr = tx.num("unit_price");
  const r1 = new Float64Array(n), r2 = new Float64Array(n);
  const seen = new Set<string>();
  const y0 = cutoff - 365 * DAY_MS, y1 = y0 + horizonDays * DAY_MS;
  for (let i = 0; i < tx.numRows; i++) {
    const t = ts[i];
    if (!(t < cutoff) || !(q[i] > 0 && pr[i] > 0) || ord[i].charCodeAt(0) === 67) continue;
    const age = (cutoff - t) / DAY_MS;
    const inSeason = t > y0 && t <= y1;
    if (age > 180 && !inSeason) continue;
    const k = idx.get(cust[i]);
    if (k === undefined) continue;
    const key = cust[i] + "\u0001" + ord[i];
    if (seen.has(key)) continue;
    seen.add(key);
    if (age <= 90) r1[k]++; else if (age <= 180) r2[k]++;
    if (inSeason) season[k]++;
  }
  for (let i = 0; i < n; i++) ratio[i] = (r1[i] + 1) / (r2[i] + 1);
  // BG/NBD at the cutoff (weeks); customers it cannot fit keep NaN (imputed downstream)
  try {
    const buy = tx.filter((i) => ts[i] < cutoff && q[i] > 0 && pr[i] > 0 && ord[i].charCodeAt(0) !== 67 && cust[i] !== "");
    const s = summaryFromTransactions(buy, { unit: "week", observationEnd: cutoff - DAY_MS });
    const bg = new BetaGeoModel().fit(s);
    const pa = bg.probabilityAlive(s), ex = bg.conditionalExpectedPurchases(horizonDays / 7, s);
    s.customerId.forEach((c, j) => { const k = idx.get(c); if (k !== undefined) { pAlive[k] = pa[j]; expOrders[k] = ex[j]; } });
  } catch (e) {
    if (!(e instanceof CustlabError)) throw e;
  }
  return f.assign({ bg_p_alive: pAlive, bg_expected_orders_h: expOrders, recency_cycles: recencyCycles, ipt_cv: iptCv, orders_per_30d: rate, orders_90d_ratio: ratio, orders_season_last_year: season });
}

/** Stacked training examples: one row per (customer, training cutoff). */
export interface ChurnTrainingSet {
  /** Features + label columns ({@link CHURN_LABEL_COLUMNS}), cutoffs oldest first. */
  table: Table;
  /** The training cutoffs (epoch ms), oldest first. */
  cutoffs: number[];
  /** For sequence models: the monthly activity tensor [rows, 12, 5] in the row order of `table`. */
  sequences?: { data: Float32Array; shape: [number, number, number] };
}

/**
 * Stack training examples over cutoffs: for each cutoff the customer features
 * (rows before it) joined with its churn labels (rows in the next H days),
 * plus a `cutoff` column; with `sequences` also each row's 12 monthly
 * activity steps (`monthlySequences`) in the same order.
 * @example const ts = churnTrainingSet(tx, [Date.parse("2011-05-12"), Date.parse("2011-06-11")], { horizonDays: 90 });
 */
export function churnTrainingSet(tx: Table, cutoffs: number[], options: ChurnWorkflowOptions & { sequences?: boolean } = {}): ChurnTrainingSet {
  const H = options.horizonDays ?? 90;
  const end = options.tables?.dataEnd ?? lastTimestamp(tx);
  const cuts = [...cutoffs].sort((a, b) => a - b);
  const parts: Table[] = [], seqs: Float32Array[] = [];
  let T = 12, F = 5;
  cuts.forEach((c, j) => {
    if (c + H * DAY_MS > end) throw new CustlabError("E_OPTION", `training cutoff ${isoDay(c)} + ${H} days runs past the last transaction (${isoDay(end)}): its churn labels would be incomplete`);
    const f = churnFeatures(tx, c, options);
    const y = options.tables ? options.tables.labels(f, c, H) : churnLabels(tx, f, { cutoff: c, horizonDays: H });
    let t = f.assign({ cutoff: new Float64Array(f.numRows).fill(c) }, { cutoff: "date" });
    for (const name of y.columnNames()) if (name !== "customer_id") t = t.assign({ [name]: y.get(name) });
    parts.push(t);
    if (options.sequences) {
      const s = monthlySequences(tx, { cutoff: c, months: 12, customers: f.str("customer_id") });
      [, T, F] = s.shape;
      seqs.push(s.data);
    }
    options.onProgress?.({ stage: "cutoffs", done: j + 1, total: cuts.length });
  });
  const table = Table.concat(parts);
  let sequences: ChurnTrainingSet["sequences"];
  if (options.sequences) {
    const data = new Float32Array(table.numRows * T * F);
    let off = 0;
    for (const s of seqs) { data.set(s, off); off += s.length; }
    sequences = { data, shape: [table.numRows, T, F] };
  }
  return { table, cutoffs: cuts, sequences };
}

/** Customers scored at one cutoff by a {@link ChurnModel}. */
export interface ChurnScores {
  /** Scoring cutoff (epoch ms). */
  cutoff: number;
  /** The customers' feature table (rows before the cutoff only). */
  features: Table;
  /** Customer ids, in the order of `proba`. */
  customers: string[];
  /** P(no purchase in the next H days): calibrated when the model has a calibrator, else the model's raw output. */
  proba: Float64Array;
  /** The model's raw (uncalibrated) output. */
  raw: Float64Array;
  /** The model input (matrix, or sequences for sequence models). */
  input: Matrix | { data: Float32Array; shape: [number, number, number] };
}

/** A trained churn model with its preprocessing and training provenance (from {@link fitChurnModel}). */
export interface ChurnModel {
  /** The fitted estimator. */
  model: any;
  /** The fitted preprocessing (undefined for sequence models). */
  preprocessor?: Preprocessor;
  /** Model input names (empty for sequence models). */
  featureNames: string[];
  /** Training cutoffs (epoch ms), oldest first. */
  trainCutoffs: number[];
  /** Stacked training rows. */
  trainRows: number;
  /** Churn rate among the training rows. */
  trainChurnRate: number;
  /** The stacked training table (features + labels). */
  trainTable: Table;
  /** Options used. */
  options: ResolvedChurnOptions;
  /**
   * The probability calibration (undefined when `calibration` is "none"). With "auto" the raw output is kept
   * (method "none", no calibrator) when its cross-validated log-loss beats both calibrators.
   */
  calibration?: { method: "platt" | "isotonic" | "none"; calibrator?: Calibrator; cvLogLoss: CalibrationChoice["cvLogLoss"]; ece_oof_raw: number; ece_oof_calibrated: number };
  /** "12 monthly steps × 5" for sequence models, else the number of model inputs. */
  nFeatures: number | string;
  /** Score the customers at `cutoff` (features from rows before it). */
  score(tx: Table, cutoff: number): ChurnScores;
  /** Score a given feature table at `cutoff` (sequence models read `tx` for the sequences). */
  scoreFeatures(features: Table, tx: Table, cutoff: number): ChurnScores;
}

/**
 * Train a churn model for scoring at `cutoff`: examples stacked over
 * {@link churnTrainingCutoffs} (each at least one horizon before the cutoff
 * and with known outcomes), preprocessing fitted on them only, then the zoo
 * model. Works when the cutoff's own outcomes are unknown (scoring today).
 * @example
 * const cm = await fitChurnModel(tx, Date.parse("2011-12-09"), { model: "gbdt", horizonDays: 90 });
 * cm.score(tx, Date.parse("2011-12-09")).proba;
 */
export async function fitChurnModel(tx: Table, cutoff: number, options: ChurnWorkflowOptions = {}): Promise<ChurnModel> {
  const o = resolveChurnOptions(options);
  const cuts = churnTrainingCutoffs(cutoff, o.tables?.dataEnd ?? lastTimestamp(tx), o);
  const sequence = SEQUENCE_MODELS.includes(o.model);
  const train = churnTrainingSet(tx, cuts, { ...o, sequences: sequence });
  if (train.table.numRows === 0) throw new CustlabError("E_DATA", `churn: no customers to train on at the training cutoffs ${cuts.map(isoDay).join(", ")}`);
  const pre = new Preprocessor({ types: { idColumns: ["customer_id"], exclude: CHURN_LABEL_COLUMNS } });
  const Xtr = pre.fit(train.table).transform(train.table);
  const ytr = Float64Array.from(train.table.num("churn"));
  let pos = 0;
  for (let i = 0; i < ytr.length; i++) pos += ytr[i];
  if (pos === 0 || pos === ytr.length) throw new CustlabError("E_DATA", `churn: every training example at ${cuts.map(isoDay).join(", ")} has the same label (${pos ? "churn" : "no churn"}); nothing to learn`);
  const overrides = { ...(o.modelOverrides ?? {}), ...(o.epochs !== undefined && isTfjsModel(o.model) ? { epochs: o.epochs } : {}) };
  const model: any = createModel(o.model, { seed: o.seed, overrides });
  const input = sequence ? train.sequences! : Xtr;
  await model.fit(input, ytr, { onProgress: o.onProgress });
  let calibration: ChurnModel["calibration"];
  if (o.calibration !== "none") {
    const oof = await outOfFoldProba(o, input, ytr, sequence);
    const choice = chooseCalibrator(oof, ytr, { method: o.calibration, seed: o.seed });
    const eceRaw = expectedCalibrationError(ytr, oof);
    const keepRaw = o.calibration === "auto" && choice.cvLogLoss.raw <= Math.min(choice.cvLogLoss.platt, choice.cvLogLoss.isotonic);
    calibration = keepRaw
      ? { method: "none", cvLogLoss: choice.cvLogLoss, ece_oof_raw: eceRaw, ece_oof_calibrated: eceRaw }
      : { ...choice, ece_oof_raw: eceRaw, ece_oof_calibrated: expectedCalibrationError(ytr, choice.calibrator.predict(oof)) };
  }
  const cal: Calibrator | undefined = calibration?.calibrator;
  const scoreFeatures = (feats: Table, data: Table, at: number): ChurnScores => {
    let inp: ChurnScores["input"];
    if (sequence) {
      const s = monthlySequences(data, { cutoff: at, months: 12, customers: feats.str("customer_id") });
      inp = { data: s.data, shape: s.shape };
    } else inp = pre.transform(feats);
    const raw = positiveProba(model, inp);
    return { cutoff: at, features: feats, customers: feats.str("customer_id"), proba: cal ? cal.predict(raw) : raw, raw, input: inp };
  };
  return {
    model, preprocessor: sequence ? undefined : pre, featureNames: sequence ? [] : (Xtr.columns ?? []), trainCutoffs: cuts, trainRows: train.table.numRows,
    trainChurnRate: pos / ytr.length, trainTable: train.table, options: o, calibration, nFeatures: sequence ? "12 monthly steps × 5" : Xtr.cols,
    score: (data, at) => scoreFeatures(churnFeatures(data, at, o), data, at),
    scoreFeatures,
  };
}

function rowsOf(input: Matrix | { data: Float32Array; shape: [number, number, number] }, idx: number[]): Matrix | { data: Float32Array; shape: [number, number, number] } {
  if ("shape" in input) {
    const w = input.shape[1] * input.shape[2], d = new Float32Array(idx.length * w);
    idx.forEach((r, j) => d.set(input.data.subarray(r * w, (r + 1) * w), j * w));
    return { data: d, shape: [idx.length, input.shape[1], input.shape[2]] };
  }
  const m = input as Matrix, d = new Float64Array(idx.length * m.cols);
  idx.forEach((r, j) => d.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), j * m.cols));
  return { data: d, rows: idx.length, cols: m.cols, columns: m.columns };
}

/** Out-of-fold P(churn) for the training rows: each fold scored by the same model fitted on the other folds. */
async function outOfFoldProba(o: ResolvedChurnOptions, input: Matrix | { data: Float32Array; shape: [number, number, number] }, y: Float64Array, _sequence: boolean): Promise<Float64Array> {
  const k = o.calibrationFolds;
  const fold = stratifiedKFold(Int32Array.from(y), k, o.seed);
  const oof = new Float64Array(y.length);
  const overrides = { ...(o.modelOverrides ?? {}), ...(o.epochs !== undefined && isTfjsModel(o.model) ? { epochs: o.epochs } : {}) };
  for (let f = 0; f < k; f++) {
    const tr: number[] = [], te: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? te : tr).push(i);
    const m: any = createModel(o.model, { seed: o.seed, overrides });
    await m.fit(rowsOf(input, tr), Float64Array.from(tr, (i) => y[i]));
    const p = positiveProba(m, rowsOf(input, te));
    te.forEach((i, j) => (oof[i] = p[j]));
    o.onProgress?.({ stage: "calibration folds", done: f + 1, total: k });
  }
  return oof;
}

/** Out-of-time quality of churn scores at a cutoff whose outcomes are known. */
export interface ChurnMetrics {
  customers: number;
  churn_rate: number;
  auc: number;
  pr_auc: number;
  top_decile_lift: number;
  /** Expected calibration error (10 uniform bins) of the reported probabilities (calibrated when a calibrator was fitted). */
  ece: number;
  /** ECE of the raw model output. */
  ece_raw: number;
}

/** What {@link churnAtCutoff} returns. */
export interface ChurnRun {
  /** The trained model (training cutoffs, preprocessing). */
  churnModel: ChurnModel;
  /** Scores at the cutoff. */
  scores: ChurnScores;
  /** True when the data reaches cutoff + horizon, so the outcomes (and metrics) are known. */
  outcomesKnown: boolean;
  /** Observed churn (0/1) per scored customer, when known. */
  yTrue?: Int32Array;
  /** AUC, PR-AUC, lift and churn rate, when the outcomes are known. */
  metrics?: ChurnMetrics;
}

/**
 * The churn workflow in one call, shared by `custlab churn`, the report and
 * notebook 03: train on stacked earlier cutoffs ({@link fitChurnModel}), score
 * every eligible customer at `cutoff`, and — when the data covers the
 * following horizon — measure AUC, PR-AUC and top-decile lift on what they did.
 * @example
 * const run = await churnAtCutoff(tx, Date.parse("2011-09-09"), { model: "gbdt", horizonDays: 90 });
 * run.metrics?.auc;
 */
export async function churnAtCutoff(tx: Table, cutoff: number, options: ChurnWorkflowOptions = {}): Promise<ChurnRun> {
  if (typeof cutoff !== "number" || !Number.isFinite(cutoff)) throw new CustlabError("E_OPTION", `churn: cutoff must be a finite epoch-ms number, got ${String(cutoff)}`);
  const cm = await fitChurnModel(tx, cutoff, options);
  const scores = cm.score(tx, cutoff);
  const H = cm.options.horizonDays;
  const tables = cm.options.tables;
  const outcomesKnown = cutoff + H * DAY_MS <= (tables?.dataEnd ?? lastTimestamp(tx)) + DAY_MS;
  if (!outcomesKnown) return { churnModel: cm, scores, outcomesKnown };
  const yTrue = Int32Array.from((tables ? tables.labels(scores.features, cutoff, H) : churnLabels(tx, scores.features, { cutoff, horizonDays: H })).num("churn"));
  let churners = 0;
  for (let i = 0; i < yTrue.length; i++) churners += yTrue[i];
  const p = scores.proba;
  const metrics: ChurnMetrics = {
    customers: yTrue.length, churn_rate: churners / Math.max(1, yTrue.length),
    auc: rocAucScore(yTrue, p), pr_auc: averagePrecisionScore(yTrue, p), top_decile_lift: topKLift(yTrue, p, 0.1),
    ece: expectedCalibrationError(yTrue, p), ece_raw: expectedCalibrationError(yTrue, scores.raw),
  };
  return { churnModel: cm, scores, outcomesKnown, yTrue, metrics };
}

/**
 * Top reasons in plain words for each scored customer (TreeSHAP / linear SHAP
 * via `explainModel`), or undefined for models without SHAP values (sequence
 * models, tfjs models).
 * @example
 * const run = await churnAtCutoff(tx, cutoff, { model: "gbdt" });
 * churnReasons(run.churnModel, run.scores)?.str("reasons")[0];
 */
export function churnReasons(cm: Pick<ChurnModel, "model">, scores: ChurnScores, topK = 3): Table | undefined {
  if (typeof cm.model?.shapValues !== "function" || !(scores.input as Matrix).cols) return undefined;
  return reasonCodes(explainModel(cm.model, scores.input as Matrix), { raw: scores.features, topK });
}
