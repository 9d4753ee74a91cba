import { CustlabError } from "../util/errors";
import { createRng } from "../util/random";
import type { Matrix } from "../util/matrix";
import { Table } from "../table";
import { estimatorJSON, notFitted, pickOptions, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type OptionSpec, type Resolved } from "../util/estimator";
import { DAY_MS } from "../util/numeric";

/** Options for {@link IsolationForest}. */
export interface IsolationForestOptions {
  /** Number of trees (default 100). */
  nEstimators?: number;
  /** Rows sub-sampled per tree (default 256; at most n). */
  maxSamples?: number;
  /** Share of rows expected to be anomalies; sets `threshold_` (default 0.01). */
  contamination?: number;
  /** Seed (default 42). */
  seed?: number;
}

/** c(n): average path length of an unsuccessful BST search, the normaliser of Liu et al. (2008).
 * @example averagePathLength(256); // 10.2448
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649015329) - (2 * (n - 1)) / n;
}

/**
 * Isolation forest (Liu, Ting & Zhou 2008): random axis-aligned splits
 * isolate unusual rows in few steps. `scoreSamples` returns the anomaly score
 * s(x) = 2^(−E[h(x)] / c(ψ)) in (0, 1]: near 1 = anomalous, ≤ 0.5 = normal
 * (scikit-learn's `score_samples` is −s). NaN features are treated as 0.
 *
 * @example
 * const iso = new IsolationForest({ seed: 1 }).fit(X);
 * const s = iso.scoreSamples(X);     // higher = stranger
 * const flags = iso.predict(X);       // 1 anomaly, 0 normal
 */
export class IsolationForest implements Estimator<Matrix> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<IsolationForestOptions> = {
    nEstimators: { default: 100, integer: true, min: 1 },
    maxSamples: { default: 256, integer: true, min: 2 },
    contamination: { default: 0.01, gt: 0, max: 0.5 },
    seed: { default: 42 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(IsolationForest.spec);
  readonly options: Resolved<IsolationForestOptions>;
  /** Flattened trees: per tree, arrays of feature (−1 leaf), split value, left, right, leaf size. */
  trees_: { feature: Int32Array; split: Float64Array; left: Int32Array; right: Int32Array; size: Int32Array }[] = [];
  /** Sub-sample size ψ used per tree. */
  maxSamples_ = 0;
  /** Score above which a row is flagged (the 1 − contamination quantile of training scores). */
  threshold_ = NaN;
  nFeatures_ = 0;

  constructor(options: IsolationForestOptions = {}) {
    this.options = resolveOptions("IsolationForest", IsolationForest.spec, options);
  }

  /** Grow the forest on X (rows = customers or orders). */
  fit(X: Matrix): this {
    if (X.rows < 2) throw new CustlabError("E_SHAPE", `IsolationForest: need at least 2 rows, got ${X.rows}`);
    const rng = createRng(this.options.seed);
    const T = this.options.nEstimators;
    const psi = Math.min(this.options.maxSamples, X.rows);
    const maxDepth = Math.ceil(Math.log2(Math.max(psi, 2)));
    const d = X.cols;
    const val = (i: number, j: number) => { const v = X.data[i * d + j]; return Number.isNaN(v) ? 0 : v; };
    this.trees_ = [];
    const all = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) all[i] = i;
    for (let t = 0; t < T; t++) {
      // sample psi rows without replacement (partial Fisher–Yates)
      for (let i = 0; i < psi; i++) { const j = i + rng.int(X.rows - i); const tmp = all[i]; all[i] = all[j]; all[j] = tmp; }
      const rows = all.slice(0, psi);
      const feature: number[] = [], split: number[] = [], left: number[] = [], right: number[] = [], size: number[] = [];
      const build = (idx: Int32Array, depth: number): number => {
        const node = feature.length;
        feature.push(-1); split.push(0); left.push(-1); right.push(-1); size.push(idx.length);
        if (depth >= maxDepth || idx.length <= 1) return node;
        // pick a feature with spread (try a few times)
        for (let attempt = 0; attempt < d * 2; attempt++) {
          const j = rng.int(d);
          let lo = Infinity, hi = -Infinity;
          for (const i of idx) { const v = val(i, j); if (v < lo) lo = v; if (v > hi) hi = v; }
          if (!(hi > lo)) continue;
          const s = lo + rng.next() * (hi - lo);
          const L: number[] = [], R: number[] = [];
          for (const i of idx) (val(i, j) < s ? L : R).push(i);
          feature[node] = j; split[node] = s;
          const l = build(Int32Array.from(L), depth + 1);
          const r = build(Int32Array.from(R), depth + 1);
          left[node] = l; right[node] = r;
          return node;
        }
        return node;
      };
      build(rows, 0);
      this.trees_.push({ feature: Int32Array.from(feature), split: Float64Array.from(split), left: Int32Array.from(left), right: Int32Array.from(right), size: Int32Array.from(size) });
    }
    this.maxSamples_ = psi;
    this.nFeatures_ = d;
    const s = this.scoreSamples(X);
    const sorted = Float64Array.from(s).sort();
    const q = 1 - this.options.contamination;
    this.threshold_ = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return this;
  }

