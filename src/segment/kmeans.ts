import { Matrix } from "../util/matrix";
import { createRng, Rng } from "../util/random";
import { CustlabError, optionError } from "../util/errors";
import { ProgressCallback } from "../util/progress";

/** Options for {@link KMeans}. Defaults follow scikit-learn's `KMeans`. */
export interface KMeansOptions {
  /** Number of clusters (required, ≥ 1 and ≤ the number of rows). */
  k: number;
  /** Independent runs with different k-means++ seeds; the run with the lowest inertia is kept. Default 10. */
  nInit?: number;
  /** Maximum Lloyd iterations per run. Default 300. */
  maxIter?: number;
  /**
   * Relative tolerance: a run stops when the squared centre shift summed over
   * clusters is ≤ `tol × mean(feature variances)` (scikit-learn's rule), or
   * earlier when no label changes. Default 1e-4.
   */
  tol?: number;
  /** Initialisation: greedy `"k-means++"` (default), `"random"` (k distinct rows), or explicit k×cols centres. */
  init?: "k-means++" | "random" | Matrix;
  /** Seed for initialisation; the same seed gives the same result. Default 0. */
  seed?: number;
  /**
   * Iteration algorithm. `"hamerly"` (default) is exact Lloyd accelerated
   * with Hamerly's distance bounds (same assignments, far fewer distance
   * computations); `"lloyd"` computes every point–centre distance each
   * iteration (kept for cross-checks).
   */
  algorithm?: "hamerly" | "lloyd";
  /** Called after each run (`stage: "kmeans"`, done = runs finished, metrics.inertia = best so far). */
  onProgress?: ProgressCallback;
}

/** Serialised {@link KMeans} (plain JSON). */
export interface KMeansJSON {
  type: "custlab.KMeans";
  options: Omit<KMeansOptions, "onProgress" | "init"> & { init?: "k-means++" | "random" };
  cols: number;
  clusterCenters: number[][];
  labels: number[];
  inertia: number;
  nIter: number;
}

interface RunResult {
  labels: Int32Array;
  centers: Float64Array;
  inertia: number;
  nIter: number;
}

/**
 * k-means clustering with the scikit-learn contract: greedy k-means++
 * initialisation (2 + ⌊ln k⌋ candidates per centre, the best kept), `nInit`
 * restarts keeping the lowest inertia, Lloyd iterations up to `maxIter` with
 * scikit-learn's tolerance rule (relative to the mean feature variance) and
 * its empty-cluster relocation (the points farthest from their centres).
 * Iterations use Hamerly's bounds by default, which give exactly Lloyd's
 * assignments while skipping most distance computations on well-separated
 * data. `inertia_` is the total within-cluster sum of squared distances, as
 * in scikit-learn.
 *
 * Why not `ml-kmeans` (v6, installed)? It serves for a single run on small
 * data and is used as a cross-check in the tests. It does not do what this
 * class needs: one run per call (no `n_init`), plain (not greedy) k-means++,
 * a tolerance in absolute centroid movement, arrays of arrays instead of typed
 * matrices, and `computeInformation()` reports a per-cluster *mean* error, so
 * the inertia has to be rebuilt as Σ error × size.
 *
 * @example
 * const km = new KMeans({ k: 4, nInit: 10, seed: 42 }).fit(X);
 * km.inertia_;          // total within-cluster SSE
 * km.labels_;           // Int32Array of cluster ids
 * km.predict(Xnew);     // nearest centre per row
 * const copy = KMeans.fromJSON(km.toJSON());
 */
export class KMeans {
  /** The options as given. */
  readonly options: KMeansOptions;
  /** k × cols centres (row-major). Set by `fit`. */
  clusterCenters_!: Matrix;
  /** Cluster of each training row. */
  labels_!: Int32Array;
  /** Total within-cluster sum of squared distances of the kept run. */
  inertia_!: number;
  /** Lloyd iterations of the kept run. */
  nIter_!: number;
  /** Inertia of every run, in run order (to see how much restarts matter). */
  runInertias_!: number[];

  constructor(options: KMeansOptions) {
    this.options = { ...options };
  }

