import { Table } from "../table";
import { Matrix } from "../util/matrix";
import { CustlabError, optionError } from "../util/errors";
import { ProgressCallback } from "../util/progress";
import { customerRFM } from "../features/rfm";
import { tableToMatrix } from "../table/matrix";
import { KMeans } from "./kmeans";
import { log1pMatrix, standardizeMatrix, MatrixScaler } from "./scale";
import { silhouetteScore } from "./metrics";
import { kSelection, KSelectionResult } from "./choose-k";
import { segmentPersonas, Persona, PersonaOptions } from "./personas";

/**
 * Feature sets for segmentation (all log1p, then standard-scaled):
 * - `"rfm"`: recency_days, frequency, monetary (the classic RFM matrix);
 * - `"rfm-aov"`: the same plus avg_order_value = monetary / frequency, which
 *   separates "many cheap orders" from "few expensive ones" at equal spend.
 */
export type SegmentFeatureSet = "rfm" | "rfm-aov";

/** Options for {@link segmentFeatures}. */
export interface SegmentFeaturesOptions {
  /** Reference time (epoch ms): only rows with timestamp < asOf are used and recency is measured from it. Default: day after the last purchase. */
  asOf?: number;
  /** Feature set. Default "rfm-aov". */
  features?: SegmentFeatureSet;
  /** Apply an existing scaler instead of fitting one. */
  scaler?: MatrixScaler;
  /**
   * Per-customer RFM computed elsewhere (`customerRFM` columns, e.g. an engine's
   * `rfm()` from DuckDB or ClickHouse); then `tx` is not read for features
   * (only for persona categories, when it has rows).
   */
  rfm?: Table;
}

/** Customer features for clustering: the per-customer table and the scaled matrix. */
export interface SegmentFeatures {
  /** customerRFM columns plus avg_order_value, one row per customer. */
  customers: Table;
  /** log1p + standard-scaled feature matrix (rows = customers). */
  X: Matrix;
  /** The scaler used (fitted here unless given). */
  scaler: MatrixScaler;
  /** Feature column names of X. */
  columns: string[];
}

/**
 * Column names for a feature set.
 * @example
 * segmentFeatureColumns("rfm"); // the recency, frequency and monetary columns
 */
export function segmentFeatureColumns(set: SegmentFeatureSet = "rfm-aov"): string[] {
  if (set !== "rfm" && set !== "rfm-aov") optionError("features", `must be rfm|rfm-aov, got ${set}`);
  return set === "rfm" ? ["recency_days", "frequency", "monetary"] : ["recency_days", "frequency", "monetary", "avg_order_value"];
}

/**
 * Per-customer features for segmentation from canonical purchase lines
 * (run `purchases(cleanTransactions(tx).table)` first to drop duplicates and
 * cancellations). Only rows before `asOf` are used, so the same function gives
 * point-in-time features for dynamic re-segmentation.
 *
 * @example
 * const f = segmentFeatures(purchases(table), { features: "rfm" });
 * new KMeans({ k: 4, seed: 0 }).fit(f.X);
 */
export function segmentFeatures(tx: Table, options: SegmentFeaturesOptions = {}): SegmentFeatures {
  const columns = segmentFeatureColumns(options.features ?? "rfm-aov");
  let t = tx;
  if (options.asOf !== undefined && !options.rfm) {
    const ts = tx.num("timestamp"), end = options.asOf;
    t = tx.filter((i) => ts[i] < end);
  }
  let rfm = options.rfm ?? customerRFM(t, options.asOf !== undefined ? { asOf: options.asOf } : {});
  const f = rfm.num("frequency"), m = rfm.num("monetary");
  rfm = rfm.assign({ avg_order_value: Float64Array.from(m, (v, i) => v / f[i]) });
  const { X, scaler } = standardizeMatrix(log1pMatrix(tableToMatrix(rfm, columns)), options.scaler);
  return { customers: rfm, X, scaler, columns };
}

/** Options for {@link segmentCustomers}. */
export interface SegmentCustomersOptions extends SegmentFeaturesOptions {
  /** Number of segments, or "auto" (best silhouette over kMin..kMax). Default "auto". */
  k?: number | "auto";
  /** Range searched when k = "auto". Defaults 2 and 8. */
  kMin?: number;
  kMax?: number;
  /** k-means restarts. Default 10. */
  nInit?: number;
  /** Seed. Default 42. */
  seed?: number;
  /** Persona options (transactions for top categories are taken from `tx` unless given). */
  personas?: PersonaOptions;
  onProgress?: ProgressCallback;
}

/** Result of {@link segmentCustomers}. */
export interface SegmentCustomersResult {
  k: number;
  model: KMeans;
  /** Segment per customer (rows of `features.customers`). */
  labels: Int32Array;
  features: SegmentFeatures;
  inertia: number;
  silhouette: number;
  personas: Persona[];
  /** Persona table (one row per segment). */
  personaTable: Table;
  /** k-selection scores when k = "auto". */
  selection?: KSelectionResult;
}

/**
 * The whole static pipeline: features → (k selection) → k-means → personas.
 *
 * @example
 * const seg = segmentCustomers(purchases(table), { k: 5, seed: 42 });
 * seg.personas.map((p) => `${p.name}: ${p.description}`);
 */
export function segmentCustomers(tx: Table, options: SegmentCustomersOptions = {}): SegmentCustomersResult {
  const features = segmentFeatures(tx, options);
  const seed = options.seed ?? 42;
  let k = options.k ?? "auto";
  let selection: KSelectionResult | undefined;
  if (k === "auto") {
    const n = features.X.rows;
    if (n < 3) throw new CustlabError("E_TOO_FEW", `choosing the number of segments needs at least 3 customers with purchases (silhouette over k = 2..customers − 1); got ${n}${n === 2 ? " (k = 2 splits the two)" : ""}`);
    selection = kSelection(features.X, { kMin: options.kMin ?? 2, kMax: Math.min(options.kMax ?? 8, features.X.rows - 1), nInit: options.nInit ?? 10, seed, onProgress: options.onProgress });
    k = selection.suggested;
  }
  if (!Number.isInteger(k) || k < 1) optionError("k", `must be a positive integer or "auto", got ${k}`);
  // k chosen by the selection: its model and silhouette there are this fit's (same k, restarts, seed and sample).
  const chosen = selection ? selection.models[selection.table.num("k").indexOf(k)] : undefined;
  const model = chosen ?? new KMeans({ k, nInit: options.nInit ?? 10, seed }).fit(features.X, { onProgress: options.onProgress });
  const silhouette = chosen ? selection!.table.num("silhouette")[selection!.table.num("k").indexOf(k)] : k >= 2 && k < features.X.rows ? silhouetteScore(features.X, model.labels_, { seed }) : NaN;
  const { personas, table } = segmentPersonas(features.customers, model.labels_, { transactions: tx.numRows > 0 ? tx : undefined, ...(options.personas ?? {}) });
  return { k, model, labels: model.labels_, features, inertia: model.inertia_, silhouette, personas, personaTable: table, selection };
}
