import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import type { ProgressCallback } from "../util/progress";
import { Table } from "../table";
import type { Figure } from "../plot/figure";
import { customerFeatures, churnLabels, LogAugmentedPreprocessor, Preprocessor } from "../features";
import { DAY_MS, isPurchase } from "../features/customer";
import { HistGradientBoostingRegressor, LinearRegressor, RandomForestRegressor, type Regressor } from "../models";
import { BetaGeoModel, GammaGammaModel, summaryFromTransactions } from "../clv";
import { regressionMetrics, type RegressionMetrics } from "../eval";

/**
 * Value prediction: future spend over a horizon at a cutoff, learned by
 * regressors from customer features and compared with the BG/NBD × Gamma-Gamma
 * CLV prediction on the same customers and horizon. One home for the CLI,
 * the report and the notebooks.
 */

/** The regressors of {@link valueAtCutoff}. */
export const VALUE_MODELS = ["linear-log", "gbdt", "gbdt-poisson", "gbdt-tweedie", "forest"] as const;
/** One of {@link VALUE_MODELS}. */
export type ValueModelName = (typeof VALUE_MODELS)[number];

/** Options for {@link valueAtCutoff}. */
export interface ValueOptions {
  /** Scoring cutoff (epoch ms UTC): features from rows before it, the truth from (cutoff, cutoff + H]. Required. */
  cutoff: number;
  /** Horizon H in days. Default 90. */
  horizonDays?: number;
  /** Regressors to fit (default all of {@link VALUE_MODELS}). */
  models?: ValueModelName[];
  /** Also fit BG/NBD × Gamma-Gamma on the rows before the cutoff and score it beside the regressors. Default true. */
  clv?: boolean;
  /** Seed of every seeded model. Default 42. */
  seed?: number;
  /** One event per fitted model. */
  onProgress?: ProgressCallback;
}

/** A value-prediction data set: customer features at a cutoff and their spend in the horizon after it. */
export interface ValueDataset {
  /** Customer features at the cutoff (rows before it only), one row per customer with a purchase before it. */
  features: Table;
  /** Spend per customer in (cutoff, cutoff + H] (purchases only, as `churnLabels`' `future_spend`). */
  spend: Float64Array;
  /** The cutoff (epoch ms). */
  cutoff: number;
}

/**
 * Customer features at `cutoff` and each customer's spend in the `horizonDays`
 * after it — the regression target. Features read rows before the cutoff
 * only; the target reads rows in (cutoff, cutoff + H] only.
 * @example const d = valueDataset(tx, cutoff, 90); d.spend.length === d.features.numRows;
 */
export function valueDataset(tx: Table, cutoff: number, horizonDays = 90): ValueDataset {
  if (!Number.isFinite(cutoff)) throw new CustlabError("E_OPTION", `valueDataset: cutoff must be a finite epoch-ms number, got ${cutoff}`);
  const features = customerFeatures(tx, { cutoff });
  const labels = churnLabels(tx, features, { cutoff, horizonDays });
  return { features, spend: Float64Array.from(labels.num("future_spend")), cutoff };
}

/** One row of {@link ValueRun.table}: a model's metrics on the scoring customers. */
export interface ValueModelResult extends RegressionMetrics {
  /** Model name (a {@link ValueModelName} or `"bgnbd-gamma-gamma"`). */
  model: string;
  /** Share of the customers' total future spend held by the top 10% by prediction. */
  top_decile_share: number;
  /** Seconds to fit. */
  fit_seconds: number;
}

/** Result of {@link valueAtCutoff}. */
export interface ValueRun {
  /** One row per model: mae, rmse, r2, spearman, gini, top_decile_share, fit_seconds. */
  results: ValueModelResult[];
  /** The same as a Table. */
  table: Table;
  /** Predictions per model for the scoring customers (row order of `test.features`). */
  predictions: Record<string, Float64Array>;
  /** Training set: features at cutoff − H, spend in (cutoff − H, cutoff]. */
  train: ValueDataset;
  /** Scoring set: features at the cutoff, spend in (cutoff, cutoff + H]. */
  test: ValueDataset;
  /** Feature matrices after preprocessing (fitted on the training rows only). */
  Xtrain: Matrix;
  Xtest: Matrix;
  /** The model with the highest normalised Gini (the best value ranking). */
  bestByGini: string;
  /** The model with the lowest RMSE. */
  bestByRmse: string;
}

/**
 * A fresh regressor of {@link VALUE_MODELS} (`linear-log`: ridge on log1p(spend); `gbdt`: squared error;
 * `gbdt-poisson` / `gbdt-tweedie` (power 1.5): log link; `forest`: 100 trees, ≥ 5 rows per leaf).
 * @example createValueModel("gbdt-tweedie").fit(X, p).predict(X);
 */