  /** Fit on the rows of `X`; returns `this`. */
  fit(X: Matrix): this {
    const o = this.options;
    const k = o.k;
    const nInit = o.nInit ?? 10;
    const maxIter = o.maxIter ?? 300;
    const tolRel = o.tol ?? 1e-4;
    if (!Number.isInteger(k) || k < 1) optionError("k", `must be a positive integer, got ${k}`);
    if (!Number.isInteger(nInit) || nInit < 1) optionError("nInit", `must be a positive integer, got ${nInit}`);
    if (!Number.isInteger(maxIter) || maxIter < 1) optionError("maxIter", `must be a positive integer, got ${maxIter}`);
    if (!(tolRel >= 0)) optionError("tol", `must be ≥ 0, got ${tolRel}`);
    checkMatrix(X, "X");
    if (X.rows < k) throw new CustlabError("E_OPTION", `option k: ${k} clusters need at least ${k} rows, got ${X.rows}`);
    const tol = meanVariance(X) * tolRel;
    const rng = createRng(o.seed ?? 0);
    const explicit = typeof o.init === "object" ? o.init : null;
    if (explicit && (explicit.rows !== k || explicit.cols !== X.cols)) optionError("init", `explicit centres must be ${k}×${X.cols}, got ${explicit.rows}×${explicit.cols}`);
    const runs = explicit ? 1 : nInit;
    let best: RunResult | null = null;
    const inertias: number[] = [];
    for (let r = 0; r < runs; r++) {
      const runRng = rng.fork();
      const c0 = explicit ? new Float64Array(explicit.data) : o.init === "random" ? randomInit(X, k, runRng) : kmeansPlusPlus(X, k, runRng);
      const res = (o.algorithm ?? "hamerly") === "lloyd" ? lloydRun(X, c0, maxIter, tol) : hamerlyRun(X, c0, maxIter, tol);
      inertias.push(res.inertia);
      if (!best || res.inertia < best.inertia) best = res;
      o.onProgress?.({ stage: "kmeans", done: r + 1, total: runs, message: `run ${r + 1}/${runs}`, metrics: { inertia: best.inertia } });
    }
    this.labels_ = best!.labels;
    this.clusterCenters_ = { data: best!.centers, rows: k, cols: X.cols, columns: X.columns };
    this.inertia_ = best!.inertia;
    this.nIter_ = best!.nIter;
    this.runInertias_ = inertias;
    return this;
  }

  /** Fit and return the training labels. */
  fitPredict(X: Matrix): Int32Array {
    return this.fit(X).labels_;
  }

  /** Index of the nearest centre for each row of `X`. */
  predict(X: Matrix): Int32Array {
    this.checkFitted(X);
    return assignNearest(X, this.clusterCenters_.data, this.clusterCenters_.rows).labels;
  }

  /** Euclidean distance from each row to each centre (rows × k), as scikit-learn's `transform`. */
  transform(X: Matrix): Matrix {
    this.checkFitted(X);
    const k = this.clusterCenters_.rows, d = X.cols, c = this.clusterCenters_.data;
    const out = new Float64Array(X.rows * k);
    for (let i = 0; i < X.rows; i++) {
      const xo = i * d;
      for (let j = 0; j < k; j++) out[i * k + j] = Math.sqrt(sqDist(X.data, xo, c, j * d, d));
    }
    return { data: out, rows: X.rows, cols: k, columns: Array.from({ length: k }, (_, j) => `dist_${j}`) };
  }

  /** Within-cluster SSE of `X` under the fitted centres (negated, as scikit-learn's `score`). */
  score(X: Matrix): number {
    this.checkFitted(X);
    return -assignNearest(X, this.clusterCenters_.data, this.clusterCenters_.rows).inertia;
  }

