import { Matrix } from "../util/matrix";
import { Table } from "../table";
import { CustlabError } from "../util/errors";
import { tableToMatrix } from "../table/matrix";

/** Column means and population standard deviations used by {@link standardizeMatrix}. */
export interface MatrixScaler {
  mean: Float64Array;
  /** Population std (ddof = 0, as scikit-learn's StandardScaler); 1 where a column is constant. */
  std: Float64Array;
}

/**
 * Standard-scale columns: (x − mean) / std with the population std (ddof 0),
 * exactly scikit-learn's `StandardScaler`. Constant columns get std 1. Pass a
 * `scaler` to apply a previously fitted one.
 *
 * @example
 * const { X: Z, scaler } = standardizeMatrix(X);
 * const Znew = standardizeMatrix(Xnew, scaler).X;
 */
export function standardizeMatrix(X: Matrix, scaler?: MatrixScaler): { X: Matrix; scaler: MatrixScaler } {
  const { rows: n, cols: d, data } = X;
  let s = scaler;
  if (!s) {
    const mean = new Float64Array(d), std = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += data[i * d + t];
    for (let t = 0; t < d; t++) mean[t] /= n;
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) { const v = data[i * d + t] - mean[t]; std[t] += v * v; }
    for (let t = 0; t < d; t++) { std[t] = Math.sqrt(std[t] / n); if (!(std[t] > 0)) std[t] = 1; }
    s = { mean, std };
  }
  if (s.mean.length !== d) throw new CustlabError("E_SHAPE", `standardizeMatrix: scaler has ${s.mean.length} columns, X has ${d}`);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) out[i * d + t] = (data[i * d + t] - s.mean[t]) / s.std[t];
  return { X: { data: out, rows: n, cols: d, columns: X.columns }, scaler: s };
}

/**
 * Undo {@link standardizeMatrix}: x = z × std + mean.
 * @example
 * const back = unstandardizeMatrix(km.clusterCenters_, scaler); // centres in the original units
 */
export function unstandardizeMatrix(Z: Matrix, scaler: MatrixScaler): Matrix {
  const { rows: n, cols: d, data } = Z;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) out[i * d + t] = data[i * d + t] * scaler.std[t] + scaler.mean[t];
  return { data: out, rows: n, cols: d, columns: Z.columns };
}

/**
 * log(1 + x) of every cell (a new matrix). Values ≤ −1 are an error.
 * @example
 * log1pMatrix(fromArrays([[0, 9]])).data; // Float64Array [0, 2.302…]
 */
export function log1pMatrix(X: Matrix): Matrix {
  const out = new Float64Array(X.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = X.data[i];
    if (!(v > -1)) throw new CustlabError("E_VALUE", `log1pMatrix: value ${v} at row ${Math.floor(i / X.cols)}, column ${X.columns?.[i % X.cols] ?? i % X.cols} is ≤ −1`);
    out[i] = Math.log1p(v);
  }
  return { data: out, rows: X.rows, cols: X.cols, columns: X.columns };
}

/** Options for {@link rfmMatrix}. */
export interface RFMMatrixOptions {
  /** Apply log1p to recency, frequency and monetary first. Default true. */
  log?: boolean;
  /** Standard-scale (population std) afterwards. Default true. */
  scale?: boolean;
}

/**
 * The RFM feature matrix used for clustering, from a `customerRFM` table:
 * columns recency_days, frequency, monetary → log1p → standard scaling
 * (population std). This is the recipe of the scikit-learn anchor
 * (`StandardScaler().fit_transform(np.log1p(rfm))`).
 *
 * @example
 * const rfm = customerRFM(tx);
 * const { X } = rfmMatrix(rfm);          // 4,338 × 3 on Online Retail
 * new KMeans({ k: 4, seed: 0 }).fit(X).inertia_;
 */
export function rfmMatrix(rfm: Table, options: RFMMatrixOptions = {}): { X: Matrix; scaler?: MatrixScaler } {
  let X = tableToMatrix(rfm, ["recency_days", "frequency", "monetary"]);
  if (options.log ?? true) X = log1pMatrix(X);
  if (options.scale ?? true) return standardizeMatrix(X);
  return { X };
}