export function createValueModel(name: ValueModelName, seed = 42): Regressor {
  switch (name) {
    case "linear-log": return new LinearRegressor({ logTarget: true, alpha: 1 });
    case "gbdt": return new HistGradientBoostingRegressor({ seed });
    case "gbdt-poisson": return new HistGradientBoostingRegressor({ loss: "poisson", seed });
    case "gbdt-tweedie": return new HistGradientBoostingRegressor({ loss: "tweedie", tweediePower: 1.5, seed });
    case "forest": return new RandomForestRegressor({ nEstimators: 100, minSamplesLeaf: 5, seed });
    default: throw new CustlabError("E_OPTION", `unknown value model "${name as string}" (choose one of: ${VALUE_MODELS.join(", ")})`);
  }
}

/** Share of the total actual value held by the top `share` of rows by score. */
function topShare(actual: ArrayLike<number>, score: ArrayLike<number>, share = 0.1): number {
  const n = actual.length, k = Math.max(1, Math.round(n * share));
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  let top = 0, tot = 0;
  for (let i = 0; i < n; i++) tot += actual[i];
  for (let t = 0; t < k; t++) top += actual[idx[t]];
  return tot > 0 ? top / tot : NaN;
}

/**
 * Expected spend over `horizonDays` after the cutoff from BG/NBD (expected
 * purchases, weekly units) × Gamma-Gamma (expected spend per purchase), both
 * fitted on the purchases before the cutoff; customers in the row order of
 * `features` (customers the CLV models cannot score get NaN).
 * @example const clv = clvExpectedSpend(tx, features, cutoff, 90);
 */
export function clvExpectedSpend(tx: Table, features: Table, cutoff: number, horizonDays: number): Float64Array {
  const cust = tx.str("customer_id"), ord = tx.str("order_id"), ts = tx.num("timestamp"), q = tx.num("quantity"), p = tx.num("unit_price");
  const buy = tx.filter((i) => ts[i] < cutoff && cust[i] !== "" && isPurchase(q[i], p[i], ord[i]));
  const s = summaryFromTransactions(buy, { unit: "week", observationEnd: cutoff - DAY_MS });
  const bg = new BetaGeoModel().fit(s);
  const gg = new GammaGammaModel().fit(s);
  const orders = bg.conditionalExpectedPurchases(horizonDays / 7, s);
  const spend = gg.conditionalExpectedAverageSpend(s);
  const at = new Map(s.customerId.map((c, j) => [c, j]));
  return Float64Array.from(features.str("customer_id"), (c) => { const j = at.get(c); return j === undefined ? NaN : orders[j] * spend[j]; });
}

/**
 * Future-spend prediction at a cutoff, out of time and without look-ahead:
 * regressors learn from features at cutoff − H and the spend in
 * (cutoff − H, cutoff] (every training label is known at the cutoff), then
 * predict the spend in (cutoff, cutoff + H] from features at the cutoff. The
 * BG/NBD × Gamma-Gamma CLV prediction (fitted on rows before the cutoff) is
 * scored on the same customers. Metrics: MAE, RMSE, R², Spearman, normalised
 * Gini of the value ranking, share of spend in the top decile.
 *
 * @example
 * const run = valueAtCutoff(tx, { cutoff: Date.parse("2011-09-09"), horizonDays: 90 });
 * run.table.toMarkdown(); run.bestByGini;
 */