  /** Plain JSON (options, centres, labels, inertia, iterations). */
  toJSON(): KMeansJSON {
    if (!this.clusterCenters_) throw new CustlabError("E_NOT_FITTED", "KMeans.toJSON: call fit() first");
    const { onProgress: _p, init, ...rest } = this.options;
    const c = this.clusterCenters_;
    return {
      type: "custlab.KMeans",
      options: { ...rest, init: typeof init === "object" ? undefined : init },
      cols: c.cols,
      clusterCenters: Array.from({ length: c.rows }, (_, j) => Array.from(c.data.subarray(j * c.cols, (j + 1) * c.cols))),
      labels: Array.from(this.labels_),
      inertia: this.inertia_,
      nIter: this.nIter_,
    };
  }

  /** Rebuild a fitted model from {@link KMeans.toJSON} output. */
  static fromJSON(j: KMeansJSON): KMeans {
    if (!j || j.type !== "custlab.KMeans") throw new CustlabError("E_FORMAT", "KMeans.fromJSON: not a custlab.KMeans object");
    const m = new KMeans({ ...j.options });
    const k = j.clusterCenters.length;
    const data = new Float64Array(k * j.cols);
    j.clusterCenters.forEach((row, r) => data.set(row, r * j.cols));
    m.clusterCenters_ = { data, rows: k, cols: j.cols };
    m.labels_ = Int32Array.from(j.labels);
    m.inertia_ = j.inertia;
    m.nIter_ = j.nIter;
    m.runInertias_ = [j.inertia];
    return m;
  }

  private checkFitted(X: Matrix): void {
    if (!this.clusterCenters_) throw new CustlabError("E_NOT_FITTED", "KMeans: call fit() before predict/transform");
    checkMatrix(X, "X");
    if (X.cols !== this.clusterCenters_.cols) throw new CustlabError("E_SHAPE", `KMeans: X has ${X.cols} columns, the model was fitted on ${this.clusterCenters_.cols}`);
  }
}

/** Throw a clear error for a malformed matrix or non-finite values. */
export function checkMatrix(X: Matrix, name: string): void {
  if (!X || !(X.data instanceof Float64Array) || X.data.length !== X.rows * X.cols) {
    throw new CustlabError("E_SHAPE", `${name}: expected a Matrix {data: Float64Array, rows, cols} with data.length = rows × cols`);
  }
  if (X.rows === 0 || X.cols === 0) throw new CustlabError("E_EMPTY", `${name}: the matrix is empty (${X.rows}×${X.cols})`);
  const d = X.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      const r = Math.floor(i / X.cols), c = i % X.cols;
      throw new CustlabError("E_VALUE", `${name}: non-finite value ${d[i]} at row ${r}, column ${X.columns?.[c] ?? c}`);
    }
  }
}

/** Squared Euclidean distance between a[ao..ao+d) and b[bo..bo+d). */
export function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) { const v = a[ao + t] - b[bo + t]; s += v * v; }
  return s;
}

/** Mean of the per-column (population) variances — scikit-learn's tolerance scale. */
export function meanVariance(X: Matrix): number {
  const { rows: n, cols: d, data } = X;
  const mean = new Float64Array(d), m2 = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += data[i * d + t];
  for (let t = 0; t < d; t++) mean[t] /= n;
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) { const v = data[i * d + t] - mean[t]; m2[t] += v * v; }
  let s = 0;
  for (let t = 0; t < d; t++) s += m2[t] / n;
  return s / d;
}

/**
 * Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): the first centre is a
 * uniform random row; each next centre is the best of `2 + ⌊ln k⌋` candidates
 * drawn with probability ∝ D², "best" meaning the lowest resulting potential
 * (Σ min squared distance). Returns k × cols centres, row-major.
 */