  /** Anomaly score per row in (0, 1]; higher = more anomalous. */
  scoreSamples(X: Matrix): Float64Array {
    if (!this.trees_.length) notFitted("IsolationForest");
    if (X.cols !== this.nFeatures_) throw new CustlabError("E_SHAPE", `IsolationForest: X has ${X.cols} columns, fitted on ${this.nFeatures_}`);
    const out = new Float64Array(X.rows);
    const c = averagePathLength(this.maxSamples_);
    const d = X.cols;
    for (let i = 0; i < X.rows; i++) {
      let h = 0;
      for (const tr of this.trees_) {
        let node = 0, depth = 0;
        while (tr.feature[node] >= 0) {
          const v = X.data[i * d + tr.feature[node]];
          node = (Number.isNaN(v) ? 0 : v) < tr.split[node] ? tr.left[node] : tr.right[node];
          depth++;
        }
        h += depth + averagePathLength(tr.size[node]);
      }
      out[i] = Math.pow(2, -(h / this.trees_.length) / c);
    }
    return out;
  }

  /** 1 for rows scoring above `threshold_` (anomalies), else 0. */
  predict(X: Matrix): Float64Array {
    const s = this.scoreSamples(X);
    return s.map((v) => (v > this.threshold_ ? 1 : 0));
  }

  /** `{ type, version, options, state }`. */
  toJSON() {
    return estimatorJSON("IsolationForest", 1, this.options, this.trees_.length ? {
      maxSamples: this.maxSamples_, threshold: this.threshold_, nFeatures: this.nFeatures_,
      trees: this.trees_.map((t) => ({ feature: Array.from(t.feature), split: Array.from(t.split), left: Array.from(t.left), right: Array.from(t.right), size: Array.from(t.size) })),
    } : null);
  }