export function valueAtCutoff(tx: Table, options: ValueOptions): ValueRun {
  const H = options.horizonDays ?? 90, cutoff = options.cutoff, seed = options.seed ?? 42;
  if (!(H > 0)) throw new CustlabError("E_OPTION", `valueAtCutoff: option horizonDays must be > 0, got ${H}`);
  if (!Number.isFinite(cutoff)) throw new CustlabError("E_OPTION", "valueAtCutoff: option cutoff is required (epoch ms)");
  const models = options.models ?? [...VALUE_MODELS];
  for (const m of models) if (!(VALUE_MODELS as readonly string[]).includes(m)) throw new CustlabError("E_OPTION", `valueAtCutoff: unknown model "${m}" (choose one of: ${VALUE_MODELS.join(", ")})`);
  const trainCut = cutoff - H * DAY_MS;
  const train = valueDataset(tx, trainCut, H), test = valueDataset(tx, cutoff, H);
  if (train.features.numRows < 20) throw new CustlabError("E_EMPTY", `valueAtCutoff: only ${train.features.numRows} customers bought before the training cutoff (cutoff − ${H} days); pick a later cutoff or a shorter horizon`);
  const pre = new Preprocessor({ types: { idColumns: ["customer_id"] } });
  const Xtrain = pre.fit(train.features).transform(train.features), Xtest = pre.transform(test.features);
  const results: ValueModelResult[] = [], predictions: Record<string, Float64Array> = {};
  const total = models.length + (options.clv === false ? 0 : 1);
  const score = (name: string, pred: Float64Array, secs: number) => {
    predictions[name] = pred;
    results.push({ model: name, ...regressionMetrics(test.spend, pred), top_decile_share: topShare(test.spend, pred), fit_seconds: secs });
    options.onProgress?.({ stage: "value", done: results.length, total, metrics: { rmse: results[results.length - 1].rmse } });
  };
  // the log-linear model reads log1p copies of the skewed columns too (a log–log model); trees do not need them
  let logX: [Matrix, Matrix] | undefined;
  for (const name of models) {
    const t0 = Date.now();
    let [a, b] = [Xtrain, Xtest];
    if (name === "linear-log") {
      if (!logX) { const lp = new LogAugmentedPreprocessor({ types: { idColumns: ["customer_id"] } }).fit(train.features); logX = [lp.transform(train.features), lp.transform(test.features)]; }
      [a, b] = logX;
    }
    const m = createValueModel(name, seed).fit(a, train.spend);
    score(name, m.predict(b), (Date.now() - t0) / 1000);
  }
  if (options.clv !== false) {
    const t0 = Date.now();
    const clv = clvExpectedSpend(tx, test.features, cutoff, H);
    // customers the CLV models cannot score (none in practice) are predicted at the mean of the others
    let s = 0, c = 0;
    for (const v of clv) if (Number.isFinite(v)) { s += v; c++; }
    for (let i = 0; i < clv.length; i++) if (!Number.isFinite(clv[i])) clv[i] = c ? s / c : 0;
    score("bgnbd-gamma-gamma", clv, (Date.now() - t0) / 1000);
  }
  const best = (key: "gini" | "rmse", low: boolean) => results.reduce((a, b) => ((low ? b[key] < a[key] : b[key] > a[key]) ? b : a)).model;
  const table = new Table({
    model: results.map((r) => r.model),
    mae: Float64Array.from(results, (r) => r.mae), rmse: Float64Array.from(results, (r) => r.rmse), r2: Float64Array.from(results, (r) => r.r2),
    spearman: Float64Array.from(results, (r) => r.spearman), gini: Float64Array.from(results, (r) => r.gini),
    top_decile_share: Float64Array.from(results, (r) => r.top_decile_share), fit_seconds: Float64Array.from(results, (r) => r.fit_seconds),
  });
  return { results, table, predictions, train, test, Xtrain, Xtest, bestByGini: best("gini", false), bestByRmse: best("rmse", true) };
}

/**
 * Value capture: the share of the customers' actual future spend held by the
 * top x% of customers ranked by each model's prediction (the Lorenz-style
 * curve behind the normalised Gini), with the perfect ranking and random.
 * @example valueCaptureFigure(valueAtCutoff(tx, { cutoff }));
 */
export function valueCaptureFigure(run: Pick<ValueRun, "predictions" | "test">): Figure {
  const y = run.test.spend, n = y.length;
  let tot = 0;
  for (let i = 0; i < n; i++) tot += y[i];
  const steps = Math.min(100, n);
  const curve = (score: ArrayLike<number>) => {
    const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
    const xs = [0], ys = [0];
    let cum = 0, t = 0;
    for (let s = 1; s <= steps; s++) {
      const upto = Math.round((s * n) / steps);
      for (; t < upto; t++) cum += y[idx[t]];
      xs.push(Math.round((10000 * upto) / n) / 100); ys.push(tot > 0 ? Math.round((1e4 * cum) / tot) / 1e4 : 0);
    }
    return { x: xs, y: ys };
  };
  const data: Record<string, unknown>[] = Object.entries(run.predictions).map(([name, p]) => ({ type: "scatter", mode: "lines", name, ...curve(p) }));
  data.push({ type: "scatter", mode: "lines", name: "perfect", line: { dash: "dash", color: "#333" }, ...curve(y) });
  data.push({ type: "scatter", mode: "lines", name: "random", line: { dash: "dot", color: "#9aa5b1" }, x: [0, 100], y: [0, 1] });
  return { data, layout: { title: { text: "Share of future spend captured by the top x% of customers" }, xaxis: { title: { text: "top % of customers by predicted value" } }, yaxis: { title: { text: "share of actual spend" }, range: [0, 1.02] } } };
}