export function kmeansPlusPlus(X: Matrix, k: number, rng: Rng, nLocalTrials = 2 + Math.floor(Math.log(k))): Float64Array {
  const { rows: n, cols: d, data } = X;
  const centers = new Float64Array(k * d);
  const first = rng.int(n);
  centers.set(data.subarray(first * d, (first + 1) * d), 0);
  const closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) { closest[i] = sqDist(data, i * d, centers, 0, d); pot += closest[i]; }
  const cum = new Float64Array(n);
  const candDist = new Float64Array(nLocalTrials * n);
  const cand = new Int32Array(nLocalTrials);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) { acc += closest[i]; cum[i] = acc; }
    for (let t = 0; t < nLocalTrials; t++) {
      const r = rng.next() * acc;
      // searchsorted (left): first index with cum >= r
      let lo = 0, hi = n - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] < r) lo = mid + 1; else hi = mid; }
      cand[t] = lo;
    }
    let bestT = 0, bestPot = Infinity;
    for (let t = 0; t < nLocalTrials; t++) {
      const co = cand[t] * d;
      let p = 0;
      const base = t * n;
      for (let i = 0; i < n; i++) {
        const dd = sqDist(data, i * d, data, co, d);
        const m = dd < closest[i] ? dd : closest[i];
        candDist[base + i] = m;
        p += m;
      }
      if (p < bestPot) { bestPot = p; bestT = t; }
    }
    closest.set(candDist.subarray(bestT * n, (bestT + 1) * n));
    pot = bestPot;
    centers.set(data.subarray(cand[bestT] * d, (cand[bestT] + 1) * d), c * d);
  }
  void pot;
  return centers;
}

function randomInit(X: Matrix, k: number, rng: Rng): Float64Array {
  const idx = new Int32Array(X.rows);
  for (let i = 0; i < X.rows; i++) idx[i] = i;
  // partial Fisher–Yates: k distinct rows
  for (let i = 0; i < k; i++) { const j = i + rng.int(X.rows - i); const t = idx[i]; idx[i] = idx[j]; idx[j] = t; }
  const c = new Float64Array(k * X.cols);
  for (let j = 0; j < k; j++) c.set(X.data.subarray(idx[j] * X.cols, (idx[j] + 1) * X.cols), j * X.cols);
  return c;
}

/** Nearest centre (first on ties) and total SSE for every row. */
export function assignNearest(X: Matrix, centers: Float64Array, k: number): { labels: Int32Array; dist2: Float64Array; inertia: number } {
  const { rows: n, cols: d, data } = X;
  const labels = new Int32Array(n), dist2 = new Float64Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let b = 0, bd = Infinity;
    const xo = i * d;
    for (let j = 0; j < k; j++) {
      const dd = sqDist(data, xo, centers, j * d, d);
      if (dd < bd) { bd = dd; b = j; }
    }
    labels[i] = b; dist2[i] = bd; inertia += bd;
  }
  return { labels, dist2, inertia };
}

/** New centres as cluster means; empty clusters relocated to the farthest points (scikit-learn's rule). Returns whether a relocation happened. */
function updateCenters(X: Matrix, labels: Int32Array, oldCenters: Float64Array, k: number, out: Float64Array): boolean {
  const { rows: n, cols: d, data } = X;
  const counts = new Float64Array(k);
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const l = labels[i], lo = l * d, xo = i * d;
    counts[l]++;
    for (let t = 0; t < d; t++) out[lo + t] += data[xo + t];
  }
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (counts[j] === 0) empty.push(j);
  if (empty.length) {
    // Farthest points from their (old) centres donate themselves to the empty clusters.
    const dist = new Float64Array(n);
    for (let i = 0; i < n; i++) dist[i] = sqDist(data, i * d, oldCenters, labels[i] * d, d);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => dist[b] - dist[a] || a - b);
    let used = 0;
    for (const j of empty) {
      // skip donors whose cluster would become empty
      let p = order[used++];
      while (counts[labels[p]] <= 1 && used < n) p = order[used++];
      const from = labels[p], xo = p * d;
      for (let t = 0; t < d; t++) { out[from * d + t] -= data[xo + t]; out[j * d + t] = data[xo + t]; }
      counts[from]--; counts[j] = 1;
    }
  }
  for (let j = 0; j < k; j++) { const c = counts[j]; for (let t = 0; t < d; t++) out[j * d + t] /= c; }
  return empty.length > 0;
}