  /** Rebuild from {@link IsolationForest.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(j: unknown): IsolationForest {
    const { options, state: s } = readEstimatorJSON(j, "IsolationForest", 1, true);
    const m = new IsolationForest(options);
    if (s?.trees) {
      m.maxSamples_ = s.maxSamples; m.threshold_ = s.threshold; m.nFeatures_ = s.nFeatures;
      m.trees_ = s.trees.map((t: any) => ({ feature: Int32Array.from(t.feature), split: Float64Array.from(t.split), left: Int32Array.from(t.left), right: Int32Array.from(t.right), size: Int32Array.from(t.size) }));
    }
    return m;
  }
}

registerEstimator("IsolationForest", IsolationForest);

/** Options for {@link orderAnomalies} and {@link customerAnomalies}. */
export interface AnomalyOptions extends IsolationForestOptions {
  /** Only rows with timestamp < cutoff are used (epoch ms; default: all). */
  cutoff?: number;
}

/**
 * Anomaly scores per order from a canonical transactions table: each order is
 * described by log(1 + units), log(1 + value), lines, distinct products and
 * the customer's orders that same day (bursts); an isolation forest scores
 * them. Returns one row per order (customer_id, order_id, timestamp, the
 * features, `anomaly_score`, `anomaly` 0/1), highest scores first.
 * @example orderAnomalies(tx, { seed: 1 }).head(10).toMarkdown();
 */
export function orderAnomalies(tx: Table, options: AnomalyOptions = {}): Table {
  const cust = tx.str("customer_id"), ord = tx.str("order_id"), ts = tx.num("timestamp"), q = tx.num("quantity"), p = tx.num("unit_price");
  const prod = tx.has("product_id") ? tx.str("product_id") : null;
  const cutoff = options.cutoff ?? Infinity;
  const code = new Map<string, number>();
  const oc: string[] = [], ocust: string[] = [], ots: number[] = [], units: number[] = [], value: number[] = [], lines: number[] = [];
  const prods: Set<string>[] = [];
  for (let i = 0; i < tx.numRows; i++) {
    if (!(ts[i] < cutoff) || !(q[i] > 0) || !(p[i] > 0) || ord[i].charCodeAt(0) === 67) continue;
    let k = code.get(ord[i]);
    if (k === undefined) { k = oc.length; code.set(ord[i], k); oc.push(ord[i]); ocust.push(cust[i]); ots.push(ts[i]); units.push(0); value.push(0); lines.push(0); prods.push(new Set()); }
    units[k] += q[i]; value[k] += q[i] * p[i]; lines[k]++;
    if (prod) prods[k].add(prod[i]);
    if (ts[i] < ots[k]) ots[k] = ts[i];
  }
  const m = oc.length;
  const sameDay = new Map<string, number>();
  for (let k = 0; k < m; k++) { const key = `${ocust[k]}|${Math.floor(ots[k] / DAY_MS)}`; sameDay.set(key, (sameDay.get(key) ?? 0) + 1); }
  const names = ["log_units", "log_value", "lines", "distinct_products", "orders_same_day"];
  const X = { data: new Float64Array(m * 5), rows: m, cols: 5, columns: names };
  for (let k = 0; k < m; k++) {
    X.data[k * 5] = Math.log1p(units[k]); X.data[k * 5 + 1] = Math.log1p(value[k]); X.data[k * 5 + 2] = lines[k];
    X.data[k * 5 + 3] = prod ? prods[k].size : lines[k];
    X.data[k * 5 + 4] = ocust[k] ? sameDay.get(`${ocust[k]}|${Math.floor(ots[k] / DAY_MS)}`)! : 1;
  }
  const iso = new IsolationForest(pickOptions(IsolationForest.spec, options)).fit(X);
  const s = iso.scoreSamples(X);
  const cols: Record<string, any> = { customer_id: ocust, order_id: oc, timestamp: Float64Array.from(ots) };
  names.forEach((nm, j) => (cols[nm] = Float64Array.from({ length: m }, (_, k) => X.data[k * 5 + j])));
  cols.anomaly_score = s;
  cols.anomaly = Int32Array.from(s, (v) => (v > iso.threshold_ ? 1 : 0));
  return new Table(cols, { timestamp: "date" }).orderBy("anomaly_score", "desc");
}

/**
 * Anomaly scores per customer from a numeric feature table (e.g. the output
 * of `customerFeatures`): every numeric column except ids and dates is used,
 * heavy-tailed money/count columns as log1p. Flags bulk resellers and bursts
 * before modelling. Returns `customer_id`, `anomaly_score`, `anomaly`, in the
 * input row order.
 * @example customerAnomalies(customerFeatures(tx, { cutoff })).orderBy("anomaly_score", "desc").head(10);
 */
export function customerAnomalies(features: Table, options: IsolationForestOptions & { columns?: string[] } = {}): Table {
  const kinds = features.kinds();
  const cols = options.columns ?? features.columnNames().filter((c) => kinds[c] !== "string" && kinds[c] !== "date" && c !== "cutoff");
  const n = features.numRows, d = cols.length;
  const X = { data: new Float64Array(n * d), rows: n, cols: d, columns: cols };
  cols.forEach((c, j) => {
    const v = features.num(c);
    let min = Infinity;
    for (let i = 0; i < n; i++) if (v[i] < min) min = v[i];
    const logish = min >= 0;
    for (let i = 0; i < n; i++) X.data[i * d + j] = logish ? Math.log1p(v[i]) : v[i];
  });
  const iso = new IsolationForest(pickOptions(IsolationForest.spec, options)).fit(X);
  const s = iso.scoreSamples(X);
  return new Table({ customer_id: features.has("customer_id") ? features.str("customer_id") : Array.from({ length: n }, (_, i) => String(i)), anomaly_score: s, anomaly: Int32Array.from(s, (v) => (v > iso.threshold_ ? 1 : 0)) });
}