function lloydRun(X: Matrix, c0: Float64Array, maxIter: number, tol: number): RunResult {
  const k = c0.length / X.cols, d = X.cols;
  let centers = c0, next = new Float64Array(c0.length);
  let labels = new Int32Array(X.rows).fill(-1);
  let strict = false, it = 0;
  for (it = 0; it < maxIter; it++) {
    const a = assignNearest(X, centers, k);
    let same = true;
    for (let i = 0; i < X.rows; i++) if (a.labels[i] !== labels[i]) { same = false; break; }
    labels = a.labels;
    updateCenters(X, labels, centers, k, next);
    let shift = 0;
    for (let j = 0; j < k; j++) shift += sqDist(next, j * d, centers, j * d, d);
    const t = centers; centers = next; next = t;
    if (same) { strict = true; break; }
    if (shift <= tol) break;
  }
  const fin = assignNearest(X, centers, k);
  void strict;
  return { labels: fin.labels, centers, inertia: fin.inertia, nIter: Math.min(it + 1, maxIter) };
}

/**
 * One k-means run with Hamerly's bounds: per point an upper bound on the
 * distance to its centre and a lower bound on the distance to the second
 * closest; a point is only re-examined when the bounds overlap. Assignments
 * equal Lloyd's (up to exact distance ties); iteration and stopping rules are
 * scikit-learn's.
 */
function hamerlyRun(X: Matrix, c0: Float64Array, maxIter: number, tol: number): RunResult {
  const { rows: n, cols: d, data } = X;
  const k = c0.length / d;
  let centers = c0, next = new Float64Array(c0.length);
  const labels = new Int32Array(n);
  const upper = new Float64Array(n), lower = new Float64Array(n);
  const s = new Float64Array(k), shift = new Float64Array(k);
  // Full first assignment.
  const full = (i: number): number => {
    const xo = i * d;
    let b = 0, d1 = Infinity, d2 = Infinity;
    for (let j = 0; j < k; j++) {
      const dd = sqDist(data, xo, centers, j * d, d);
      if (dd < d1) { d2 = d1; d1 = dd; b = j; } else if (dd < d2) d2 = dd;
    }
    upper[i] = Math.sqrt(d1); lower[i] = Math.sqrt(d2);
    return b;
  };
  const assign = (): number => {
    // s[j] = half the distance from centre j to its nearest other centre
    for (let j = 0; j < k; j++) {
      let m = Infinity;
      for (let jj = 0; jj < k; jj++) if (jj !== j) { const dd = sqDist(centers, j * d, centers, jj * d, d); if (dd < m) m = dd; }
      s[j] = 0.5 * Math.sqrt(m);
    }
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      const bound = s[a] > lower[i] ? s[a] : lower[i];
      if (upper[i] <= bound) continue;
      upper[i] = Math.sqrt(sqDist(data, i * d, centers, a * d, d));
      if (upper[i] <= bound) continue;
      const b = full(i);
      if (b !== a) { labels[i] = b; changed++; }
    }
    return changed;
  };
  let it = 0, strict = false;
  for (it = 0; it < maxIter; it++) {
    let changed: number;
    if (it === 0) { for (let i = 0; i < n; i++) labels[i] = full(i); changed = n; }
    else changed = assign();
    const relocated = updateCenters(X, labels, centers, k, next);
    let tot = 0, m1 = 0, m2 = 0, m1j = -1;
    for (let j = 0; j < k; j++) {
      const sh2 = sqDist(next, j * d, centers, j * d, d);
      tot += sh2;
      const sh = Math.sqrt(sh2);
      shift[j] = sh;
      if (sh > m1) { m2 = m1; m1 = sh; m1j = j; } else if (sh > m2) m2 = sh;
    }
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      upper[i] += shift[a];
      lower[i] -= a === m1j ? m2 : m1;
      if (relocated) lower[i] = 0; // centres jumped: force re-examination
    }
    const t = centers; centers = next; next = t;
    if (changed === 0) { strict = true; break; }
    if (tot <= tol) break;
  }
  // scikit-learn reruns the E-step when it stopped on tolerance; we recompute
  // exact labels and SSE in both cases (identical when strictly converged).
  void strict;
  const fin = assignNearest(X, centers, k);
  return { labels: fin.labels, centers, inertia: fin.inertia, nIter: Math.min(it + 1, maxIter) };
}
